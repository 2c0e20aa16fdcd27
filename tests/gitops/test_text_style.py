"""Text-engine fix found by the GitOps goldens: inserted sequence items follow the
document's dash spacing (`-   name:` in 4-space manifests), not always `- name:`."""

from __future__ import annotations

from meshinject.yamltext import edit_document, load_document


def test_items_inserted_into_a_four_space_document_use_its_dash_gap() -> None:
    text = "spec:\n    volumes:\n    -   name: a\n        emptyDir: {}\n"
    doc = load_document(text)
    new = {"spec": {"volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "secret": {"x": 1}}]}}
    assert edit_document(doc, new) == text + "    -   name: b\n        secret:\n            x: 1\n"


def test_items_inserted_into_a_two_space_document_keep_one_space_after_the_dash() -> None:
    text = "volumes:\n  - name: a\n"
    doc = load_document(text)
    assert edit_document(doc, {"volumes": [{"name": "a"}, {"name": "b"}]}) == text + "  - name: b\n"
