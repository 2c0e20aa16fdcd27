"""proxyMetadata (and runtimeValues) are `map<string, string>` in Istio's ProxyConfig:
Istio's proto-JSON decoding rejects a value that is not a string, so meshinject does too,
wherever a ProxyConfig can be written, with the place and a hint to quote it (U31)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshinject.api import build_request, inject_bytes
from meshinject.config import build_config
from meshinject.errors import ConfigError
from meshinject.options import RunOptions

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
{annotations}spec:
  containers:
  - name: app
    image: app:1
"""


@pytest.mark.parametrize(
    ("text", "shown"),
    [("true", "true"), ("1", "1"), ("1.5", "1.5"), ("[a]", "a list"), ("{a: b}", "a mapping")],
)
def test_U31_a_non_string_proxy_metadata_value_in_mesh_config_is_a_located_error(
    tmp_path: Path, text: str, shown: str
) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(f"defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: {text}\n")
    with pytest.raises(ConfigError) as info:
        build_config(RunOptions(mesh_config_files=[str(mesh)]))
    rendered = info.value.render()
    assert rendered.startswith(f"{mesh}:3:5: defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE")
    assert f"expected a string, got {shown}" in rendered
    assert "map<string, string>" in rendered


def test_U31_the_hint_says_how_to_quote_it(tmp_path: Path) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: true\n")
    with pytest.raises(ConfigError, match=r'quote it: "true"'):
        build_config(RunOptions(mesh_config_files=[str(mesh)]))


def test_U31_runtime_values_are_checked_the_same_way(tmp_path: Path) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("defaultConfig:\n  runtimeValues:\n    overload.max: 10\n")
    with pytest.raises(ConfigError, match=r"runtimeValues\.overload\.max: expected a string"):
        build_config(RunOptions(mesh_config_files=[str(mesh)]))


def test_U31_the_mesh_config_inside_values_and_an_istio_operator_is_checked(
    tmp_path: Path,
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("meshConfig:\n  defaultConfig:\n    proxyMetadata:\n      X: false\n")
    with pytest.raises(ConfigError, match=f"{values}:4:7: .*X: expected a string, got false"):
        build_config(RunOptions(values_files=[str(values)]))
    iop = tmp_path / "iop.yaml"
    iop.write_text(
        "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n"
        "  meshConfig:\n    defaultConfig:\n      proxyMetadata:\n        X: 7\n"
    )
    with pytest.raises(ConfigError, match="X: expected a string, got 7"):
        build_config(RunOptions(iop_files=[str(iop)]))


def test_U31_a_non_string_in_the_proxy_config_annotation_fails_that_workload() -> None:
    annotations = '  annotations:\n    proxy.istio.io/config: "proxyMetadata: {FOO: true}"\n'
    data = POD.format(annotations=annotations).encode()
    result = inject_bytes(data, "pod.yaml", build_request(RunOptions()))
    assert result.errors
    message = result.errors[0].render()
    assert message.startswith("pod.yaml:6:5: ")
    assert "proxyMetadata.FOO: expected a string, got true" in message


def test_U31_strings_are_accepted_and_set_flags_are_text_as_istio_documents_them(
    tmp_path: Path,
) -> None:
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text('defaultConfig:\n  proxyMetadata:\n    A: "true"\n    B: ""\n')
    config = build_config(
        RunOptions(
            mesh_config_files=[str(mesh)],
            set_args=["meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true"],
        )
    )
    metadata = config.default_proxy_config()["proxyMetadata"]
    assert metadata == {"A": "true", "B": "", "ISTIO_META_DNS_CAPTURE": "true"}
