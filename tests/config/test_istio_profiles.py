"""Istio profiles, compatibility versions and platforms, applied as Istio's chart applies
them: over the defaults, under the user's own values (issue 13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meshinject.config import build_config
from meshinject.config.profiles import COMPATIBILITY, PLATFORMS
from meshinject.errors import ConfigError
from meshinject.options import RunOptions


def effective(*set_args: str, iop: str | None = None, tmp: Path | None = None) -> Any:
    iop_files = []
    if iop is not None:
        assert tmp is not None
        path = tmp / "iop.yaml"
        path.write_text(iop)
        iop_files.append(str(path))
    return build_config(RunOptions(set_args=list(set_args), iop_files=iop_files))


def proxy_requests(config: Any) -> dict[str, Any]:
    return config.values_dict()["global"]["proxy"]["resources"]["requests"]


def proxy_metadata(config: Any) -> dict[str, str]:
    return config.mesh_dict().get("defaultConfig", {}).get("proxyMetadata") or {}


def cni(config: Any) -> dict[str, Any]:
    return config.values_dict().get("pilot", {}).get("cni") or {}


BASELINE = effective()


@pytest.mark.parametrize("profile", ["default", "empty", "minimal", "stable"])
def test_profiles_without_injection_effects_change_nothing(profile: str) -> None:
    config = effective(f"profile={profile}")
    assert proxy_requests(config) == proxy_requests(BASELINE)
    assert cni(config) == cni(BASELINE)
    assert proxy_metadata(config) == proxy_metadata(BASELINE)


def test_demo_profile_requests_10m_40Mi_and_logs_access() -> None:
    config = effective("profile=demo")
    assert proxy_requests(config) == {"cpu": "10m", "memory": "40Mi"}
    assert config.mesh_dict()["accessLogFile"] == "/dev/stdout"


def test_user_values_win_over_the_profile() -> None:
    config = effective("profile=demo", "global.proxy.resources.requests.cpu=50m")
    assert proxy_requests(config) == {"cpu": "50m", "memory": "40Mi"}


def test_ambient_profile_uses_hbone_distroless_and_cni() -> None:
    config = effective("profile=ambient")
    assert proxy_metadata(config)["ISTIO_META_ENABLE_HBONE"] == "true"
    assert config.values_dict()["global"]["variant"] == "distroless"
    assert cni(config)["enabled"] is True


@pytest.mark.parametrize("profile", ["openshift", "platform-openshift"])
def test_openshift_turns_cni_on_with_multus(profile: str) -> None:
    config = effective(f"profile={profile}")
    assert cni(config) == {**cni(BASELINE), "enabled": True, "provider": "multus"}


def test_openshift_profile_from_an_istio_operator(tmp_path: Path) -> None:
    iop = (
        "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: openshift\n"
    )
    config = effective(iop=iop, tmp=tmp_path)
    assert cni(config)["enabled"] is True
    assert config.platform == "openshift"


def test_preview_profile_captures_dns() -> None:
    assert proxy_metadata(effective("profile=preview"))["ISTIO_META_DNS_CAPTURE"] == "true"


def test_remote_profile_omits_the_injector_configmap() -> None:
    config = effective("profile=remote")
    assert config.values_dict()["global"]["omitSidecarInjectorConfigMap"] is True


@pytest.mark.parametrize("platform", sorted(set(PLATFORMS) - {"openshift"}))
def test_platform_profiles_have_no_injection_effect(platform: str) -> None:
    config = effective(f"profile=platform-{platform}")
    assert cni(config) == cni(BASELINE)


def test_compatibility_version_1_26_turns_native_sidecars_off() -> None:
    config = effective("compatibilityVersion=1.26")
    assert config.native_sidecars_setting == "false"
    assert effective("compatibilityVersion=1.27").native_sidecars_setting == "auto"


def test_compatibility_version_follows_the_release_of_the_tag() -> None:
    assert set(COMPATIBILITY["1.27"]) == {"1.24", "1.25", "1.26"}
    config = effective("global.tag=1.27.3", "compatibilityVersion=1.24")
    assert config.native_sidecars_setting == "false"
    with pytest.raises(ConfigError, match=r"unknown compatibility version '1\.24' for Istio 1\.31"):
        effective("compatibilityVersion=1.24")


def test_compatibility_version_from_an_istio_operator(tmp_path: Path) -> None:
    iop = "kind: IstioOperator\nspec:\n  compatibilityVersion: '1.25'\n"
    assert effective(iop=iop, tmp=tmp_path).native_sidecars_setting == "false"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("profile=bogus", "unknown profile 'bogus'"),
        ("compatibilityVersion=1.10", "unknown compatibility version '1.10'"),
        ("global.platform=mars", "unknown platform 'mars'"),
    ],
)
def test_an_unknown_profile_version_or_platform_is_an_error_naming_it(
    setting: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        effective(setting)


def test_U31_an_iop_file_that_is_not_an_istio_operator_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("global:\n  hub: example.io\n")
    with pytest.raises(ConfigError, match="not an IstioOperator"):
        build_config(RunOptions(iop_files=[str(path)]))
