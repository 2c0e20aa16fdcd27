"""Hypothesis strategies for real-world-shaped manifest files, rendered as text.

A drawn file is a stream of workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob,
Pod) and pass-through documents (Service, ConfigMap), written the way people and tools
write them: 2- or 4-space indents, indented or flush sequences, `- ` or `-   ` items,
single/double/plain quoting, flow style for small collections, head/inline/between-
document comments, blank lines, `---` with or without a leading document, CRLF, and a
missing final newline. Containers have named ports, HTTP/TCP/gRPC probes (named or
numbered ports), lifecycle hooks, env, resources; pods have user labels, annotations
(Prometheus ones too), init containers, volumes and pull secrets.

What is left out, on purpose, are the inputs where the injected file does not determine
the original (documented in `meshinject.uninject`): a probe written with the number of a
named port, a user's Istio label/annotation as the last key with the value injection
writes, flow style for the pod's labels/annotations/probe actions, quoting or comments inside a
TCP/gRPC probe action (injection replaces it and only its data is recorded), empty
collections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

NAMES = st.sampled_from(["api", "web", "worker", "cache", "payments", "orders", "auth"])
WORDS = st.sampled_from(
    ["alpha", "beta", "v1", "v2", "2024.11", "3.2.0", "true", "on", "0755", "a b", "x:y", "10"]
)
COMMENTS = st.sampled_from(
    ["# managed by platform", "# TODO: tune", "#no space", "# pinned by renovate", "# --- ---"]
)


@dataclass(frozen=True)
class Layout:
    indent: int  # key -> nested key columns
    indent_sequences: bool
    gap: int  # `-` -> item content columns
    quote: str  # "'" or '"': how strings that need quotes are quoted
    quote_all: bool  # quote even plain-safe strings (like some generators do)


@dataclass(frozen=True)
class Flow:
    """A value written in flow style, on one line."""

    value: Any


@dataclass(frozen=True)
class Plain:
    """A string written plain whatever the layout says."""

    text: str


@dataclass(frozen=True)
class Quoted:
    """A string written quoted whatever the layout says."""

    text: str


LAYOUTS = st.builds(
    Layout,
    indent=st.sampled_from([2, 4]),
    indent_sequences=st.booleans(),
    gap=st.sampled_from([2, 2, 4]),
    quote=st.sampled_from(["'", '"']),
    quote_all=st.booleans(),
)

_PLAIN_UNSAFE = set(":#{}[],&*!|>'\"%@`")


def _needs_quotes(text: str) -> bool:
    import yaml

    if not text or text[0] in _PLAIN_UNSAFE or text[0] in "-? " or ": " in text or " #" in text:
        return True
    return yaml.safe_load(text) != text


def _scalar(value: Any, layout: Layout) -> str:
    if isinstance(value, Plain):
        return value.text
    if isinstance(value, Quoted):
        return '"' + value.text + '"' if layout.quote == '"' else "'" + value.text + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if layout.quote_all or _needs_quotes(text):
        if layout.quote == "'":
            return "'" + text.replace("'", "''") + "'"
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _flow(value: Any, layout: Layout) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v, layout)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, layout) for v in value) + "]"
    text = _scalar(value, layout)
    if text[0] in "'\"" or not any(c in text for c in ",[]{}:#"):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(value: Any, layout: Layout, col: int = 0) -> list[str]:
    """Block lines for a mapping at `col` (values may be Flow, Quoted or scalars)."""
    lines: list[str] = []
    pad = " " * col
    for key, item in value.items():
        if isinstance(item, Flow):
            lines.append(f"{pad}{key}: {_flow(item.value, layout)}")
        elif isinstance(item, dict) and item:
            lines.append(f"{pad}{key}:")
            lines.extend(render(item, layout, col + layout.indent))
        elif isinstance(item, list) and item:
            lines.append(f"{pad}{key}:")
            dash_col = col + (layout.indent if layout.indent_sequences else 0)
            lines.extend(_items(item, layout, dash_col))
        else:
            lines.append(f"{pad}{key}: {_scalar(item, layout)}")
    return lines


def _items(items: list[Any], layout: Layout, col: int) -> list[str]:
    lines: list[str] = []
    dash = " " * col + "-" + " " * (layout.gap - 1)
    for item in items:
        if isinstance(item, dict) and item:
            nested = render(item, layout, col + layout.gap)
            lines.append(dash + nested[0][col + layout.gap :])
            lines.extend(nested[1:])
        elif isinstance(item, Flow):
            lines.append(dash + _flow(item.value, layout))
        else:
            lines.append(dash + _scalar(item, layout))
    return lines


# -- pods -------------------------------------------------------------------------------


@st.composite
def probes(draw: st.DrawFn, ports: dict[str, int]) -> dict[str, Any]:
    """Probes and hooks of one container; ports by name are the container's named ports."""
    out: dict[str, Any] = {}
    unnamed = st.integers(1024, 9000).filter(lambda p: p not in ports.values())
    port = st.one_of(st.sampled_from(sorted(ports)), unnamed) if ports else unnamed
    for field in draw(
        st.lists(
            st.sampled_from(["readinessProbe", "livenessProbe", "startupProbe"]),
            unique=True,
            max_size=3,
        )
    ):
        kind = draw(st.sampled_from(["httpGet", "tcpSocket", "grpc", "exec"]))
        probe: dict[str, Any] = {}
        if draw(st.booleans()):
            probe["initialDelaySeconds"] = draw(st.integers(0, 30))
        if kind == "httpGet":
            action: Any = {
                "path": draw(st.sampled_from(["/healthz", "/ready", "/live"])),
                "port": draw(port),
            }
            if draw(st.booleans()):
                action["scheme"] = draw(st.sampled_from(["HTTP", "HTTPS"]))
            if draw(st.booleans()):
                action["httpHeaders"] = [{"name": "X-Probe", "value": "kubelet"}]
        elif kind == "tcpSocket":
            # Injection replaces this action; a quoted port name would come back plain.
            chosen = draw(port)
            action = {"port": Plain(chosen) if isinstance(chosen, str) else chosen}
        elif kind == "grpc":
            action = {"port": draw(unnamed)}
        else:
            action = {"command": Flow(["cat", "/tmp/ready"])}
        probe[kind] = action
        if draw(st.booleans()):
            probe["periodSeconds"] = draw(st.integers(1, 60))
        out[field] = probe
    if draw(st.booleans()):
        out["lifecycle"] = {"preStop": {"httpGet": {"path": "/drain", "port": draw(port)}}}
    return out


@st.composite
def containers(draw: st.DrawFn, names: list[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        c: dict[str, Any] = {"name": name, "image": f"registry.example.com/{name}:{draw(WORDS)}"}
        ports: dict[str, int] = {}
        if draw(st.booleans()):
            declared = draw(
                st.lists(
                    st.sampled_from(["http", "grpc", "metrics", "admin"]),
                    unique=True,
                    min_size=1,
                    max_size=3,
                )
            )
            numbers = draw(
                st.lists(
                    st.integers(80, 9999),
                    unique=True,
                    min_size=len(declared),
                    max_size=len(declared),
                )
            )
            ports = dict(zip(declared, numbers, strict=True))
            port_items = [{"name": n, "containerPort": p} for n, p in ports.items()]
            c["ports"] = Flow(port_items) if draw(st.booleans()) else port_items
        if draw(st.booleans()):
            c["args"] = Flow(draw(st.lists(WORDS, min_size=1, max_size=3)))
        if draw(st.booleans()):
            count = draw(st.integers(1, 3))
            c["env"] = [{"name": f"VAR_{i}", "value": draw(WORDS)} for i in range(count)]
        c.update(draw(probes(ports)))
        if draw(st.booleans()):
            resources = {"requests": {"cpu": "100m", "memory": "128Mi"}}
            c["resources"] = Flow(resources) if draw(st.booleans()) else resources
        out.append(c)
    return out


@st.composite
def pod_template(draw: st.DrawFn, app: str) -> dict[str, Any]:
    labels: dict[str, Any] = {"app": app}
    if draw(st.booleans()):
        labels["version"] = draw(WORDS)
    if draw(st.booleans()):
        # A user's Istio label, followed by one of theirs (so the original is determined).
        labels["service.istio.io/canonical-name"] = f"{app}-svc"
        labels["team"] = "platform"
    names = draw(st.lists(NAMES, unique=True, min_size=1, max_size=3))
    annotations: dict[str, Any] = {}
    if draw(st.booleans()):
        annotations["checksum/config"] = "4b7c1e0f2a"
    if draw(st.booleans()):
        annotations["prometheus.io/scrape"] = Quoted("true")
        if draw(st.booleans()):
            annotations["prometheus.io/port"] = Quoted(str(draw(st.integers(9000, 9999))))
        if draw(st.booleans()):
            annotations["prometheus.io/path"] = "/metrics"
    if len(names) > 1 and draw(st.booleans()):
        annotations["kubectl.kubernetes.io/default-container"] = names[1]
    metadata: dict[str, Any] = {}
    order = draw(st.permutations(["labels", "annotations"]))
    for key in order:
        if key == "labels":
            metadata["labels"] = labels
        elif annotations:
            metadata["annotations"] = annotations
    spec: dict[str, Any] = {}
    if draw(st.booleans()):
        spec["serviceAccountName"] = app
    if draw(st.booleans()):
        spec["initContainers"] = [
            {"name": "migrate", "image": "migrate:1", "command": Flow(["/bin/migrate"])}
        ]
    spec["containers"] = draw(containers(names))
    if draw(st.booleans()):
        spec["imagePullSecrets"] = [{"name": "registry-credentials"}]
    if draw(st.booleans()):
        spec["volumes"] = [{"name": "config", "configMap": {"name": f"{app}-config"}}]
    if draw(st.booleans()):
        spec["terminationGracePeriodSeconds"] = 45
    return {"metadata": metadata, "spec": spec}


@st.composite
def workload(draw: st.DrawFn) -> dict[str, Any]:
    app = draw(NAMES)
    kinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]
    kind = draw(st.sampled_from(kinds))
    template = draw(pod_template(app))
    meta: dict[str, Any] = {"name": app}
    if draw(st.booleans()):
        meta["namespace"] = draw(st.sampled_from(["shop", "tools"]))
    if draw(st.booleans()):
        meta["labels"] = {"app.kubernetes.io/name": app}
    selector = {"matchLabels": Flow({"app": app}) if draw(st.booleans()) else {"app": app}}
    api = {"Pod": "v1", "Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    doc: dict[str, Any] = {"apiVersion": api, "kind": kind}
    if kind == "Pod":
        doc["metadata"] = {**meta, **template["metadata"]}
        doc["spec"] = template["spec"]
        return doc
    doc["metadata"] = meta
    if kind == "CronJob":
        template["spec"]["restartPolicy"] = "OnFailure"
        job = {"spec": {"template": template}}
        doc["spec"] = {"schedule": Quoted("0 3 * * *"), "jobTemplate": job}
    elif kind == "Job":
        template["spec"]["restartPolicy"] = "Never"
        doc["spec"] = {"backoffLimit": 2, "template": template}
    else:
        spec: dict[str, Any] = {}
        if kind != "DaemonSet":
            spec["replicas"] = draw(st.integers(1, 5))
        if kind == "StatefulSet":
            spec["serviceName"] = app
        spec["selector"] = selector
        spec["template"] = template
        doc["spec"] = spec
    return doc


def passthrough(app: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": app},
        "spec": {"selector": {"app": app}, "ports": [{"port": 80, "targetPort": "http"}]},
    }


@st.composite
def commented(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """Sprinkle comments: inline after values, and whole lines between entries.

    Not inside a TCP/gRPC probe action: injection replaces it with an httpGet, and only
    its data is recorded (its comments and blank lines are rewritten probe lines).
    """
    out: list[str] = []
    inside_action = False
    for line in lines:
        action = line.strip() in ("tcpSocket:", "grpc:")
        if not inside_action and draw(st.integers(0, 9)) == 0:
            indent = len(line) - len(line.lstrip(" -"))
            out.append(" " * indent + draw(COMMENTS))
        if not (action or inside_action) and draw(st.integers(0, 7)) == 0:
            out.append(line + draw(st.sampled_from(["  ", " ", "    "])) + draw(COMMENTS))
        else:
            out.append(line)
        if not action and draw(st.integers(0, 15)) == 0:
            out.append("")
        inside_action = action
    return out


@st.composite
def manifest_files(draw: st.DrawFn) -> str:
    """The text of a manifest file (line ends and final newline drawn too)."""
    docs: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        layout = draw(LAYOUTS)
        data = draw(workload()) if draw(st.integers(0, 3)) else passthrough(draw(NAMES))
        lines = draw(commented(render(data, layout)))
        head = draw(st.lists(COMMENTS, max_size=2))
        docs.append("\n".join([*head, *lines]) + "\n")
    text = ""
    for i, doc in enumerate(docs):
        if i or draw(st.booleans()):
            text += "---" + (" " + draw(COMMENTS) if draw(st.booleans()) else "") + "\n"
            if draw(st.booleans()):
                text += draw(COMMENTS) + "\n\n"
        text += doc
    if draw(st.integers(0, 4)) == 0:
        text = text.rstrip("\n")
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text
