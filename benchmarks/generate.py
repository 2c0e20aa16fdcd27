"""A realistic GitOps stream: N Deployments, each followed by a Service and a ConfigMap.

Deployments carry comments, probes, resources, several containers and an init
container; every tenth one opts out of injection (`sidecar.istio.io/inject: "false"`),
so the stream also has skipped workloads. `passthrough_stream` is Services and
ConfigMaps only (nothing to inject). Output is deterministic for a given N.

    python benchmarks/generate.py 500 > stream.yaml
"""

from __future__ import annotations

import sys

_DEPLOYMENT = """\
# {name}: owned by team-{team}; edit through the platform repo, not kubectl.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
    app.kubernetes.io/part-of: shop  # used by the cost dashboards
    version: v{major}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  replicas: {replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: {name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: {name}
        version: v{major}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"{optout}
    spec:
      serviceAccountName: {name}
      terminationGracePeriodSeconds: 45
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      initContainers:
        - name: migrate
          image: 'registry.example.com/shop/{name}-migrate:{major}.{minor}.0'
          args: ["--wait", "--timeout=120s"]
      containers:
        # The application itself.
        - name: app
          image: "registry.example.com/shop/{name}:{major}.{minor}.{patch}"  # pinned by renovate
          imagePullPolicy: IfNotPresent
          args:
            - --listen=:8080
            - --metrics=:9090
            - --log-format=json
          env:
            - name: JAVA_OPTS
              value: "-Xms256m -Xmx{heap}m"
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: FEATURE_FLAGS
              value: >-
                checkout-v2,
                search-boost
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            initialDelaySeconds: 5
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
            failureThreshold: 3
          startupProbe:
            tcpSocket:
              port: 8080
          resources:
            requests:
              cpu: {cpu}m
              memory: {heap}Mi
            limits:
              memory: {limit}Mi
          volumeMounts:
            - name: config
              mountPath: /etc/{name}
              readOnly: true
        # Log shipper; keep its limits small.
        - name: log-shipper
          image: registry.example.com/infra/fluent-bit:3.1.{patch}
          resources:
            requests: {{cpu: 10m, memory: 32Mi}}
            limits: {{memory: 64Mi}}
          volumeMounts:
            - {{name: varlog, mountPath: /var/log}}
      volumes:
        - name: config
          configMap:
            name: {name}-config
        - name: varlog
          emptyDir: {{}}
"""

_SERVICE = """\
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
spec:
  type: ClusterIP
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics  # scraped directly
      port: 9090
      targetPort: metrics
"""

_CONFIGMAP = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  LOG_LEVEL: info
  CACHE_TTL: "{wave}0s"
  application.yaml: |
    server:
      port: 8080
    upstream:
      url: http://{name}-backend.{ns}.svc.cluster.local:8080
      timeout: 2s
    # tuned in INC-{minor}{patch}
    retries: 3
"""


def _fields(i: int) -> dict[str, object]:
    return {
        "name": f"svc-{i:05d}",
        "ns": f"team-{i % 17}",
        "team": i % 17,
        "wave": i % 5,
        "major": 1 + i % 4,
        "minor": i % 13,
        "patch": i % 7,
        "replicas": 1 + i % 3,
        "heap": 256 + 64 * (i % 8),
        "limit": 512 + 64 * (i % 8),
        "cpu": 50 + 10 * (i % 10),
        "optout": '\n        sidecar.istio.io/inject: "false"' if i % 10 == 9 else "",
    }


def stream(n: int) -> str:
    """N Deployments, each followed by its Service and ConfigMap."""
    return stream_part(0, n)


def stream_part(start: int, end: int) -> str:
    """Deployments `start` to `end - 1` of `stream(n)` (n >= end), with their Services and
    ConfigMaps: `stream(n)` is the concatenation of its parts."""
    parts: list[str] = []
    for i in range(start, end):
        f = _fields(i)
        parts.append(("---\n" if i else "") + _DEPLOYMENT.format(**f))
        parts.append(_SERVICE.format(**f))
        parts.append(_CONFIGMAP.format(**f))
    return "".join(parts)


def passthrough_stream(n: int) -> str:
    """Only documents that are never injected: N Services and N ConfigMaps."""
    parts: list[str] = []
    for i in range(n):
        f = _fields(i)
        parts.append(_SERVICE.format(**f))
        parts.append(_CONFIGMAP.format(**f))
    return "".join(parts)[len("---\n") :]


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 500
    sys.stdout.write(passthrough_stream(n) if "--passthrough" in argv else stream(n))


if __name__ == "__main__":
    main(sys.argv)
