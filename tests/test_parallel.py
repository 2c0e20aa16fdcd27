"""Streaming and `--jobs`: the output never depends on how the work was cut or shared out,
and a file that fails leaves nothing behind (no partial output, no temporary file)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from benchmarks.generate import stream
from meshinject import parallel
from meshinject.api import InjectionRequest, RunOptions, build_request, inject_text
from meshinject.files import documents, source
from meshinject.files.documents import iter_documents
from meshinject.files.encoding import Encoding, check_encoding
from meshinject.files.source import Source
from meshinject.yamltext import split_stream
from tests.runner import invoke as run

BROKEN_LAST = stream(3) + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n"


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut streams into many pieces and chunks, as a huge file would be."""
    monkeypatch.setattr(source, "BLOCK", 64)
    monkeypatch.setattr(documents, "PIECE", 200)
    monkeypatch.setattr(parallel, "CHUNK", 3000)


def test_runs_of_passthrough_documents_come_out_byte_for_byte(
    tmp_path: Path, small_pieces: None
) -> None:
    """Pieces of Services and ConfigMaps are copied as whole runs, between workloads too."""
    from benchmarks.generate import passthrough_stream

    text = passthrough_stream(40) + "---\n" + stream(2) + "---\n" + passthrough_stream(40)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    sequential = run("--jobs", "1", str(tmp_path / "a.yaml"))
    parallel_run = run("--jobs", "2", str(tmp_path / "a.yaml"))
    assert sequential.exit_code == 0, sequential.stderr
    assert parallel_run.stdout == sequential.stdout
    assert sequential.stdout.count("name: istio-proxy") == 2
    assert sequential.stdout.startswith(passthrough_stream(40))
    assert sequential.stdout.endswith(passthrough_stream(40))
    request = build_request(RunOptions())
    assert inject_text(text, request).text == sequential.stdout


def test_jobs_2_output_is_byte_identical_to_jobs_1(tmp_path: Path, small_pieces: None) -> None:
    (tmp_path / "a.yaml").write_text(stream(12), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# just a comment\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(stream(2).replace("\n", "\r\n"), encoding="utf-8")
    sequential = run("--jobs", "1", str(tmp_path))
    parallel_run = run("--jobs", "2", str(tmp_path))
    assert sequential.exit_code == 0, sequential.stderr
    assert parallel_run.exit_code == 0, parallel_run.stderr
    assert sequential.stdout.count("name: istio-proxy") == 13  # 14 workloads, one opts out
    assert parallel_run.stdout == sequential.stdout
    assert parallel_run.stderr == sequential.stderr


def test_streamed_file_matches_the_library_core(tmp_path: Path, small_pieces: None) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(stream(8), encoding="utf-8")
    whole = inject_text(stream(8), _request())
    streamed = run("--jobs", "1", str(path))
    assert streamed.exit_code == 0
    assert not whole.errors
    assert streamed.stdout == whole.text


def test_jobs_work_without_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where `fork` is missing (Windows, macOS defaults) workers get a pickled request."""
    path = tmp_path / "app.yaml"
    path.write_text(stream(4), encoding="utf-8")
    sequential = run("--jobs", "1", str(path))
    monkeypatch.setattr(parallel, "CHUNK", 512)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    spawned = run("--jobs", "2", str(path))
    assert spawned.exit_code == 0, spawned.stderr
    assert spawned.stdout == sequential.stdout


@pytest.mark.parametrize(
    "text",
    [
        stream(3),
        "\ufeff" + stream(2),
        stream(2).replace("\n", "\r\n"),
        "%YAML 1.1\n---\na: 1\n...\nb: 2\n---\nc: 3\n" * 20,
        "# lead\n---\n---\nkind: Service\n" * 40 + "x: 1",
        "",
    ],
    ids=["plain", "bom", "crlf", "directives-and-end-markers", "empty-docs", "empty"],
)
def test_iter_documents_splits_like_split_stream(text: str, small_pieces: None) -> None:
    source = Source.from_bytes("x.yaml", text.encode("utf-8"))
    encoding = check_encoding(source)
    decoded = text.removeprefix("\ufeff")
    if encoding.crlf:
        decoded = decoded.replace("\r\n", "\n")
    assert list(iter_documents(source, encoding)) == split_stream(decoded)
    assert encoding == Encoding(bom=text.startswith("\ufeff"), crlf="\r\n" in text)


def test_failing_file_in_place_is_untouched_and_leaves_no_temp_file(
    tmp_path: Path, small_pieces: None
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(stream(2), encoding="utf-8")
    bad.write_text(BROKEN_LAST, encoding="utf-8")
    result = run("-i", "--jobs", "2", str(tmp_path))
    assert result.exit_code == 123
    assert "bad.yaml:" in result.stderr
    assert bad.read_text(encoding="utf-8") == BROKEN_LAST
    assert "istio-proxy" in good.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "good.yaml"]


def test_failing_file_writes_no_partial_output_to_stdout(tmp_path: Path) -> None:
    good, bad = tmp_path / "a-good.yaml", tmp_path / "b-bad.yaml"
    good.write_text(stream(1), encoding="utf-8")
    bad.write_text(BROKEN_LAST, encoding="utf-8")
    alone = run("--jobs", "1", str(good))
    both = run("--jobs", "1", str(good), str(bad))
    assert both.exit_code == 123
    assert both.stdout == alone.stdout  # nothing of the failing file's workloads
    assert "svc-00002" not in both.stdout


def test_failing_file_with_output_option_leaves_no_temp_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN_LAST, encoding="utf-8")
    result = run("--jobs", "1", "-o", str(tmp_path / "out.yaml"), str(bad))
    assert result.exit_code == 123
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def _request() -> InjectionRequest:
    return build_request(RunOptions())
