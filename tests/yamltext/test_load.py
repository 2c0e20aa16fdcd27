"""load_document: Kubernetes-flavoured YAML 1.1 data, positions, and located errors."""

import math
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from meshinject.errors import InputError
from meshinject.yamltext import load_document
from meshinject.yamltext.nodes import MappingNode, ScalarNode, SequenceNode
from tests.yamltext.manifests import deployment


def data(text: str) -> object:
    return load_document(text).data


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("~", None),
        ("null", None),
        ("", None),
        ("yes", True),
        ("Off", False),
        ("TRUE", True),
        ("0x1F", 31),
        ("017", 15),
        ("1_000", 1000),
        ("-0b101", -5),
        ("1:30", 90),
        ("0o17", "0o17"),  # YAML 1.2 octal is a string in YAML 1.1, as in PyYAML
        ("1.5", 1.5),
        ("1e3", "1e3"),  # PyYAML's 1.1 float needs a dot
        ("1.0e+3", 1000.0),
        ("-.inf", -math.inf),
        ("2024-01-02", "2024-01-02"),  # timestamps stay strings
        ("'yes'", "yes"),
        ('"15020"', "15020"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("=", "="),
    ],
)
def test_scalar_types(text: str, value: object) -> None:
    assert data(f"v: {text}\n") == {"v": value}
    assert type(data(f"v: {text}\n")["v"]) is type(value)  # type: ignore[index]


def test_nan() -> None:
    assert math.isnan(data("v: .NaN")["v"])  # type: ignore[index]


def test_matches_pyyaml_on_a_deployment() -> None:
    text = deployment(3)
    assert data(text) == yaml.safe_load(text)


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &b {a: 1, b: 2}\nuse:\n  <<: *b\n  b: 3\nlist: [*b]\n"
    assert data(text) == {
        "base": {"a": 1, "b": 2},
        "use": {"a": 1, "b": 3},
        "list": [{"a": 1, "b": 2}],
    }


def test_aliases_are_independent_copies() -> None:
    loaded = data("a: &x {k: 1}\nb: *x\n")
    assert isinstance(loaded, dict)
    loaded["b"]["k"] = 2
    assert loaded["a"] == {"k": 1}


def test_alias_bomb_fails_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(InputError, match="too many alias expansions"):
        load_document("\n".join(lines))


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    with pytest.raises(InputError, match="duplicate key 'name'") as info:
        load_document("metadata:\n  name: a\n  name: b\n")
    assert (info.value.location.line, info.value.location.column) == (3, 3)


def test_deep_nesting_is_an_input_error_not_a_recursion_error() -> None:
    with pytest.raises(InputError, match="nesting deeper"):
        load_document("[" * 2000 + "]" * 2000)


def test_tab_indentation_error_has_libyaml_text_and_position() -> None:
    with pytest.raises(InputError, match="tab") as info:
        load_document("a: 1\n\tb: 2\n")
    assert info.value.location.line == 2


def test_malformed_flow() -> None:
    with pytest.raises(InputError, match="did not find expected") as info:
        load_document("a: [1\n")
    assert info.value.location.line == 2


def test_two_documents_in_one_text_is_an_error() -> None:
    with pytest.raises(InputError, match="single document"):
        load_document("a: 1\n---\nb: 2\n")


def test_non_string_keys_become_strings_like_kubernetes() -> None:
    assert data("1: a\n1.5: d\nyes: b\n") == {"1": "a", "1.5": "d", "true": "b"}
    with pytest.raises(InputError, match="null"):
        load_document("~: a\n")
    with pytest.raises(InputError, match="duplicate key 'true'"):
        load_document("true: a\non: b\n")  # both are the boolean true


def test_only_comments_is_none() -> None:
    assert data("# nothing\n---\n") is None


def test_position_tree() -> None:
    doc = load_document("a:\n  b: 'x'  # c\n  l:\n  - 1\n")
    root = doc.root
    assert isinstance(root, MappingNode)
    inner = root.entries[0].value
    assert isinstance(inner, MappingNode)
    assert inner.col == 2
    b = inner.entries[0].value
    assert isinstance(b, ScalarNode)
    assert (b.style, doc.text[b.start : b.end], b.line, b.col) == ("'", "'x'", 1, 5)
    seq = inner.entries[1].value
    assert isinstance(seq, SequenceNode)
    assert not seq.flow
    assert doc.text[seq.start] == "-"


_plain = st.text(alphabet="abcyesnoONtrue0123456789.-+_:xX~ e", min_size=1, max_size=8)


@given(_plain)
def test_plain_scalars_resolve_like_pyyaml(word: str) -> None:
    text = f"v: {word}\n"
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    if not isinstance(expected, dict) or type(expected.get("v")).__name__ in ("date", "datetime"):
        return
    got: Any = data(text)
    if isinstance(expected["v"], float) and math.isnan(expected["v"]):  # nan != nan
        assert math.isnan(got["v"])
        return
    assert got == expected
