"""parity-gaps.md B: features of the built-in sidecar template (P17-P30)."""

from __future__ import annotations

from tests.parity.helpers import (
    container,
    env,
    inject,
    names,
    pod_doc,
    pod_spec,
    status,
)


def test_P17_interception_none_with_native_sidecars_keeps_the_proxy_in_init_containers() -> None:
    doc = pod_doc(
        {"sidecar.istio.io/interceptionMode": "NONE"},
        init_containers=[{"name": "init-one", "image": "busybox"}],
    )
    out = inject(doc)
    assert names(pod_spec(out)["initContainers"]) == ["istio-proxy", "init-one"]
    assert container(out, "istio-proxy")["restartPolicy"] == "Always"
    assert env(out, "ISTIO_META_INTERCEPTION_MODE") == "NONE"
    assert status(out)["initContainers"] == ["istio-proxy"]


def test_P17_interception_none_from_mesh_config_with_native_sidecars() -> None:
    out = inject(pod_doc(), "meshConfig.defaultConfig.interceptionMode=NONE")
    assert names(pod_spec(out)["initContainers"]) == ["istio-proxy"]


def test_P17_interception_none_without_native_sidecars_has_no_init_container() -> None:
    out = inject(pod_doc({"sidecar.istio.io/interceptionMode": "NONE"}), kube_version="1.32")
    assert "initContainers" not in pod_spec(out)
    assert names(pod_spec(out)["containers"]) == ["web", "istio-proxy"]
