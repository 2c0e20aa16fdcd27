"""The usability defects a new user met (`usability-defects.md`, U8-U36), one test each,
named after its item. Every test runs through CliRunner and as a real subprocess (see
conftest.py) and asserts stdout, stderr, the exit code and the files separately."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: db:1
"""


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- C. Command line and flags --------------------------------------------------------


def test_U8_a_mistyped_command_is_refused_and_nothing_runs(cli: Cli) -> None:
    plain = write("plain.yaml", DEPLOYMENT)
    for typo, meant in (("explian", "explain"), ("injct", "inject")):
        result = cli(typo, "-i", "plain.yaml")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert f"Error: No such command '{typo}'." in result.stderr
        assert f"'{meant}'" in result.stderr.split("No such command", 1)[1]  # did you mean
        assert "rewrote" not in result.stderr
    assert plain.read_text() == DEPLOYMENT


def test_U8_a_command_after_an_option_is_refused_and_nothing_runs(cli: Cli) -> None:
    """`meshinject -q uninject -f x` would inject `x` and then fail on a file named
    "uninject": a usage error instead, naming the right order."""
    app = write("app.yaml", DEPLOYMENT)
    result = cli("-q", "uninject", "-i", "app.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'uninject' is not a file or folder" in result.stderr
    assert "meshinject uninject [OPTIONS]" in result.stderr
    assert app.read_text() == DEPLOYMENT
    # A file that does exist with a command's name is still a file.
    write("explain", DEPLOYMENT)
    assert cli("-q", "-f", "explain").exit_code == 0


def test_U10_a_failed_input_leaves_the_output_file_alone(cli: Cli) -> None:
    write("k8s/web.yaml", DEPLOYMENT)
    write("k8s/broken.yaml", "apiVersion: v1\nkind: [\n")
    bundle = write("bundle.yaml", "previous bundle\n")
    result = cli("-o", "bundle.yaml", "k8s/")
    assert result.exit_code == 123
    assert result.stdout == ""
    assert "error: k8s/broken.yaml:" in result.stderr
    assert "bundle.yaml not written (left as it was): 1 input file failed" in result.stderr
    assert bundle.read_text() == "previous bundle\n"
    assert sorted(p.name for p in Path().iterdir()) == ["bundle.yaml", "k8s"]  # no temp file

    Path("k8s/broken.yaml").unlink()
    assert cli("-q", "-o", "bundle.yaml", "k8s/").exit_code == 0
    assert "name: istio-proxy" in bundle.read_text()


def test_U11_contradictory_flags_are_usage_errors(cli: Cli) -> None:
    app = write("app.yaml", DEPLOYMENT)
    for flags, message in (
        (["-i", "-o", "y.yaml"], "-i/--in-place and -o/--output cannot be used together"),
        (["--check", "-o", "y.yaml"], "--check and -o/--output cannot be used together"),
        (["--diff", "-i"], "-i/--in-place and --diff cannot be used together"),
        (["--check", "-i"], "-i/--in-place and --check cannot be used together"),
    ):
        for command in ([], ["uninject"]):
            result = cli(*command, *flags, "app.yaml")
            assert result.exit_code == 2, (flags, result.stderr)
            assert result.stdout == ""
            assert message in result.stderr
    assert app.read_text() == DEPLOYMENT
    assert not Path("y.yaml").exists()


def test_U11_check_with_diff_prints_the_diff_and_fails(cli: Cli) -> None:
    app = write("app.yaml", DEPLOYMENT)
    result = cli("--check", "--diff", "app.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/app.yaml\n+++ b/app.yaml\n")
    assert "1 workload would be injected" in result.stderr
    assert app.read_text() == DEPLOYMENT


def test_U12_an_output_folder_is_refused(cli: Cli) -> None:
    write("app.yaml", DEPLOYMENT)
    Path("existing").mkdir()
    for output in ("odir/", "existing"):
        result = cli("-q", "-o", output, "app.yaml")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert f"-o/--output {output!r} is a folder" in result.stderr
    assert not Path("odir").exists()
    assert list(Path("existing").iterdir()) == []


def test_U13_completion_offers_the_default_commands_options_and_files(cli: Cli) -> None:
    write("k8s/production/web.yaml", DEPLOYMENT)

    def complete(*words: str) -> list[str]:
        line = ["meshinject", *words]
        result = cli(
            COMP_WORDS=" ".join(line),
            COMP_CWORD=str(len(line) - 1),
            _MESHINJECT_COMPLETE="bash_complete",
        )
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()

    assert "plain,--style" in complete("--st")
    assert "plain,--check" in complete("--ch")
    assert "plain,explain" in complete("ex")
    assert "file,k8s/pro" in complete("-f", "k8s/pro")
    assert "file,k8s/pro" in complete("inject", "-f", "k8s/pro")
    assert "file,k8s/pro" in complete("k8s/pro")


def test_U14_help_shows_the_default_commands_options(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Options of inject, the default command:" in result.stdout
    for option in ("-f, --filename", "-i, --in-place", "--check", "--style"):
        assert option in result.stdout
    assert "Usage: meshinject [OPTIONS] [PATHS]..." in result.stdout


def test_U14_explain_lists_only_its_exit_codes(cli: Cli) -> None:
    text = " ".join(cli("explain", "--help").stdout.split())
    assert "Exit codes: 0 success; 2 usage error; 123 some file could not be processed." in text
    assert "--check" not in text


def test_U14_uninject_help_lists_only_the_options_it_uses(cli: Cli) -> None:
    """uninject removes every injection, whatever a webhook would decide: the options
    that only decide whether to inject are not offered; those of the config it checks
    its result with (values, revision, style...) are."""
    result = cli("uninject", "--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    for option in ("--mode", "--namespace-labels"):
        assert option not in result.stdout
    for option in ("--values", "--revision", "--style", "--check", "-i, --in-place"):
        assert option in result.stdout
    assert "--mode" in cli("inject", "--help").stdout
    assert "--namespace-labels" in cli("explain", "--help").stdout


def test_U14_an_inject_only_option_given_to_uninject_is_a_usage_error(cli: Cli) -> None:
    app = write("app.yaml", DEPLOYMENT)
    write("ns.yaml", "default: {istio-injection: enabled}\n")
    for args in (("--mode", "webhook"), ("--namespace-labels", "ns.yaml")):
        result = cli("uninject", *args, "-i", "app.yaml")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert f"{args[0]} has no effect on uninject" in result.stderr
        assert "rewrote" not in result.stderr
    assert app.read_text() == DEPLOYMENT


def test_U14_uninject_checks_its_result_whatever_a_webhook_would_decide(cli: Cli) -> None:
    """A tag (or a project file's `mode: webhook`) once made uninject's check re-inject
    in webhook mode, where the unlabelled namespace is not injected: a false warning."""
    injected = cli("-f", str(write("app.yaml", DEPLOYMENT)))
    assert injected.exit_code == 0
    write("injected.yaml", injected.stdout)
    write(".meshinject.yaml", "mode: webhook\n")
    (Path(".git")).mkdir()
    for args in ((), ("--tag", "prod=default")):
        result = cli("uninject", *args, "-f", "injected.yaml")
        assert result.exit_code == 0
        assert result.stdout == DEPLOYMENT
        assert "best effort" not in result.stderr
        assert result.stderr == "1 workload uninjected, 0 skipped, 0 documents passed through\n"


def test_U14_both_version_outputs_agree(cli: Cli) -> None:
    flag, command = cli("--version"), cli("version")
    assert flag.exit_code == command.exit_code == 0
    assert flag.stdout == command.stdout
    assert flag.stdout.startswith("meshinject 0.")
    assert "(Istio " in flag.stdout


def test_U9_fix_hints_repeat_the_runs_settings(cli: Cli) -> None:
    write("k8s/web.yaml", DEPLOYMENT)
    write("values.yaml", "global:\n  proxy:\n    resources:\n      requests:\n        cpu: 50m\n")
    result = cli(
        "--check",
        "--values",
        "values.yaml",
        "-r",
        "canary",
        "--style",
        "istio",
        "k8s/",
        GITHUB_ACTIONS="true",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    hint = "run `meshinject -i --values values.yaml --revision canary --style istio k8s/web.yaml`"
    assert hint in result.stderr
    assert (
        cli(
            "-q",
            "-i",
            "--values",
            "values.yaml",
            "-r",
            "canary",
            "--style",
            "istio",
            "k8s/web.yaml",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "--check", "--values", "values.yaml", "-r", "canary", "--style", "istio", "k8s/"
        ).exit_code
        == 0
    )


# --- E. Documentation, install and CI integration -------------------------------------


def test_U24_the_default_style_is_the_gitops_one(cli: Cli) -> None:
    """`meshinject -i` writes only the sidecar: no Go zero values (`status`,
    `updateStrategy: {}`) in git. `--style istio` keeps istioctl's fields."""
    db = write("db.yaml", STATEFULSET)
    result = cli("-i", "db.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "rewrote db.yaml" in result.stderr
    written = db.read_text()
    assert "name: istio-proxy" in written
    assert "\nstatus:" not in written
    assert "updateStrategy: {}" not in written

    istio = cli("--style", "istio", "-f", "-", input=STATEFULSET)
    assert istio.exit_code == 0, istio.stderr
    assert "updateStrategy: {}" in istio.stdout
    assert "status:\n  availableReplicas: 0\n  replicas: 0\n" in istio.stdout


# --- F. Output, messages and reports ---------------------------------------------------


def test_U29_summaries_say_what_happened(cli: Cli) -> None:
    """ "injected" only when files were written or printed; "would be injected" for
    explain, --diff and --check; workloads already injected are "up to date"."""
    write("k8s/web.yaml", DEPLOYMENT)
    write("k8s/db.yaml", STATEFULSET)

    explain = cli("explain", "-f", "k8s/")
    assert explain.exit_code == 0, explain.stderr
    assert "2 workloads would be injected, 0 skipped" in explain.stderr
    diff = cli("--diff", "k8s/")
    assert diff.exit_code == 0, diff.stderr
    assert diff.stdout.startswith("--- a/k8s/db.yaml")
    assert "2 workloads would be injected, 0 skipped" in diff.stderr
    check = cli("--check", "k8s/")
    assert check.exit_code == 1
    assert "2 workloads would be injected, 0 skipped" in check.stderr

    fix = cli("-i", "k8s/web.yaml")
    assert fix.exit_code == 0, fix.stderr
    assert "1 workload injected, 0 skipped" in fix.stderr
    check = cli("--check", "k8s/")
    assert check.exit_code == 1
    assert check.stdout == ""
    assert "would rewrite k8s/db.yaml" in check.stderr
    assert "would rewrite k8s/web.yaml" not in check.stderr
    assert "1 workload would be injected, 1 already up to date, 0 skipped" in check.stderr

    assert cli("-i", "k8s/").exit_code == 0
    up_to_date = cli("--check", "k8s/")
    assert up_to_date.exit_code == 0, up_to_date.stderr
    assert "0 workloads would be injected, 2 already up to date" in up_to_date.stderr


def test_U29_the_json_report_tells_changed_from_up_to_date(cli: Cli) -> None:
    import json

    write("k8s/web.yaml", DEPLOYMENT)
    write("k8s/db.yaml", STATEFULSET)
    assert cli("-i", "-q", "k8s/web.yaml").exit_code == 0
    result = cli("--check", "--format", "json", "k8s/")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["injected"] == 1
    assert report["summary"]["up_to_date"] == 1
    changed = {f["path"]: [w["changed"] for w in f["workloads"]] for f in report["files"]}
    assert changed == {"k8s/db.yaml": [True], "k8s/web.yaml": [False]}


POD_JSON = """\
{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "namespace": "shop"},
    "spec": {"containers": [{"name": "app", "image": "app:1"}]}
}
"""


def test_U29_the_json_report_is_all_a_json_run_says(cli: Cli) -> None:
    """`--format json` is the report, with nothing else for people: no "would rewrite" or
    "rewrote" line, on either stream (the report itself may be on stderr)."""
    import json

    app = write("k8s/web.yaml", DEPLOYMENT)
    check = cli("--check", "--format", "json", "k8s/")
    assert check.exit_code == 1
    assert check.stderr == ""
    assert json.loads(check.stdout)["summary"]["changed"] == 1

    printed = cli("--format", "json", "-f", "k8s/web.yaml")
    assert printed.exit_code == 0
    assert "name: istio-proxy" in printed.stdout
    assert json.loads(printed.stderr)["mode"] == "stdout"

    rewritten = cli("-i", "--format", "json", "k8s/")
    assert rewritten.exit_code == 0
    assert rewritten.stderr == ""
    assert json.loads(rewritten.stdout)["files"][0]["written"] is True
    assert "name: istio-proxy" in app.read_text()


def test_U29_an_empty_document_is_not_a_document_passed_through(cli: Cli) -> None:
    """A file ending in `---` (or a `---` line alone) holds no document to pass through."""
    for text in (DEPLOYMENT + "---\n", "---\n" + DEPLOYMENT, DEPLOYMENT + "---\n# end\n"):
        write("app.yaml", text)
        result = cli("-f", "app.yaml")
        assert result.exit_code == 0, result.stderr
        assert "name: istio-proxy" in result.stdout
        assert result.stderr == "1 workload injected, 0 skipped, 0 documents passed through\n"
    write("app.yaml", DEPLOYMENT + "---\napiVersion: v1\nkind: ConfigMap\n---\n")
    result = cli("-f", "app.yaml")
    assert result.stderr == "1 workload injected, 0 skipped, 1 document passed through\n"


def test_U29_a_preview_never_says_a_sidecar_was_removed(cli: Cli) -> None:
    """`--diff` (and `explain`) write nothing: a sidecar policy now removes "would" be."""
    injected = cli("-f", "-", input=DEPLOYMENT)
    write("app.yaml", injected.stdout)
    write("ns.yaml", "default: {istio-injection: disabled}\n")
    diff = cli("--diff", "--namespace-labels", "ns.yaml", "app.yaml")
    assert diff.exit_code == 0, diff.stderr
    assert diff.stdout.startswith("--- a/app.yaml")
    assert "would remove the sidecar of app.yaml: Deployment default/web" in diff.stderr
    assert "removed the sidecar" not in diff.stderr
    assert "0 skipped, 1 sidecar would be removed" in diff.stderr
    assert Path("app.yaml").read_text(encoding="utf-8") == injected.stdout


def test_U32_a_json_manifest_stays_json(cli: Cli) -> None:
    """`-i app.json` writes JSON (indented like the file), and the result is up to date."""
    import json

    app = write("app.json", POD_JSON)
    result = cli("-i", "app.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "rewrote app.json" in result.stderr
    text = app.read_text()
    pod = json.loads(text)
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["istio-init", "istio-proxy"]
    assert text.startswith('{\n    "apiVersion": "v1",\n')
    assert text.endswith("}\n")

    again = cli("--check", "app.json")
    assert again.exit_code == 0, again.stderr
    assert "1 already up to date" in again.stderr
    assert app.read_text() == text

    printed = cli("-f", "-", input=POD_JSON)
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == pod


def test_U34_a_file_ending_in_a_marker_gives_no_empty_document(cli: Cli) -> None:
    """Files are joined with one `---`: none is added after a file that ends with one."""
    import yaml

    write("d/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n")
    write("d/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---")
    write("d/c.yaml", DEPLOYMENT)
    result = cli("-f", "d/")
    assert result.exit_code == 0, result.stderr
    assert "---\n---" not in result.stdout
    assert result.stdout.count("---\n") == 2
    docs = list(yaml.safe_load_all(result.stdout))
    assert [d["metadata"]["name"] for d in docs] == ["a", "b", "web"]

    out = cli("-o", "all.yaml", "d/")
    assert out.exit_code == 0, out.stderr
    assert out.stdout == ""
    assert Path("all.yaml").read_text() == result.stdout


# --- E. Documentation, install and CI integration (kustomize trees) --------------------

PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        resources:
          limits: {cpu: 200m}
"""
DELETE_PATCH = """\
$patch: delete
apiVersion: apps/v1
kind: Deployment
metadata:
  name: loadgenerator
"""
KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
patches:
  - path: web-resources.yaml
  - path: patches/delete-loadgenerator.patch.yaml
patchesStrategicMerge:
  - old-style.yaml
"""


def test_U23_kustomize_patch_files_are_not_workloads(cli: Cli) -> None:
    """Files a kustomization lists as patches are skipped (named on stderr), whether the
    tree is walked or a patch is passed alone (as pre-commit does); resources are injected."""
    write("kustomize/base/kustomization.yaml", "resources:\n  - web.yaml\n")
    web = write("kustomize/base/web.yaml", DEPLOYMENT)
    overlay = Path("kustomize/overlays/prod")
    write(f"{overlay}/kustomization.yaml", KUSTOMIZATION)
    patches = [
        write(f"{overlay}/web-resources.yaml", PATCH),
        write(f"{overlay}/patches/delete-loadgenerator.patch.yaml", DELETE_PATCH),
        write(f"{overlay}/old-style.yaml", PATCH),
    ]

    check = cli("--check", "kustomize/")
    assert check.exit_code == 1, check.stderr
    assert check.stdout == ""
    assert "would rewrite kustomize/base/web.yaml" in check.stderr
    for patch in patches:
        assert f"skipped {patch}: a kustomize patch (listed in {overlay}/kustomization.yaml)" in (
            check.stderr
        )
        assert f"would rewrite {patch}" not in check.stderr
    assert "error" not in check.stderr

    alone = cli("-i", str(patches[0]))
    assert alone.exit_code == 0, alone.stderr
    assert "skipped" in alone.stderr
    assert patches[0].read_text() == PATCH

    fix = cli("-i", "kustomize/")
    assert fix.exit_code == 0, fix.stderr
    assert "name: istio-proxy" in web.read_text()
    assert [p.read_text() for p in patches] == [PATCH, DELETE_PATCH, PATCH]


def test_U15_ctrl_c_in_a_parallel_run_prints_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the workers stay quiet, the parent says
    "interrupted" once and exits 130. (A real subprocess only: CliRunner has no signals.)"""
    import os
    import signal
    import subprocess

    from tests.cli.conftest import EXE, environment

    tree = tmp_path / "k8s"
    tree.mkdir()
    for i in range(1500):
        (tree / f"app{i:04}.yaml").write_text(DEPLOYMENT.replace("name: web", f"name: web{i}"))
    proc = subprocess.Popen(
        [str(EXE), "--jobs", "2", "--check", str(tree)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert proc.stderr is not None
    seen = [proc.stderr.readline() for _ in range(20)]  # the workers are busy by now
    assert all(line.startswith("would rewrite") for line in seen), seen
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert stdout == ""
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
    assert stderr.splitlines()[-1] == (
        "meshinject: interrupted; files not yet rewritten are unchanged"
    )


def test_U15_workers_ignore_ctrl_c(tmp_path: Path) -> None:
    """The deterministic half of U15: a worker process of the pool ignores SIGINT."""
    import signal

    from meshinject.parallel import Engine
    from tests.gitops.support import request

    pool = Engine(request(), "inject", jobs=2)._pool(str(tmp_path))
    try:
        assert pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN
    finally:
        pool.shutdown()


def test_U33_json_annotations_are_quoted_one_way(cli: Cli) -> None:
    """JSON values (the status annotation, probe env) are single-quoted, with no escapes,
    in every document, whatever quote style the rest of each document uses."""
    quoted = DEPLOYMENT.replace("image: web:1", 'image: "web:1"')
    write("app.yaml", quoted + "---\n" + STATEFULSET)
    result = cli("-i", "app.yaml")
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in Path("app.yaml").read_text().splitlines()]
    status = [line for line in lines if line.startswith("sidecar.istio.io/status:")]
    assert len(status) == 2
    assert all(line.startswith('sidecar.istio.io/status: \'{"initContainers"') for line in status)
    assert not any('\\"' in line for line in lines)


def test_U30_a_misspelt_set_key_is_located_at_the_set(cli: Cli) -> None:
    write("app.yaml", DEPLOYMENT)
    result = cli("-f", "app.yaml", "--set", "global.proxy.resoures.limits.cpu=1")
    assert result.exit_code == 123
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "error: --set: global.proxy.resoures: unknown key (did you mean 'resources'?) "
        "in 'global.proxy.resoures.limits.cpu=1'"
    )
    assert "defaults" not in result.stderr


def test_U30_a_template_error_names_the_template_and_the_manifest(cli: Cli) -> None:
    write("app.yaml", "# a comment\n---\n" + DEPLOYMENT)
    write("tpl.yaml", 'spec:\n  containers:\n  - name: x\n    image: {{ index .Values "a" "b" }}\n')
    result = cli("-f", "app.yaml", "--inject-config", "tpl.yaml")
    assert result.exit_code == 123
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith('error: tpl.yaml: template "sidecar": line 4, column ')
    assert first.endswith("(while injecting app.yaml:2)")


def test_U30_a_kustomize_plugin_error_names_the_transformer_file(cli: Cli) -> None:
    """kustomize hands the plugin a temporary copy of its config: the message names the
    file the kustomization lists under `transformers:` instead."""
    write("overlay/kustomization.yaml", "resources: [web.yaml]\ntransformers: [sidecars.yaml]\n")
    config = "apiVersion: meshinject.dev/v1\nkind: SidecarInjector\nmetadata:\n  name: sidecars\n"
    write("overlay/sidecars.yaml", config)
    copy = write("tmp-copy-of-config", config)
    broken = DEPLOYMENT.replace(
        "      labels: {app: web}\n",
        "      labels: {app: web}\n      annotations: {sidecar.istio.io/proxyCPU: lots}\n",
    )
    result = cli(
        "kustomize-plugin", "run", str(copy),
        input=broken, KUSTOMIZE_PLUGIN_CONFIG_ROOT="overlay",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: Deployment default/web: invalid value 'lots'" in result.stderr
    assert "(transformer config overlay/sidecars.yaml)" in result.stderr


def test_U35_the_explain_table_fits_a_narrow_terminal(cli: Cli) -> None:
    """Each workload shows its file, and the reason wraps instead of being squeezed."""
    write(
        "k8s/production/web.yaml",
        DEPLOYMENT.replace("  name: web\n", "  name: web\n  namespace: production\n", 1),
    )
    write("k8s/production/db.yaml", STATEFULSET)
    result = cli("explain", "--mode", "webhook", "-f", "k8s/", COLUMNS="100")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 120 for line in lines)
    assert "k8s/production/web.yaml" in result.stdout
    assert "k8s/production/db.yaml" in result.stdout
    text = " ".join(cell.strip() for line in lines for cell in line.split("│")[3:4] if cell.strip())
    assert "namespace production has no istio-injection or istio.io/rev label" in text
    assert "0 workloads would be injected, 2 skipped" in result.stderr


def test_U36_large_runs_show_an_eta_and_list_the_changes_again() -> None:
    """On a terminal: the bar has an ETA, and the files --check would change are listed
    again above the summary table (the per-file lines have scrolled away)."""
    import io

    from rich.console import Console

    from meshinject.files.file_result import FileResult
    from meshinject.output.progress import print_summary, track
    from meshinject.report import Report
    from meshinject.stream import StreamResult

    class TTY(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = TTY()
    console = Console(file=out, force_terminal=True, width=120)
    ticks = iter(range(100))
    list(
        track(
            [f"f{i}.yaml" for i in range(5)],
            console,
            total=5,
            enabled=True,
            clock=lambda: float(next(ticks)),
        )
    )
    assert "eta" in out.getvalue()

    changed = [FileResult(f"k8s/app{i}.yaml", StreamResult("x", True)) for i in range(60)]
    report = Report(check=True, files=[*changed, FileResult("k8s/same.yaml", None)])
    out = TTY()
    plain = Console(file=out, force_terminal=True, width=120, color_system=None, highlight=False)
    print_summary(plain, report, table=True)
    text = out.getvalue()
    assert "files that would change (60):" in text
    assert "  k8s/app0.yaml" in text
    assert "k8s/same.yaml" not in text
    assert "... and 10 more" in text


def test_U19_a_revision_of_another_release_without_templates_is_warned_about(cli: Cli) -> None:
    """A revision file naming another Istio release renders with the built-in template
    of meshinject's release: said once per workload, with how to pass the revision's own
    injector ConfigMap. The same release, or no release in the tag, says nothing."""
    write("rev-1-19.yaml", "revision: 1-19\nglobal:\n  tag: 1.19.10\n")
    write("rev-1-31.yaml", "revision: 1-31\nglobal:\n  tag: 1.31.2-distroless\n")
    write("rev-dev.yaml", "revision: dev\nglobal:\n  tag: latest\n")
    for rev in ("1-19", "1-31", "dev"):
        write(
            f"k8s/{rev}.yaml",
            DEPLOYMENT.replace("labels: {app: web}", f"labels: {{app: web, istio.io/rev: {rev}}}"),
        )
    flags = ["--revision-values", "1-19=rev-1-19.yaml", "--revision-values", "1-31=rev-1-31.yaml"]

    old = cli(*flags, "--revision-values", "dev=rev-dev.yaml", "k8s/1-19.yaml")
    assert old.exit_code == 0, old.stderr
    assert "image: docker.io/istio/proxyv2:1.19.10" in old.stdout
    assert (
        "revision 1-19: rev-1-19.yaml sets global.tag 1.19.10 (Istio 1.19) but has no "
        "templates, so the built-in Istio 1.31 template renders its sidecar"
    ) in " ".join(old.stderr.split())
    assert "istio-sidecar-injector-1-19 -o yaml > FILE; --revision-values 1-19=FILE" in " ".join(
        old.stderr.split()
    )
    for rev in ("1-31", "dev"):
        same = cli(*flags, "--revision-values", "dev=rev-dev.yaml", f"k8s/{rev}.yaml")
        assert same.exit_code == 0, same.stderr
        assert "global.tag" not in same.stderr
        assert "initContainers:" in same.stdout
