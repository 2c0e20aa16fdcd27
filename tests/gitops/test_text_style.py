"""Text-engine fix found by the GitOps goldens: inserted sequence items follow the
document's dash spacing (`-   name:` in 4-space manifests), not always `- name:`."""

from __future__ import annotations

from meshinject.yamltext import edit_document, edit_document_ex, load_document


def test_items_inserted_into_a_four_space_document_use_its_dash_gap() -> None:
    text = "spec:\n    volumes:\n    -   name: a\n        emptyDir: {}\n"
    doc = load_document(text)
    new = {"spec": {"volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "secret": {"x": 1}}]}}
    assert edit_document(doc, new) == text + "    -   name: b\n        secret:\n            x: 1\n"


def test_items_inserted_into_a_two_space_document_keep_one_space_after_the_dash() -> None:
    text = "volumes:\n  - name: a\n"
    doc = load_document(text)
    assert edit_document(doc, {"volumes": [{"name": "a"}, {"name": "b"}]}) == text + "  - name: b\n"


def test_deleting_the_last_entries_of_a_file_without_final_newline_leaves_none() -> None:
    # Inserting two entries at the end, then deleting both, must give the text back
    # (each deletion alone only eats its own line's newline).
    text = "a: 1  # no newline after this"
    doc = load_document(text)
    grown = edit_document(doc, {"a": 1, "b": {"c": 2}, "d": [3]})
    assert grown == text + "\nb:\n  c: 2\nd:\n- 3"
    assert edit_document(load_document(grown), {"a": 1}) == text


def test_adjacent_deletions_at_the_end_of_a_file_without_final_newline() -> None:
    # Deleting entries of two mappings: the deletions touch without overlapping.
    text = "s:\n  c: 1\n  i: 2\n  v: 3\nu: 4\nst: 5"
    assert edit_document(load_document(text), {"s": {"c": 1}}) == "s:\n  c: 1"


def test_a_key_replacing_another_takes_its_place_so_replacing_back_is_exact() -> None:
    # tcpSocket -> httpGet (injection) and back (uninject): blank lines and comments
    # after the replaced entry stay where they were.
    text = "probe:\n  tcpSocket:\n    port: 80\n\n  # every second\n  periodSeconds: 1\n"
    http = {"probe": {"httpGet": {"path": "/p", "port": 15020}, "periodSeconds": 1}}
    injected = edit_document(load_document(text), http)
    assert injected == (
        "probe:\n  httpGet:\n    path: /p\n    port: 15020\n"
        "\n  # every second\n  periodSeconds: 1\n"
    )
    back = {"probe": {"tcpSocket": {"port": 80}, "periodSeconds": 1}}
    assert edit_document(load_document(injected), back) == text


def test_a_number_turned_back_into_text_is_quoted_as_the_document_quotes_it() -> None:
    # uninject: `port: 15020` back to the named port, which the document writes quoted.
    text = "ports:\n- name: 'http'\nprobe:\n  port: 15020\n"
    new = {"ports": [{"name": "http"}], "probe": {"port": "http"}}
    assert edit_document(load_document(text), new) == text.replace("15020", "'http'")
    plain = text.replace("'http'", "http")
    assert edit_document(load_document(plain), new) == plain.replace("15020", "http")


def test_a_changed_item_of_unnamed_mappings_is_edited_in_place() -> None:
    text = "items:\n- kind: A\n  spec: {x: 1}\n- kind: B\n"
    new = {"items": [{"kind": "A", "spec": {"x": 1}, "status": {}}, {"kind": "B"}]}
    assert edit_document(load_document(text), new) == (
        "items:\n- kind: A\n  spec: {x: 1}\n  status: {}\n- kind: B\n"
    )


def test_replacing_the_last_key_of_a_file_without_final_newline_is_spliced() -> None:
    text = "probe:\n  periodSeconds: 1\n  tcpSocket:\n    port: 80"
    http = {"probe": {"periodSeconds": 1, "httpGet": {"path": "/p", "port": 15020}}}
    doc = load_document(text)
    injected, path = edit_document_ex(doc, http)
    assert path == "splice"
    assert injected == "probe:\n  periodSeconds: 1\n  httpGet:\n    path: /p\n    port: 15020"
    back = {"probe": {"periodSeconds": 1, "tcpSocket": {"port": 80}}}
    assert edit_document_ex(load_document(injected), back) == (text, "splice")
