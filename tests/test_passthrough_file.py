"""A file that only passes through is copied as its bytes (`files.passthrough`), and that
gives exactly what the per-document path gives: the same output bytes, counts and errors.

Each test runs the engine twice, with the copy allowed and with it turned off (the
per-document path alone), on the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.generate import passthrough_stream, stream
from meshinject import parallel
from meshinject.api import RunOptions, build_request
from meshinject.files import passthrough, source
from meshinject.files.sinks import SpoolSink, TextSink
from meshinject.files.source import Source
from meshinject.parallel import Engine, FileDone, FileJob
from meshinject.stream import INTERESTING_KINDS
from meshinject.yamltext.runs import passthrough_run
from tests.yamltext.test_runs import pieces, runs

REQUEST = build_request(RunOptions())


@contextmanager
def per_document_only() -> Iterator[None]:
    with mock.patch.object(parallel, "copy_passthrough", return_value=None):
        yield


def engine_run(data: bytes, *, operation: Any = "inject") -> tuple[Any, ...]:
    """What the engine makes of a file: output, counts, errors (as text)."""
    sink = TextSink()
    job = FileJob("x.yaml", Source.from_bytes("x.yaml", data), lambda: sink)
    (done,) = Engine(REQUEST, operation, jobs=1).run([job])
    result = done.result
    stream_result = result.stream
    return (
        sink.text() if done.sink is not None else None,
        done.encoding,
        result.changed,
        [str(error) for error in result.errors],
        None if stream_result is None else stream_result.passed_through,
        None if stream_result is None else len(stream_result.workloads),
    )


def both_paths(data: bytes, **kwargs: Any) -> tuple[tuple[Any, ...], tuple[Any, ...], bool]:
    """(with the copy, per document only, whether the copy was taken)."""
    taken = []
    real = passthrough.copy_passthrough

    def spy(*args: Any) -> int | None:
        found = real(*args)
        taken.append(found is not None)
        return found

    with mock.patch.object(parallel, "copy_passthrough", spy):
        fast = engine_run(data, **kwargs)
    with per_document_only():
        slow = engine_run(data, **kwargs)
    return fast, slow, any(taken)


def test_a_stream_of_services_and_configmaps_is_copied_as_it_is() -> None:
    data = passthrough_stream(40).encode()
    fast, slow, taken = both_paths(data)
    assert taken
    assert fast == slow
    assert fast[0] == data.decode()
    assert fast[4] == 80


def test_a_workload_anywhere_takes_the_per_document_path() -> None:
    data = (passthrough_stream(20) + "---\n" + stream(1) + passthrough_stream(3)).encode()
    fast, slow, taken = both_paths(data)
    assert not taken
    assert fast == slow


# What a file may be besides its documents: the copy must take only what it can copy.
_FRAMES = st.sampled_from(
    [
        lambda t: t,
        lambda t: t,
        lambda t: t,
        lambda t: t.replace("\n", "\r\n"),  # CRLF
        lambda t: t.replace("\n", "\r"),  # CR only
        lambda t: t.replace("\n", "\r\n", 1),  # one CRLF
        lambda t: "\ufeff" + t,  # BOM
        lambda t: t.replace("name: x", "name: é", 1) or t,  # non-ASCII
        lambda t: t + "# café\n",
        lambda t: "%YAML 1.1\n---\n" + t,
        lambda t: t + "---\n",
        lambda t: t + "...\n",
        lambda t: "# header\n" + t,
        lambda t: "---\n" + t,
        lambda t: "",
    ]
)


# Bytes that are not (or not all) UTF-8, or a byte order mark.
_BYTES = st.sampled_from(
    [
        lambda b: b,
        lambda b: b,
        lambda b: b,
        lambda b: b + b"# \xff\n",  # not UTF-8
        lambda b: b + "é".encode()[:1],  # a character cut at the end
        lambda b: b[: len(b) // 2] + b"\xc3a" + b[len(b) // 2 :],  # a bad continuation
        lambda b: "é".encode()[1:] + b,  # a continuation first
        lambda b: "\ufeff".encode() + b,
    ]
)


@given(st.one_of(pieces(), runs()), _FRAMES, _BYTES, st.integers(1, 80), st.booleans())
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@example("kind: Service\n", lambda t: t, lambda b: b, 1, False)
@example("---\nkind: Service\n---\n", lambda t: t, lambda b: b, 3, False)
@example("kind: Service\n---\nkind: Role\n", lambda t: t, lambda b: b, 16, True)
@example("kind: Service\n# é\n", lambda t: t, lambda b: b, 14, False)  # é cut by a block
@example("kind: Service\n# é\n", lambda t: t, lambda b: b[:-2] + b"\n", 14, False)
def test_the_copy_gives_what_the_per_document_path_gives(
    text: str, frame: Any, corrupt: Any, block: int, uninject: bool
) -> None:
    """On generated files (runs, near-runs, non-ASCII text, other encodings and line ends,
    bytes that are not UTF-8, directives, markers) read in blocks of any size, cut
    anywhere (inside a line, a `---`, a character): output, encoding, counts and errors
    are the same on both paths."""
    data = corrupt(frame(text).encode("utf-8"))
    with mock.patch.object(source, "BLOCK", block):
        fast, slow, _ = both_paths(data, operation="uninject" if uninject else "inject")
    assert fast == slow


@given(runs(), st.integers(1, 80))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_a_file_that_is_one_run_is_copied_whatever_its_blocks(text: str, block: int) -> None:
    with mock.patch.object(source, "BLOCK", block):
        fast, slow, taken = both_paths(text.encode())
    assert taken == (passthrough_run(text, INTERESTING_KINDS) is not None)
    assert fast == slow


def test_a_file_rewritten_while_it_is_copied_is_reported_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text(passthrough_stream(200))
    real = Source.raw_blocks

    def append_after_first_block(self: Source) -> Iterator[bytes]:
        for number, block in enumerate(real(self)):
            if number == 1:
                with path.open("a") as handle:
                    handle.write("# appended\n")
            yield block

    with (
        mock.patch.object(source, "BLOCK", 4096),
        mock.patch.object(Source, "raw_blocks", append_after_first_block),
    ):
        job = FileJob(str(path), Source(str(path)), SpoolSink)
        (done,) = Engine(REQUEST, "inject", jobs=1).run([job])
    assert isinstance(done, FileDone)
    assert done.sink is None
    assert "changed while it was being read" in str(done.result.error)


@pytest.mark.parametrize("flags", [(), ("-o", "OUT"), ("-i",), ("--check",), ("--diff",)])
def test_a_passthrough_file_through_the_cli(tmp_path: Path, flags: tuple[str, ...]) -> None:
    from tests.runner import invoke

    path = tmp_path / "services.yaml"
    data = passthrough_stream(300).encode()
    path.write_bytes(data)
    before = path.stat()
    out = tmp_path / "out.yaml"
    done = invoke(*(str(out) if flag == "OUT" else flag for flag in flags), str(path))
    assert done.exit_code == 0, done.stderr
    assert "600 documents passed through" in done.stderr
    expected = {(): data, ("-o", "OUT"): b""}.get(flags, b"")
    assert done.stdout_bytes == expected
    if flags == ("-o", "OUT"):
        assert out.read_bytes() == data
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == before.st_mtime_ns  # -i writes nothing unchanged


def test_a_file_that_passes_through_is_not_copied_when_only_changes_are_used() -> None:
    """-i, --diff and --check use the output of changed files only (`unchanged_output`):
    a file that only passes through is read and judged, and nothing is spooled."""

    def no_sink() -> SpoolSink:
        raise AssertionError("the output was copied")

    data = passthrough_stream(30).encode()
    job = FileJob("x.yaml", Source.from_bytes("x.yaml", data), no_sink, unchanged_output=False)
    (done,) = Engine(REQUEST, "inject", jobs=1).run([job])
    assert done.result.stream is not None
    assert done.result.stream.passed_through == 60
    assert not done.result.changed


def _same(sink: TextSink) -> TextSink:
    return sink


def test_files_that_pass_through_before_the_first_chunk_are_not_held() -> None:
    """`-j 2`: files copied before the first file with a chunk to transform are handed on
    at once (the pool starts at the first chunk), and the outputs are those of `-j 1`."""
    passing = passthrough_stream(20).encode()
    workloads = stream(30).encode()
    files = [passing, passing, workloads, passing]

    def outputs(jobs: int) -> list[str]:
        sinks = [TextSink() for _ in files]
        file_jobs = [
            FileJob(f"{n}.yaml", Source.from_bytes(f"{n}.yaml", data), partial(_same, sink))
            for n, (data, sink) in enumerate(zip(files, sinks, strict=True))
        ]
        pools: list[int] = []
        real = Engine._pool

        def counted(self: Engine, *args: Any) -> Any:
            pools.append(1)
            return real(self, *args)

        with mock.patch.object(Engine, "_pool", counted):
            done = Engine(REQUEST, "inject", jobs=jobs).run(file_jobs)
            first, second = next(done), next(done)
            assert not pools  # handed on before any worker exists
            assert [first.result.path, second.result.path] == ["0.yaml", "1.yaml"]
            assert all(d.sink is not None for d in [first, second, *done])
        assert len(pools) == (jobs > 1)
        return [sink.text() for sink in sinks]

    with mock.patch.object(parallel, "CHUNK", 3000):
        assert outputs(2) == outputs(1)
