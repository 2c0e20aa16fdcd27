"""The injector config and values as a cluster carries them (usability-defects U1, U21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshinject.config import build_config
from meshinject.errors import ConfigError
from meshinject.options import RunOptions

# What istio-discovery's chart renders into `data.config` with default values: sections
# left empty are YAML nulls.
CHART_CONFIG = """\
defaultTemplates: [sidecar]
policy: enabled
alwaysInjectSelector:
  []
neverInjectSelector:
  []
injectedAnnotations:
template: "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}"
templates:
  sidecar: |
    metadata:
      annotations:
        example.com/from: chart
"""


def test_U1_null_sections_of_the_chart_rendered_config_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(CHART_CONFIG)
    config = build_config(RunOptions(inject_config_files=[str(path)]))
    assert config.injector.injected_annotations == {}
    assert config.injector.policy == "enabled"
    assert "sidecar" in config.injector.templates


def test_U1_the_whole_configmap_object_is_accepted(tmp_path: Path) -> None:
    body = "\n".join("    " + line for line in CHART_CONFIG.splitlines())
    path = tmp_path / "cm.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n"
        f'data:\n  values: \'{{"global": {{"hub": "example.io/istio"}}}}\'\n  config: |\n{body}\n'
    )
    config = build_config(RunOptions(inject_config_files=[str(path)], values_files=[str(path)]))
    assert config.injector.templates["sidecar"].text.startswith("metadata:")
    assert config.values_dict()["global"]["hub"] == "example.io/istio"


def test_U21_a_revision_file_naming_another_revision_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rev.yaml"
    path.write_text("revision: 1-18\n")
    with pytest.raises(ConfigError, match=r"1-18.*1-19|1-19.*1-18"):
        build_config(RunOptions(values_files=[str(path)], revision="1-19"))


def _injector_cm(path: Path, marker: str, revision: str) -> str:
    template = f"metadata:\n  annotations:\n    example.com/template: {marker}\n"
    config = "policy: enabled\ninjectedAnnotations:\ntemplates:\n  sidecar: |\n" + "".join(
        f"    {line}\n" for line in template.splitlines()
    )
    body = "".join(f"    {line}\n" for line in config.splitlines())
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n"
        f'data:\n  values: \'{{"revision": "{revision}"}}\'\n  config: |\n{body}'
    )
    return str(path)


def test_U19_each_revision_renders_with_its_own_injector_configmap(tmp_path: Path) -> None:
    from meshinject.api import RunOptions, build_request, inject_bytes

    old = _injector_cm(tmp_path / "old.yaml", "old", "1-19")
    new = _injector_cm(tmp_path / "new.yaml", "new", "1-20")
    request = build_request(RunOptions(revision_values=(f"1-19={old}", f"1-20={new}")))
    pods = "".join(
        f"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{rev}\n  labels:\n"
        f"    istio.io/rev: {rev}\nspec:\n  containers:\n  - name: app\n    image: app\n"
        for rev in ("1-19", "1-20")
    )
    result = inject_bytes(pods.encode(), "pods.yaml", request)
    assert not result.errors, [e.render() for e in result.errors]
    first, second = result.output.split("kind: Pod")[1:]
    assert "example.com/template: old" in first
    assert "example.com/template: new" in second
