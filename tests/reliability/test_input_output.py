"""Reading input and writing output (R11-R14): every input read once, whatever it is;
a file changing underneath is detected; stdout failures are errors; joined outputs
have one boundary between files, never an empty document.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from meshinject.files.source import Source
from meshinject.files.stdout import joint

from .helpers import POD, run

COMMAND = [sys.executable, "-m", "meshinject"]


def meshinject(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def expected_output(tmp_path: Path) -> bytes:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    done = meshinject("-q", "--style", "minimal", str(path))
    assert done.returncode == 0
    return done.stdout


def test_R11_dev_stdin_and_process_substitution_are_read_once(tmp_path: Path) -> None:
    expected = expected_output(tmp_path)
    piped = meshinject("-q", "--style", "minimal", "-f", "/dev/stdin", input=POD.encode())
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == expected
    substituted = subprocess.run(
        ["bash", "-c", f"{' '.join(COMMAND)} -q --style minimal -f <(printf '%s' \"$POD\")"],
        capture_output=True, timeout=60, check=False, env={**os.environ, "POD": POD},
    )  # fmt: skip
    assert substituted.returncode == 0, substituted.stderr
    assert substituted.stdout == expected


@pytest.mark.parametrize("mode", [(), ("--check",), ("--diff",)])
def test_R11_a_named_fifo_is_read_once_and_does_not_hang(
    tmp_path: Path, mode: tuple[str, ...]
) -> None:
    fifo = tmp_path / "pods"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w") as handle:
            handle.write(POD)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    done = meshinject("-q", "--style", "minimal", *mode, str(fifo))
    writer.join(5)
    assert done.returncode == (1 if mode == ("--check",) else 0), done.stderr
    if not mode:
        assert done.stdout == expected_output(tmp_path)
    if mode == ("--diff",):
        assert b"+  - name: istio-proxy\n" in done.stdout


def test_R11_a_source_is_opened_once_for_every_pass(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    source = Source(str(path))
    first = b"".join(source.blocks())
    path.unlink()  # gone from the folder: later passes read the same open file
    assert b"".join(source.blocks()) == first
    source.close()


def test_R12_a_file_replaced_while_it_is_read_is_reported_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    source = Source(str(path))
    b"".join(source.blocks())
    replacement = tmp_path / "new.yaml"
    replacement.write_text(POD.replace("web", "other"))
    replacement.replace(path)
    with pytest.raises(Exception, match="changed while it was being read"):
        source.check_unchanged()
    source.close()


def test_R12_a_file_rewritten_in_place_while_read_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    source = Source(str(path))
    b"".join(source.blocks())
    with path.open("a") as handle:
        handle.write("# appended\n")
    with pytest.raises(Exception, match="changed while it was being read"):
        source.check_unchanged()
    source.close()


def test_R12_replacing_the_file_during_runs_gives_one_version_or_a_clean_error(
    tmp_path: Path,
) -> None:
    def cm(i: int) -> str:
        return CM % f"c{i}" + f"data: {{k: {'v' * 3000}}}\n"

    def pod(name: str) -> str:
        return POD.replace("name: web\n", f"name: {name}\n", 1)

    a = "---\n".join([cm(i) for i in range(60)] + [pod(f"a{i}") for i in range(60)])
    b = "---\n".join([pod(f"b{i}") for i in range(60)] + [cm(i) for i in range(90)])
    target = tmp_path / "app.yaml"
    outputs = set()
    for text in (a, b):
        target.write_text(text)
        outputs.add(meshinject("-q", "-j", "1", str(target)).stdout)
    stop = threading.Event()

    def flip() -> None:
        tmp = tmp_path / ".t"
        while not stop.is_set():
            for text in (a, b):
                tmp.write_text(text)
                tmp.replace(target)

    flipper = threading.Thread(target=flip, daemon=True)
    flipper.start()
    try:
        for _ in range(6):
            done = meshinject("-q", "-j", "1", str(target))
            if done.returncode == 0:
                assert done.stdout in outputs
            else:
                assert done.returncode == 123
                assert done.stdout == b""
                assert b"changed while it was being read" in done.stderr
                assert b"internal error" not in done.stderr
    finally:
        stop.set()
        flipper.join(5)


def test_R13_a_full_disk_on_stdout_is_an_error() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [*COMMAND, "-f", "-"], input=POD.encode(), stdout=full, stderr=subprocess.PIPE,
            timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 123
    assert b"error: <stdout>: cannot write: No space left on device" in done.stderr
    assert b"internal error" not in done.stderr


def test_R13_partial_writes_are_retried(tmp_path: Path) -> None:
    many = "---\n".join(POD.replace("name: web\n", f"name: w{i}\n", 1) for i in range(60))
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []

    def drain() -> None:
        with os.fdopen(read_end, "rb") as handle:
            while block := handle.read(1000):  # a slow reader: the writer sees short writes
                chunks.append(block)

    reader = threading.Thread(target=drain)
    reader.start()
    with os.fdopen(write_end, "wb") as out:
        done = subprocess.run(
            [*COMMAND, "-q", "-f", "-"], input=many.encode(), stdout=out, stderr=subprocess.PIPE,
            timeout=60, check=False,
        )  # fmt: skip
    reader.join(10)
    assert done.returncode == 0, done.stderr
    docs = list(yaml.safe_load_all(b"".join(chunks)))
    assert [d["metadata"]["name"] for d in docs] == [f"w{i}" for i in range(60)]


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"


@pytest.mark.parametrize(
    "second",
    [
        "\ufeff---\n" + CM % "b",
        "%YAML 1.1\n---\n" + CM % "b",
        "# a comment first\n---\n" + CM % "b",
        CM % "b",
    ],
)
def test_R14_joined_outputs_have_one_boundary_and_no_empty_document(
    tmp_path: Path, second: str
) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(CM % "a")
    other = tmp_path / "b.yaml"
    other.write_text(second, encoding="utf-8")
    for args in ((), ("-o", str(tmp_path / "out.yaml"))):
        result = run("-q", str(first), str(other), *args)
        assert result.exit_code == 0, result.stderr
        text = result.stdout if not args else (tmp_path / "out.yaml").read_text()
        names = [d["metadata"]["name"] for d in yaml.safe_load_all(text.lstrip("\ufeff"))]
        assert names == ["a", "b"], text


def test_R14_a_file_ending_in_a_marker_line_adds_no_empty_document(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CM % "a" + "---\n")
    (tmp_path / "b.yaml").write_text(CM % "b")
    result = run("-q", str(tmp_path))
    names = [d["metadata"]["name"] for d in yaml.safe_load_all(result.stdout)]
    assert names == ["a", "b"]


def test_R14_the_joint_rules() -> None:
    assert joint("kind: A\n", "kind: B\n") == "---\n"
    assert joint("kind: A", "kind: B\n") == "\n---\n"
    assert joint("kind: A\n", "\ufeff---\nkind: B\n") == ""
    assert joint("kind: A\n", "%YAML 1.1\n---\n") == "...\n"
    assert joint("kind: A\n---\n", "kind: B\n") == ""
