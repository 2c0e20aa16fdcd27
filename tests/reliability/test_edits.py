"""Edits keep what the user wrote: comments, quotes, empty lists (R2, R5, R6)."""

from __future__ import annotations

import yaml

from .helpers import POD, inject, uninject

FLOW_LABELS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web,  # owned by team-a
    release: '2024-01-01', canary: 'y', build: '8675e30', perms: '0o17'}
spec:
  containers:
  - name: web
    image: web:1
"""


def test_R2_a_flow_mapping_edited_keeps_its_comment_and_its_quotes() -> None:
    result = inject(FLOW_LABELS)
    assert result.exit_code == 0, result.stderr
    assert "  labels: {app: web,  # owned by team-a\n" in result.stdout
    assert "release: '2024-01-01', canary: 'y', build: '8675e30', perms: '0o17'" in result.stdout
    labels = yaml.safe_load(result.stdout)["metadata"]["labels"]
    assert labels["security.istio.io/tlsMode"] == "istio"
    assert uninject(result.stdout).stdout == FLOW_LABELS


def test_R2_changed_and_removed_flow_entries_keep_the_rest_as_written() -> None:
    source = FLOW_LABELS.replace("canary: 'y'", "sidecar.istio.io/inject: 'true'")
    injected = inject(source).stdout
    assert "sidecar.istio.io/inject: 'true'" in injected
    assert "# owned by team-a" in injected
    assert uninject(injected).stdout == source


def test_R5_a_second_run_keeps_the_empty_lists_the_first_run_kept() -> None:
    for empty in ("  imagePullSecrets: []\n", "  tolerations: []\n"):
        once = inject(POD + empty).stdout
        assert empty in once
        assert inject(once).stdout == once
    for filled in ("  volumes: []\n", "  initContainers: []\n"):
        once = inject(POD + filled).stdout
        assert inject(once).stdout == once


def test_R6_a_user_declared_istio_proxy_container_is_stable_across_runs() -> None:
    source = """\
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: web, image: web}
  - name: istio-proxy
    image: example.com/proxy:1
    resources: {limits: {cpu: 500m}}
    env: [{name: FOO, value: bar}]
"""
    once = inject(source)
    assert once.exit_code == 0, once.stderr
    twice = inject(once.stdout)
    assert twice.stdout == once.stdout
    upgraded = inject(once.stdout, "--set", "global.tag=9.9.9").stdout
    assert upgraded == inject(source, "--set", "global.tag=9.9.9").stdout
