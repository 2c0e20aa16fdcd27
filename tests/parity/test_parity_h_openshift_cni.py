"""parity-gaps.md H: OpenShift and CNI (P54-P57)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.parity.helpers import container, inject, pod_annotations, pod_doc

CNI = "pilot.cni.enabled=true"


def user_proxy(security: dict[str, Any]) -> dict[str, Any]:
    return pod_doc(
        extra_containers=[{"name": "istio-proxy", "image": "auto", "securityContext": security}]
    )


def arg_after(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def iptables(out: dict[str, Any]) -> dict[str, Any]:
    """istio-init, or istio-validation where the platform turns CNI on (OpenShift)."""
    names = [c["name"] for c in out["spec"].get("initContainers") or []]
    return container(out, "istio-validation" if "istio-validation" in names else "istio-init")


def test_P54_user_run_as_reaches_istio_validation_with_cni() -> None:
    out = inject(user_proxy({"runAsUser": 1500, "runAsGroup": 1600}), CNI)
    validation = container(out, "istio-validation")
    assert arg_after(validation["args"], "-u") == "1500"
    assert validation["securityContext"]["runAsUser"] == 1500
    assert validation["securityContext"]["runAsGroup"] == 1600


def test_P54_under_tproxy_validation_keeps_1337_and_the_proxy_runs_as_root() -> None:
    doc = user_proxy({"runAsUser": 1500, "runAsGroup": 1600})
    doc["metadata"]["annotations"] = {"sidecar.istio.io/interceptionMode": "TPROXY"}
    out = inject(doc, CNI)
    validation = container(out, "istio-validation")
    assert arg_after(validation["args"], "-u") == "1500"
    assert validation["securityContext"]["runAsUser"] == 1337
    assert validation["securityContext"]["runAsGroup"] == 1337
    assert container(out, "istio-proxy")["securityContext"]["runAsUser"] == 0


def test_P54_run_as_user_zero_never_replaces_the_uid() -> None:
    out = inject(user_proxy({"runAsUser": 0}))
    assert arg_after(iptables(out)["args"], "-u") == "1337"


NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
  annotations:
    openshift.io/sa.scc.uid-range: 1000620000/10000
    openshift.io/sa.scc.supplemental-groups: 1000620000/10000
"""


@pytest.fixture
def namespace_file(tmp_path: Path) -> str:
    path = tmp_path / "ns.yaml"
    path.write_text(NAMESPACE)
    return str(path)


def test_P55_openshift_drops_a_proxy_uid_equal_to_the_apps(namespace_file: str) -> None:
    doc = user_proxy({"runAsUser": 1000620000})
    doc["spec"]["containers"][0]["securityContext"] = {"runAsUser": 1000620000}
    out = inject(
        doc, "global.platform=openshift", namespace_labels_file=namespace_file, mode="webhook"
    )
    proxy = container(out, "istio-proxy")
    assert proxy["securityContext"]["runAsUser"] == 1000629999
    assert proxy["securityContext"]["runAsGroup"] == 1000629999
    assert arg_after(iptables(out)["args"], "-u") == "1000629999"
    assert pod_annotations(out)["proxy.istio.io/overrides"] == (
        '{"initContainers":[{"name":"istio-proxy","resources":{},"securityContext":{}}]}'
    )


def test_P56_manual_mode_never_uses_openshift_uids(namespace_file: str) -> None:
    out = inject(
        pod_doc(), "global.platform=openshift", namespace_labels_file=namespace_file, mode="manual"
    )
    assert container(out, "istio-proxy")["securityContext"]["runAsUser"] == 1337
    assert arg_after(iptables(out)["args"], "-u") == "1337"


@pytest.mark.parametrize(
    ("networks", "expected"),
    [
        (
            '[{"name":"macvlan"}]',
            '[{"name":"macvlan"}, {"name": "istio-cni", "namespace": "default"}]',
        ),
        (
            '[{"name":"istio-cni","namespace":"other"}]',
            '[{"name":"istio-cni","namespace":"other"}, '
            '{"name": "istio-cni", "namespace": "default"}]',
        ),
        ("macvlan", "macvlan, default/istio-cni"),
        ("default/istio-cni", "default/istio-cni"),
    ],
)
def test_P57_multus_network_is_spliced_into_the_users_text(networks: str, expected: str) -> None:
    out = inject(
        pod_doc({"k8s.v1.cni.cncf.io/networks": networks}), CNI, "pilot.cni.provider=multus"
    )
    assert pod_annotations(out)["k8s.v1.cni.cncf.io/networks"] == expected
