"""parity-gaps.md E: probes (P42-P44)."""

from __future__ import annotations

import json

from meshinject.api import RunOptions, build_request, inject_text
from tests.parity.helpers import env, inject, pod_doc


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
