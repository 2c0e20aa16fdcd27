"""The project configuration file: `.meshinject.yaml` or `[tool.meshinject]` in
pyproject.toml, found from the working directory upward, holds every setting the flags
have; flags win; per-path overrides; unknown keys are located errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from meshinject.options import settings
from meshinject.settings_file import find_project_config, load_project_config

Cli = Callable[..., Result]

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: web:1
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (its root holds .git) with a manifest in k8s/shop/, as the cwd."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s" / "shop").mkdir(parents=True)
    (tmp_path / "k8s" / "shop" / "web.yaml").write_text(POD)
    (tmp_path / "k8s" / "web.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def namespaces(result: Result) -> dict[str, str]:
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["workloads"]
    return {row["file"]: row["namespace"] for row in rows}


def test_settings_come_from_the_nearest_file_up_from_the_working_directory(
    project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".meshinject.yaml").write_text("namespace: shop\n")
    monkeypatch.chdir(project / "k8s")
    found = namespaces(cli("explain", "--output", "json", "web.yaml"))
    assert found == {"web.yaml": "shop"}


def test_flags_given_on_the_command_line_win(project: Path, cli: Cli) -> None:
    (project / ".meshinject.yaml").write_text("namespace: shop\n")
    found = namespaces(cli("explain", "--output", "json", "-n", "flag", "k8s/web.yaml"))
    assert found == {"k8s/web.yaml": "flag"}


def test_overrides_set_namespace_per_path(project: Path, cli: Cli) -> None:
    (project / ".meshinject.yaml").write_text(
        "namespace: base\noverrides:\n  - paths: [k8s/shop/**]\n    namespace: shop\n"
    )
    found = namespaces(cli("explain", "--output", "json", "k8s"))
    assert found == {"k8s/shop/web.yaml": "shop", "k8s/web.yaml": "base"}


def test_per_path_flags_and_overrides_are_one_mechanism(project: Path, cli: Cli) -> None:
    # `-n PATH=NS` is a per-path override like the file's: the file's apply first, then
    # the flags' (the most specific last), so a flag wins for the files under its path.
    (project / ".meshinject.yaml").write_text(
        "namespace: base\noverrides:\n  - paths: [k8s/**]\n    namespace: file\n"
    )
    args = ("-n", "k8s=flag-k8s", "-n", "k8s/shop=flag-shop")
    found = namespaces(cli("explain", "--output", "json", *args, "k8s"))
    assert found == {"k8s/shop/web.yaml": "flag-shop", "k8s/web.yaml": "flag-k8s"}
    found = namespaces(cli("explain", "--output", "json", "-n", "k8s/shop=flag", "k8s"))
    assert found == {"k8s/shop/web.yaml": "flag", "k8s/web.yaml": "file"}


def test_pyproject_tool_table_is_read(project: Path, cli: Cli) -> None:
    (project / "pyproject.toml").write_text('[tool.meshinject]\nnamespace = "shop"\n')
    found = namespaces(cli("explain", "--output", "json", "k8s/web.yaml"))
    assert found == {"k8s/web.yaml": "shop"}


def test_unknown_key_is_a_located_error_and_nothing_runs(project: Path, cli: Cli) -> None:
    (project / ".meshinject.yaml").write_text("namespace: shop\nrevison: canary\n")
    result = cli("-i", "k8s/web.yaml")
    assert result.exit_code == 123
    assert f"{project / '.meshinject.yaml'}:2:1: revison: unknown setting" in result.stderr
    assert (project / "k8s" / "web.yaml").read_text() == POD


def test_unknown_pyproject_key_is_located_too(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.meshinject]\nnamespace = "shop"\nvalue = "x.yaml"\n'
    )
    with pytest.raises(Exception, match=r"pyproject.toml:6:1: value: unknown setting"):
        load_project_config(project / "pyproject.toml")


def test_search_stops_at_the_repository_root(project: Path) -> None:
    (project.parent / ".meshinject.yaml").write_text("namespace: outside\n")
    try:
        assert find_project_config(project / "k8s") is None
    finally:
        (project.parent / ".meshinject.yaml").unlink()


def test_every_flag_setting_has_a_configuration_key(project: Path) -> None:
    """Each setting is declared once: the file takes every key the flags have."""
    keys = [setting.key for _, setting in settings()]
    assert len(keys) == len(set(keys)) == 13
    text = "".join(f"{key}: null\n" for key in keys)
    (project / ".meshinject.yaml").write_text(text)
    assert load_project_config(project / ".meshinject.yaml").values == {}


def test_relative_file_names_are_relative_to_the_configuration_file(
    project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "istio").mkdir()
    (project / "istio" / "values.yaml").write_text("global:\n  tag: 9.9.9\n")
    (project / ".meshinject.yaml").write_text("values: istio/values.yaml\n")
    monkeypatch.chdir(project / "k8s")
    result = cli("web.yaml")
    assert result.exit_code == 0, result.stderr
    assert "proxyv2:9.9.9" in result.stdout


def test_the_kustomize_plugin_reads_it_and_its_spec_wins(project: Path) -> None:
    from meshinject.kustomize.transformer_config import parse_config

    (project / ".meshinject.yaml").write_text("namespace: shop\nrevision: stable\n")
    spec = {"apiVersion": "meshinject.dev/v1", "kind": "SidecarInjector"}
    options = parse_config({**spec, "spec": {"revision": "canary"}}, source="t", base_dir=project)
    assert (options.namespace, options.revision) == ("shop", "canary")
