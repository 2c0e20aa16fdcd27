"""Template safety: templates cannot reach Python, and manifest values cannot change the
structure of what is written.

Built-in templates render in Jinja's immutable sandbox (custom templates are Go templates,
run by `meshinject.gotemplate`, a pure interpreter with no Python access). Every value
copied from a manifest is emitted as a quoted scalar or JSON, so a value full of newlines,
`---`, `{{ }}` or YAML indicators comes out as the same single value.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.api import inject_bytes
from meshinject.errors import TemplateError
from meshinject.inject import render
from tests.runner import invoke

ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ [].append(1) }}",
    "{% set d = {} %}{{ d.update(a=1) }}",
]


@pytest.fixture
def hostile_template_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the built-in template environment at a folder the test fills."""
    monkeypatch.setattr(render, "templates_dir", lambda: tmp_path)
    render.environment.cache_clear()
    yield tmp_path
    render.environment.cache_clear()


@pytest.mark.parametrize("payload", ESCAPES)
def test_the_jinja_sandbox_refuses_python_internals(payload: str) -> None:
    with pytest.raises((jinja2.exceptions.SecurityError, jinja2.exceptions.UndefinedError)) as info:
        render.environment().from_string(payload).render()
    assert "unsafe" in str(info.value) or "not safely callable" in str(info.value)


def test_a_sandbox_violation_is_a_located_template_error(hostile_template_dir: Path) -> None:
    (hostile_template_dir / "evil.yaml.j2").write_text("spec:\n  x: {{ ''.__class__ }}\n")
    with pytest.raises(TemplateError) as info:
        render.render_builtin("evil", {})
    assert info.value.render() == (
        "<input>: template \"evil\": access to attribute '__class__' of 'str' object is unsafe."
    )


# Pieces that mean something to YAML, to Jinja or Go templates, or to a shell; combined by
# hypothesis with arbitrary unicode text.
# fmt: off
NASTY = [
    "\n", "\r\n", "\t", "'", '"', "\\", "---", "...", "{{", "}}", "{%", "#", ": ", "- ", "? ",
    "&a", "*a", "!!python/object", "!", "|", ">", "%", "@", "`", "[", "]", "{", "}", ",",
    " ", "~", "null", "true", "no", "0x1F", "1e3", "0o17", "<<", "=", "é", "日本", "😀",
    "\u2028", "\u0085", "\ufeff", "\x00", "\x1b[31m", "$(id)",
]
# fmt: on
values = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=8).map("".join)


def _manifest(name: str, value: str) -> str:
    """A Deployment carrying `value` in an annotation, a label, env, image and the pod name."""
    doc = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "annotations": {"note": value}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {
                    "name": name,
                    "labels": {"app": value},
                    "annotations": {"team.example.com/owner": value},
                },
                "spec": {
                    "containers": [
                        {"name": "web", "image": value, "env": [{"name": "V", "value": value}]}
                    ]
                },
            },
        },
    }
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "after"}}
    # allow_unicode=False: PyYAML writes some characters (U+0085) raw where they fold.
    text = yaml.safe_dump(doc, allow_unicode=False) + "---\n" + yaml.safe_dump(config)
    assert list(yaml.safe_load_all(text)) == [doc, config], "the test's own input is wrong"
    return text


@functools.cache
def _request() -> Any:
    from fuzz import harness

    return harness.default_request()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=values)
def test_manifest_values_come_out_as_the_same_single_value(value: str) -> None:
    source = _manifest("web", value)
    result = inject_bytes(source.encode(), "app.yaml", _request())
    assert result.errors == []
    docs = list(yaml.safe_load_all(result.output))
    assert len(docs) == 2
    assert docs[1] == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "after"}}
    deployment = docs[0]
    template = deployment["spec"]["template"]
    assert deployment["metadata"]["annotations"] == {"note": value}
    assert template["metadata"]["labels"]["app"] == value
    assert template["metadata"]["annotations"]["team.example.com/owner"] == value
    containers = {c["name"]: c for c in template["spec"]["containers"]}
    assert containers["web"]["image"] == value
    assert containers["web"]["env"] == [{"name": "V", "value": value}]
    # Values Istio copies into the sidecar arrive intact too.
    # (Istio's rule: the app label cut to 63 characters without edge -_. ; else the workload)
    canonical = template["metadata"]["labels"]["service.istio.io/canonical-name"]
    assert canonical == (value[:63].strip("-_.") if value else "web")
    proxy = (
        containers["istio-proxy"]
        if "istio-proxy" in containers
        else next(c for c in template["spec"]["initContainers"] if c["name"] == "istio-proxy")
    )
    env = {e["name"]: e.get("value") for e in proxy["env"]}
    assert env["ISTIO_META_APP_CONTAINERS"] == "web"


def test_a_hostile_value_through_the_cli_keeps_the_document_count(tmp_path: Path) -> None:
    value = "x\n---\nkind: Secret\n# {{ .Values }} \"quoted\" 'single' &a *a | > ~\u2028"
    path = tmp_path / "app.yaml"
    path.write_text(_manifest("web", value))
    result = invoke(str(path))
    assert result.exit_code == 0, result.stderr
    docs = list(yaml.safe_load_all(result.stdout))
    assert [d["kind"] for d in docs] == ["Deployment", "ConfigMap"]
    assert docs[0]["metadata"]["annotations"]["note"] == value
