"""The file always says what the cluster would run (issue 14), through the command line.

Each test names the usability item it covers (usability-defects.md U3-U7, U16, U17, U20,
U25) and checks stdout, stderr and the exit code separately.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from tests.runner import invoke

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: {namespace}
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: web:1
"""

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            sidecar.istio.io/inject: "false"
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: report:1
"""


def run(*args: str, stdin: str | None = None) -> Result:
    return invoke(*args, input=stdin)


def explain_rows(*args: str, stdin: str | None = None) -> dict[str, dict[str, object]]:
    result = run("explain", "--output", "json", *args, stdin=stdin)
    assert result.exit_code == 0, result.stderr
    return {str(row["name"]): row for row in json.loads(result.stdout)["workloads"]}


def injected(text: str, *args: str) -> str:
    result = run("-f", "-", *args, stdin=text)
    assert result.exit_code == 0, result.stderr
    assert "istio-proxy" in result.stdout
    return result.stdout


def opted_out(text: str) -> str:
    return text.replace(
        "        app: web\n", '        app: web\n        sidecar.istio.io/inject: "false"\n', 1
    )


# -- decisions follow the pod template's own metadata ------------------------------------


def test_cronjob_opted_out_on_its_pod_template_is_left_byte_for_byte_in_manual_mode() -> None:
    result = run("-f", "-", stdin=CRONJOB)
    assert result.exit_code == 0
    assert result.stdout == CRONJOB
    assert "CronJob default/report: pod label sidecar.istio.io/inject=false" in result.stderr
    # istioctl decides on spec.jobTemplate.metadata: explain says where it differs.
    assert "istioctl kube-inject would inject it" in result.stderr


def test_cronjob_opted_out_on_its_pod_template_is_left_byte_for_byte_in_webhook_mode(
    tmp_path: Path,
) -> None:
    labels = tmp_path / "ns.yaml"
    labels.write_text("default: {istio-injection: enabled}\n")
    result = run("--namespace-labels", str(labels), "-f", "-", stdin=CRONJOB)
    assert result.exit_code == 0
    assert result.stdout == CRONJOB
    assert "opts the pod out" in result.stderr


def test_cronjob_metadata_that_never_reaches_the_pods_does_not_decide() -> None:
    text = CRONJOB.replace(
        "  jobTemplate:\n    spec:\n",
        '  jobTemplate:\n    metadata:\n      labels:\n        sidecar.istio.io/inject: "false"\n'
        "    spec:\n",
    ).replace('          labels:\n            sidecar.istio.io/inject: "false"\n', "          {}\n")
    rows = explain_rows("-f", "-", stdin=text)
    assert rows["report"]["decision"] == "inject"
    assert "istioctl kube-inject would skip it" in str(rows["report"]["reason"])


# -- U3: opting out after injection takes effect ------------------------------------------


def test_U3_opting_out_an_injected_workload_removes_its_sidecar(tmp_path: Path) -> None:
    plain = DEPLOYMENT.format(namespace="staging")
    path = tmp_path / "web.yaml"
    path.write_text(opted_out(injected(plain)))
    uninjected = run("uninject", "-f", str(path)).stdout

    check = run("--check", str(path))
    assert check.exit_code == 1
    assert check.stdout == ""
    assert f"would rewrite {path}" in check.stderr
    assert f"would remove the sidecar of {path}: Deployment staging/web" in check.stderr

    diff = run("--diff", str(path))
    assert diff.exit_code == 0
    removed = [line for line in diff.stdout.splitlines() if line.startswith("-")]
    added = [line for line in diff.stdout.splitlines() if line.startswith("+")]
    assert any("name: istio-proxy" in line for line in removed)
    assert any("sidecar.istio.io/status" in line for line in removed)
    assert [line for line in added if not line.startswith("+++")] == []
    assert "the sidecar of" in diff.stderr

    assert explain_rows(str(path))["web"]["decision"] == "remove"
    report = json.loads(run("--check", "--format", "json", str(path)).stdout)
    assert report["summary"]["removed"] == 1
    assert report["files"][0]["workloads"][0]["decision"] == "remove"
    assert report["files"][0]["workloads"][0]["changed"] is True

    rewrite = run("-i", str(path))
    assert rewrite.exit_code == 0, rewrite.stderr
    assert rewrite.stdout == ""
    assert f"removed the sidecar of {path}: Deployment staging/web" in rewrite.stderr
    assert path.read_text() == uninjected == opted_out(plain)
    assert run("--check", str(path)).exit_code == 0


def test_U3_a_namespace_turned_off_removes_the_sidecars_of_its_workloads(tmp_path: Path) -> None:
    (tmp_path / "ns.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n"
        "  labels:\n    istio-injection: disabled\n"
    )
    plain = DEPLOYMENT.format(namespace="production")
    (tmp_path / "web.yaml").write_text(injected(plain))
    check = run("--check", str(tmp_path))
    assert check.exit_code == 1
    assert check.stdout == ""
    assert "would remove the sidecar of" in check.stderr
    assert "turns off every injection webhook" in check.stderr
    rewrite = run("-i", str(tmp_path))
    assert rewrite.exit_code == 0, rewrite.stderr
    assert (tmp_path / "web.yaml").read_text() == plain


def test_U3_a_workload_injected_by_another_revision_is_injected_by_the_selected_one(
    tmp_path: Path,
) -> None:
    (tmp_path / "v1.yaml").write_text("global: {tag: 1.30.0}\n")
    (tmp_path / "v2.yaml").write_text("global: {tag: 1.31.0}\n")
    revisions = ["--revision-values", f"old={tmp_path / 'v1.yaml'}"]
    revisions += ["--revision-values", f"new={tmp_path / 'v2.yaml'}"]
    labels = tmp_path / "ns.yaml"
    labels.write_text("staging: {istio.io/rev: old}\n")
    plain = DEPLOYMENT.format(namespace="staging")
    old = injected(plain, "--namespace-labels", str(labels), *revisions)
    assert "proxyv2:1.30.0" in old

    labels.write_text("staging: {istio.io/rev: new}\n")
    args = ["--namespace-labels", str(labels), *revisions]
    rows = explain_rows(*args, "-f", "-", stdin=old)
    assert rows["web"]["decision"] == "inject"
    assert rows["web"]["revision"] == "new"
    assert "re-injected by revision new (the file's sidecar came from revision old)" in str(
        rows["web"]["reason"]
    )
    result = run(*args, "-f", "-", stdin=old)
    assert result.exit_code == 0
    assert result.stdout == injected(plain, *args)
    assert "proxyv2:1.31.0" in result.stdout


@pytest.mark.parametrize("kind", ["Pod", "CronJob", "Job", "StatefulSet", "List"])
def test_U3_removal_works_for_every_kind(kind: str) -> None:
    plain = {
        "Pod": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\n"
        "spec:\n  containers:\n  - name: web\n    image: web:1\n",
        "CronJob": CRONJOB.replace(
            '          labels:\n            sidecar.istio.io/inject: "false"\n',
            "          labels:\n            app: web\n",
        ),
        "Job": DEPLOYMENT.format(namespace="default")
        .replace("apps/v1", "batch/v1")
        .replace("Deployment", "Job"),
        "StatefulSet": DEPLOYMENT.format(namespace="default").replace("Deployment", "StatefulSet"),
        "List": "apiVersion: v1\nkind: List\nitems:\n"
        + "".join(
            "- " + line[2:] if i == 0 else "  " + line
            for i, line in enumerate(
                DEPLOYMENT.format(namespace="default").splitlines(keepends=True)
            )
        ),
    }[kind]
    before = injected(plain)
    line = next(line for line in before.splitlines() if line.strip() == "app: web")
    indent = line[: len(line) - len(line.lstrip())]
    text = before.replace(f"{line}\n", f'{line}\n{indent}sidecar.istio.io/inject: "false"\n', 1)
    result = run("-f", "-", stdin=text)
    assert result.exit_code == 0, result.stderr
    assert "istio-proxy" not in result.stdout
    assert result.stdout == run("uninject", "-f", "-", stdin=text).stdout
    assert "removed the sidecar of" in result.stderr


# -- U4-U7: namespaces count wherever the run declares them ---------------------------------

NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: development
  labels:
    istio-injection: disabled
---
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    istio-injection: enabled
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    k8s = tmp_path / "k8s"
    (k8s / "apps").mkdir(parents=True)
    (k8s / "namespaces.yaml").write_text(NAMESPACES)
    for namespace in ("development", "production"):
        (k8s / "apps" / f"{namespace}.yaml").write_text(DEPLOYMENT.format(namespace=namespace))
    return k8s


def test_U4_namespace_objects_in_the_input_switch_to_webhook_decisions(repo: Path) -> None:
    dev = repo / "apps" / "development.yaml"
    before = dev.read_text()
    result = run("-i", str(repo))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert dev.read_text() == before  # development turns injection off
    assert "istio-proxy" in (repo / "apps" / "production.yaml").read_text()
    assert "namespace development has istio-injection=disabled" in result.stderr
    assert "1 workload injected, 1 skipped" in result.stderr


def test_U4_an_unlabelled_namespace_object_chooses_webhook_mode() -> None:
    # Any namespace information in the run chooses webhook mode: a Namespace without
    # injection labels is one the webhook does not inject, so neither does meshinject.
    stream = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n"
    stream += DEPLOYMENT.format(namespace="shop")
    result = run("-f", "-", stdin=stream)
    assert result.exit_code == 0
    assert result.stdout == stream
    assert "istio-proxy" not in result.stdout
    assert "0 workloads injected, 1 skipped" in result.stderr


def test_U4_manual_mode_still_injects_into_an_unlabelled_namespace() -> None:
    stream = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n"
    stream += DEPLOYMENT.format(namespace="shop")
    result = run("--mode", "manual", "-f", "-", stdin=stream)
    assert result.exit_code == 0
    assert "istio-proxy" in result.stdout
    assert result.stderr == "1 workload injected, 0 skipped, 1 document passed through\n"


def test_U4_an_explicit_manual_mode_ignores_namespace_labels(repo: Path) -> None:
    rows = explain_rows("--mode", "manual", str(repo))
    assert rows["web"]["decision"] == "inject"
    assert rows["web"]["rule"] == "manual-default"


@pytest.mark.parametrize("mode", [[], ["--mode", "webhook"]])
def test_U5_namespace_objects_in_another_file_apply_to_every_workload(
    repo: Path, mode: list[str]
) -> None:
    result = run("explain", "--output", "json", *mode, "-f", str(repo))
    assert result.exit_code == 0, result.stderr
    rows = {row["namespace"]: row for row in json.loads(result.stdout)["workloads"]}
    assert rows["development"]["decision"] == "skip"
    assert rows["development"]["rule"] == "namespace-label-disabled"
    assert rows["production"]["decision"] == "inject"
    assert rows["production"]["reason"] == "namespace production has istio-injection=enabled"
    assert all(not row["warnings"] for row in rows.values())


def test_U5_namespaces_from_stdin_and_files_share_one_run(repo: Path) -> None:
    stdin = (repo / "namespaces.yaml").read_text()
    (repo / "namespaces.yaml").unlink()
    result = run("--check", "-", str(repo / "apps"), stdin=stdin)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "would rewrite" in result.stderr
    assert "production.yaml" in result.stderr
    assert "development.yaml" not in result.stderr.split("would rewrite")[1].split("\n")[0]


@pytest.mark.parametrize(
    "shape",
    ["multi-document", "folder", "list", "namespace-list", "mixed-list", "mapping"],
)
def test_U6_namespace_labels_accept_every_shape(tmp_path: Path, shape: str) -> None:
    items = "".join(
        "- " + "\n  ".join(doc.strip().splitlines()) + "\n" for doc in NAMESPACES.split("---\n")
    )
    files = {
        "multi-document": {"ns.yaml": NAMESPACES},
        "folder": {
            "dev.yaml": NAMESPACES.split("---\n", maxsplit=1)[0],
            "prod.yaml": NAMESPACES.split("---\n", maxsplit=1)[1],
            "app.yaml": DEPLOYMENT.format(namespace="other"),
        },
        "list": {"ns.yaml": f"apiVersion: v1\nkind: List\nitems:\n{items}"},
        "namespace-list": {
            "ns.yaml": "apiVersion: v1\nkind: NamespaceList\nitems:\n"
            + items.replace("  kind: Namespace\n", "")
        },
        "mixed-list": {
            "ns.yaml": f"apiVersion: v1\nkind: List\nitems:\n{items}"
            + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings}\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n"
        },
        "mapping": {
            "ns.yaml": "development: {istio-injection: disabled}\n"
            "production: {istio-injection: enabled}\n"
        },
    }[shape]
    source = tmp_path / "labels"
    source.mkdir()
    for name, text in files.items():
        (source / name).write_text(text)
    labels = source if shape == "folder" else source / "ns.yaml"
    stream = DEPLOYMENT.format(namespace="development") + "---\n"
    stream += DEPLOYMENT.format(namespace="production")
    result = run(
        "explain", "--output", "json", "--namespace-labels", str(labels), "-f", "-", stdin=stream
    )
    assert result.exit_code == 0, result.stderr
    rows = list(json.loads(result.stdout)["workloads"])
    assert [row["decision"] for row in rows] == ["skip", "inject"]
    assert all(not row["warnings"] for row in rows)


def test_U6_a_bad_namespace_in_a_multi_document_labels_file_is_located(tmp_path: Path) -> None:
    labels = tmp_path / "ns.yaml"
    labels.write_text(
        NAMESPACES + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"
        "  labels:\n    istio-injection: [enabled]\n"
    )
    result = run("--namespace-labels", str(labels), "-f", "-", stdin=DEPLOYMENT)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert f"{labels}:15: metadata.labels.istio-injection: expected a string" in result.stderr


def test_U7_a_namespace_no_source_declares_is_named_with_a_suggestion(repo: Path) -> None:
    typo = repo / "apps" / "typo.yaml"
    typo.write_text(DEPLOYMENT.format(namespace="prodution"))
    result = run("--check", str(repo))
    assert result.exit_code == 1
    assert result.stdout == ""
    warning = (
        f"warning: {typo}: Deployment prodution/web: namespace prodution is declared nowhere "
        "(no Namespace object in the input, not in --namespace-labels), so it is treated as "
        "having no labels; did you mean production?"
    )
    assert warning in result.stderr.replace("\n", " ").replace("  ", " ") or warning in (
        result.stderr
    )
    row = explain_rows(str(typo), "--namespace-labels", str(repo / "namespaces.yaml"))["web"]
    assert row["decision"] == "skip"
    assert "namespace prodution is declared nowhere" in str(row["reason"])
    assert row["warnings"] == [warning.split("web: ", 1)[1]]


# -- U16, U17: files istioctl injected ----------------------------------------------------

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: production
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
        version: v1
      annotations:
        team: data
    spec:
      containers:
      - name: db
        image: db:1
        ports:
        - containerPort: 5432
          name: tcp
"""


def as_istioctl_writes_it(injected_text: str) -> str:
    """istioctl's output: the same data, every mapping's keys sorted (Go marshals maps)."""
    import yaml

    return yaml.safe_dump(yaml.safe_load(injected_text), sort_keys=True, default_flow_style=False)


def pod_template(text: str) -> dict[str, dict[str, str]]:
    import yaml

    data = yaml.safe_load(text)
    return data["spec"]["template"]["metadata"]


def test_U16_uninject_of_an_istioctl_file_removes_every_label_and_annotation_istio_added() -> None:
    istioctl = as_istioctl_writes_it(injected(STATEFULSET))
    metadata = pod_template(istioctl)
    assert metadata["labels"]["security.istio.io/tlsMode"] == "istio"
    assert list(metadata["annotations"]) == sorted(metadata["annotations"])

    result = run("uninject", "-f", "-", stdin=istioctl)
    assert result.exit_code == 0
    assert "istio-proxy" not in result.stdout
    assert pod_template(result.stdout) == {
        "labels": {"app": "db", "version": "v1"},
        "annotations": {"team": "data"},
    }
    assert result.stderr == "1 workload uninjected, 0 skipped, 0 documents passed through\n"


def test_U16_a_pod_without_a_sidecar_never_keeps_tls_mode_istio() -> None:
    istioctl = as_istioctl_writes_it(injected(STATEFULSET))
    # Hand-edited after istioctl: a label added at the end, so the keys are not sorted.
    edited = istioctl.replace("        version: v1\n", "        version: v1\n        zone: a\n", 1)
    edited = edited.replace("        version: v1\n        zone: a\n", "        zone: a\n", 0)
    edited = edited.replace("        app: db\n", "        tier: db\n        app: db\n", 1)
    result = run("uninject", "-f", "-", stdin=edited)
    assert result.exit_code == 0
    labels = pod_template(result.stdout)["labels"]
    assert "security.istio.io/tlsMode" not in labels
    assert labels["app"] == "db"


def test_U16_an_opted_out_istioctl_file_loses_istios_labels_too() -> None:
    istioctl = as_istioctl_writes_it(injected(STATEFULSET))
    text = istioctl.replace(
        "        app: db\n", '        app: db\n        sidecar.istio.io/inject: "false"\n', 1
    )
    result = run("-f", "-", stdin=text)
    assert result.exit_code == 0, result.stderr
    metadata = pod_template(result.stdout)
    assert metadata["labels"] == {"app": "db", "sidecar.istio.io/inject": "false", "version": "v1"}
    assert metadata["annotations"] == {"team": "data"}


def test_U17_reinjecting_an_istioctl_file_does_not_invent_a_scrape_config() -> None:
    fresh = injected(STATEFULSET)
    assert "ISTIO_PROMETHEUS_ANNOTATIONS" not in fresh
    istioctl = as_istioctl_writes_it(fresh)
    result = run("-f", "-", "--set", "global.tag=1.31.1", stdin=istioctl)
    assert result.exit_code == 0, result.stderr
    assert "ISTIO_PROMETHEUS_ANNOTATIONS" not in result.stdout
    assert "proxyv2:1.31.1" in result.stdout
    annotations = pod_template(result.stdout)["annotations"]
    assert annotations["prometheus.io/port"] == "15020"
    assert annotations["prometheus.io/path"] == "/stats/prometheus"
    assert result.stderr == "1 workload injected, 0 skipped, 0 documents passed through\n"


def test_U17_an_apps_own_scrape_config_recorded_by_istioctl_comes_back() -> None:
    own = STATEFULSET.replace(
        "        team: data\n",
        "        team: data\n"
        '        prometheus.io/port: "9102"\n'
        '        prometheus.io/scrape: "true"\n',
    )
    istioctl = as_istioctl_writes_it(injected(own))
    assert "ISTIO_PROMETHEUS_ANNOTATIONS" in istioctl
    result = run("uninject", "-f", "-", stdin=istioctl)
    assert result.exit_code == 0
    assert pod_template(result.stdout)["annotations"] == {
        "prometheus.io/port": "9102",
        "prometheus.io/scrape": "true",
        "team": "data",
    }


# -- U25: the namespace of manifests that do not say it -------------------------------------

NO_NAMESPACE = DEPLOYMENT.replace("  namespace: {namespace}\n", "")


def owner(text: str) -> str:
    line = next(line for line in text.splitlines() if "kubernetes://apis/" in line)
    return line.split("value: ", 1)[1].strip()


def test_U25_each_folder_can_say_its_namespace_once(tmp_path: Path) -> None:
    for folder in ("production", "staging", "tools"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "web.yaml").write_text(NO_NAMESPACE)
    labels = tmp_path / "ns.yaml"
    labels.write_text(
        "production: {istio-injection: enabled}\nstaging: {istio.io/rev: default}\n"
        "tools: {istio-injection: disabled}\n"
    )
    args = ["-n", f"{tmp_path / 'production'}=production", "-n", f"{tmp_path}/staging=staging"]
    args += ["-n", f"{tmp_path}=tools", "--namespace-labels", str(labels)]
    result = run(
        "-i",
        *args,
        str(tmp_path / "production"),
        str(tmp_path / "staging"),
        str(tmp_path / "tools"),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    production = (tmp_path / "production" / "web.yaml").read_text()
    staging = (tmp_path / "staging" / "web.yaml").read_text()
    assert owner(production) == "kubernetes://apis/apps/v1/namespaces/production/deployments/web"
    assert owner(staging) == "kubernetes://apis/apps/v1/namespaces/staging/deployments/web"
    assert (tmp_path / "tools" / "web.yaml").read_text() == NO_NAMESPACE
    assert "Deployment tools/web: namespace tools has istio-injection=disabled" in result.stderr
    assert "declared nowhere" not in result.stderr


def test_U25_one_namespace_for_the_run_reaches_the_owner_env() -> None:
    result = run("-n", "shop", "-f", "-", stdin=NO_NAMESPACE)
    assert result.exit_code == 0
    assert owner(result.stdout) == "kubernetes://apis/apps/v1/namespaces/shop/deployments/web"
    assert result.stderr == "1 workload injected, 0 skipped, 0 documents passed through\n"


def test_U25_a_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = run("-n", f"{tmp_path / 'prodution'}=production", "-f", "-", stdin=NO_NAMESPACE)
    assert result.exit_code == 123
    assert result.stdout == ""
    assert f"{tmp_path / 'prodution'}=production: no such file or folder" in result.stderr


def test_U7_a_sidecar_in_a_namespace_no_source_declares_is_kept(repo: Path) -> None:
    # Its labels are unknown (kept outside the repository, or a typo): warn, do not guess.
    staging = repo / "apps" / "staging.yaml"
    staging.write_text(injected(DEPLOYMENT.format(namespace="staging")))
    before = staging.read_text()
    result = run("--check", str(staging), "--namespace-labels", str(repo / "namespaces.yaml"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "namespace staging is declared nowhere" in result.stderr
    assert "the sidecar in the file is kept" in result.stderr
    assert run("-i", str(repo)).exit_code == 0
    assert staging.read_text() == before


def test_U5_namespaces_in_another_file_count_with_worker_processes(repo: Path) -> None:
    result = run("--check", "--jobs", "2", str(repo))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"would rewrite {repo / 'apps' / 'production.yaml'}" in result.stderr
    assert "development.yaml" not in result.stderr.split("would rewrite", 1)[1].splitlines()[0]
    assert "namespace development has istio-injection=disabled" in result.stderr


# -- U20: what uninject cannot tell apart is named ------------------------------------------

GRPC_AGENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
      annotations:
        inject.istio.io/templates: {template}
    spec:
      containers:
      - name: web
        image: web:1
"""


@pytest.mark.parametrize(
    ("template", "left"),
    [
        ("grpc-agent", "sidecar.istio.io/rewriteAppHTTPProbers"),
        ("gateway", "securityContext.sysctls net.ipv4.ip_unprivileged_port_start"),
    ],
)
def test_U20_uninject_warns_about_what_a_template_may_have_left(template: str, left: str) -> None:
    original = GRPC_AGENT.format(template=template)
    result = run("uninject", "-f", "-", stdin=injected(original))
    assert result.exit_code == 0
    assert "istio-proxy" not in result.stdout
    if result.stdout != original:  # an exact inverse needs no warning
        assert f"the {template} template(s) may have added" in result.stderr
        assert left in result.stderr


def test_U20_the_default_template_needs_no_such_warning() -> None:
    original = GRPC_AGENT.format(template="sidecar")
    result = run("uninject", "-f", "-", stdin=injected(original))
    assert result.exit_code == 0
    assert result.stdout == original
    assert result.stderr == "1 workload uninjected, 0 skipped, 0 documents passed through\n"


def test_U25_the_project_file_gives_each_folder_its_namespace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".meshinject.yaml").write_text(
        "namespaceLabels: {production: {istio-injection: enabled}, tools: {}}\n"
        "overrides:\n"
        "  - paths: ['k8s/production/**']\n"
        "    namespace: production\n"
        "  - paths: ['k8s/tools/**']\n"
        "    namespace: tools\n"
    )
    for folder in ("production", "tools"):
        (tmp_path / "k8s" / folder).mkdir(parents=True)
        (tmp_path / "k8s" / folder / "web.yaml").write_text(NO_NAMESPACE)
    monkeypatch.chdir(tmp_path)
    result = run("-i", "k8s")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    production = (tmp_path / "k8s" / "production" / "web.yaml").read_text()
    assert owner(production) == "kubernetes://apis/apps/v1/namespaces/production/deployments/web"
    assert (tmp_path / "k8s" / "tools" / "web.yaml").read_text() == NO_NAMESPACE
    assert "Deployment tools/web: namespace tools has no istio-injection" in result.stderr
    assert "declared nowhere" not in result.stderr
