"""The command line as a user meets it: stdout is YAML only, stderr is for people, and the
exit code says what happened."""

from __future__ import annotations

from pathlib import Path

from tests.runner import invoke as run

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: app:1
"""


def test_stdin_is_injected_to_stdout() -> None:
    result = run("-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 0
    assert "name: istio-proxy" in result.stdout
    assert result.stdout.startswith(DEPLOYMENT.split("template:", maxsplit=1)[0])
    assert "1 workload injected" in result.stderr
    assert "istio-proxy" not in result.stderr


def test_positional_file_works_like_dash_f(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(DEPLOYMENT)
    assert run(str(path)).stdout == run("-f", str(path)).stdout


def test_check_reports_and_exits_1_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(DEPLOYMENT)
    result = run("--check", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"would rewrite {path}" in result.stderr
    assert path.read_text() == DEPLOYMENT


def test_in_place_rewrites_once_then_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(DEPLOYMENT)
    path.chmod(0o640)
    assert run("-i", str(path)).exit_code == 0
    injected = path.read_text()
    assert "istio-proxy" in injected
    assert path.stat().st_mode & 0o777 == 0o640
    mtime = path.stat().st_mtime_ns
    assert run("-i", str(path)).exit_code == 0
    assert path.stat().st_mtime_ns == mtime
    assert run("--check", str(path)).exit_code == 0
    assert list(tmp_path.iterdir()) == [path]


def test_crlf_and_missing_final_newline_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_bytes(DEPLOYMENT.rstrip("\n").replace("\n", "\r\n").encode())
    result = run("-i", str(path))
    assert result.exit_code == 0
    data = path.read_bytes()
    assert b"istio-proxy" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_malformed_yaml_is_a_located_error_with_nothing_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")
    good = tmp_path / "good.yaml"
    good.write_text(DEPLOYMENT)
    result = run("-f", str(bad), "-f", str(good))
    assert result.exit_code == 123
    assert f"error: {bad}:" in result.stderr
    assert "istio-proxy" in result.stdout  # the good file was still processed
    assert "unclosed" not in result.stdout


def test_document_that_is_a_list_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    result = run(str(path))
    assert result.exit_code == 123
    assert result.stdout == ""
    assert (
        f"error: {path}:1:1: a Kubernetes document must be a mapping, got a list" in result.stderr
    )


def test_unknown_set_key_names_the_key() -> None:
    result = run("--set", "global.proxy.nope=1", "-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert "global.proxy.nope" in result.stderr


def test_invalid_traffic_annotation_fails_the_file_with_istios_message() -> None:
    doc = DEPLOYMENT.replace(
        "      labels: {app: app}\n",
        "      labels: {app: app}\n      annotations:\n"
        '        traffic.sidecar.istio.io/includeOutboundIPRanges: "10.0.0.0/33"\n',
    )
    result = run("-f", "-", input=doc)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert (
        "error: <stdin>:12:9: invalid value '10.0.0.0/33' for annotation "
        "'traffic.sidecar.istio.io/includeOutboundIPRanges'" in result.stderr
    )


def test_bad_quantity_annotation_points_at_its_line() -> None:
    doc = DEPLOYMENT.replace(
        "      labels: {app: app}\n",
        "      labels: {app: app}\n      annotations:\n        sidecar.istio.io/proxyCPU: lots\n",
    )
    result = run("-f", "-", input=doc)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert (
        "error: <stdin>:12:9: invalid value 'lots' for annotation 'sidecar.istio.io/proxyCPU': "
        "not a Kubernetes quantity (a number with an optional suffix such as 100m, 0.5, 128Mi "
        "or 1Gi)" in result.stderr
    )


def test_skips_are_reported_on_stderr_and_output_is_unchanged() -> None:
    doc = DEPLOYMENT.replace("    spec:\n", "    spec:\n      hostNetwork: true\n")
    result = run("-f", "-", input=doc)
    assert result.exit_code == 0
    assert result.stdout == doc
    assert "hostNetwork" in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout == run("version").stdout
    assert "Istio" in run("version").stdout
    help_text = run("--help").stdout
    assert "Exit codes" in help_text


def test_uninject_restores_the_original() -> None:
    injected = run("-f", "-", input=DEPLOYMENT).stdout
    result = run("uninject", "-f", "-", input=injected)
    assert result.exit_code == 0
    assert "istio-proxy" not in result.stdout
    assert "istio-init" not in result.stdout


def test_a_bom_stays_at_the_start_of_the_joined_stream(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (first, second):
        path.write_bytes("\ufeffapiVersion: v1\nkind: Service\nmetadata: {name: a}\n".encode())
    result = run(str(first), str(second))
    assert result.exit_code == 0
    assert result.stdout.count("\ufeff") == 1
    assert result.stdout.startswith("\ufeff")
    assert result.stdout.count("---\n") == 1
