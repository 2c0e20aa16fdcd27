"""The speed-ups in the YAML text layer change nothing a caller can observe.

* The C parser's flat-`__init__` events carry exactly what ruamel's own classes would.
* A document loaded with `keep_events=True` builds the same position tree as one that
  parses again on first `.root` access.
* The bounded caches of `plain_ok` / `scalar_text` give the uncached answers.
* `diff.same` (plain loops, common leaves first) answers as its generator-based original.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meshinject.yamltext import events as ev
from meshinject.yamltext import load_document
from meshinject.yamltext.diff import same
from meshinject.yamltext.emit import _plain_ok, _scalar_text, plain_ok, scalar_text
from tests.yamltext.manifests import deployment

TRICKY = """\
%YAML 1.1
---
plain: value
tagged: !!str 42
quoted: "a \\"b\\""
single: 'it''s'
anchor: &base {x: 1, y: [1, 2]}
alias: *base
merged:
  <<: *base
  y: 3
block: |
  two
  lines
folded: >-
  folded
  text
seq:
- !!int "7"
- {a: b}
- [c, d]
custom: ! x
"""

ATTRIBUTES = (
    "anchor",
    "tag",
    "implicit",
    "value",
    "style",
    "flow_style",
    "explicit",
    "comment",
)


def _summary(event: object) -> tuple[object, ...]:
    start, end = event.start_mark, event.end_mark  # type: ignore[attr-defined]
    return (
        type(event).__name__,
        *(getattr(event, name, None) for name in ATTRIBUTES),
        (start.index, start.line, start.column),
        (end.index, end.line, end.column),
    )


def _events(text: str) -> list[object]:
    get = ev.event_source(text)
    out = []
    while (event := get()) is not None:
        out.append(event)
    return out


@pytest.mark.skipif(not ev.HAVE_C, reason="needs ruamel.yaml.clib")
def test_c_parser_events_carry_what_ruamel_classes_would(monkeypatch: pytest.MonkeyPatch) -> None:
    import _ruamel_yaml
    import ruamel.yaml.events as ruamel_events

    fast = _events(TRICKY)
    names = ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent")
    assert all(getattr(_ruamel_yaml, n) is not getattr(ruamel_events, n) for n in names)
    for name in names:  # the C parser with ruamel's own classes, as installed
        monkeypatch.setattr(_ruamel_yaml, name, getattr(ruamel_events, name))
    original = _events(TRICKY)
    monkeypatch.undo()
    assert [type(e) for e in original if type(e).__name__ in names]
    for event in fast:  # still instances of ruamel's classes, for any other user of them
        assert isinstance(event, getattr(ruamel_events, type(event).__name__))
    assert [_summary(e) for e in fast] == [_summary(e) for e in original]


@pytest.mark.parametrize("text", [TRICKY, deployment(3)])
def test_a_tree_from_kept_events_equals_a_tree_from_parsing_again(text: str) -> None:
    kept = load_document(text, keep_events=True)
    again = load_document(text)
    assert kept.data == again.data
    assert repr(kept.root) == repr(again.root)
    assert kept._events is None  # dropped once the tree is built


@settings(max_examples=300)
@given(st.text(max_size=40), st.sampled_from(["", "'", '"']))
def test_cached_scalar_text_and_plain_ok_give_the_uncached_answers(text: str, quote: str) -> None:
    for _ in range(2):  # a miss, then a hit
        assert plain_ok(text) == _plain_ok(text, False)
        assert plain_ok(text, flow=True) == _plain_ok(text, True)
        assert scalar_text(text, quote=quote) == _scalar_text(text, quote, False, "")


def _reference_same(a: object, b: object) -> bool:
    """`diff.same` as first written (generator-based), the specification of the fast one."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return len(a) == len(b) and all(k in b and _reference_same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(_reference_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)  # type: ignore[arg-type]
    return bool(a == b)


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from([0.0, -0.0, 1.0, math.nan]),
    st.sampled_from(["", "a", "1", "true"]),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=500)
@given(_VALUES, _VALUES)
def test_same_agrees_with_its_reference(a: object, b: object) -> None:
    assert same(a, b) == _reference_same(a, b)
    assert same(a, a) == _reference_same(a, a)
