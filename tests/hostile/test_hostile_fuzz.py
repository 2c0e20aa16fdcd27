"""A bounded fuzz run of parse -> inject -> write on every CI run (the long, coverage-guided
run is `nox -s fuzz`, see fuzz/README.md).

Inputs are Kubernetes-shaped documents with random structure and hostile values, written
as YAML in random styles and then damaged at random bytes. `fuzz/harness.py` states the
property: only typed, located errors come out, and injected output injects again cleanly.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import harness

KINDS = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicaSet",
    "ReplicationController",
    "DeploymentConfig",
    "List",
    "Namespace",
    "Service",
    "Secret",
]
KEYS = [
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "spec",
    "template",
    "jobTemplate",
    "containers",
    "initContainers",
    "image",
    "ports",
    "containerPort",
    "env",
    "value",
    "resources",
    "limits",
    "requests",
    "cpu",
    "memory",
    "readinessProbe",
    "httpGet",
    "port",
    "path",
    "volumes",
    "items",
    "hostNetwork",
    "securityContext",
    "selector",
    "matchLabels",
    "sidecar.istio.io/inject",
    "sidecar.istio.io/status",
    "sidecar.istio.io/proxyCPU",
    "proxy.istio.io/config",
    "proxy.istio.io/overrides",
    "inject.istio.io/templates",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "status.sidecar.istio.io/port",
    "prometheus.io/scrape",
    "sidecar.istio.io/interceptionMode",
    "istio.io/rev",
    "example.com/src",  # printed raw by fuzz/harness.py's user template (R23)
]
STRINGS = [
    "true",
    "false",
    "",
    "istio-proxy",
    "grpc-simple",
    "gateway",
    "sidecar",
    "100m",
    "1Gi",
    "10.0.0.0/8",
    "*",
    "8080",
    "TPROXY",
    "{}",
    "[]",
    '{"containers":[{}]}',
    "null",
    "---",
    "{{ .Values }}",
    "a\nb",
    "# x",
    "'",
    '"',
    "😀",
    "\u2028",
    # values other YAML readers retype (go-yaml v2, YAML 1.1 / 1.2): must be written quoted
    "8675e30",
    "1e3",
    "0x1f",
    "0o17",
    "yes",
    "y",
    "n",
    "~",
    ".inf",
    "0755",
    "1_000",
    "12:30",
    "2024-01-01",
    "=",
    # values that add structure when a template prints them raw (R23)
    'x"\n    example.com/forged: "yes',
    "x\n          securityContext: {privileged: true}",
    "{privileged: true}",
    "a, b: c",
]
# `---` lines the stream is joined with: node properties, comments, directives.
MARKERS = [
    "---\n",
    "--- !!map\n",
    "--- &root\n",
    "--- !local\n",
    "--- # note\n",
    "...\n%YAML 1.1\n---\n",
    "# between\n---\n",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False),
    st.sampled_from(STRINGS),
    st.text(max_size=12),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    ),
    max_leaves=40,
)


ANNOTATIONS = [k for k in KEYS if "/" in k]
annotation_values = st.one_of(st.sampled_from(STRINGS), st.text(max_size=12), scalars)
extras = st.dictionaries(st.sampled_from(KEYS), trees, max_size=2)


@st.composite
def pods(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(pod metadata, pod spec): mostly well formed, with random extra fields."""
    containers = [
        {"name": name, "image": "app:1", **draw(extras)}
        for name in draw(
            st.lists(
                st.sampled_from(["app", "istio-proxy", "web"]), min_size=1, max_size=3, unique=True
            )
        )
    ]
    spec: dict[str, Any] = {"containers": containers, **draw(extras)}
    metadata: dict[str, Any] = {
        "labels": draw(
            st.dictionaries(
                st.sampled_from(["app", "version", "istio.io/rev"]), annotation_values, max_size=2
            )
        ),
        "annotations": draw(
            st.dictionaries(st.sampled_from(ANNOTATIONS), annotation_values, max_size=3)
        ),
    }
    return metadata, spec


@st.composite
def k8s_documents(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS if depth == 0 else [k for k in KINDS if k != "List"]))
    doc: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "app"}}
    metadata, spec = draw(pods())
    if kind == "List":
        doc["items"] = draw(st.lists(k8s_documents(depth=1), max_size=2))
    elif kind == "Pod":
        doc["metadata"].update(metadata)
        doc["spec"] = spec
    elif kind == "CronJob":
        doc["spec"] = {"jobTemplate": {"spec": {"template": {"metadata": metadata, "spec": spec}}}}
    else:
        doc["spec"] = {"template": {"metadata": metadata, "spec": spec}}
    doc.update(draw(extras) if draw(st.integers(0, 3)) == 0 else {})
    return doc


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    docs = draw(st.lists(k8s_documents(), min_size=1, max_size=3))
    flow = draw(st.sampled_from([False, None, True]))
    text = ""
    for index, d in enumerate(docs):
        if index:
            text += draw(st.sampled_from(MARKERS))
        text += yaml.safe_dump(d, default_flow_style=flow, allow_unicode=True)
    data = bytearray(text.encode())
    damage = draw(st.sampled_from([0, 0, 1, 2]))
    for _ in range(damage):  # damage: replace, insert or delete bytes
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        piece = draw(
            st.sampled_from(
                [
                    b" ",
                    b"\t",
                    b":",
                    b"-",
                    b"\n",
                    b"{",
                    b"[",
                    b"&a",
                    b"*a",
                    b"<<: ",
                    b"'",
                    b'"',
                    b"#",
                    b"\xff",
                    b"\xef\xbb\xbf",
                ]
            )
        )
        if action == "delete":
            del data[at]
        elif action == "insert":
            data[at:at] = piece
        else:
            data[at : at + 1] = piece
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(streams())
def test_parse_inject_write_gives_output_or_located_errors(data: bytes) -> None:
    harness.check(data)


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_output_or_located_errors(data: bytes) -> None:
    harness.check(data)


def test_the_harness_catches_an_untyped_error(monkeypatch: Any) -> None:
    """The property can fail: a crash inside injection is reported, not swallowed."""
    from meshinject.inject import document

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("boom")

    monkeypatch.setattr(document, "inject_pod", crash)
    try:
        harness.check(
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
            b"spec: {containers: [{name: a, image: b}]}\n"
        )
    except TypeError:
        return
    raise AssertionError("the harness let an untyped exception pass")
