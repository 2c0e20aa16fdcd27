"""uninject gives back exactly what injection started from (R8, R9).

Each test injects an input, uninjects the result and expects the input byte for byte.
Where the injected text cannot tell what the input was, the test says so and checks the
weaker promise: injecting the uninjected text gives the same injected text again.
"""

from __future__ import annotations

import pytest

from tests.reliability.helpers import inject, run


def injected(text: str, *args: str) -> str:
    result = inject(text, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def uninjected(text: str, *args: str) -> tuple[str, str]:
    result = run("uninject", "--style", "minimal", *args, "-f", "-", input=text)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def round_trip(text: str, *args: str) -> tuple[str, str]:
    return uninjected(injected(text, *args), *args)


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata:
      labels: {{app: web}}
      annotations: {{inject.istio.io/templates: "{templates}"}}
    spec:
      containers: [{{name: web, image: web}}]
"""


@pytest.mark.parametrize(
    "templates", ["grpc-agent", "gateway", "sidecar,grpc-simple", "sidecar,grpc-agent"]
)
def test_R8_uninject_removes_what_a_non_default_template_wrote(templates: str) -> None:
    original = DEPLOYMENT.format(templates=templates)
    text, messages = round_trip(original)
    assert text == original
    assert "best effort" not in messages
    assert "may have added" not in messages


BLOCK_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        inject.istio.io/templates: {templates}
{more}    spec:
{spec}      containers:
      - name: web
        image: web
"""


@pytest.mark.parametrize(
    ("templates", "more", "spec"),
    [
        # The user's own values equal to what the template writes, where injection
        # would not have put them: they stay.
        (
            "grpc-agent",
            "        kubectl.kubernetes.io/default-container: web\n",
            "      securityContext:\n        fsGroup: 1337\n",
        ),
        (
            "grpc-agent",
            "        sidecar.istio.io/rewriteAppHTTPProbers: 'false'\n        other: x\n",
            "",
        ),
        (
            "gateway",
            "",
            "      securityContext:\n        sysctls:\n"
            "        - name: net.ipv4.ip_unprivileged_port_start\n          value: '0'\n"
            "        runAsUser: 7\n",
        ),
        ("gateway", "", "      securityContext: {}\n"),
    ],
    ids=["default-container-and-fsGroup", "rewrite-annotation", "sysctl", "empty-securityContext"],
)
def test_R8_the_users_own_copies_of_template_values_stay(
    templates: str, more: str, spec: str
) -> None:
    original = BLOCK_DEPLOYMENT.format(templates=templates, more=more, spec=spec)
    text, messages = round_trip(original)
    assert text == original
    assert "best effort" not in messages


def test_R8_a_custom_template_adding_structure_is_removed_exactly(tmp_path) -> None:
    config = tmp_path / "inj.yaml"
    config.write_text(
        """\
defaultTemplates: [sidecar, custom]
templates:
  custom: |
    metadata:
      annotations:
        example.com/note: "from {{ .ObjectMeta.Name }}"
      labels:
        example.com/team: mesh
    spec:
      dnsConfig:
        options:
        - name: ndots
          value: "2"
      terminationGracePeriodSeconds: 45
      containers:
      - name: helper
        image: helper:1
      volumes:
      - name: scratch
        emptyDir: {}
"""
    )
    original = BLOCK_DEPLOYMENT.format(templates="sidecar", more="", spec="").replace(
        "      annotations:\n        inject.istio.io/templates: sidecar\n", ""
    )
    args = ("--inject-config", str(config))
    out = injected(original, *args)
    for added in ("example.com/note", "example.com/team", "ndots", "helper:1", "scratch"):
        assert added in out
    text, messages = uninjected(out, *args)
    assert text == original
    assert "best effort" not in messages


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
{meta}spec:
{spec}  containers:
  - name: web
    image: web
"""


@pytest.mark.parametrize(
    ("meta", "spec"),
    [
        ("  annotations: {}\n  labels:\n    app: web\n", ""),
        ("  labels: {}\n  annotations:\n    a: b\n", ""),
        ("", "  volumes: []\n"),
        ("", "  initContainers: []\n"),
        ("", "  imagePullSecrets: []\n"),
    ],
    ids=["annotations", "labels", "volumes", "initContainers", "imagePullSecrets"],
)
def test_R9_an_empty_collection_injection_filled_comes_back(meta: str, spec: str) -> None:
    original = POD.format(meta=meta, spec=spec)
    assert round_trip(original)[0] == original


def test_R9_a_cronjobs_empty_job_metadata_comes_back() -> None:
    original = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "* * * * *"
  jobTemplate:
    metadata:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: c
"""
    assert round_trip(original)[0] == original


def test_R9_a_users_own_update_strategy_stays_with_the_istio_style() -> None:
    original = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: d
spec:
  updateStrategy: {}
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
    spec:
      containers:
      - name: d
        image: d
"""
    out = run("-q", "--style", "istio", "-f", "-", input=original).stdout
    back = run("uninject", "-q", "--style", "istio", "-f", "-", input=out).stdout
    assert back == original


def test_R9_a_json_document_with_empty_annotations_comes_back_as_written() -> None:
    original = """\
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "web",
    "annotations": {}
  },
  "spec": {
    "containers": [
      {
        "name": "web",
        "image": "web"
      }
    ]
  }
}
"""
    assert round_trip(original)[0] == original


def test_R9_flow_sequences_edited_by_injection_stay_flow() -> None:
    original = """\
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}, annotations: {inject.istio.io/templates: gateway}}
spec:
  containers: [{name: web, image: web, ports: [{containerPort: 80}]}]  # app
"""
    out = injected(original)
    assert "  containers: [{name: web, image: web, ports: [{containerPort: 80}]}, {name: " in out
    assert "# app" in out
    assert round_trip(original)[0] == original


def test_R9_where_the_text_cannot_tell_injection_is_at_least_stable() -> None:
    # `labels: {}` as the last key: injection appends labels there anyway, so the injected
    # text is the same with or without it; uninject gives the text without it.
    original = POD.format(meta="  annotations:\n    a: b\n  labels: {}\n", spec="")
    back = round_trip(original)[0]
    assert back == original.replace("  labels: {}\n", "")
    assert injected(back) == injected(original)


def test_R9_tags_on_collections_injection_edits_are_kept() -> None:
    original = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: !!map
    app: web
spec:
  containers: !!seq
  - name: web
    image: web
    ports:
    - containerPort: !!int 8080
"""
    out = injected(original)
    assert "  labels: !!map\n    app: web\n    security.istio.io/tlsMode: istio\n" in out
    assert "    - containerPort: !!int 8080\n" in out
    assert round_trip(original)[0] == original


def test_R9_anchors_no_alias_refers_to_are_kept() -> None:
    original = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: &labels
    app: web
  annotations: &notes
    a: b
spec:
  initContainers: &init
  - name: init
    image: busybox
  containers:
  - name: web
    image: web
"""
    out = injected(original)
    assert "  labels: &labels\n    app: web\n    security.istio.io/tlsMode: istio\n" in out
    assert round_trip(original)[0] == original


def test_R9_a_double_quoted_multi_line_probe_path_comes_back_double_quoted() -> None:
    original = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: web
    readinessProbe:
      httpGet:
        path: "/a\\"b\\n---\\nkind: Secret"
        port: 8080
"""
    out = injected(original)
    assert "/app-health/web/readyz" in out
    assert round_trip(original)[0] == original


def test_R9_cr_only_line_ends_are_kept_by_inject_and_uninject(tmp_path) -> None:
    original = POD.format(meta="", spec="").replace("\n", "\r").encode()
    path = tmp_path / "pod.yaml"
    path.write_bytes(original)
    assert run("-q", "-i", str(path)).exit_code == 0
    injected_bytes = path.read_bytes()
    assert b"\n" not in injected_bytes
    assert b"\r  - name: istio-proxy\r" in injected_bytes
    assert run("uninject", "-q", "-i", str(path)).exit_code == 0
    assert path.read_bytes() == original
    passed = run("-q", "-f", "-", input=b"kind: ConfigMap\rmetadata:\r  name: x\r")
    assert passed.stdout_bytes == b"kind: ConfigMap\rmetadata:\r  name: x\r"


def test_R8_a_users_own_null_overrides_annotation_stays() -> None:
    # Injection writes `proxy.istio.io/overrides` only as JSON text; a user's `null` under
    # that name is theirs (found by the inject(uninject(inject(x))) fuzz property).
    original = POD.format(meta="  annotations:\n    proxy.istio.io/overrides: null\n", spec="")
    assert round_trip(original)[0] == original
    again = injected(round_trip(original)[0])
    assert again == injected(original)


@pytest.mark.parametrize("value", ["'true'", "plain words", "'[1, 2]'"])
def test_R8_a_users_own_overrides_annotation_that_is_no_json_object_stays(value: str) -> None:
    # Injection writes `proxy.istio.io/overrides` only as the JSON text of an object; any
    # other text under that name is the user's (found by the fuzz property).
    meta = f"  annotations:\n    proxy.istio.io/overrides: {value}\n"
    original = POD.format(meta=meta, spec="")
    assert round_trip(original)[0] == original
    assert injected(round_trip(original)[0]) == injected(original)


@pytest.mark.parametrize("extra", ["", "    prometheus.io/path: /metrics\n"])
def test_R8_a_users_empty_prometheus_scrape_annotation_comes_back(extra: str) -> None:
    # The merge rewrites the user's `scrape: ''` to "true" in place and records nothing
    # (Istio records only non-empty values): the in-place key with no record was ''
    # (found by the fuzz property inject(uninject(inject(x))) == inject(x)).
    meta = f"  annotations:\n    prometheus.io/scrape: ''\n{extra}"
    original = POD.format(meta=meta, spec="")
    assert round_trip(original)[0] == original
    assert injected(round_trip(original)[0]) == injected(original)


def test_R8_a_users_own_scrape_true_stays_when_nothing_was_merged() -> None:
    # With merging off for the pod, injection leaves the Prometheus annotations alone:
    # the user's "true" is theirs.
    meta = (
        "  annotations:\n    prometheus.io/scrape: 'true'\n"
        "    prometheus.istio.io/merge-metrics: 'false'\n"
    )
    original = POD.format(meta=meta, spec="")
    assert round_trip(original)[0] == original


@pytest.mark.parametrize("style", ["minimal", "istio"])
def test_R9_a_users_empty_init_containers_stay_when_the_template_adds_none(style: str) -> None:
    # The gateway template adds no init container; the user's `initContainers: []` is
    # theirs, not the empty list a template writes (found by the byte-for-byte property).
    meta = "  annotations:\n    inject.istio.io/templates: gateway\n"
    original = POD.format(meta=meta, spec="  initContainers: []\n")
    once = run("-q", "--style", style, "-f", "-", input=original).stdout
    assert "  initContainers: []\n" in once
    back = run("uninject", "-q", "--style", style, "-f", "-", input=once).stdout
    assert back == original
