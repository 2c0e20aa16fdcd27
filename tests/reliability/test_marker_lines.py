"""`---` lines, directives and the text fast paths (issue 12, kind of R1).

Splitting a stream into documents and sniffing a document's kind work on text, without a
parse. On every input they must agree with a full YAML parse, or say they cannot tell
(UNKNOWN) so that the caller parses. And an edited document keeps its `---` line
whatever node properties (tags, anchors) or comments it carries.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.errors import MeshInjectError
from meshinject.yamltext import load_document, sniff_kind, split_stream

from .helpers import inject

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: prod}\n"
POD_BODY = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
    "  containers:\n  - name: web\n    image: web:1\n"
)


def kinds(text: str) -> list[Any]:
    """The `kind` of each document, as libyaml reads the stream (tags are not resolved)."""
    return [_kind(node) for node in yaml.compose_all(text, Loader=yaml.CSafeLoader)]


def _kind(node: yaml.Node) -> Any:
    return next((v.value for k, v in node.value if k.value == "kind"), None)


def test_R1_a_marker_line_with_a_tag_or_anchor_survives_injection() -> None:
    for properties in ("!!map", "&root", "!<tag:yaml.org,2002:map>", "&a !!map  # note"):
        source = f"{CONFIGMAP}--- {properties}\n{POD_BODY}"
        result = inject(source)
        assert result.exit_code == 0, result.stderr
        assert f"\n--- {properties}\n" in result.stdout
        assert result.stdout.startswith(CONFIGMAP + f"--- {properties}\n")
        assert kinds(result.stdout) == ["ConfigMap", "Pod"]
        assert "istio-proxy" in result.stdout


def test_R1_a_local_tag_on_the_marker_line_leaves_no_stray_line() -> None:
    result = inject(f"{CONFIGMAP}--- !pod\n{POD_BODY}")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("!pod") == 1
    assert "\n--- !pod\napiVersion: v1\nkind: Pod\n" in result.stdout


# -- property: the fast paths agree with a full parse ------------------------------------

_MARKERS = st.sampled_from(
    [
        "---",
        "--- ",
        "---\t",
        "--- # comment",
        "--- !!map",
        "--- &anchor",
        "--- !local",
        "--- !!map &a # c",
        "--- !<tag:yaml.org,2002:map>",
    ]
)
_PROLOGUES = st.sampled_from(["", "# note\n", "%YAML 1.1\n", "%TAG !e! tag:example.com,2000:\n"])
_KINDS = st.sampled_from(["Pod", "ConfigMap", "Namespace", "Service"])
_EXTRAS = st.sampled_from(
    [
        "",
        "data:\n  a: |\n    --- not a marker\n    ... nor an end\n",
        "data:\n  b: '--- quoted'\n",
        "# --- a comment\n",
        "data:\n  c: >\n    folded\n    ---x\n",
        'note: "multi\n  line"\n',
        "kind2: x\n",
        "list:\n- --- \n",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, str]:
    kind = draw(_KINDS)
    body = f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: n{draw(st.integers(0, 9))}\n"
    if kind == "Pod":
        body += "spec:\n  containers:\n  - {name: a, image: a}\n"
    return draw(_PROLOGUES), draw(_MARKERS), body + draw(_EXTRAS)


@st.composite
def streams(draw: st.DrawFn) -> str:
    parts: list[str] = []
    docs = draw(st.lists(documents(), min_size=1, max_size=4))
    for index, (prologue, marker, body) in enumerate(docs):
        if prologue.startswith("%") and index > 0:
            parts.append("...\n")  # directives need the previous document ended
        elif index == 0 and not prologue.startswith("%") and draw(st.booleans()):
            parts.append(body)  # a first document without a marker line
            continue
        parts.append(f"{prologue}{marker}\n{body}")
        if draw(st.booleans()) and draw(st.booleans()):
            parts.append("...\n")
    return "".join(parts)


@given(streams())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_R1_splitting_and_sniffing_agree_with_a_full_parse(text: str) -> None:
    expected = kinds(text)
    docs = split_stream(text)
    assert "".join(d.text for d in docs) == text
    parsed = [load_document(d.text).data for d in docs]
    parsed = [p for p in parsed if p is not None]
    assert len(parsed) == len(expected)
    assert [data["kind"] for data in parsed] == expected
    for doc in docs:
        sniff = sniff_kind(doc.text)
        data = load_document(doc.text).data
        if sniff.is_empty:
            assert data is None
        elif not sniff.is_unknown:
            assert data["kind"] == sniff.name


@given(streams())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_R1_injection_keeps_every_document_of_any_marker_layout(text: str) -> None:
    before = kinds(text)
    result = inject(text)
    assert result.exit_code == 0, result.stderr
    assert kinds(result.stdout) == before


def test_R1_each_document_alone_reads_as_its_part_of_the_stream() -> None:
    text = f"%YAML 1.1\n--- !!map\n{POD_BODY}...\n%YAML 1.1\n--- &x\n{CONFIGMAP}"
    docs = split_stream(text)
    assert [load_document(d.text).data["kind"] for d in docs] == ["Pod", "ConfigMap"]
    try:
        load_document(docs[1].text)
    except MeshInjectError as exc:  # pragma: no cover - a failure message
        raise AssertionError(exc.render()) from None
