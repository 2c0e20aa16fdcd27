"""load_masked: parsing once per shape and filling in the strings gives the parse, exactly.

The masked loader replaces the given strings with placeholders, parses each distinct
masked text once and fills the strings into later texts of the same shape. Whatever the
strings and wherever they sit (keys, plain scalars that read as numbers or booleans,
quoted and block scalars, flow collections, comments, escapes), the answer must be
`load_document(text).data`, or the same error.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.errors import MeshInjectError
from meshinject.yamltext import load_document
from meshinject.yamltext.diff import same
from meshinject.yamltext.masked import clear_cache, leaves, load_masked, safe_values

# A document with slots {0}..{3} in every place a string can sit.
_TEMPLATES = [
    "name: {0}\nnamespace: {1}\n",
    "{0}: {1}\nother: x-{0}-y\n",
    "quoted: \"{0}/{1}\"\nsingle: '{2}'\n",
    "block: |\n  {0}\n  {1} {2}\nfolded: >-\n  {3}\n  {0}\n",
    "flow: [{0}, {1}, '{2}']\nmap: {{a: {3}, {0}: b}}\n",
    "ports: [{{containerPort: {0}}}]\nplain: {1}\n# {2} in a comment\n",
    'escaped: "\\\\{0}\\t{1}"\nurl: http://{0}:{1}/{2}\n',
    "list:\n- {0}\n- key: {1}\n  {2}: {3}\n",
    "multi: {0}\n  {1}\nn: {2}{3}\n",
    "{0}:\n  {1}: {2}\n{3}: 1\n",
    "tagged: !!str {0}\nanchor: &a {1}\nalias: *a\n",
    "merge:\n  <<: {{x: {0}}}\n  y: {1}\n",
]
# Strings that read as strings, numbers, booleans, null, timestamps, with `:` and `.`.
_VALUES = st.sampled_from(
    [
        "web",
        "svc-00001",
        "team-3",
        "8080",
        "0755",
        "true",
        "yes",
        "null",
        "1e3",
        "2024-01-01",
        "v1.2.3",
        "a:b",
        "apps/v1",
        "x.y.z",
        "0x1F",
        "NaN",
        "registry.io/shop/app:1.0",
        "key",
        "name",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    template = draw(st.sampled_from(_TEMPLATES))
    values = [draw(_VALUES) for _ in range(4)]
    return template.format(*values), values


def load(text: str) -> Any:
    try:
        return load_document(text).data
    except MeshInjectError as exc:
        return ("error", exc.message)


def load_through_cache(text: str, values: list[str], *, private: bool) -> Any:
    try:
        return load_masked(text, safe_values(values), private=private)
    except MeshInjectError as exc:
        return ("error", exc.message)


@given(st.lists(documents(), min_size=1, max_size=12), st.booleans())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_filled_shapes_read_exactly_as_a_parse(
    docs: list[tuple[str, list[str]]], private: bool
) -> None:
    clear_cache()
    for _ in range(3):  # seen once, built, then filled from the cache
        for text, values in docs:
            expected = load(text)
            got = load_through_cache(text, values, private=private)
            assert same(got, expected) or got == expected, text


@given(st.sampled_from(_TEMPLATES), st.lists(st.lists(_VALUES, min_size=4, max_size=4), min_size=2))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_one_template_with_many_values_reads_exactly_as_a_parse(
    template: str, value_sets: list[list[str]]
) -> None:
    clear_cache()
    for values in [value_sets[0], *value_sets]:  # the first twice: its shape gets built
        text = template.format(*values)
        assert same(load_through_cache(text, values, private=False), load(text)) or (
            load_through_cache(text, values, private=False) == load(text)
        ), text


def test_a_shape_is_parsed_once_and_filled_after() -> None:
    clear_cache()
    text = "metadata:\n  name: {0}\n  labels: {{app: {0}, port: {1}}}\n"
    first = load_masked(text.format("web", "8080"), safe_values(["web", "8080"]))
    second = load_masked(text.format("web", "8080"), safe_values(["web", "8080"]))
    filled = load_masked(text.format("shop", "9090"), safe_values(["shop", "9090"]))
    assert first == second == {"metadata": {"name": "web", "labels": {"app": "web", "port": 8080}}}
    assert filled == {"metadata": {"name": "shop", "labels": {"app": "shop", "port": 9090}}}


def test_shared_results_are_not_changed_by_later_fills() -> None:
    clear_cache()
    text = "a:\n  b: {0}\n  c: [1, 2]\n"
    for value in ("one", "one", "two"):
        load_masked(text.format(value), [value])
    two = load_masked(text.format("two"), ["two"])
    three = load_masked(text.format("three"), ["three"], private=True)
    three["a"]["c"].append(3)
    assert two == {"a": {"b": "two", "c": [1, 2]}}
    assert load_masked(text.format("four"), ["four"]) == {"a": {"b": "four", "c": [1, 2]}}


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (["web", 8080, True, None, 1.5], ["web", "8080"]),
        (["-Xms256m -Xmx512m", "ab", "a b:c"], ["Xms256m", "Xmx512m", "b:c"]),
        (["x:", "ok:", "a:b"], ["a:b"]),
    ],
)
def test_safe_values_are_words_that_no_scalar_style_changes(
    candidates: list[object], expected: list[str]
) -> None:
    assert safe_values(candidates) == expected


def test_leaves_are_values_in_document_order() -> None:
    assert leaves({"a": 1, "b": [2, {"c": 3}], "d": "x"}) == [1, 2, 3, "x"]


def test_a_tag_that_holds_a_string_is_never_filled_in() -> None:
    clear_cache()
    for value, expected in (("int", 5), ("int", 5), ("int", 5), ("str", "5")):
        assert load_masked(f"a: !!{value} 5\nb: {value}\n", [value]) == {"a": expected, "b": value}


def test_a_key_filled_past_the_simple_key_limit_is_parsed() -> None:
    clear_cache()
    text = '"{0}\\t{0}": 1\n'
    for value in ("abc", "abc", "abc"):
        assert load_masked(text.format(value), [value]) == {f"{value}\t{value}": 1}
    long = "x" * 600
    assert load(text.format(long)) == load_through_cache(text.format(long), [long], private=False)
