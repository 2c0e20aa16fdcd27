"""Webhook-mode decisions from the command line: namespace labels, revisions and tags, and
`meshinject explain`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runner import invoke

STREAM = """\
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio.io/rev: stable
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: production}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "api:1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers: [{name: ledger, image: "ledger:1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: staging}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cron, namespace: legacy}
spec:
  template:
    metadata: {labels: {app: cron}}
    spec:
      containers: [{name: cron, image: "cron:1"}]
"""


@pytest.fixture
def setup(tmp_path: Path) -> list[str]:
    (tmp_path / "ns.yaml").write_text(
        "production: {istio.io/rev: prod}\nstaging: {istio-injection: enabled}\nlegacy: {}\n"
    )
    (tmp_path / "v119.yaml").write_text("global: {tag: 1.19.3}\n")
    (tmp_path / "v120.yaml").write_text("global: {tag: 1.20.1}\n")
    return [
        "--namespace-labels",
        str(tmp_path / "ns.yaml"),
        "--revision-values",
        f"1-19={tmp_path / 'v119.yaml'}",
        "--revision-values",
        f"1-20={tmp_path / 'v120.yaml'}",
        "--tag",
        "prod=1-19",
        "--tag",
        "stable=1-19",
        "--tag",
        "default=1-20",
    ]


def test_each_namespace_gets_its_revision_in_one_run(setup: list[str]) -> None:
    result = invoke(*setup, "-f", "-", input=STREAM)
    assert result.exit_code == 0, result.stderr
    docs = result.stdout.split("\n---\n")
    api, ledger, web, cron = docs[1], docs[2], docs[3], docs[4]
    assert "istio.io/rev: 1-19" in api
    assert "proxyv2:1.19.3" in api
    assert "istio.io/rev: 1-19" in ledger  # from the Namespace object in the stream
    assert "istio.io/rev: 1-20" in web
    assert "proxyv2:1.20.1" in web
    assert "istio-proxy" not in cron
    assert "namespace legacy has no istio-injection or istio.io/rev label" in result.stderr
    assert "3 workloads injected, 1 skipped" in result.stderr


def test_explain_json_names_the_rule(setup: list[str]) -> None:
    result = invoke("explain", *setup, "--output", "json", "-f", "-", input=STREAM)
    assert result.exit_code == 0, result.stderr
    rows = {r["name"]: r for r in json.loads(result.stdout)["workloads"]}
    assert rows["api"]["decision"] == "inject"
    assert rows["api"]["revision"] == "1-19"
    assert (
        rows["api"]["reason"]
        == "namespace production has istio.io/rev=prod (tag prod for revision 1-19)"
    )
    assert rows["cron"]["decision"] == "skip"
    assert rows["cron"]["rule"] == "no-webhook"
    assert rows["web"]["templates"] == ["sidecar"]


def test_explain_table_is_readable_in_a_pipe(setup: list[str]) -> None:
    result = invoke("explain", *setup, "-f", "-", input=STREAM)
    assert result.exit_code == 0
    assert "Deployment/api" in result.stdout
    assert "namespace staging has istio-injection=enabled" in result.stdout


def test_manual_mode_is_the_default_without_namespace_information() -> None:
    without_namespaces = STREAM.split("---\n", 1)[1]  # the payments Namespace would count
    result = invoke("explain", "--output", "json", "-f", "-", input=without_namespaces)
    rows = json.loads(result.stdout)["workloads"]
    assert all(r["decision"] == "inject" for r in rows)


def test_kube_system_template_namespace_is_never_injected() -> None:
    doc = STREAM.split("---\n")[1].replace(
        "metadata: {labels: {app: api}}", "metadata: {labels: {app: api}, namespace: kube-system}"
    )
    result = invoke("-f", "-", input=doc)
    assert result.exit_code == 0
    assert result.stdout == doc
    assert "kube-system is never injected" in result.stderr
