"""Memory stays flat however many workloads a run injects, and `--jobs` workers share the
parent's start-up and send no output back through the pool's pipe; none of it changes
what is written or reported."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from benchmarks.generate import stream
from meshinject import parallel
from meshinject.api import RunOptions, build_request, inject_text
from meshinject.files.file_result import FileResult
from meshinject.files.sinks import TextSink
from meshinject.files.source import Source
from meshinject.output.text import LazyConsole, print_report
from meshinject.parallel import Engine, FileJob
from meshinject.report import Report
from meshinject.yamltext import split_stream
from tests.runner import invoke as run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def mixed_streams() -> list[str]:
    """Streams with every kind of workload report: injected (changed, or already up to
    date), with a warning, skipped, removed, failed; one without a failure, one with."""
    deployment = (EXAMPLES / "deployment.yaml").read_text(encoding="utf-8")
    injected = inject_text(deployment, build_request(RunOptions())).text
    removed = injected.replace(
        "sidecar.istio.io/status",
        'sidecar.istio.io/inject: "false"\n        sidecar.istio.io/status',
        1,
    )
    warning = deployment.replace("name: web\n  namespace: shop", "name: yes\n  namespace: shop")
    failed = deployment.replace(
        "  template:\n    metadata:\n",
        "  template:\n    metadata:\n      annotations:\n        sidecar.istio.io/proxyCPU: x\n",
    )
    good = "---\n".join([stream(12), injected, warning, removed, deployment])
    return [good, good + "---\n" + failed]


def report_of(texts: list[str], *, counts_only: bool, jobs: int = 1) -> Report:
    request = build_request(RunOptions())
    jobs_ = [
        FileJob(f"f{i}.yaml", Source.from_bytes(f"f{i}.yaml", text.encode()), TextSink)
        for i, text in enumerate(texts)
    ]
    report = Report()
    for done in Engine(request, "inject", jobs, counts_only=counts_only).run(jobs_):
        report.add(done.result)
    return report


def printed(report: Report) -> str:
    stderr, sys.stderr = sys.stderr, io.StringIO()
    try:
        print_report(LazyConsole(), report, quiet=False)
        return sys.stderr.getvalue()
    finally:
        sys.stderr = stderr


def test_counting_plain_workloads_prints_and_counts_what_keeping_their_reports_does() -> None:
    texts = mixed_streams()
    full = report_of(texts, counts_only=False)
    counted = report_of(texts, counts_only=True)
    assert printed(counted) == printed(full)
    assert counted.counts() == full.counts()
    assert counted.return_code == full.return_code
    assert [f.changed for f in counted.files] == [f.changed for f in full.files]
    assert full.counts()["injected"]  # both kinds of plain workloads were counted
    assert full.counts()["up_to_date"]
    kept = [w.outcome for w in counted.files[0].stream.workloads]  # type: ignore[union-attr]
    assert "injected" in kept  # the one with a warning prints a line: its report stays
    assert len(kept) < len(full.files[0].stream.workloads)  # type: ignore[union-attr]


@pytest.mark.slow
def test_workers_count_plain_workloads_as_the_parent_does() -> None:
    texts = [stream(40)]
    assert report_of(texts, counts_only=True, jobs=2).counts() == (
        report_of(texts, counts_only=False).counts()
    )


def test_a_worker_writes_its_chunk_to_a_file_and_sends_back_no_text(tmp_path: Path) -> None:
    request = build_request(RunOptions())
    text = next(d.text for d in split_stream(stream(2)) if "kind: Deployment" in d.text)
    task = parallel._Task(
        [(text, 0, 1, 0, 1)], None, enabled=True, failed=frozenset(), parse=b"\x01", number=7
    )
    inline = parallel._transform([request], "inject", task)
    parallel._init_worker([request], "inject", str(tmp_path), counts_only=False)
    sent = parallel._run_chunk(task)
    assert sent.text == ""
    assert sent.output == str(tmp_path / "7")
    assert "istio-proxy" in inline.text
    assert Path(sent.output).read_text(encoding="utf-8") == inline.text
    assert list(parallel._Outputs().read(sent)) == [inline.text]  # read in order...
    assert not Path(sent.output).exists()  # ...then removed


def test_a_worker_that_cannot_write_its_chunk_sends_the_text_back(tmp_path: Path) -> None:
    request = build_request(RunOptions())
    text = next(d.text for d in split_stream(stream(2)) if "kind: Deployment" in d.text)
    task = parallel._Task([(text, 0, 1, 0, 1)], None, True, frozenset(), b"\x01", number=1)
    inline = parallel._transform([request], "inject", task)
    for folder in ("", str(tmp_path / "missing")):  # no temporary folder; cannot write
        parallel._init_worker([request], "inject", folder, counts_only=False)
        sent = parallel._run_chunk(task)
        assert (sent.text, sent.output) == (inline.text, "")
        assert list(parallel._Outputs().read(sent)) == [inline.text]


def test_jobs_leave_no_folder_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 3000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "app.yaml").write_text(stream(12), encoding="utf-8")
    result = run("--jobs", "2", str(tmp_path / "app.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == run("--jobs", "1", str(tmp_path / "app.yaml")).stdout
    assert not list((tmp_path / "tmp").iterdir())


# In a fresh interpreter: after the parent's warm-up, transforming the rest of the first
# chunk imports nothing more (forked workers inherit what the parent imported).
_AFTER_WARM_UP = """
import sys
from benchmarks.generate import stream
from meshinject import parallel
from meshinject.api import RunOptions, build_request
from meshinject.files.sinks import TextSink
from meshinject.files.source import Source

request = build_request(RunOptions())
source = Source.from_bytes("a.yaml", stream(6).encode())
engine = parallel.Engine(request, "inject", 2)
job = parallel.FileJob("a.yaml", source, TextSink)
task = next(item for item in engine._items([job]) if isinstance(item, parallel._Task))
parallel._warm_up([request], "inject", task)
before = set(sys.modules)
parallel._transform([request], "inject", task)
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_workers_import_nothing_the_parent_did_not_import_before_forking() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _AFTER_WARM_UP],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.split() == []


def test_a_file_result_without_a_stream_counts_nothing() -> None:
    report = Report()
    report.add(FileResult("gone.yaml", None))
    assert report.counts()["injected"] == 0
