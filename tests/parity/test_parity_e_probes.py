"""parity-gaps.md E: probes (P42-P44)."""

from __future__ import annotations

import json
from typing import Any

from meshinject.api import RunOptions, build_request, inject_text
from tests.parity.helpers import container, env, inject, pod_annotations, pod_doc


def test_P43_app_probers_in_go_field_order() -> None:
    doc = pod_doc(container={"readinessProbe": {"httpGet": {"port": "http", "path": "/ready"}}})
    assert env(inject(doc), "ISTIO_KUBE_APP_PROBERS") == (
        '{"/app-health/web/readyz":{"httpGet":{"path":"/ready","port":8080}}}'
    )


def test_P43_every_action_is_in_go_field_order() -> None:
    probes = {
        "livenessProbe": {
            "timeoutSeconds": 3,
            "tcpSocket": {"host": "localhost", "port": 8080},
        },
        "readinessProbe": {
            "httpGet": {
                "scheme": "HTTP",
                "httpHeaders": [{"value": "b", "name": "a"}],
                "host": "h",
                "port": 8080,
                "path": "/r",
            }
        },
        "lifecycle": {"preStop": {"httpGet": {"port": 8080, "path": "/stop"}}},
    }
    probers = json.loads(
        env(inject(pod_doc(container=probes)), "ISTIO_KUBE_APP_PROBERS"),
        object_pairs_hook=lambda pairs: pairs,
    )
    assert dict(probers) == {
        "/app-health/web/livez": [
            ("tcpSocket", [("port", 8080), ("host", "localhost")]),
            ("timeoutSeconds", 3),
        ],
        "/app-health/web/readyz": [
            (
                "httpGet",
                [
                    ("path", "/r"),
                    ("port", 8080),
                    ("host", "h"),
                    ("scheme", "HTTP"),
                    ("httpHeaders", [[("name", "a"), ("value", "b")]]),
                ],
            )
        ],
        "/app-lifecycle/web/prestopz": [("httpGet", [("path", "/stop"), ("port", 8080)])],
    }


def test_P44_grpc_probers_have_a_null_service() -> None:
    doc = pod_doc(container={"startupProbe": {"grpc": {"port": 9090}}})
    probers = env(inject(doc), "ISTIO_KUBE_APP_PROBERS")
    assert '"/app-health/web/startupz":{"grpc":{"port":9090,"service":null}}' in probers


def test_P44_a_set_grpc_service_is_kept_even_when_empty() -> None:
    doc = pod_doc(container={"startupProbe": {"grpc": {"service": "", "port": 9090}}})
    probers = env(inject(doc), "ISTIO_KUBE_APP_PROBERS")
    assert '{"grpc":{"port":9090,"service":""}}' in probers


def test_P43_P44_uninject_gives_back_the_probes_as_written() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n"
        "  containers:\n  - name: web\n    image: nginx\n"
        "    ports: [{containerPort: 8080, name: http}]\n"
        "    readinessProbe: {httpGet: {port: http, path: /ready}}\n"
        "    startupProbe:\n      grpc:\n        port: 9090\n"
    )
    request = build_request(RunOptions())
    injected = inject_text(text, request).text
    assert '"service":null' in injected
    assert inject_text(injected, request, operation="uninject").text == text


STATUS_PORT_15030 = {"proxy.istio.io/config": "statusPort: 15030"}
READY_PROBE = {"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}


def test_P42_manual_mode_uses_the_pods_status_port() -> None:
    # istioctl kube-inject applies the pod's proxy.istio.io/config to the mesh config first.
    out = inject(pod_doc(STATUS_PORT_15030, container=READY_PROBE))
    probe = container(out, "web")["readinessProbe"]
    assert probe["httpGet"] == {"path": "/app-health/web/readyz", "port": 15030}
    assert pod_annotations(out)["prometheus.io/port"] == "15030"


def webhook_pod(annotations: dict[str, str], **kw: Any) -> dict[str, Any]:
    doc = pod_doc(annotations, **kw)
    doc["metadata"]["labels"]["sidecar.istio.io/inject"] = "true"
    return doc


def test_P42_the_webhook_uses_the_mesh_status_port() -> None:
    out = inject(webhook_pod(STATUS_PORT_15030, container=READY_PROBE), mode="webhook")
    assert container(out, "web")["readinessProbe"]["httpGet"]["port"] == 15020
    assert pod_annotations(out)["prometheus.io/port"] == "15020"


def test_P42_manual_mode_takes_a_scrape_port_equal_to_the_pods_agent_port_as_merged() -> None:
    annotations = {**STATUS_PORT_15030, "prometheus.io/port": "15030"}
    manual = inject(pod_doc(annotations))
    assert env(manual, "ISTIO_PROMETHEUS_ANNOTATIONS") is None
    assert pod_annotations(manual)["prometheus.io/port"] == "15030"
    webhook = inject(webhook_pod(annotations), mode="webhook")
    assert '"port":"15030"' in env(webhook, "ISTIO_PROMETHEUS_ANNOTATIONS")
