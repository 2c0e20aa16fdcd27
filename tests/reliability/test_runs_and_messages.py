"""Parallel runs, signals, invalid values and messages (R4, R18-R20, R22)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meshinject.errors import InputError, Location, escape_controls

from .helpers import POD, inject, run

NAMESPACE = (
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n"
)


def test_R4_non_string_labels_are_located_errors() -> None:
    result = inject(POD.replace("labels: {app: web}", "labels: {app: true, version: 1.10}"))
    assert result.exit_code == 123
    assert '<stdin>:5:12: metadata.labels.app must be a string; quote it: "true"' in result.stderr


def test_R4_impossible_ports_are_located_errors() -> None:
    probe = POD + "    readinessProbe: {httpGet: {path: /r, port: -1}}\n"
    result = inject(probe)
    assert result.exit_code == 123
    assert "readinessProbe.httpGet.port must be a port number between 1 and 65535" in result.stderr
    big = POD + "    ports: [{containerPort: 99999999999999999999}]\n"
    result = inject(big)
    assert result.exit_code == 123
    assert "containerPort must be a port number between 1 and 65535" in result.stderr


def test_R4_a_user_volume_that_is_not_json_is_a_located_error() -> None:
    bad = POD.replace(
        "  labels: {app: web}\n",
        "  labels: {app: web}\n  annotations: {sidecar.istio.io/userVolume: '{\"data\": '}\n",
    )
    result = inject(bad)
    assert result.exit_code == 123
    assert (
        "<stdin>:6:17: annotation 'sidecar.istio.io/userVolume' is not valid JSON" in result.stderr
    )


def test_R18_a_namespace_document_in_a_parallel_run(tmp_path: Path) -> None:
    path = tmp_path / "ns.yaml"
    path.write_text(
        NAMESPACE + "---\n" + POD + "---\n" + POD.replace("name: web\n", "name: w2\n", 1)
    )
    one = run("-q", "--jobs", "1", str(path))
    two = run("-q", "--jobs", "2", str(path))
    assert one.exit_code == 0, one.stderr
    assert two.exit_code == 0, two.stderr
    assert two.stdout == one.stdout


def test_R18_namespace_info_survives_pickling() -> None:
    import pickle

    from meshinject.policy import namespace_from_object

    info = namespace_from_object({"metadata": {"name": "shop", "labels": {"a": "b"}}})
    assert pickle.loads(pickle.dumps(info)) == info


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_R19_a_signal_during_a_parallel_in_place_run_leaves_no_file_and_no_process(
    tmp_path: Path, sig: signal.Signals
) -> None:
    folder = tmp_path / "k8s"
    folder.mkdir()
    filler = ("# " + "x" * 100 + "\n") * 60
    for f in range(4):
        docs = [filler + POD.replace("name: web\n", f"name: w{i}\n", 1) for i in range(150)]
        (folder / f"f{f}.yaml").write_text("---\n".join(docs))
    originals = {p.name: p.read_text() for p in folder.iterdir()}
    process = subprocess.Popen(
        [sys.executable, "-m", "meshinject", "-i", "-q", "--jobs", "2", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    time.sleep(2.5)
    children = _children(process.pid)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)  # returns: no worker holds the pipes
    if sig == signal.SIGTERM and process.returncode != 0:
        assert process.returncode == 143, stderr
    time.sleep(0.5)
    assert sorted(p.name for p in folder.iterdir()) == sorted(originals)
    for child in children:
        assert not Path(f"/proc/{child}").exists() or _zombie(child), f"worker {child} left"


@pytest.mark.parametrize(("parent", "alive"), [("os.getppid()", True), ("os.getpid()", False)])
def test_R19_a_worker_whose_parent_is_gone_before_the_death_signal_is_armed_exits(
    parent: str, alive: bool
) -> None:
    # The death signal covers only a parent that dies after prctl; one that died between
    # the fork and the worker's start-up left the worker waiting on the task queue forever.
    code = (
        "import os; from meshinject.signals import die_with_parent; "
        f"die_with_parent({parent}); print('alive')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        (0, "alive\n", "") if alive else (1, "", "")
    )


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except OSError:
        return True


def test_R20_deeply_nested_json_in_an_annotation_is_a_located_error() -> None:
    deep = "{" + '"a":{' * 5000 + "}" * 5001
    for name in (
        "proxy.istio.io/config",
        "sidecar.istio.io/userVolume",
        "sidecar.istio.io/userVolumeMount",
    ):
        bad = POD.replace(
            "  labels: {app: web}\n",
            f"  labels: {{app: web}}\n  annotations:\n    {name}: '{deep}'\n",
        )
        result = inject(bad)
        assert result.exit_code == 123, name
        assert f"<stdin>:7:5: annotation '{name}' nests more than 500 levels deep" in result.stderr
        assert "internal error" not in result.stderr


def test_R20_deeply_nested_recordings_do_not_crash_uninject() -> None:
    injected = inject(POD + "    readinessProbe: {httpGet: {path: /ready, port: 8080}}\n").stdout
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    start = injected.index("- name: ISTIO_KUBE_APP_PROBERS")
    value_line = injected.index("value:", start)
    end = injected.index("\n", value_line)
    edited = injected[:value_line] + f"value: '{deep}'" + injected[end:]
    for result in (run("uninject", "-q", "-f", "-", input=edited), inject(edited)):
        assert "internal error" not in result.stderr


ATTACK = (
    '"1\\n::error file=README.md,line=1::forged annotation\\n'
    'error: other.yaml:1:1: forged error line\\n\\e[2J\\e]0;PWNED"'
)


def test_R22_messages_escape_control_characters() -> None:
    bad = POD.replace(
        "  labels: {app: web}\n",
        f"  labels: {{app: web}}\n  annotations:\n    status.sidecar.istio.io/port: {ATTACK}\n",
    )
    for fmt in ("text", "github"):
        result = inject(bad, "--check", "--format", fmt)
        assert result.exit_code == 123
        for line in result.stderr.splitlines():
            assert not line.startswith(("error: other.yaml", "::error file=README.md"))
        assert "\x1b" not in result.stderr
        assert "\\n::error file=README.md" in result.stderr or fmt == "github"


def test_R22_one_place_escapes_paths_and_messages() -> None:
    error = InputError("bad value 'a\nb\x1b[2J'", Location("dir\n/x.yaml", 1, 2))
    assert error.render() == "dir\\n/x.yaml:1:2: bad value 'a\\nb\\x1b[2J'"
    assert escape_controls("tab\there\u2028\u202e") == "tab\\there\\u2028\\u202e"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_R22_file_names_with_control_characters_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J\nerror: forged.yaml"
    path.write_text("kind: [")
    result = run("-q", str(path))
    assert "\x1b" not in result.stderr
    assert not any(line.startswith("error: forged.yaml") for line in result.stderr.splitlines())


def _with(annotations: str = "", labels: str = "{app: web}") -> str:
    text = POD.replace("  labels: {app: web}\n", f"  labels: {labels}\n")
    if annotations:
        text = text.replace("spec:\n", f"  annotations: {annotations}\nspec:\n", 1)
    return text


def test_R21_messages_locate_the_input_and_never_show_python_internals() -> None:
    cases = {
        _with(labels='{app: "a\\uFFFEb"}'): None,  # now injected: the value is escaped
        _with("{inject.istio.io/templates: does-not-exist}"): (
            '<stdin>:6:17: requested template "does-not-exist" not found'
        ),
        _with('{proxy.istio.io/config: \'{"concurrency": 2, "concurrency": 3}\'}'): (
            '<stdin>:6:17: invalid value \'{"concurrency": 2, "concurrency": 3}\' for '
            "annotation 'proxy.istio.io/config': failed to convert to apply proxy config: "
            "duplicate key 'concurrency'"
        ),
        # a valid (huge) quantity: read without Python's int() complaining about `Ei`
        _with("{sidecar.istio.io/proxyMemory: 99999999999999999999999999999999999999Ei}"): None,
        POD.replace("name: web\n", 'name: "we\x00b"\n', 1): (
            "<stdin>:4:12: character U+0000 is not allowed in YAML text"
        ),
        POD.replace("{app: web}\n", "{app: web}\u2029", 1): (
            "<stdin>:5:21: U+2029 used as a line break is not supported"
        ),
    }
    for source, expected in cases.items():
        result = inject(source, "--check")
        assert "internal error" not in result.stderr
        assert "invalid literal" not in result.stderr
        assert "<unicode string>" not in result.stderr
        assert "check the injection template" not in result.stderr
        if expected is None:
            assert result.exit_code == 1, result.stderr
        else:
            assert result.exit_code == 123
            assert expected in result.stderr, (expected, result.stderr)


def test_R21_a_whole_flow_pod_on_the_marker_line_is_injected() -> None:
    source = (
        "--- {apiVersion: v1, kind: Pod, metadata: {name: web},"
        " spec: {containers: [{name: web, image: web}]}}\n"
    )
    result = inject(source)
    assert result.exit_code == 0, result.stderr
    assert "istio-proxy" in result.stdout
    assert result.stdout.startswith("--- {apiVersion: v1, kind: Pod")
