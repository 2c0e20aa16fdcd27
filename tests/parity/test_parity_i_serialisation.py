"""parity-gaps.md I: byte-level serialisation (P58-P64)."""

from __future__ import annotations

import pytest

from meshinject.api import RunOptions, build_request, inject_text
from meshinject.gostring import go_string
from meshinject.yamltext import load_document
from tests.parity.helpers import container, env, env_names, inject, pod_annotations, pod_doc


def test_P58_proxy_config_ends_in_a_newline() -> None:
    assert env(inject(pod_doc()), "PROXY_CONFIG") == "{}\n"


def test_P61_overrides_in_go_field_order() -> None:
    doc = pod_doc(
        extra_containers=[
            {
                "name": "istio-proxy",
                "image": "auto",
                "securityContext": {"runAsUser": 1500},
                "env": [{"name": "A", "value": "b"}],
            }
        ]
    )
    assert pod_annotations(inject(doc))["proxy.istio.io/overrides"] == (
        '{"initContainers":[{"name":"istio-proxy","env":[{"name":"A","value":"b"}],'
        '"resources":{},"securityContext":{"runAsUser":1500}}]}'
    )


def test_P62_cluster_and_network_env_go_last_sorted() -> None:
    out = inject(
        pod_doc(),
        "global.multiCluster.clusterName=c1",
        "global.network=n1",
        "meshConfig.defaultConfig.proxyMetadata.FOO=bar",
    )
    assert env_names(out)[-5:] == [
        "ISTIO_META_MESH_ID",
        "TRUST_DOMAIN",
        "FOO",
        "ISTIO_META_CLUSTER_ID",
        "ISTIO_META_NETWORK",
    ]
    assert env(out, "ISTIO_META_CLUSTER_ID") == "c1"


def test_P63_native_nftables_comes_after_force_apply() -> None:
    out = inject(
        pod_doc(), "global.nativeNftables=true", "global.proxy_init.forceApplyIptables=true"
    )
    assert container(out, "istio-init")["args"][-3:] == [
        "--log_output_level=default:info",
        "--force-apply",
        "--native-nftables",
    ]


def test_P59_pod_ports_in_go_field_order() -> None:
    ports = [{"protocol": "UDP", "containerPort": 53, "name": "dns"}, {"containerPort": 9090}]
    value = env(inject(pod_doc(container={"ports": ports})), "ISTIO_META_POD_PORTS")
    assert value == (
        '[\n    {"name":"dns","containerPort":53,"protocol":"UDP"}\n    ,{"containerPort":9090}\n]'
    )
    assert '{"name":"http","containerPort":8080}' in env(inject(pod_doc()), "ISTIO_META_POD_PORTS")


DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
    "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
    "    metadata:\n      labels: {app: web}\n"
    "    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n"
)


@pytest.mark.parametrize(
    "kind", ["Deployment", "Pod", "Job", "CronJob", "DaemonSet", "StatefulSet"]
)
def test_P60_istio_style_writes_the_status_go_writes(kind: str) -> None:
    text = _workload(kind)
    out = inject(text, output_style="istio")
    expected = {
        "DaemonSet": {
            "currentNumberScheduled": 0,
            "desiredNumberScheduled": 0,
            "numberMisscheduled": 0,
            "numberReady": 0,
        },
        "StatefulSet": {"availableReplicas": 0, "replicas": 0},
    }.get(kind, {})
    assert out["status"] == expected
    assert "status" not in inject(text)  # minimal style


def test_P60_uninject_takes_the_added_status_out_again() -> None:
    request = build_request(RunOptions(output_style="istio"))
    injected = inject_text(DEPLOYMENT, request).text
    assert "\nstatus: {}\n" in injected
    assert inject_text(injected, request, operation="uninject").text == DEPLOYMENT


def _workload(kind: str) -> str:
    if kind == "Pod":
        return (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
            "spec:\n  containers:\n  - name: web\n    image: nginx:1.25\n"
        )
    if kind == "CronJob":
        return (
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: web, namespace: shop}\n"
            "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
            "        spec:\n          containers:\n          - name: web\n"
            "            image: nginx:1.25\n"
        )
    api = "batch/v1" if kind == "Job" else "apps/v1"
    return DEPLOYMENT.replace("apps/v1", api).replace("kind: Deployment", f"kind: {kind}")


def _run_text(text: str) -> tuple[str, list[str]]:
    result = inject_text(text, build_request(RunOptions(output_style="minimal")))
    assert not result.errors, [e.render() for e in result.errors]
    return result.text, [w for report in result.workloads for w in report.warnings]


@pytest.mark.parametrize(("spelling", "go"), [("on", "true"), ("off", "false"), ("yes", "true")])
def test_P64_yaml_1_1_booleans_in_string_fields_take_gos_spelling(spelling: str, go: str) -> None:
    text, warnings = _run_text(DEPLOYMENT.replace("namespace: shop", f"namespace: {spelling}"))
    owner = f"kubernetes://apis/apps/v1/namespaces/{go}/deployments/web"
    assert env(load_document(text).data, "ISTIO_META_OWNER") == owner
    assert any("metadata.namespace is a boolean, not a string" in w for w in warnings)
    assert any(f'injected as "{go}"' in w for w in warnings)


def test_P64_numbers_in_string_fields_take_gos_spelling() -> None:
    text, warnings = _run_text(
        DEPLOYMENT.replace("name: web\n  namespace", "name: 1.10\n  namespace")
    )
    owner = "kubernetes://apis/apps/v1/namespaces/shop/deployments/1.1"
    assert env(load_document(text).data, "ISTIO_META_OWNER") == owner
    assert any("metadata.name is a number, not a string" in w for w in warnings)


def test_P64_an_unquoted_boolean_annotation_is_read_as_go_spells_it() -> None:
    skipped = DEPLOYMENT.replace(
        "labels: {app: web}\n",
        "labels: {app: web}\n      annotations: {sidecar.istio.io/inject: false}\n",
    )
    text, _ = _run_text(skipped)
    assert text == skipped  # "false": not injected (Python's "False" was ignored)


def test_P64_go_spelling_of_scalars() -> None:
    assert [go_string(v) for v in (True, False, 31, 1.10, 1.0, 1e-06, 1234567.0, 3.14159265)] == [
        "true",
        "false",
        "31",
        "1.1",
        "1",
        "1e-06",
        "1.234567e+06",
        "3.1415927",
    ]
