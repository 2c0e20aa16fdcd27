"""parity-gaps.md B: features of the built-in sidecar template (P17-P30)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.parity.helpers import (
    container,
    env,
    env_names,
    inject,
    names,
    pod_annotations,
    pod_doc,
    pod_meta,
    pod_spec,
    status,
    volume,
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


@pytest.mark.parametrize("value", ["False", "yes", "TRUE"])
def test_P18_native_sidecar_annotation_is_native_unless_exactly_false(value: str) -> None:
    out = inject(pod_doc({"sidecar.istio.io/nativeSidecar": value}), kube_version="1.32")
    assert container(out, "istio-proxy")["restartPolicy"] == "Always"
    assert "istio-proxy" in names(pod_spec(out)["initContainers"])


def test_P18_native_sidecar_annotation_false_is_legacy() -> None:
    out = inject(pod_doc({"sidecar.istio.io/nativeSidecar": "false"}))
    assert "istio-proxy" in names(pod_spec(out)["containers"])


def test_P19_proxy_config_image_type_applies_to_the_proxy_only() -> None:
    for out in (
        inject(pod_doc(), "meshConfig.defaultConfig.image.imageType=distroless"),
        inject(pod_doc({"proxy.istio.io/config": '{"image":{"imageType":"distroless"}}'})),
    ):
        assert container(out, "istio-proxy")["image"].endswith(":1.31.0-distroless")
        assert container(out, "istio-init")["image"].endswith(":1.31.0")


@pytest.mark.parametrize(
    ("annotations", "sets", "tag"),
    [
        ({}, ("global.tag=1.30.1-distroless", "global.variant=debug"), "1.30.1-debug"),
        (
            {"sidecar.istio.io/proxyImageType": "default"},
            ("global.tag=1.30.1-distroless",),
            "1.30.1",
        ),
        ({"sidecar.istio.io/proxyImageType": ""}, ("global.variant=distroless",), "1.31.0"),
    ],
)
def test_P20_image_type_suffix_is_replaced_not_stacked(
    annotations: dict[str, str], sets: tuple[str, ...], tag: str
) -> None:
    out = inject(pod_doc(annotations), *sets)
    assert container(out, "istio-proxy")["image"].rsplit(":", 1)[1] == tag
    assert container(out, "istio-init")["image"].rsplit(":", 1)[1] == tag


def test_P21_global_proxy_seccomp_profile_reaches_init_and_proxy() -> None:
    for sets in ((), ("pilot.cni.enabled=true",)):
        out = inject(pod_doc(), "global.proxy.seccompProfile.type=RuntimeDefault", *sets)
        init = "istio-validation" if sets else "istio-init"
        for name in (init, "istio-proxy"):
            assert container(out, name)["securityContext"]["seccompProfile"] == {
                "type": "RuntimeDefault"
            }


def test_P22_iptables_trace_logging_runs_the_proxy_privileged() -> None:
    out = inject(pod_doc(), "meshConfig.defaultConfig.proxyMetadata.IPTABLES_TRACE_LOGGING=true")
    assert container(out, "istio-proxy")["securityContext"] == {
        "allowPrivilegeEscalation": True,
        "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
        "privileged": True,
        "readOnlyRootFilesystem": True,
        "runAsGroup": 1337,
        "runAsNonRoot": False,
        "runAsUser": 0,
    }


def test_P23_crl_volume_is_there_for_every_cert_provider() -> None:
    out = inject(pod_doc(), "global.pilotCertProvider=kubernetes")
    assert volume(out, "istio-ca-crl") == {
        "name": "istio-ca-crl",
        "configMap": {"name": "istio-ca-crl", "optional": True},
    }
    assert "istio-ca-crl" in status(out)["volumes"]
    mounts = names(container(out, "istio-proxy")["volumeMounts"])
    assert "istio-ca-crl" not in mounts


def test_P24_cluster_trust_bundle_is_named_after_the_trust_bundle() -> None:
    out = inject(
        pod_doc(),
        "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true",
        "global.trustBundleName=my-root",
    )
    ca = volume(out, "istiod-ca-cert")
    assert ca is not None
    assert ca["projected"]["sources"] == [
        {"clusterTrustBundle": {"name": "istio.io:istiod-ca:my-root", "path": "root-cert.pem"}}
    ]


def test_P25_lightstep_ca_certificate_is_mounted(tmp_path: Path) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(
        "defaultConfig:\n  tracing:\n    tlsSettings:\n"
        "      {mode: SIMPLE, caCertificates: /etc/lightstep/cacert.pem}\n"
    )
    out = inject(pod_doc(), "global.proxy.tracer=lightstep", mesh_config_files=(str(mesh),))
    assert {
        "mountPath": "/etc/lightstep/",
        "name": "lightstep-certs",
        "readOnly": True,
    } in container(out, "istio-proxy")["volumeMounts"]
    assert volume(out, "lightstep-certs") == {
        "name": "lightstep-certs",
        "secret": {"optional": True, "secretName": "lightstep.cacert"},
    }


OTEL_MESH = """\
extensionProviders:
- name: otel
  opentelemetry:
    service: otel-collector.observability.svc.cluster.local
    port: 4317
    serviceAttributeEnrichment: OTEL_SEMANTIC_CONVENTIONS
"""


def test_P26_otel_resource_attributes(tmp_path: Path) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(OTEL_MESH)
    out = inject(pod_doc(), mesh_config_files=(str(mesh),))
    assert env(out, "OTEL_RESOURCE_ATTRIBUTES") == (
        "service.namespace=shop,service.version=1.25,service.instance.id=shop.$(POD_NAME).web"
    )
    order = env_names(out)
    assert order.index("TRUST_DOMAIN") < order.index("OTEL_RESOURCE_ATTRIBUTES")


def test_P26_otel_attributes_from_annotations_and_labels(tmp_path: Path) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(OTEL_MESH)
    doc = pod_doc(
        {
            "resource.opentelemetry.io/service.namespace": "team",
            "resource.opentelemetry.io/service.instance.id": "i-1",
        },
        container={"image": "reg:5000/nginx:1.25@sha256:abc"},
    )
    out = inject(doc, mesh_config_files=(str(mesh),))
    assert env(out, "OTEL_RESOURCE_ATTRIBUTES") == (
        "service.namespace=team,service.version=1.25@sha256:abc,service.instance.id=i-1"
    )


def test_P26_no_otel_attributes_without_semantic_conventions() -> None:
    assert env(inject(pod_doc()), "OTEL_RESOURCE_ATTRIBUTES") is None


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("traffic.sidecar.istio.io/includeOutboundPorts", "-q"),
        ("traffic.sidecar.istio.io/excludeOutboundPorts", "-o"),
    ],
)
def test_P27_present_but_empty_outbound_port_annotations_pass_the_flag(
    name: str, flag: str
) -> None:
    args = container(inject(pod_doc({name: ""})), "istio-init")["args"]
    assert args[args.index(flag) + 1] == ""


def test_P28_injection_revision_names_istio_io_rev_and_values_revision_names_istiod() -> None:
    out = inject(pod_doc(), "revision=canary")
    assert pod_annotations(out)["istio.io/rev"] == "default"
    assert env(out, "CA_ADDR") == "istiod-canary.istio-system.svc:15012"


def test_P28_revision_flag_without_values_revision() -> None:
    # Deliberate (README): the built-in values stand for the istiod of the asked revision.
    out = inject(pod_doc(), revision="canary")
    assert pod_annotations(out)["istio.io/rev"] == "canary"
    assert env(out, "CA_ADDR") == "istiod-canary.istio-system.svc:15012"


GENERATED_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "generateName": "web-7d9f8b6c5d-",
        "namespace": "shop",
        "labels": {"pod-template-hash": "7d9f8b6c5d"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-7d9f8b6c5d",
                "uid": "1",
                "controller": True,
            }
        ],
    },
    "spec": {"containers": [{"name": "web", "image": "nginx"}]},
}


def _generated(labels: dict[str, str], ref: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads(json.dumps(GENERATED_POD))
    doc["metadata"]["labels"] = labels
    doc["metadata"]["ownerReferences"][0].update(ref)
    return doc


def test_P29_generated_pod_of_a_deployment() -> None:
    out = inject(GENERATED_POD)
    assert env(out, "ISTIO_META_OWNER") == (
        "kubernetes://apis/apps/v1/namespaces/shop/deployments/web"
    )
    assert env(out, "ISTIO_META_WORKLOAD_NAME") == "web"
    assert pod_meta(out)["labels"]["service.istio.io/canonical-name"] == "web"


@pytest.mark.parametrize(
    ("labels", "ref", "owner"),
    [
        (
            {"rollouts-pod-template-hash": "abc"},
            {"name": "web-abc"},
            "kubernetes://apis/v1alpha1/namespaces/shop/rollouts/web",
        ),
        (
            {"deploymentconfig": "web"},
            {"apiVersion": "v1", "kind": "ReplicationController", "name": "web-1"},
            "kubernetes://apis/v1/namespaces/shop/deploymentconfigs/web",
        ),
        (
            {},
            {"apiVersion": "batch/v1", "kind": "Job", "name": "web-28012345"},
            "kubernetes://apis/batch/v1/namespaces/shop/cronjobs/web",
        ),
        (
            {},
            {"apiVersion": "batch/v1", "kind": "Job", "name": "web-123"},
            "kubernetes://apis/batch/v1/namespaces/shop/jobs/web-123",
        ),
    ],
)
def test_P29_other_owner_heuristics(
    labels: dict[str, str], ref: dict[str, Any], owner: str
) -> None:
    assert env(inject(_generated(labels, ref)), "ISTIO_META_OWNER") == owner


def test_P30_the_webhook_paths_cluster_and_network_are_given_as_values() -> None:
    # istioctl kube-inject from files has no webhook URL path (its proxy envs are empty);
    # what /inject/cluster/c2/net/n2 does is written with the values (README).
    out = inject(pod_doc(), "global.multiCluster.clusterName=c2", "global.network=n2")
    proxy_env = container(out, "istio-proxy")["env"]
    assert proxy_env[-2:] == [
        {"name": "ISTIO_META_CLUSTER_ID", "value": "c2"},
        {"name": "ISTIO_META_NETWORK", "value": "n2"},
    ]
    assert pod_meta(out)["labels"]["topology.istio.io/network"] == "n2"


def test_P30_the_pods_network_label_still_wins() -> None:
    doc = pod_doc()
    doc["metadata"]["labels"]["topology.istio.io/network"] = "own"
    out = inject(doc, "global.network=n2")
    assert env(out, "ISTIO_META_NETWORK") == "own"
    assert pod_meta(out)["labels"]["topology.istio.io/network"] == "own"
