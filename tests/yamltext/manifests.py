"""Realistic manifest streams for tests and the benchmark (deterministic, no randomness)."""

from __future__ import annotations

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


def four_space_deployment(i: int) -> str:
    """The same Deployment re-indented with a 4-space step and indented sequences."""
    out: list[str] = []
    for line in deployment(i).splitlines(keepends=True):
        body = line.lstrip(" ")
        depth = len(line) - len(body)
        out.append(" " * (depth * 2) + body)
    return "".join(out)
