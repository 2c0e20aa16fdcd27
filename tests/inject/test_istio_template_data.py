"""Istio's own Go templates see the data Istio's injector gives them (parity-gaps P1-P16).

Each test renders a one-line Go template against the `SidecarTemplateData` meshinject
builds for a small pod, and checks what Istio's typed Go data would print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from meshinject.config import build_config
from meshinject.errors import TemplateError
from meshinject.gotemplate import render_string
from meshinject.inject.gonormal import normalise_pod_overlay
from meshinject.inject.settings import settings_from_config
from meshinject.inject.template_data import Workload, sidecar_template_data
from meshinject.options import RunOptions

BASE_POD: dict[str, Any] = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "web", "image": "web:1.25", "ports": [{"containerPort": 8080, "name": "http"}]}
        ]
    },
}


def render(
    template: str,
    *,
    pod: dict[str, Any] | None = None,
    set_args: tuple[str, ...] = (),
    mesh_files: tuple[str, ...] = (),
    strict: bool = False,
) -> str:
    config = build_config(RunOptions(set_args=list(set_args), mesh_config_files=mesh_files))
    settings = settings_from_config(config)
    data = sidecar_template_data(
        settings=settings,
        pod=pod if pod is not None else BASE_POD,
        workload=Workload(kind="Deployment", api_version="apps/v1", name="web", namespace="shop"),
        proxy_config=settings.proxy_config,
    )
    return render_string(template, "t", data, strict=strict)


def test_P2_index_of_an_absent_map_gives_the_zero_value() -> None:
    pod = {"metadata": {}, "spec": {"containers": [{"name": "web"}]}}
    template = '{{ index .ObjectMeta.Annotations "foo" | default "none" }}'
    assert render(template, pod=pod) == "none"
    assert render('[{{ index .ProxyConfig.ProxyMetadata "X" }}]') == "[]"


def test_P3_a_missing_key_of_an_existing_map_is_empty() -> None:
    assert render('[{{ index .ObjectMeta.Labels "foo" }}]') == "[]"


def test_P4_proxy_init_image_and_inbound_traffic_policy_mode_are_provided() -> None:
    assert render("{{ .ProxyInitImage }}|{{ .InboundTrafficPolicyMode }}").endswith("|passthrough")
    assert "/proxyv2:" in render("{{ .ProxyInitImage }}")
    localhost = render(
        "{{ .InboundTrafficPolicyMode }}",
        set_args=("meshConfig.inboundTrafficPolicy.mode=LOCALHOST",),
    )
    assert localhost == "localhost"


def test_P5_proxy_and_mesh_config_are_typed_protos() -> None:
    template = (
        "{{ .ProxyConfig.InterceptionMode }}"
        '|{{ annotation .ObjectMeta "sidecar.istio.io/interceptionMode"'
        " .ProxyConfig.InterceptionMode }}"
        "|{{ .ProxyConfig.ProxyMetadata }}|{{ .MeshConfig.GetTrustDomain }}"
        "|{{ .ProxyConfig.InterceptionMode.String }}|{{ .ProxyConfig.GetTracing.GetTlsSettings }}"
    )
    assert render(template) == "REDIRECT|REDIRECT|map[]|cluster.local|REDIRECT|<nil>"


def test_P6_unset_pod_fields_read_as_go_zero_values() -> None:
    template = (
        '{{ .Spec.ServiceAccountName }}|{{ eq .Spec.ServiceAccountName "" }}'
        "|{{ .Spec.HostNetwork }}|{{ .Spec.InitContainers }}|{{ .ObjectMeta.GenerateName }}"
        "|{{ .Spec.NodeName }}|{{ (index (index .Spec.Containers 0).Ports 0).Protocol }}"
    )
    assert render(template) == "|true|false|[]|||"


def test_P6_a_field_go_has_but_meshinject_does_not_model_is_a_located_error() -> None:
    pod = {"metadata": {}, "spec": {"containers": [{"name": "web"}], "affinity": {"x": 1}}}
    with pytest.raises(
        TemplateError, match=r"line 1, column \d+: .*PodSpec.Affinity is not modelled"
    ):
        render("{{ if .Spec.Affinity }}x{{ end }}", pod=pod)
    with pytest.raises(TemplateError, match=r"can't evaluate field Bogus in type v1\.PodSpec"):
        render("{{ .Spec.Bogus }}")


OTEL_MESH = """\
extensionProviders:
- name: otel
  opentelemetry:
    service: otel-collector.observability.svc.cluster.local
    port: 4317
    serviceAttributeEnrichment: OTEL_SEMANTIC_CONVENTIONS
"""
OTEL = (
    "{{ otelResourceAttributes .MeshConfig .ObjectMeta.Annotations .ObjectMeta.Labels"
    " .DeploymentMeta.Namespace .Spec.Containers }}"
)


def test_P7_otel_resource_attributes(tmp_path: Path) -> None:
    assert render(OTEL) == ""
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(OTEL_MESH)
    assert render(OTEL, mesh_files=(str(mesh),)) == (
        "service.namespace=shop,service.version=1.25,service.instance.id=shop.$(POD_NAME).web"
    )


def test_P8_pilot_env_values_keep_their_yaml_type() -> None:
    template = "{{ eq (.Values.pilot.env).ENABLE_CLUSTER_TRUST_BUNDLE_API true }}"
    assert render(template, set_args=("pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true",)) == "true"


def test_P9_proto_to_json_keeps_non_default_proxy_config_fields() -> None:
    out = render(
        "{{ protoToJSON .ProxyConfig }}", set_args=("meshConfig.defaultConfig.concurrency=2",)
    )
    assert json.loads(out) == {"concurrency": 2}


def test_P10_append_multus_network_splits_namespace_and_name() -> None:
    out = render('{{ appendMultusNetwork `[{"name":"x"}]` `default/istio-cni` }}')
    assert out == '[{"name":"x"}, {"name": "istio-cni", "namespace": "default"}]'


def test_P11_struct_to_json_writes_go_field_order() -> None:
    out = render("{{ structToJSON (index (index .Spec.Containers 0).Ports 0) }}")
    assert out == '{"name":"http","containerPort":8080}'


def test_P12_omit_nil_turns_maps_left_empty_into_nil() -> None:
    assert render('{{ toYaml (omitNil (dict "a" (dict "b" nil))) }}') == "null\n"


def test_P13_template_output_is_normalised_through_a_typed_pod() -> None:
    overlay = {
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "resources": {"limits": {"cpu": "2000m", "memory": "1024Mi"}},
                    "readinessProbe": {
                        "httpGet": {"path": "/r", "port": 8080},
                        "initialDelaySeconds": 0,
                    },
                }
            ]
        }
    }
    container = normalise_pod_overlay(overlay)["spec"]["containers"][0]
    assert container["resources"] == {"limits": {"cpu": "2", "memory": "1Gi"}}
    assert "initialDelaySeconds" not in container["readinessProbe"]
    assert "resources: {}" in render("{{ toYaml .Spec.Containers }}")


def test_P14_env_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESHINJECT_TEST_VAR", "from-env")
    assert render('{{ env "MESHINJECT_TEST_VAR" "d" }}') == "from-env"
    monkeypatch.delenv("MESHINJECT_TEST_VAR")
    assert render('{{ env "MESHINJECT_TEST_VAR" "d" }}') == "d"


@pytest.mark.parametrize(
    "template",
    [
        "{{ .Values.global.nope }}",
        "{{ .ProxyConfig.GetTracing }}",
        '{{ printf "%d" "x" }}',
        "{{ .ProxyConfig.ProxyMetadata }}",
    ],
)
def test_U2_a_render_that_would_print_an_unset_marker_fails_instead(template: str) -> None:
    with pytest.raises(TemplateError, match="refusing to write it"):
        render(template, strict=True)


def test_P16_required_is_not_an_istio_template_function(tmp_path: Path) -> None:
    from meshinject.config import build_config
    from meshinject.errors import ConfigError

    path = tmp_path / "inject.yaml"
    path.write_text(
        "templates:\n  sidecar: |\n    x: '{{ required \"need hub\" .Values.global.hub }}'\n"
    )
    with pytest.raises(ConfigError, match='function "required" not defined'):
        build_config(RunOptions(inject_config_files=[str(path)]))


def test_P15_sprig_time_and_random_functions_render() -> None:
    out = render('{{ now | date "2006" }}|{{ uuidv4 | len }}|{{ randAlphaNum 5 | len }}')
    year, uuid_len, rand_len = out.split("|")
    assert year.isdigit()
    assert len(year) == 4
    assert (uuid_len, rand_len) == ("36", "5")
