"""The per-shape cache of edits: a filled-in edit is the splice's text, byte for byte.

`edit_document` keeps the edit of the third document of a shape (its strings masked)
and fills the strings of later documents of that shape into it. Whatever the strings
(names, numbers, booleans, timestamps, `a:b`, paths) and wherever they land (keys, plain,
quoted, block and flow scalars, new mappings and lists, replaced scalars), the answer
must be the text the splice writes for that document alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.datacopy import clone
from meshinject.yamltext import edit as edit_module
from meshinject.yamltext import edit_cache, load_document, masked
from meshinject.yamltext.edit import _edit_body, edit_document
from meshinject.yamltext.masked import safe_values

# Documents with slots {0}..{3}: each is edited by every edit below.
_DOCUMENTS = [
    "metadata:\n  name: {0}\n  labels:\n    app: {0}\n    v: {1}\nspec:\n  containers:\n"
    "  - name: app\n    image: 'reg.io/{0}:{2}'\n    env:\n    - name: X\n      value: \"{3}\"\n",
    "metadata:\n  name: {0}  # owned by {1}\n  annotations: {{a: {2}}}\nspec:\n"
    "  containers: [{{name: app, image: {3}}}]\n",
    "# {0}\nmetadata:\n  name: {0}\n  namespace: {1}\nspec:\n  template:\n    metadata:\n"
    "      labels:\n        {2}: {3}\n    spec:\n      containers:\n        - name: app\n"
    "          args: [--x={0}, '{1}']\n",
]
_VALUES = st.sampled_from(
    [
        "web",
        "svc-00001",
        "svc-00002",
        "team-3",
        "8080",
        "9090",
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
        "registry.io/shop/app:1.0",
        "1:20",
        "name",
    ]
)


def _edit(data: dict[str, Any], values: list[str], which: int) -> dict[str, Any]:
    """New data with the document's strings in new places, as an injection writes them."""
    new = clone(data)
    meta = new.setdefault("metadata", {})
    if which == 0:  # new mapping entries and a new list item holding the strings
        meta.setdefault("labels", {})["owner"] = f"kubernetes://ns/{values[1]}/{values[0]}"
        containers = new.setdefault("spec", {}).setdefault("containers", [])
        if isinstance(containers, list):
            containers.insert(0, {"name": "sidecar", "args": [values[2], f"--id={values[3]}"]})
    elif which == 1:  # a replaced scalar, and a value as a key
        meta["name"] = values[2]
        meta.setdefault("annotations", {})[values[3]] = values[0]
    else:  # strings alone as values (plain style unless they read as another type)
        meta["annotations"] = {"w": values[0], "x": values[1], "y": values[2], "z": values[3]}
    return new


def _splice(text: str, new: dict[str, Any]) -> str | None:
    try:
        loaded = load_document(text, keep_events=True)
        return _edit_body(loaded, new)[0]
    except Exception:  # the cache must agree on refusals too
        return None


def _cached(text: str, new: dict[str, Any], values: list[str]) -> str | None:
    try:
        return edit_document(load_document(text), new, values=safe_values(values))
    except Exception:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_DOCUMENTS),
    st.integers(0, 2),
    st.lists(st.lists(_VALUES, min_size=4, max_size=4, unique=True), min_size=3, max_size=6),
)
def test_a_filled_edit_is_the_splice_byte_for_byte(
    document: str, which: int, value_sets: list[list[str]]
) -> None:
    edit_cache.clear_cache()
    masked.clear_cache()
    for values in value_sets:
        text = document.format(*values)
        try:
            data = load_document(text).data
        except Exception:  # a value that breaks the document: no edit
            continue
        new = _edit(data, values, which)
        assert _cached(text, new, values) == _splice(text, new), (text, new)


def test_documents_of_one_shape_are_filled_in_not_spliced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first three documents of a shape are spliced (the third one's edit is kept);
    every later one is filled in, and reads the same as its splice."""
    edit_cache.clear_cache()
    spliced: list[str] = []

    def counting(doc: Any, new_data: Any, values: Any = ()) -> Any:
        spliced.append(doc.text)
        return _edit_body(doc, new_data, values)

    monkeypatch.setattr(edit_module, "_edit_body", counting)
    for index in range(5):
        values = [f"svc-{index:05d}", "v1", "1.0.0", "production"]
        text = _DOCUMENTS[0].format(*values)
        new = _edit(load_document(text).data, values, 0)
        edited = edit_document(load_document(text), new, values=safe_values(values))
        assert edited == _splice(text, new)
    assert len(spliced) == 3


def test_a_document_whose_new_data_differs_from_its_shape_is_spliced() -> None:
    """The same masked text, but the edit puts a different constant in: the filled text
    would not read back as the new data, so the document is spliced."""
    edit_cache.clear_cache()
    document = _DOCUMENTS[2]
    for index in range(4):
        values = [f"svc-{index:05d}", "team-1", "tier", "backend"]
        text = document.format(*values)
        new = _edit(load_document(text).data, values, 2)
        if index == 3:
            new["metadata"]["annotations"]["extra"] = "only-here"
        assert _cached(text, new, values) == _splice(text, new)
