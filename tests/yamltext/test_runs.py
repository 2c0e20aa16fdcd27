"""passthrough_run: a whole piece of a stream judged at once, exactly as per document.

When it answers with a count, the per-document path (`split_stream` + `sniff_kind`) must
have split the piece into that many documents and sniffed every one as a kind outside the
interesting set; when in doubt it answers None (the per-document path then runs).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.generate import passthrough_stream, stream
from meshinject.stream import INTERESTING_KINDS
from meshinject.yamltext import Sniff, sniff_kind, split_stream
from meshinject.yamltext.runs import passthrough_run


def per_document(text: str) -> int | None:
    """What the per-document path concludes: the count, or None if any document is parsed."""
    docs = split_stream(text)
    for doc in docs:
        sniff = sniff_kind(doc.text)
        if sniff == Sniff.UNKNOWN or sniff.is_empty or sniff.name in INTERESTING_KINDS:
            return None
    return len(docs) or None


def test_a_stream_of_services_and_configmaps_is_one_run() -> None:
    text = passthrough_stream(50)
    assert passthrough_run(text, INTERESTING_KINDS) == 100 == len(split_stream(text))


def test_a_workload_anywhere_makes_the_piece_go_document_by_document() -> None:
    assert passthrough_run(stream(3), INTERESTING_KINDS) is None
    assert passthrough_run(passthrough_stream(3) + "---\nkind: Pod\n", INTERESTING_KINDS) is None


# Mostly lines a run may hold (so that many pieces are runs), some that end a run.
_MARKERS = st.one_of(
    st.sampled_from(["---", "--- ", "---\t", "--- # c", ""]),
    st.sampled_from(["----", "---x", "--- !!map", "--- a: 1"]),
)
_KIND_LINES = st.one_of(
    st.sampled_from(["kind: Service", "kind: ConfigMap  # note", "kind: Role\t", "kind: Secret"]),
    st.sampled_from(["kind: Service", "kind: ConfigMap  # note", "kind: Role\t", "kind: Secret"]),
    st.sampled_from(
        [
            "kind: Pod",
            "kind: Deployment",
            "kind: List",
            "kind: Namespace",
            "kind: null",
            "kind: 'Secret'",
            'kind: "Secret"',
            "kind:",
            "kind:  Secret\r",
            "kind: Secret#x",
            "kindness: 1",
            "kind : Role",
            "",
        ]
    ),
)
_BENIGN = st.sampled_from(
    [
        "apiVersion: v1",
        "metadata:\n  name: x",
        "# a comment",
        "",
        "  indented: 1",
        "data:\n  a: |\n    kind: Pod\n    ---",
        "rules:\n- apiGroups: ['']",
        'a: "closed" # "open',
        "b: 'it''s'",
        "# ключ: ü ✓ 🙂",
        'c: "é\\\\ü" # ü',
        'd: "\\é"',
        "e: 'ü'",
    ]
)
_LINES = st.one_of(
    _BENIGN,
    _BENIGN,
    _BENIGN,
    st.sampled_from(
        [
            "- item",
            "...",
            "%YAML 1.1",
            'note: "open',
            "note: 'open",
            "{a: 1}",
            "? k",
            "&a x: 1",
            "kind: Service",
            "--- x: 1",
            "a: \ue000",
            'a: "multi',
            "b: 'multi",
            "é: 1",
            'f: "open é',
            'g: "\\é',
        ]
    ),
)


@st.composite
def pieces(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for index in range(draw(st.integers(1, 5))):
        marker = draw(_MARKERS)
        if index and not marker:
            marker = "---"
        lines = draw(st.lists(_LINES, max_size=3))
        lines.insert(draw(st.integers(0, len(lines))), draw(_KIND_LINES))
        body = "\n".join(line for line in lines if line or draw(st.booleans()))
        parts.append((marker + "\n" if marker else "") + body + "\n")
    text = "".join(parts)
    return text if draw(st.booleans()) else text.rstrip("\n")


@given(pieces())
@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@example("apiVersion: v1\nkind: Service\n---\nkind: ConfigMap\n")
@example("# only a comment\n---\nkind: Service\n")
@example("kind: Service\n----\nkind: Service\n")
def test_a_run_is_exactly_what_the_per_document_path_passes_through(text: str) -> None:
    found = passthrough_run(text, INTERESTING_KINDS)
    if found is not None:
        assert found == per_document(text)


@st.composite
def runs(draw: st.DrawFn) -> str:
    """Pieces made only of lines a run may hold: the answer must be the count."""
    parts: list[str] = []
    for index in range(draw(st.integers(1, 6))):
        marker = draw(st.sampled_from(["---", "--- ", "--- # c", "---\t"] + ([""] * (index == 0))))
        lines = draw(st.lists(_BENIGN, max_size=4))
        kind = draw(st.sampled_from(["kind: Service", "kind: ConfigMap  # note", "kind: Role\t"]))
        lines.insert(draw(st.integers(0, len(lines))), kind)
        parts.append((marker + "\n" if marker else "") + "\n".join(lines) + "\n")
    return "".join(parts)


@given(runs())
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
def test_pieces_of_plain_documents_are_runs(text: str) -> None:
    found = passthrough_run(text, INTERESTING_KINDS)
    assert found == per_document(text)


@given(st.one_of(pieces(), runs()))
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
def test_utf8_bytes_get_the_answer_their_text_gets(text: str) -> None:
    """`passthrough_run` over the UTF-8 bytes of a text (how `files.passthrough` reads a
    file) agrees with the text, non-ASCII characters, escapes and quotes included."""
    assert passthrough_run(text.encode(), INTERESTING_KINDS) == passthrough_run(
        text, INTERESTING_KINDS
    )
