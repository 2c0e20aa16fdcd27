"""`meshinject uninject`: exact for what meshinject injected, best effort (with a warning)
for anything else, and it never opts a workload out."""

from __future__ import annotations

from tests.gitops.support import inject, uninject
from tests.runner import invoke as run

DEPLOYMENT = b"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
    spec:
      containers:
      - name: web
        image: web:1
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: http
        livenessProbe:
          tcpSocket:
            port: 8081
          periodSeconds: 5
"""


def test_uninject_restores_probes_and_prometheus_annotations_exactly() -> None:
    injected = inject(DEPLOYMENT)
    assert b"port: 15020" in injected
    assert b'prometheus.io/port: "15020"' in injected
    result = run("uninject", "-f", "-", input=injected)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == DEPLOYMENT
    assert "warning" not in result.stderr


def test_uninject_never_opts_the_workload_out() -> None:
    back = uninject(inject(DEPLOYMENT))
    assert b"sidecar.istio.io/inject" not in back
    assert b"istio" not in back


def test_a_file_without_injection_is_left_alone() -> None:
    result = run("uninject", "-f", "-", input=DEPLOYMENT)
    assert result.exit_code == 0
    assert result.stdout_bytes == DEPLOYMENT
    assert "not injected" in result.stderr


def istioctl_style(injected: bytes) -> bytes:
    """What istioctl kube-inject writes on top: Go zero values, and a tweaked sidecar."""
    text = injected.replace(
        b"  name: web\nspec:\n", b"  creationTimestamp: null\n  name: web\nspec:\n"
    )
    text = text.replace(b"  strategy: {}\n", b"")
    text = text.replace(
        b"    metadata:\n      labels:\n",
        b"    metadata:\n      creationTimestamp: null\n      labels:\n",
    )
    text = text.replace(b"proxyv2:1.31.0", b"proxyv2:1.30.2")  # another Istio release
    text = text.replace(b"        image: web:1\n", b"        image: web:1\n        resources: {}\n")
    return text + b"status: {}\n"


def test_a_workload_injected_by_istioctl_is_uninjected_best_effort_with_a_warning() -> None:
    injected = istioctl_style(inject(DEPLOYMENT))
    result = run("uninject", "-f", "-", input=injected)
    assert result.exit_code == 0, result.stderr
    out = result.stdout_bytes
    # What the status annotation lists is gone, probes and Prometheus are restored ...
    for gone in (
        b"istio-proxy",
        b"istio-init",
        b"istio-envoy",
        b"sidecar.istio.io/status",
        b"/app-health/",
        b"15020",
    ):
        assert gone not in out
    assert b"            path: /ready\n            port: http\n" in out
    assert b"          tcpSocket:\n            port: 8081\n" in out
    assert b'prometheus.io/port: "9090"' in out
    # ... istioctl's own additions stay, and the user is told to review the result.
    assert b"creationTimestamp: null" in out
    assert b"status: {}" in out
    assert "best effort" in result.stderr
    assert "Deployment default/web" in result.stderr


def test_a_numbered_probe_port_that_a_port_names_comes_back_as_the_name() -> None:
    # Documented ambiguity: Istio records the resolved number only. Either reading
    # injects to the same result.
    numbered = DEPLOYMENT.replace(b"            port: http\n", b"            port: 8080\n")
    injected = inject(numbered)
    assert injected == inject(DEPLOYMENT)
    assert uninject(injected) == DEPLOYMENT
    assert inject(uninject(injected)) == injected


def with_labels(*lines: bytes) -> bytes:
    labels = b"      labels:\n"
    return DEPLOYMENT.replace(labels + b"        app: web\n", labels + b"".join(lines))


def test_a_users_own_istio_labels_are_kept() -> None:
    first = with_labels(b"        service.istio.io/canonical-name: web\n", b"        app: web\n")
    assert uninject(inject(first)) == first
    # Last, but not where injection would have appended it (it writes tlsMode first).
    last = with_labels(b"        app: web\n", b"        service.istio.io/canonical-name: web\n")
    assert uninject(inject(last)) == last


def test_a_users_istio_label_exactly_where_injection_appends_it_is_taken_as_added() -> None:
    # Documented ambiguity: `tlsMode: istio` as the user's last label is what injection
    # appends first, so the injected files are identical; uninject removes it, and
    # injecting either gives the same file.
    last = with_labels(b"        app: web\n", b"        security.istio.io/tlsMode: istio\n")
    assert inject(last) == inject(DEPLOYMENT)
    assert uninject(inject(last)) == DEPLOYMENT
    assert inject(uninject(inject(last))) == inject(last)


LIST = b"""\
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: a
  spec:
    selector: {matchLabels: {app: a}}   # flow style stays
    template:
      metadata:
        labels:
          app: a
      spec:
        containers:
        - name: a
          image: a:1
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
"""


def test_list_items_are_edited_in_place_and_uninjected_exactly() -> None:
    injected = inject(LIST, "minimal")
    assert b"    selector: {matchLabels: {app: a}}   # flow style stays\n" in injected
    assert injected.endswith(b"- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings}\n")
    assert uninject(injected, "minimal") == LIST
    assert inject(injected, "minimal") == injected
