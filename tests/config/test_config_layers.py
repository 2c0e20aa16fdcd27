"""Layering of defaults, values files, IstioOperator files and inject-config files."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from meshinject.config import ISTIO_VERSION, build_config
from meshinject.config.merge import deep_merge
from meshinject.inject.settings import settings_from_config
from meshinject.options import RunOptions
from tests.config.config_helpers import fixture


def test_deep_merge_merges_maps_replaces_lists_and_null_deletes() -> None:
    base: dict[str, Any] = {"a": {"b": 1, "c": [1, 2], "d": {"e": 1}}, "keep": True}
    overlay: dict[str, Any] = {"a": {"b": 2, "c": [3], "d": None, "new": "x"}, "gone": None}
    assert deep_merge(base, overlay) == {"a": {"b": 2, "c": [3], "new": "x"}, "keep": True}
    assert base["a"]["d"] == {"e": 1}  # inputs are not modified


def test_builtin_defaults_are_the_current_istio_release() -> None:
    config = build_config(RunOptions())
    values = config.values_dict()
    assert config.istio_version == ISTIO_VERSION
    assert values["global"]["hub"] == "docker.io/istio"
    assert values["global"]["tag"] == ISTIO_VERSION
    assert values["global"]["proxy"]["resources"]["limits"] == {"cpu": "2000m", "memory": "1024Mi"}
    assert config.native_sidecars_setting == "auto"
    assert config.platform == ""
    assert config.compliance_policy == ""
    assert config.revision == ""


def test_values_file_deep_merges_and_null_deletes() -> None:
    config = build_config(RunOptions(values_files=[fixture("team-values.yaml")]))
    values = config.values_dict()
    proxy = values["global"]["proxy"]
    assert values["global"]["hub"] == "registry.example.com/mesh"
    assert values["global"]["tag"] == ISTIO_VERSION
    assert values["global"]["imagePullSecrets"] == ["regcred"]
    assert proxy["logLevel"] == "info"
    assert proxy["resources"] == {
        "requests": {"cpu": "50m", "memory": "128Mi"},
        "limits": {"memory": "1024Mi"},
    }
    assert "cpu" not in proxy["resources"]["limits"]
    assert config.values.global_ is not None
    assert config.values.global_.proxy is not None
    assert config.values.global_.proxy.statusPort == 15020


def test_P8_pilot_env_values_keep_their_type_and_are_read_as_strings() -> None:
    config = build_config(RunOptions(values_files=[fixture("team-values.yaml")]))
    env = config.values_dict()["pilot"]["env"]
    assert env == {"ENABLE_NATIVE_SIDECARS": False, "PILOT_ENABLE_X": 1}
    assert settings_from_config(config).pilot_env == {
        "ENABLE_NATIVE_SIDECARS": "false",
        "PILOT_ENABLE_X": "1",
    }
    assert config.native_sidecars_setting == "false"


def test_json_values_and_helm_style_strings_are_accepted() -> None:
    config = build_config(RunOptions(values_files=[fixture("values.json")]))
    proxy = config.values_dict()["global"]["proxy"]
    assert proxy["privileged"] is True
    assert proxy["statusPort"] == 15020


def test_values_dict_is_a_copy() -> None:
    config = build_config(RunOptions())
    config.values_dict()["global"]["hub"] = "changed"
    assert config.values_dict()["global"]["hub"] == "docker.io/istio"


def test_istio_operator_values_mesh_and_translations() -> None:
    config = build_config(RunOptions(iop_files=[fixture("operator.yaml")]))
    values = config.values_dict()
    assert values["global"]["hub"] == "mirror.example.com/istio"
    assert values["global"]["tag"] == "1.31.0-distroless"
    assert values["pilot"]["cni"] == {"enabled": True, "provider": "multus"}
    assert values["global"]["proxy"]["statusPort"] == 15021
    assert "excludeIPRanges" not in values["global"]["proxy"]
    mesh = config.mesh_dict()
    assert mesh["enablePrometheusMerge"] is False
    assert config.default_proxy_config()["holdApplicationUntilProxyStarts"] is True
    assert config.default_proxy_config()["discoveryAddress"] == "istiod.istio-system.svc:15012"


def test_values_templates_are_go_templates_with_their_origin() -> None:
    config = build_config(RunOptions(values_files=[fixture("team-values.yaml")]))
    template = config.injector.templates["labels-only"]
    assert template.syntax == "go"
    assert "team: {{ .ObjectMeta.Namespace }}" in template.text
    assert template.origin.endswith("team-values.yaml:19:5")
    assert config.injector.builtin_templates == ["sidecar", "gateway", "grpc-simple", "grpc-agent"]


def test_injector_defaults_follow_values() -> None:
    config = build_config(RunOptions(set_args=["global.proxy.autoInject=disabled"]))
    injector = config.injector
    assert injector.policy == "disabled"
    assert injector.default_templates == ["sidecar"]
    assert injector.always_inject_selector == []
    assert injector.never_inject_selector == []
    assert injector.injected_annotations == {}
    assert injector.aliases == {}
    assert injector.templates == {}


def test_full_inject_config_overrides_values() -> None:
    config = build_config(RunOptions(inject_config_files=[fixture("injector-config.yaml")]))
    injector = config.injector
    assert injector.policy == "disabled"
    assert injector.always_inject_selector == [{"matchLabels": {"mesh": "always"}}]
    assert injector.never_inject_selector[0]["matchExpressions"][0]["key"] == "mesh"
    assert injector.injected_annotations == {"example.com/injected": "yes"}
    assert injector.default_templates == ["sidecar", "audit"]
    assert injector.aliases == {"audited": ["sidecar", "audit"]}
    # The chart's version-mismatch sentinel in `template` is not a template.
    assert set(injector.templates) == {"audit"}
    assert "sidecar" in injector.builtin_templates


def test_bare_inject_config_becomes_the_sidecar_template() -> None:
    config = build_config(RunOptions(inject_config_files=[fixture("bare-template.yaml")]))
    sidecar = config.injector.templates["sidecar"]
    assert sidecar.syntax == "go"
    assert "{{- range .Spec.Containers }}" in sidecar.text
    assert sidecar.origin.endswith("bare-template.yaml")
    assert config.injector.builtin_templates == ["gateway", "grpc-simple", "grpc-agent"]


def test_mesh_config_may_be_the_istio_configmap() -> None:
    config = build_config(RunOptions(mesh_config_files=[fixture("istio-configmap.yaml")]))
    assert config.mesh_dict()["trustDomain"] == "corp.example"
    assert config.default_proxy_config()["discoveryAddress"] == "istiod.corp:15012"


def test_revision_platform_and_compliance_policy() -> None:
    sources = RunOptions(
        set_args=["pilot.env.PLATFORM=openshift,pilot.env.COMPLIANCE_POLICY=fips-140-3"],
        revision="canary",
    )
    config = build_config(sources)
    assert config.platform == "openshift"
    assert config.compliance_policy == "fips-140-3"
    assert config.revision == "canary"


def test_config_is_frozen() -> None:
    config = build_config(RunOptions())
    with pytest.raises(ValidationError):
        config.revision = "x"


def test_whole_helm_values_file_is_accepted_and_its_mesh_config_applies() -> None:
    config = build_config(RunOptions(values_files=[fixture("helm-values.yaml")]))
    values = config.values_dict()
    assert values["revisionTags"] == ["stable"]
    assert values["gateways"]["istio-ingressgateway"] == {"type": "LoadBalancer"}
    assert values["_internal_defaults_do_not_set"] == {"autoscaleEnabled": True}
    assert values["global"]["proxy"]["holdApplicationUntilProxyStarts"] is True
    assert config.mesh_dict()["accessLogFile"] == "/dev/stdout"
    assert config.default_proxy_config()["proxyMetadata"] == {"FROM_VALUES": "1"}


def test_importing_the_package_does_not_load_pydantic() -> None:
    code = "import sys, meshinject.config; sys.exit('pydantic' in sys.modules)"
    root = str(Path(__file__).resolve().parents[2])
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
