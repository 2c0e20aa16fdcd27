"""Config errors name the file (or --set), the line:col and the key path."""

from pathlib import Path

import pytest

from meshinject.config import build_config
from meshinject.errors import ConfigError
from meshinject.options import RunOptions
from tests.config.config_helpers import fixture


def _error(**kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        build_config(RunOptions(**kwargs))  # type: ignore[arg-type]
    return info.value


def test_unknown_key_names_file_line_and_suggests() -> None:
    err = _error(values_files=[fixture("unknown-key.yaml")])
    assert err.key_path == "global.proxy.readinesPeriodSeconds"
    assert err.location.path.endswith("unknown-key.yaml")
    assert (err.location.line, err.location.column) == (4, 5)
    assert "unknown key (did you mean 'readinessPeriodSeconds'?)" in err.message


def test_unknown_key_from_set() -> None:
    err = _error(set_args=["sidecarInjectorWebhook.rewriteAppHTTPProb=true"])
    assert err.render() == (
        "--set: sidecarInjectorWebhook.rewriteAppHTTPProb: unknown key "
        "(did you mean 'rewriteAppHTTPProbe'?) in 'sidecarInjectorWebhook.rewriteAppHTTPProb=true'"
    )


def test_bad_quantity() -> None:
    err = _error(values_files=[fixture("bad-quantity.yaml")])
    assert err.render().endswith(
        "bad-quantity.yaml:6:9: global.proxy.resources.limits.cpu: invalid quantity 'lots'"
    )


def test_later_layer_is_blamed() -> None:
    err = _error(
        values_files=[fixture("team-values.yaml")], set_args=["global.proxy.logLevel=loud"]
    )
    assert err.location.path == "--set"
    assert err.key_path == "global.proxy.logLevel"
    assert "invalid value 'loud'" in err.message


def test_non_mapping_file() -> None:
    err = _error(values_files=[fixture("not-a-mapping.yaml")])
    assert err.render().endswith(
        "not-a-mapping.yaml:1:1: expected a mapping of Istio values, got a list"
    )


def test_unreadable_file() -> None:
    err = _error(mesh_config_files=[fixture("does-not-exist.yaml")])
    assert "cannot read file: No such file or directory" in err.message


def test_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("global:\n  hub: a\n  hub: b\n")
    err = _error(values_files=[str(path)])
    assert (err.location.line, err.location.column) == (3, 3)
    assert "duplicate key" in err.message


def test_mesh_error_points_into_the_mesh_file(tmp_path: Path) -> None:
    path = tmp_path / "mesh.yaml"
    path.write_text("defaultConfig:\n  concurrency: many\n")
    err = _error(mesh_config_files=[str(path)])
    assert err.render() == f"{path}:2:3: defaultConfig.concurrency: expected an integer, got 'many'"


def test_invalid_native_sidecar_setting() -> None:
    err = _error(set_args=["pilot.env.ENABLE_NATIVE_SIDECARS=maybe"])
    assert err.key_path == "pilot.env.ENABLE_NATIVE_SIDECARS"
    assert err.location.path == "--set"


def test_iop_unknown_spec_key(tmp_path: Path) -> None:
    path = tmp_path / "iop.yaml"
    path.write_text("kind: IstioOperator\nspec:\n  valuse: {}\n")
    err = _error(iop_files=[str(path)])
    assert err.render() == f"{path}:3:3: spec.valuse: unknown key (did you mean 'values'?)"
