"""edit_document golden cases: the expected text shows exactly which bytes may change.

Each case gives an input document, the new data as a function of the old data, and the
expected output. Every case also checks the inverse edit gives the input back.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from meshinject.errors import InputError
from meshinject.yamltext import (
    Sniff,
    dump_yaml,
    edit_document,
    edit_document_ex,
    load_document,
    sniff_kind,
    split_stream,
)
from tests.yamltext.manifests import deployment, four_space_deployment, inject, realistic_stream

Change = Callable[[Any], object]


def check(source: str, change: Change, expected: str, *, inverse: bool = True) -> None:
    doc = load_document(source)
    new = copy.deepcopy(doc.data)
    change(new)
    out, path = edit_document_ex(doc, new)
    assert out == expected
    assert path == "splice"
    assert load_document(out).data == new
    if inverse:
        back, back_path = edit_document_ex(load_document(out), doc.data)
        assert back == source
        assert back_path == "splice"


def test_identity_returns_the_text_unchanged() -> None:
    text = deployment(1)
    assert edit_document(load_document(text), load_document(text).data) is text


def test_add_key_at_end_of_nested_mapping_before_parent_comment() -> None:
    check(
        "metadata:\n  labels:\n    app: x  # the app\n  # about spec\nspec: {}\n",
        lambda d: d["metadata"]["labels"].update(tier="web"),
        "metadata:\n  labels:\n    app: x  # the app\n    tier: web\n  # about spec\nspec: {}\n",
    )


def test_four_space_document_gets_four_space_insertions() -> None:
    check(
        "a:\n    b:\n        c: 1\n",
        lambda d: d["a"].update(n={"x": [1, 2]}),
        'a:\n    b:\n        c: 1\n    "n":\n        x:\n        - 1\n        - 2\n',
    )


def test_indented_sequences_style_is_followed() -> None:
    check(
        "a:\n  l:\n    - 1\n  m: {}\n",
        lambda d: d["a"]["m"].update(k=["x"]),
        "a:\n  l:\n    - 1\n  m:\n    k:\n      - x\n",
    )


def test_empty_flow_mapping_becomes_block_and_keeps_its_comment() -> None:
    check(
        "metadata:\n  annotations: {}  # filled by tools\n  name: x\n",
        lambda d: d["metadata"]["annotations"].update({"a/b": "true"}),
        'metadata:\n  annotations:  # filled by tools\n    a/b: "true"\n  name: x\n',
        inverse=False,  # the two spaces before `{}` become one on the way back
    )


def test_empty_flow_mapping_round_trip_with_single_space() -> None:
    check(
        "metadata:\n  annotations: {} # c\n  name: x\n",
        lambda d: d["metadata"]["annotations"].update({"k": "v"}),
        "metadata:\n  annotations: # c\n    k: v\n  name: x\n",
    )


def test_empty_flow_sequence_becomes_block() -> None:
    check(
        "spec:\n  initContainers: []\n  containers:\n  - name: app\n",
        lambda d: d["spec"]["initContainers"].append({"name": "init", "image": "i"}),
        "spec:\n  initContainers:\n  - name: init\n    image: i\n  containers:\n  - name: app\n",
    )


def test_non_empty_flow_collections_are_edited_in_place() -> None:
    check(
        "args: [a, 'b']  # keep\nprobe: {port: 8080}\n",
        lambda d: (d["args"].append("c d"), d["probe"].update(port=15020)),
        "args: [a, 'b', c d]  # keep\nprobe: {port: 15020}\n",
    )


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [
        ('v: "x"  # c\n', "y", 'v: "y"  # c\n'),
        ("v: 'x'\n", "it's", "v: 'it''s'\n"),
        ("v: x\n", "15020", 'v: "15020"\n'),
        ("v: x\n", "a: b", "v: 'a: b'\n"),
        ("v: x\n", 8080, "v: 8080\n"),
        ("v: 1\n", True, "v: true\n"),
        ("v:\n", "x", "v: x\n"),
        ("v: x\n", "line1\nline2\n", "v: |\n  line1\n  line2\n"),
        ("v: |\n  old\nw: 1\n", "new\ntext", "v: |-\n  new\n  text\nw: 1\n"),
    ],
)
def test_scalar_replacement_keeps_quoting_and_comments(before: str, value: Any, after: str) -> None:
    check(before, lambda d: d.update(v=value), after, inverse=False)


def test_named_list_prepend_insert_append() -> None:
    source = "env:\n# first\n- name: A\n  value: a\n- name: C\n  value: c\n"
    check(
        source,
        lambda d: d["env"].insert(0, {"name": "Z", "value": "z"}),
        "env:\n# first\n- name: Z\n  value: z\n- name: A\n  value: a\n- name: C\n  value: c\n",
    )
    check(
        source,
        lambda d: d["env"].insert(1, {"name": "B", "value": "b"}),
        "env:\n# first\n- name: A\n  value: a\n- name: B\n  value: b\n- name: C\n  value: c\n",
    )
    check(
        source,
        lambda d: d["env"].append({"name": "D"}),
        source + "- name: D\n",
    )


def test_named_items_match_by_name_when_they_change() -> None:
    check(
        "c:\n- name: app\n  image: a:1  # pinned\n- name: side\n  image: s\n",
        lambda d: d["c"][0].update(image="a:2"),
        "c:\n- name: app\n  image: a:2  # pinned\n- name: side\n  image: s\n",
    )


def test_reordered_named_items_rewrite_the_sequence() -> None:
    doc = load_document("c:\n- name: a\n- name: b\n")
    out = edit_document(doc, {"c": [{"name": "b"}, {"name": "a"}]})
    assert out == "c:\n- name: b\n- name: a\n"


def test_delete_then_reinsert_is_exact() -> None:
    # A deleted entry takes its own lines (and inline comment) with it; comment lines
    # between entries stay. A re-inserted key goes right above the key that follows it,
    # or after the last entry, so re-inserting what was deleted restores the text.
    source = "a: 1\nb:\n- x\nc:\n  d: 3  # kept\n  # trailing of c\ne: 4\n"
    doc = load_document(source)
    for key in ("a", "b", "e"):
        smaller = {k: v for k, v in doc.data.items() if k != key}
        out = edit_document(doc, smaller)
        assert load_document(out).data == smaller
        assert edit_document(load_document(out), doc.data) == source


def test_delete_first_key_of_a_sequence_item() -> None:
    check(
        "l:\n- a: 1\n  b: 2\n",
        lambda d: d["l"][0].pop("a"),
        "l:\n- b: 2\n",
    )


def test_emptied_mapping_becomes_flow_empty() -> None:
    check(
        "m:\n  a: 1\nn: 2\n",
        lambda d: d["m"].clear(),
        "m: {}\nn: 2\n",
    )


def test_no_final_newline_stays_without_one() -> None:
    check("a: 1\nb: 2", lambda d: d.update(c=3), "a: 1\nb: 2\nc: 3")
    check("a: 1\nb: 2", lambda d: d.update(a=5), "a: 5\nb: 2")


def test_document_separator_and_comments_around_the_document_survive() -> None:
    check(
        "--- # deploy\n# head\na: 1\n# tail\n...\n",
        lambda d: d.update(b=2),
        "--- # deploy\n# head\na: 1\nb: 2\n# tail\n...\n",
    )


def test_sidecar_injection_round_trip_is_exact() -> None:
    for source in (deployment(4), four_space_deployment(4)):
        doc = load_document(source)
        injected, path = edit_document_ex(doc, inject(doc.data))
        assert path == "splice"
        back, path = edit_document_ex(load_document(injected), doc.data)
        assert (back, path) == (source, "splice")


def test_merge_keys_fall_back_to_round_trip() -> None:
    doc = load_document("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2  # keep me\n")
    new = copy.deepcopy(doc.data)
    new["use"]["y"] = 3
    out, path = edit_document_ex(doc, new)
    assert path == "roundtrip"
    assert load_document(out).data == new
    assert "# keep me" in out


def test_ordinary_manifests_never_take_the_round_trip() -> None:
    for raw in split_stream(realistic_stream(30)):
        if sniff_kind(raw.text) != Sniff.kind("Deployment"):
            continue
        doc = load_document(raw.text)
        assert edit_document_ex(doc, inject(doc.data))[1] == "splice"


def test_unrepresentable_edit_is_an_input_error() -> None:
    doc = load_document("a: 1\n")
    with pytest.raises(InputError, match="cannot edit this document safely"):
        edit_document(doc, {"a": object()})


def test_dump_yaml_reads_back() -> None:
    data = {"a": [1, "2", {"name": "x", "v": "multi\nline"}], "b": {}, "c": "yes"}
    for indent, seq in ((2, False), (4, True)):
        assert load_document(dump_yaml(data, indent=indent, indent_sequences=seq)).data == data
    assert dump_yaml({"a": ["x"]}, indent_sequences=True) == "a:\n  - x\n"
