"""Hostile configuration: values, mesh config and --set get the same treatment as manifests
(one located line, exit 123, no stdout), and nothing explodes in time or memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import GOOD
from tests.runner import invoke

BOMB = (
    "\n".join(
        ["l0: &l0 [a, a, a, a, a, a, a, a, a]"]
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    )
    + "\n"
)


@pytest.mark.parametrize(
    ("flag", "content", "message"),
    [
        pytest.param(
            "--values",
            BOMB,
            "{path}:1:34: invalid YAML: the file expands to more than 200,000 values "
            "(an alias bomb?)",
            id="values-alias-bomb",
        ),
        pytest.param(
            "--mesh-config",
            BOMB,
            "{path}:1:34: invalid YAML: the file expands to more than 200,000 values "
            "(an alias bomb?)",
            id="mesh-config-alias-bomb",
        ),
        pytest.param(
            "--values",
            "a: " + "[" * 5000 + "]" * 5000 + "\n",
            "{path}: invalid YAML: nesting too deep",
            id="values-deep-nesting",
        ),
        pytest.param(
            "--namespace-labels",
            BOMB,
            "{path}:6:10: too many alias expansions: the aliases expand to more than 100,000 "
            "nodes (refusing what looks like an alias bomb)",
            id="namespace-labels-alias-bomb",
        ),
    ],
)
def test_hostile_config_files(tmp_path: Path, flag: str, content: str, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(content)
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    result = invoke(flag, str(config), str(app))
    assert result.stderr.splitlines()[0] == "error: " + message.format(path=config)
    assert result.exit_code == 123
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        pytest.param(
            "global.proxy.resources.limits.cpu=1e99999999",
            "--set: global.proxy.resources.limits.cpu: invalid quantity '1e99999999': quantity "
            "out of range (more than 40 digits) in 'global.proxy.resources.limits.cpu=1e99999999'",
            id="absurd-quantity",
        ),
        pytest.param(
            "global.proxy.a[9999999999]=1",
            "--set: invalid --set argument 'global.proxy.a[9999999999]=1': list index "
            "[9999999999] is larger than 65536",
            id="huge-list-index",
        ),
    ],
)
def test_hostile_set_arguments(tmp_path: Path, argument: str, message: str) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    result = invoke("--set", argument, str(app))
    assert result.stderr.splitlines()[0] == f"error: {message}"
    assert result.exit_code == 123
    assert result.stdout == ""


def test_a_custom_template_syntax_error_names_the_template_file(tmp_path: Path) -> None:
    """Reported once, at the inject-config file, not once per workload at the manifest."""
    config = tmp_path / "inject.yaml"
    config.write_text("templates:\n  sidecar: |\n    spec: {{ .Foo.Bar }\n")
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    result = invoke("--inject-config", str(config), str(app))
    assert result.stderr.splitlines()[0] == (
        f'error: {config}:2:3: template "sidecar": line 1, column 19: unexpected "}}" in command'
    )
    assert result.exit_code == 123
    assert result.stdout == ""
