"""parity-gaps.md C: the gateway and gRPC templates (P31-P35)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.parity.helpers import container, env, inject, names, pod_annotations, pod_spec, status

GATEWAY: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "gw",
        "labels": {"app": "gw"},
        "annotations": {"inject.istio.io/templates": "gateway"},
    },
    "spec": {
        "containers": [
            {"name": "istio-proxy", "image": "auto"},
            {"name": "app", "image": "busybox"},
            {"name": "logger", "image": "busybox"},
        ]
    },
}

ECHO: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "echo",
        "labels": {"app": "echo"},
        "annotations": {"inject.istio.io/templates": "grpc-agent"},
    },
    "spec": {"containers": [{"name": "echo", "image": "example.com/echo:1"}]},
}


def copy(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(doc))
    return result


def test_P31_gateway_default_container_with_several_app_containers() -> None:
    found = pod_annotations(inject(GATEWAY))
    assert found["kubectl.kubernetes.io/default-container"] == "app"
    assert found["kubectl.kubernetes.io/default-logs-container"] == "app"


def test_P32_gateway_ignores_gateways_seccomp_profile() -> None:
    doc = copy(GATEWAY)
    doc["spec"]["containers"] = doc["spec"]["containers"][:1]
    out = inject(doc, "gateways.seccompProfile.type=RuntimeDefault")
    assert container(out, "istio-proxy")["securityContext"] == {
        "runAsUser": 1337,
        "runAsGroup": 1337,
    }


def test_P33_grpc_agent_points_everything_at_the_agent_port() -> None:
    proxy = container(inject(ECHO), "istio-proxy")
    assert {"containerPort": 15020, "protocol": "TCP", "name": "mesh-metrics"} in proxy["ports"]
    assert proxy["readinessProbe"]["httpGet"]["port"] == 15020
    assert proxy["lifecycle"]["postStart"]["exec"]["command"] == [
        "pilot-agent",
        "wait",
        "--url=http://localhost:15020/healthz/ready",
    ]
    assert {"name": "DISABLE_ENVOY", "value": "true"} in proxy["env"]


def test_P34_grpc_agent_metadata_env_and_volumes(tmp_path: Path) -> None:
    out = inject(ECHO)
    assert pod_annotations(out)["istio.io/rev"] == "default"
    assert env(out, "ISTIO_META_NODE_NAME") == {"fieldRef": {"fieldPath": "spec.nodeName"}}
    assert {
        "name": "workload-certs",
        "mountPath": "/var/run/secrets/workload-spiffe-credentials",
    } in container(out, "echo")["volumeMounts"]
    assert "securityContext" not in pod_spec(out)
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("inboundTrafficPolicy: {mode: LOCALHOST}\n")
    local = inject(ECHO, mesh_config_files=(str(mesh),))
    assert env(local, "REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION") == "true"
    bundle = inject(ECHO, "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true")
    ca = next(v for v in pod_spec(bundle)["volumes"] if v["name"] == "istiod-ca-cert")
    assert ca["projected"]["sources"][0]["clusterTrustBundle"]["name"] == (
        "istio.io:istiod-ca:root-cert"
    )


def test_P35_grpc_agent_status_in_template_order_and_proxy_first_on_hold() -> None:
    assert status(inject(ECHO))["containers"] == ["istio-proxy", "echo"]
    held = inject(ECHO, "meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true")
    assert names(pod_spec(held)["containers"]) == ["istio-proxy", "echo"]
    assert names(pod_spec(inject(ECHO))["containers"]) == ["echo", "istio-proxy"]
