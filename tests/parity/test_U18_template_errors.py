"""usability-defects.md U18: a template rendering invalid YAML names the template, the
template line and the pod; a built-in template's failure is reported as a meshinject bug."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from meshinject.inject import render, templates
from meshinject.inject.sourceline import GO_TAGS, JINJA_TAGS, mark_source, source_line
from tests.parity.helpers import error_of, pod_doc


@pytest.fixture
def broken_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Built-in templates from a folder whose `sidecar` writes a bad line 4."""
    (tmp_path / "sidecar.yaml.j2").write_text(
        "metadata:\n  labels:\n    a: b\n  - not: {{ 'valid' | q }}\nspec: {}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(render, "templates_dir", lambda: tmp_path)
    render.environment.cache_clear()
    templates._builtin_names.cache_clear()
    yield tmp_path
    render.environment.cache_clear()
    templates._builtin_names.cache_clear()


@pytest.mark.usefixtures("broken_builtin")
def test_U18_builtin_template_error_names_template_line_and_pod_and_is_a_bug() -> None:
    message = error_of(pod_doc())
    assert 'built-in template "sidecar"' in message
    assert "sidecar.yaml.j2 line 4" in message
    assert 'Pod "shop/web"' in message
    assert "meshinject bug" in message
    assert "check the injection template" not in message


def test_U18_custom_template_error_names_template_line_and_pod(tmp_path: Path) -> None:
    config = tmp_path / "inj.yaml"
    config.write_text(
        "policy: enabled\ndefaultTemplates: [t]\ntemplates:\n  t: |\n"
        "    metadata:\n      labels:\n        a: b\n"
        '      - x: {{ index .ObjectMeta.Labels "app" }}\n',
        encoding="utf-8",
    )
    message = error_of(pod_doc(), inject_config_files=(str(config),))
    assert 'template "t" (template line 4)' in message
    assert 'Pod "shop/web"' in message
    assert "meshinject bug" not in message


def test_U18_markers_never_change_the_output_lines() -> None:
    text = "{%- macro m() %}\n  a: 1{{ x }}\n{%- endmacro -%}\n\nk:\n{{- m() }}\n{# c\n#}\nz: 2\n"
    env = render.environment()
    plain = env.from_string(text).render(x="")
    marked = env.from_string(mark_source(text, JINJA_TAGS)).render(x="")
    assert marked.count("\n") == plain.count("\n")
    assert source_line(marked, plain.split("\n").index("z: 2") + 1) == 9
    assert "\ue000" in mark_source("a: {{ .X }}\n", GO_TAGS)
