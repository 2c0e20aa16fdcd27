"""Realistic manifest streams for tests and the benchmark (deterministic, no randomness)."""

from __future__ import annotations

import copy
from typing import Any

_DEPLOYMENT = """\
# Deployment for {name}: owned by team-{team}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop  # production namespace
  labels:
    app: {name}
    version: "v{i}"
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        version: "v{i}"
      annotations: {{}}
    spec:
      # main container first, helper second
      containers:
      - name: {name}
        image: registry.example.com/shop/{name}:1.{i}.0
        args: ["--port", "8080", '--log-level=info']
        ports:
        - containerPort: 8080
          name: http
          protocol: TCP
        env:
        - name: LOG_LEVEL
          value: info
        - name: FEATURE_FLAG
          value: "true"  # quoted on purpose
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 10
        livenessProbe:
          tcpSocket: {{port: 8080}}
          failureThreshold: 3
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: "1"
            memory: 512Mi
        volumeMounts:
        - name: config
          mountPath: /etc/{name}
          readOnly: true
      - name: log-shipper
        image: 'registry.example.com/tools/shipper:2.3'
        command:
        - /bin/shipper
        - --config=/etc/shipper/config.yaml
        resources: {{}}
      volumes:
      - name: config
        configMap:
          name: {name}-config
      # end of pod spec
"""

_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - name: http
    port: 80
    targetPort: 8080
"""

_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
data:
  app.properties: |
    greeting=hello
    threads={i}
  mode: production
"""


def deployment(i: int) -> str:
    return _DEPLOYMENT.format(name=f"svc-{i}", team=i % 7, i=i, replicas=1 + i % 3)


def realistic_stream(n: int) -> str:
    """`n` Deployments, each followed by its Service and ConfigMap, separated by `---`."""
    parts: list[str] = []
    for i in range(n):
        parts.append(deployment(i))
        parts.append(_SERVICE.format(name=f"svc-{i}"))
        parts.append(_CONFIGMAP.format(name=f"svc-{i}", i=i))
    return "---\n".join(parts)


_FOUR_SPACE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
    name: {name}
    labels:
        app: {name}
spec:
    template:
        metadata:
            labels:
                app: {name}
            annotations: {{}}
        spec:
            containers:
                - name: {name}
                  image: 'registry.example.com/{name}:1.0'  # pinned
                  readinessProbe:
                      httpGet:
                          path: /healthz
                          port: 8080
                  env:
                      - name: MODE
                        value: 'fast'
            volumes:
                - name: config
                  configMap:
                      name: {name}-config
"""


def four_space_deployment(i: int) -> str:
    """A Deployment with a 4-space step and indented sequences (helm-style)."""
    return _FOUR_SPACE.format(name=f"svc-{i}")


def _proxy_container() -> dict[str, object]:
    return {
        "name": "istio-proxy",
        "image": "docker.io/istio/proxyv2:1.22.0",
        "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local"],
        "env": [
            {"name": "PILOT_CERT_PROVIDER", "value": "istiod"},
            {"name": "CA_ADDR", "value": "istiod.istio-system.svc:15012"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "ISTIO_META_APP_CONTAINERS", "value": "app,log-shipper"},
            {"name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"},
            {"name": "PROXY_CONFIG", "value": '{"holdApplicationUntilProxyStarts":true}\n'},
            {"name": "ISTIO_META_INTERCEPTION_MODE", "value": "REDIRECT"},
        ],
        "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
        "readinessProbe": {
            "httpGet": {"path": "/healthz/ready", "port": 15021},
            "failureThreshold": 4,
            "periodSeconds": 15,
        },
        "resources": {
            "limits": {"cpu": "2", "memory": "1Gi"},
            "requests": {"cpu": "100m", "memory": "128Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
            "runAsGroup": 1337,
            "runAsNonRoot": True,
            "runAsUser": 1337,
        },
        "volumeMounts": [
            {"mountPath": "/var/run/secrets/workload-spiffe-uds", "name": "workload-socket"},
            {"mountPath": "/etc/istio/proxy", "name": "istio-envoy"},
            {"mountPath": "/var/lib/istio/data", "name": "istio-data"},
            {"mountPath": "/etc/istio/pod", "name": "istio-podinfo"},
        ],
    }


def inject(data: dict[str, Any]) -> dict[str, Any]:
    """A typical sidecar injection of `data` (a Deployment), as a new object."""
    new = copy.deepcopy(data)
    template = new["spec"]["template"]
    annotations = template["metadata"].get("annotations") or {}
    annotations["sidecar.istio.io/status"] = (
        '{"initContainers":["istio-init"],"containers":["istio-proxy"],'
        '"volumes":["workload-socket","istio-envoy","istio-data","istio-podinfo"]}'
    )
    annotations["prometheus.io/port"] = "15020"
    annotations["prometheus.io/scrape"] = "true"
    template["metadata"]["annotations"] = annotations
    template["metadata"]["labels"]["security.istio.io/tlsMode"] = "istio"
    pod = template["spec"]
    pod["initContainers"] = [
        {
            "name": "istio-init",
            "image": "docker.io/istio/proxyv2:1.22.0",
            "args": ["istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-i", "*"],
            "securityContext": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
        }
    ]
    pod["containers"].append(_proxy_container())
    pod["containers"][0]["readinessProbe"]["httpGet"] = {
        "path": "/app-health/app/readyz",
        "port": 15020,
    }
    pod["volumes"].extend(
        [
            {"name": "workload-socket", "emptyDir": {}},
            {"name": "istio-envoy", "emptyDir": {"medium": "Memory"}},
            {"name": "istio-data", "emptyDir": {}},
            {
                "name": "istio-podinfo",
                "downwardAPI": {
                    "items": [
                        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                    ]
                },
            },
        ]
    )
    return new
