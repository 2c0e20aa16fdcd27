"""split_stream: documents as exact text slices; joining them gives the stream back."""

import pytest

from meshinject.yamltext import split_stream
from tests.yamltext.manifests import realistic_stream


def texts(stream: str) -> list[str]:
    docs = split_stream(stream)
    assert "".join(d.text for d in docs) == stream
    return [d.text for d in docs]


def test_plain_separators() -> None:
    assert texts("a: 1\n---\nb: 2\n") == ["a: 1\n", "---\nb: 2\n"]


def test_separator_with_trailing_comment_starts_the_document() -> None:
    assert texts("---\na: 1\n--- # second\nb: 2\n") == ["---\na: 1\n", "--- # second\nb: 2\n"]


def test_leading_comments_are_their_own_document() -> None:
    assert texts("# header\n\n---\na: 1\n") == ["# header\n\n", "---\na: 1\n"]


def test_end_marker_and_comments_stay_with_the_document_they_follow() -> None:
    assert texts("---\na\n...\n# about b\n---\nb\n") == ["---\na\n...\n# about b\n", "---\nb\n"]


def test_content_after_end_marker_is_a_new_document() -> None:
    assert texts("a\n...\nb\n") == ["a\n...\n", "b\n"]


def test_directives_belong_to_the_next_document() -> None:
    stream = "a\n...\n%YAML 1.1\n# c\n---\nb\n"
    assert texts(stream) == ["a\n...\n", "%YAML 1.1\n# c\n---\nb\n"]


def test_no_trailing_newline() -> None:
    assert texts("a: 1\n---\nb: 2") == ["a: 1\n", "---\nb: 2"]


def test_crlf_is_kept_as_is() -> None:
    assert texts("a: 1\r\n---\r\nb: 2\r\n") == ["a: 1\r\n", "---\r\nb: 2\r\n"]


def test_column0_marker_inside_block_scalar_is_a_separator() -> None:
    # YAML: a document marker at column 0 always ends the document, even in a `|` block.
    assert texts("a: |\n  x\n---\n  y\n") == ["a: |\n  x\n", "---\n  y\n"]


@pytest.mark.parametrize("not_a_marker", ["----\n", "---x\n", " ---\n", "a: ---\n"])
def test_lookalikes_are_not_separators(not_a_marker: str) -> None:
    assert texts("a: 1\n" + not_a_marker) == ["a: 1\n" + not_a_marker]


def test_empty_stream_has_no_documents() -> None:
    assert split_stream("") == []


def test_positions() -> None:
    docs = split_stream("# c\n---\na: 1\n\n---\nb: 2\n")
    assert [(d.index, d.start_line, d.start_offset) for d in docs] == [
        (0, 1, 0),
        (1, 2, 4),
        (2, 5, 14),
    ]


def test_realistic_stream_round_trips() -> None:
    stream = realistic_stream(20)
    assert len(texts(stream)) == 60
