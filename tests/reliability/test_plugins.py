"""The kustomize plugin and KRM function pass items through untouched (R24, R25)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .helpers import run

RESOURCE_LIST = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cfg}  # a comment kpt must not lose
  data: {release-date: "2024-01-01", feature-flag: "y", build: "8675e30", note: 'single'}
- apiVersion: v1
  kind: Pod
  metadata:
    name: web
    labels: {app: web}
  spec:
    containers:
    - {name: web, image: web}
functionConfig:
  apiVersion: meshinject.dev/v1
  kind: SidecarInjector
  metadata: {name: sidecars}
"""
CONFIGMAP_ITEM = RESOURCE_LIST[RESOURCE_LIST.index("- apiVersion: v1\n  kind: ConfigMap") :]
CONFIGMAP_ITEM = CONFIGMAP_ITEM[: CONFIGMAP_ITEM.index("- apiVersion: v1\n  kind: Pod")]


def test_R24_the_krm_function_returns_other_items_byte_for_byte() -> None:
    result = run("kustomize-plugin", "run", input=RESOURCE_LIST)
    assert result.exit_code == 0, result.stderr
    assert CONFIGMAP_ITEM in result.stdout
    out = yaml.safe_load(result.stdout)
    assert out["items"][0]["data"] == {
        "release-date": "2024-01-01", "feature-flag": "y", "build": "8675e30", "note": "single",
    }  # fmt: skip
    assert "istio-proxy" in result.stdout
    assert out["results"]


def test_R25_invalid_utf8_on_the_plugins_stdin_is_a_located_error(tmp_path: Path) -> None:
    config = tmp_path / "sidecars.yaml"
    config.write_text(
        "{apiVersion: meshinject.dev/v1, kind: SidecarInjector, metadata: {name: sidecars}}\n"
    )
    latin1 = b'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  greeting: "caf\xe9"\n'
    for args in (("kustomize-plugin", "run", str(config)), ("kustomize-plugin", "run")):
        result = run(*args, input=latin1)
        assert result.exit_code != 0
        assert "<stdin>:5:17: not valid UTF-8 (byte 0xe9)" in result.stderr
        assert "\ufffd".encode() not in result.stdout_bytes
