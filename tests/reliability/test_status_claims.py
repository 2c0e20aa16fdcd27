"""Re-injection and uninject distrust the status annotation (R7).

`sidecar.istio.io/status` is text anyone can edit. When it claims a container or volume
that injection did not write, nothing is removed: the run fails with a located error.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import inject, run, uninject

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: web:1
    volumeMounts: [{name: data, mountPath: /d}]
  volumes:
  - name: data
    emptyDir: {}
"""


def injected() -> str:
    result = inject(POD)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def status_line(text: str) -> int:
    return next(
        i for i, line in enumerate(text.splitlines(), 1) if "sidecar.istio.io/status" in line
    )


def test_R7_reinjection_refuses_a_status_claiming_an_app_container() -> None:
    edited = injected().replace('"containers":null', '"containers":["web"]')
    for result in (inject(edited), uninject(edited)):
        assert result.exit_code == 123
        assert result.stdout == ""
        assert f"<stdin>:{status_line(edited)}:5: sidecar.istio.io/status claims" in result.stderr
        assert "container 'web'" in result.stderr


def test_R7_reinjection_refuses_a_status_claiming_a_users_volume(tmp_path: Path) -> None:
    edited = injected().replace('"volumes":["', '"volumes":["data","')
    path = tmp_path / "inj.yaml"
    path.write_text(edited)
    for args in (("-i",), ("--check",), ()):
        result = run("-q", "--style", "minimal", *args, str(path))
        assert result.exit_code == 123, result.stderr
        assert "volume 'data' is mounted by container 'web'" in result.stderr
    assert path.read_text() == edited


def test_R7_an_honest_status_still_reinjects_and_uninjects() -> None:
    once = injected()
    assert inject(once).stdout == once
    assert uninject(once).exit_code == 0


PROBED = POD.replace(
    "    volumeMounts: [{name: data, mountPath: /d}]\n",
    "    readinessProbe: {httpGet: {path: /ready, port: 8080}}\n",
).replace("  volumes:\n  - name: data\n    emptyDir: {}\n", "")


def test_R10_uninject_refuses_a_rewritten_probe_whose_recording_is_gone() -> None:
    injected = inject(PROBED).stdout
    assert uninject(injected).stdout == PROBED
    start = injected.index("    - name: ISTIO_KUBE_APP_PROBERS\n")
    end = injected.index("\n    - name:", start + 5) + 1
    edited = injected[:start] + injected[end:]
    result = uninject(edited)
    assert result.exit_code == 123
    assert "its readinessProbe was rewritten by injection" in result.stderr
    assert f"<stdin>:{status_line(edited)}:5:" in result.stderr


def test_R10_uninject_refuses_an_unreadable_status() -> None:
    injected = inject(PROBED).stdout
    line = next(x for x in injected.splitlines() if "sidecar.istio.io/status" in x)
    edited = injected.replace(line, '    sidecar.istio.io/status: "oops"')
    for result in (uninject(edited), inject(edited)):
        assert result.exit_code == 123
        assert "sidecar.istio.io/status is not the JSON object injection writes" in result.stderr
