"""`--format github` and `--format json`: what CI systems read from a meshinject run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meshinject.output.formats import default_format, workflow_command
from tests.runner import invoke as run

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web:1
"""
OPTED_OUT = DEPLOYMENT.replace("name: web\n  namespace", "name: batch\n  namespace").replace(
    "labels: {app: web}\n    spec", 'labels: {app: web, sidecar.istio.io/inject: "false"}\n    spec'
)
BAD_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    sidecar.istio.io/proxyCPU: lots
spec:
  containers: [{name: c, image: c}]
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "batch.yaml").write_text(OPTED_OUT)
    (tmp_path / "bad.yaml").write_text(BAD_POD)
    return tmp_path


# --------------------------------------------------------------------------- github


def test_github_format_annotates_errors_and_check_findings(tree: Path) -> None:
    result = run("--check", "--format", "github", str(tree))

    assert result.exit_code == 123
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    bad = f"::error file={tree}/bad.yaml,line=6,col=5,title=meshinject%3A InjectionError::"
    assert any(line.startswith(bad) and "'lots'" in line for line in lines)
    would = f"::error file={tree}/web.yaml,title=meshinject --check%3A not injected::"
    assert any(line.startswith(would) and "(Deployment shop/web)" in line for line in lines)
    assert not any(f"file={tree}/batch.yaml" in line for line in lines)  # skipped: fine
    assert f"would rewrite {tree}/web.yaml" in lines  # the text output is still there


def test_github_is_the_default_inside_github_actions(tree: Path) -> None:
    result = run("--check", str(tree / "web.yaml"), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert f"::error file={tree}/web.yaml," in result.stderr
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({}) == "text"


def test_text_format_has_no_workflow_commands(tree: Path) -> None:
    result = run("--check", "--format", "text", str(tree), env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in result.stderr


def test_github_format_keeps_stdout_yaml_only() -> None:
    result = run("--format", "github", "-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 0
    assert result.stdout.startswith("apiVersion: apps/v1\n")
    assert "::" not in result.stdout


def test_github_config_error_is_an_annotation_on_the_config_file(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("global:\n  proxy:\n    resources:\n      limits:\n        cpu: lots\n")
    result = run("--format", "github", "--values", str(values), "-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert f"::error file={values},line=5" in result.stderr


def test_github_errors_in_stdin_carry_their_location_in_the_message() -> None:
    result = run("--format", "github", "-f", "-", input=BAD_POD)
    assert result.exit_code == 123
    assert "::error title=meshinject%3A InjectionError::<stdin>:6:5: invalid value 'lots'" in (
        result.stderr
    )


def test_workflow_commands_escape_what_the_runner_would_misread() -> None:
    command = workflow_command("error", "50%\nnext", path="a,b:c.yaml", line=3, title="x")
    assert command == "::error file=a%2Cb%3Ac.yaml,line=3,title=x::50%25%0Anext"
    assert workflow_command("warning", "no file") == "::warning::no file"


# --------------------------------------------------------------------------- json


def test_json_report_goes_to_stdout_with_check(tree: Path) -> None:
    result = run("--check", "--format", "json", str(tree))

    assert result.exit_code == 123
    report = json.loads(result.stdout)
    assert report["schema"] == 1
    assert report["mode"] == "check"
    assert report["exit_code"] == 123
    assert report["summary"] == {
        "files": 3,
        "changed": 1,
        "failed": 1,
        "injected": 1,
        "up_to_date": 0,
        "skipped": 1,
        "removed": 0,
        "failed_workloads": 1,
        "passed_through": 0,
    }
    files = {Path(f["path"]).name: f for f in report["files"]}
    web = files["web.yaml"]
    assert web["changed"] is True
    assert web["written"] is False
    assert web["workloads"] == [
        {
            "kind": "Deployment",
            "name": "web",
            "namespace": "shop",
            "decision": "inject",
            "reason": web["workloads"][0]["reason"],
            "rule": "manual-default",
            "revision": "default",
            "templates": ["sidecar"],
            "changed": True,
            "warnings": [],
            "error": None,
        }
    ]
    batch = files["batch.yaml"]["workloads"][0]
    assert (batch["decision"], batch["changed"], batch["revision"]) == ("skip", False, None)
    assert "sidecar.istio.io/inject" in batch["reason"]
    error = files["bad.yaml"]["errors"][0]
    assert error["path"] == str(tree / "bad.yaml")
    assert (error["line"], error["column"], error["type"]) == (6, 5, "InjectionError")
    assert files["bad.yaml"]["workloads"][0]["decision"] == "error"


def test_json_alone_on_stderr_when_stdout_carries_the_yaml() -> None:
    result = run("--format", "json", "-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 0
    assert result.stdout.startswith("apiVersion: apps/v1\n")
    report = json.loads(result.stderr)  # nothing else on stderr
    assert report["mode"] == "stdout"
    assert report["files"][0]["path"] == "-"


def test_json_on_stdout_when_yaml_goes_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    result = run("--format", "json", "-f", "-", "-o", str(out), input=DEPLOYMENT)
    assert json.loads(result.stdout)["summary"]["injected"] == 1
    assert result.stderr == ""
    assert "istio-proxy" in out.read_text()


def test_json_in_place_says_which_files_were_written(tree: Path) -> None:
    (tree / "bad.yaml").unlink()
    result = run("-i", "--format", "json", str(tree))
    assert result.exit_code == 0
    written = {Path(f["path"]).name: f["written"] for f in json.loads(result.stdout)["files"]}
    assert written == {"web.yaml": True, "batch.yaml": False}
    again = json.loads(run("-i", "--format", "json", str(tree)).stdout)
    assert [f["changed"] for f in again["files"]] == [False, False]


def test_json_config_error_is_reported_with_no_files(tmp_path: Path) -> None:
    result = run("--check", "--format", "json", "--set", "nonsense", str(tmp_path))
    assert result.exit_code == 123
    report = json.loads(result.stdout)
    assert report["exit_code"] == 123
    assert report["files"] == []
    assert len(report["errors"]) == 1
    assert report["errors"][0]["type"] == "ConfigError"
