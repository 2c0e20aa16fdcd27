"""Istio features, one test each, on small fixtures: what injection adds for each setting
or annotation. Data-level assertions (the YAML layout is covered by the golden cases)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from meshinject.api import RunOptions, build_request, inject_text
from meshinject.yamltext import load_document

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: shop
  annotations: {}
  labels: {app: app}
spec:
  containers:
  - name: app
    image: app:1
    ports:
    - {name: http, containerPort: 8080}
"""


def inject(
    annotations: dict[str, str] | None = None,
    *,
    sets: tuple[str, ...] = (),
    doc: str = POD,
    **options: Any,
) -> dict[str, Any]:
    text = doc.replace("annotations: {}", f"annotations: {json.dumps(annotations or {})}")
    request = build_request(RunOptions(set_args=sets, **options))
    result = inject_text(text, request)
    assert not result.errors, [e.render() for e in result.errors]
    data: dict[str, Any] = load_document(result.text).data
    return data


def container(pod: dict[str, Any], name: str) -> dict[str, Any]:
    spec = pod["spec"]
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        if c["name"] == name:
            return c
    raise AssertionError(f"no container {name}")


def env(pod: dict[str, Any], name: str) -> str | None:
    for e in container(pod, "istio-proxy").get("env", []):
        if e["name"] == name:
            return e.get("value")
    return None


def arg_after(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args else None


def test_native_sidecar_is_an_init_container_that_restarts() -> None:
    pod = inject()
    proxy = container(pod, "istio-proxy")
    assert proxy["restartPolicy"] == "Always"
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["istio-init", "istio-proxy"]
    assert proxy["lifecycle"]["preStop"]["exec"]["command"][-2:] == ["POST", "drain"]


def test_legacy_layout_when_native_sidecars_are_off() -> None:
    pod = inject(sets=("pilot.env.ENABLE_NATIVE_SIDECARS=false",))
    assert [c["name"] for c in pod["spec"]["containers"]] == ["app", "istio-proxy"]
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["istio-init"]
    assert "restartPolicy" not in container(pod, "istio-proxy")


def test_auto_native_sidecars_follow_the_kube_version() -> None:
    old = inject(sets=("pilot.env.ENABLE_NATIVE_SIDECARS=auto",), kube_version="1.28")
    new = inject(sets=("pilot.env.ENABLE_NATIVE_SIDECARS=auto",), kube_version="1.33")
    assert "istio-proxy" in [c["name"] for c in old["spec"]["containers"]]
    assert "istio-proxy" in [c["name"] for c in new["spec"]["initContainers"]]


def test_pod_annotation_opts_out_of_native_sidecars() -> None:
    pod = inject({"sidecar.istio.io/nativeSidecar": "false"})
    assert "istio-proxy" in [c["name"] for c in pod["spec"]["containers"]]


def test_cni_replaces_istio_init_with_validation_and_writes_traffic_annotations() -> None:
    pod = inject(sets=("pilot.cni.enabled=true",))
    validation = container(pod, "istio-validation")
    assert validation["args"][-2:] == ["--run-validation", "--skip-rule-apply"]
    assert "add" not in validation["securityContext"]["capabilities"]
    annotations = pod["metadata"]["annotations"]
    assert annotations["sidecar.istio.io/interceptionMode"] == "REDIRECT"
    assert annotations["traffic.sidecar.istio.io/excludeInboundPorts"] == "15020"


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (None, "default/istio-cni"),
        ("macvlan-conf", "macvlan-conf, default/istio-cni"),
        ('[{"name": "alt"}]', '[{"name": "alt"}, {"name": "istio-cni", "namespace": "default"}]'),
    ],
)
def test_multus_network_is_appended_in_both_forms(existing: str | None, expected: str) -> None:
    annotations = {"k8s.v1.cni.cncf.io/networks": existing} if existing else {}
    pod = inject(annotations, sets=("pilot.cni.enabled=true", "pilot.cni.provider=multus"))
    assert pod["metadata"]["annotations"]["k8s.v1.cni.cncf.io/networks"] == expected


def test_tproxy_runs_the_proxy_as_root_with_net_admin() -> None:
    pod = inject({"sidecar.istio.io/interceptionMode": "TPROXY"})
    proxy = container(pod, "istio-proxy")
    assert proxy["securityContext"]["runAsUser"] == 0
    assert proxy["securityContext"]["runAsNonRoot"] is False
    assert proxy["securityContext"]["capabilities"]["add"] == ["NET_ADMIN"]
    assert arg_after(container(pod, "istio-init")["args"], "-m") == "TPROXY"
    assert env(pod, "ISTIO_META_INTERCEPTION_MODE") == "TPROXY"


def test_interception_none_with_legacy_sidecars_has_no_init_container() -> None:
    pod = inject(
        {"sidecar.istio.io/interceptionMode": "NONE"},
        sets=("pilot.env.ENABLE_NATIVE_SIDECARS=false",),
    )
    assert "initContainers" not in pod["spec"]


def test_traffic_annotations_become_iptables_arguments() -> None:
    pod = inject(
        {
            "traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.0/8",
            "traffic.sidecar.istio.io/excludeOutboundIPRanges": "10.1.0.0/16",
            "traffic.sidecar.istio.io/includeInboundPorts": "8080",
            "traffic.sidecar.istio.io/excludeInboundPorts": "9090",
            "traffic.sidecar.istio.io/excludeOutboundPorts": "5432",
            "traffic.sidecar.istio.io/excludeInterfaces": "eth1",
        }
    )
    args = container(pod, "istio-init")["args"]
    assert arg_after(args, "-i") == "10.0.0.0/8"
    assert arg_after(args, "-x") == "10.1.0.0/16"
    assert arg_after(args, "-b") == "8080"
    assert arg_after(args, "-d") == "15090,15021,9090,15020"
    assert arg_after(args, "-o") == "5432"
    assert arg_after(args, "-c") == "eth1"


def test_reroute_virtual_interfaces_wins_over_kubevirt() -> None:
    pod = inject(
        {
            "traffic.sidecar.istio.io/kubevirtInterfaces": "net1",
            "istio.io/reroute-virtual-interfaces": "net2",
        }
    )
    assert arg_after(container(pod, "istio-init")["args"], "-k") == "net2"


def test_network_setting_adds_env_and_label() -> None:
    pod = inject(sets=("global.network=west",))
    assert env(pod, "ISTIO_META_NETWORK") == "west"
    assert pod["metadata"]["labels"]["topology.istio.io/network"] == "west"


def test_fips_compliance_policy() -> None:
    pod = inject(sets=("pilot.env.COMPLIANCE_POLICY=fips-140-3",))
    assert env(pod, "COMPLIANCE_POLICY") == "fips-140-3"
    assert env(pod, "GODEBUG") == "fips140=only"


def test_resource_annotations_replace_the_values_defaults() -> None:
    pod = inject(
        {"sidecar.istio.io/proxyCPU": "250m", "sidecar.istio.io/proxyMemoryLimit": "1024Mi"}
    )
    assert container(pod, "istio-proxy")["resources"] == {
        "requests": {"cpu": "250m"},
        "limits": {"memory": "1Gi"},
    }


def test_proxy_config_annotation_reaches_proxy_config_and_metadata_env() -> None:
    pod = inject(
        {"proxy.istio.io/config": "proxyMetadata: {DNS_CAPTURE: 'true'}\ndrainDuration: 23s\n"}
    )
    assert json.loads(env(pod, "PROXY_CONFIG") or "") == {
        "drainDuration": "23s",
        "proxyMetadata": {"DNS_CAPTURE": "true"},
    }
    assert env(pod, "DNS_CAPTURE") == "true"


def test_probes_are_rewritten_and_originals_handed_to_the_agent() -> None:
    doc = POD.replace(
        "    - {name: http, containerPort: 8080}\n",
        "    - {name: http, containerPort: 8080}\n"
        "    readinessProbe: {httpGet: {path: /ready, port: http}, timeoutSeconds: 2}\n"
        "    livenessProbe: {tcpSocket: {port: 8080}}\n",
    )
    pod = inject(doc=doc)
    app = container(pod, "app")
    assert app["readinessProbe"] == {
        "httpGet": {"path": "/app-health/app/readyz", "port": 15020},
        "timeoutSeconds": 2,
    }
    assert app["livenessProbe"] == {"httpGet": {"path": "/app-health/app/livez", "port": 15020}}
    assert json.loads(env(pod, "ISTIO_KUBE_APP_PROBERS") or "") == {
        "/app-health/app/readyz": {
            "httpGet": {"path": "/ready", "port": 8080},
            "timeoutSeconds": 2,
        },
        "/app-health/app/livez": {"tcpSocket": {"port": 8080}},
    }


def test_prometheus_annotations_move_into_the_agent() -> None:
    pod = inject({"prometheus.io/scrape": "true", "prometheus.io/port": "9000"})
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == "15020"
    assert annotations["prometheus.io/path"] == "/stats/prometheus"
    assert json.loads(env(pod, "ISTIO_PROMETHEUS_ANNOTATIONS") or "") == {
        "scrape": "true",
        "path": "",
        "port": "9000",
    }


def test_mount_mtls_certs() -> None:
    pod = inject(sets=("global.mountMtlsCerts=true",))
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert volumes["istio-certs"]["secret"]["secretName"] == "istio.default"


def test_user_volumes_from_annotations() -> None:
    pod = inject(
        {
            "sidecar.istio.io/userVolume": '{"data": {"emptyDir": {}}}',
            "sidecar.istio.io/userVolumeMount": '{"data": {"mountPath": "/data"}}',
        }
    )
    assert {"name": "data", "emptyDir": {}} in pod["spec"]["volumes"]
    assert {"name": "data", "mountPath": "/data"} in container(pod, "istio-proxy")["volumeMounts"]


def test_hold_application_until_proxy_starts_with_legacy_sidecars() -> None:
    pod = inject(
        sets=(
            "pilot.env.ENABLE_NATIVE_SIDECARS=false",
            "global.proxy.holdApplicationUntilProxyStarts=true",
        )
    )
    assert pod["spec"]["containers"][0]["name"] == "istio-proxy"
    assert container(pod, "istio-proxy")["lifecycle"]["postStart"]["exec"]["command"] == [
        "pilot-agent",
        "wait",
    ]


def test_openshift_uses_the_namespace_uid_range() -> None:
    # Webhook mode only: kube-inject (manual mode) never sees the namespace (P56).
    namespace = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
  annotations:
    openshift.io/sa.scc.uid-range: 1000700000/10000
    openshift.io/sa.scc.supplemental-groups: 1000700000/10000
---
"""
    text = namespace + POD
    request = build_request(
        RunOptions(
            set_args=("pilot.env.PLATFORM=openshift", "pilot.cni.enabled=true"), mode="webhook"
        )
    )
    result = inject_text(text, request)
    pod = load_document(result.text.split("---\n", 1)[1]).data
    assert container(pod, "istio-proxy")["securityContext"]["runAsUser"] == 1000709999
    assert arg_after(container(pod, "istio-validation")["args"], "-u") == "1000709999"


def test_custom_go_template_from_values_is_applied(tmp_path: Any) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "sidecarInjectorWebhook:\n"
        "  templates:\n"
        "    extra: |\n"
        "      metadata:\n"
        "        annotations:\n"
        "          owner: {{ .DeploymentMeta.Name | quote }}\n"
    )
    pod = inject({"inject.istio.io/templates": "sidecar,extra"}, values_files=(str(values),))
    assert pod["metadata"]["annotations"]["owner"] == "app"


def test_unknown_template_is_an_error() -> None:
    request = build_request(RunOptions())
    result = inject_text(
        POD.replace("annotations: {}", 'annotations: {"inject.istio.io/templates": "nope"}'),
        request,
    )
    assert [e.message for e in result.errors] == [
        'requested template "nope" not found; have gateway, grpc-agent, grpc-simple, sidecar'
    ]
