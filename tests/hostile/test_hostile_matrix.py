"""Broken and hostile manifests: each one gets one exact, located message, exit code 123,
nothing on stdout for the bad file, and the good file next to it is still injected.

Each case is (the bad file's text, where the error points, the message). The message is
what a new user reads, so it is asserted whole.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.hostile.conftest import Run

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
CONTAINERS = "spec:\n  containers:\n  - name: web\n    image: web:1\n"


def pod_with_annotation(key: str, value: str) -> str:
    return f"{POD}  annotations:\n    {key}: {value}\n{CONTAINERS}"


def alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


BAD_INPUTS = [
    pytest.param(
        f"{POD}  labels: {{app: web\n{CONTAINERS}",
        "6:5",
        "did not find expected ',' or '}' (in the { } mapping that starts at line 5, column 11)",
        id="malformed-flow-mapping",
    ),
    pytest.param(
        "kind: ConfigMap\napiVersion: v1\n---\n" + f"{POD}  labels: {{app: web\n{CONTAINERS}",
        "9:5",
        "did not find expected ',' or '}' (in the { } mapping that starts at line 8, column 11)",
        id="syntax-error-in-a-later-document",
    ),
    pytest.param(
        f'{POD}  labels:\n    app: "web\n{CONTAINERS}',
        "11:1",
        "the quoted string that starts at line 6, column 10 is never closed",
        id="unclosed-quote",
    ),
    pytest.param(
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n",
        "4:1",
        "found a tab character; YAML must be indented with spaces, not tabs",
        id="tab-indentation",
    ),
    pytest.param(
        f"{POD}  labels:\n    app: web\n     version: v1\n{CONTAINERS}",
        "7:13",
        "unexpected ':' (check the indentation; a value that contains ': ' must be quoted)",
        id="bad-indentation",
    ),
    pytest.param(
        f"{POD}{CONTAINERS}- name: sidecar\n",
        "9:1",
        "expected a `key: value` here; check the indentation "
        "(in the mapping that starts at line 1, column 1)",
        id="list-item-at-the-wrong-level",
    ),
    pytest.param(
        "{apiVersion: v1, kind: Pod}}\n",
        "1:28",
        "unexpected text after the end of the document (a stray bracket or line? "
        "a new document needs a `---` line before it)",
        id="stray-closing-bracket",
    ),
    pytest.param(
        f"{POD}  labels:\n    null: web\n{CONTAINERS}",
        "6:5",
        'a key cannot be null; quote it ("null" or "~") to use it as text',
        id="null-key",
    ),
    pytest.param(
        f"{POD}  name: api\n{CONTAINERS}",
        "5:3",
        "duplicate key 'name'",
        id="duplicate-key",
    ),
    pytest.param(
        "- apiVersion: v1\n  kind: Pod\n",
        "1:1",
        "a Kubernetes document must be a mapping, got a list",
        id="document-is-a-list",
    ),
    pytest.param(
        "# a note\njust some text\n",
        "2:1",
        "a Kubernetes document must be a mapping, got a string",
        id="document-is-a-scalar",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n    name: web\n    image: web:1\n",
        "6:3",
        "spec.containers must be a list of containers, not a mapping",
        id="containers-not-a-list",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - image: web:1\n",
        "7:5",
        "spec.containers[0] has no name: every container needs `name`",
        id="container-without-name",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - web:1\n",
        "7:5",
        "spec.containers[0] must be a container (a mapping), not a string",
        id="container-is-a-string",
    ),
    pytest.param(
        "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\n"
        "spec:\n  replicas: 2\n",
        "5:1",
        "ReplicationController has no pod template: spec.template is required",
        id="replicationcontroller-without-template",
    ),
    pytest.param(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
        "5:1",
        "Deployment has no pod template: spec.template is required",
        id="deployment-without-template",
    ),
    pytest.param(
        f"apiVersion: v1\nmetadata:\n  name: web\n{CONTAINERS}",
        "1:1",
        "kind is missing: every Kubernetes object needs one (for example `kind: Deployment`)",
        id="kind-missing",
    ),
    pytest.param(
        f"apiVersion: v1\nkind: {{name: Pod}}\nmetadata:\n  name: web\n{CONTAINERS}",
        "2:1",
        "kind must be a string such as Deployment, not a mapping",
        id="kind-not-a-string",
    ),
    pytest.param(
        "apiVersion: v1\nkind: List\nitems:\n- just a string\n",
        "4:3",
        "List.items[0] must be a Kubernetes object (a mapping), not a string",
        id="list-item-not-a-mapping",
    ),
    pytest.param(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: x}\n",
        "4:3",
        "kind is missing: every Kubernetes object needs one (for example `kind: Deployment`)",
        id="list-item-without-kind",
    ),
    pytest.param(
        pod_with_annotation("sidecar.istio.io/proxyCPU", "100"),
        "6:5",
        "annotation 'sidecar.istio.io/proxyCPU' must be a string; quote the value: \"100\"",
        id="annotation-not-a-string",
    ),
    pytest.param(
        pod_with_annotation("sidecar.istio.io/proxyMemory", "lots"),
        "6:5",
        "invalid value 'lots' for annotation 'sidecar.istio.io/proxyMemory': not a Kubernetes "
        "quantity (a number with an optional suffix such as 100m, 0.5, 128Mi or 1Gi)",
        id="bad-quantity",
    ),
    pytest.param(
        pod_with_annotation("traffic.sidecar.istio.io/excludeInboundPorts", '"8080,70000"'),
        "6:5",
        "invalid value '8080,70000' for annotation 'traffic.sidecar.istio.io/excludeInboundPorts'"
        ": excludeInboundPorts invalid: failed parsing port '70000': "
        'strconv.ParseUint: parsing "70000": value out of range',
        id="bad-port",
    ),
    pytest.param(
        pod_with_annotation("traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.0.0.0/33"),
        "6:5",
        "invalid value '10.0.0.0/33' for annotation "
        "'traffic.sidecar.istio.io/excludeOutboundIPRanges': excludeIPRanges invalid: failed "
        "parsing cidr '10.0.0.0/33': netip.ParsePrefix(\"10.0.0.0/33\"): bad bits after slash: "
        '"33"',
        id="bad-cidr",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - name: web\n    ports: 8080\n",
        "8:5",
        "spec.containers[0].ports must be a list of mappings, not a number",
        id="ports-not-a-list",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - name: web\n    ports:\n    - containerPort: http\n",
        "9:7",
        "spec.containers[0].ports[0].containerPort must be a port number, not a string",
        id="container-port-not-a-number",
    ),
    pytest.param(
        "apiVersion: v1\nkind: Pod\nmetadata: web\n" + CONTAINERS,
        "3:1",
        "metadata must be a mapping, not a string",
        id="metadata-not-a-mapping",
    ),
    pytest.param(
        f"{POD}  labels: *common\n{CONTAINERS}",
        "5:11",
        "found undefined alias 'common'",
        id="undefined-alias",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - name: web\n    resources:\n      limits:\n"
        "        cpu: 1e999999999\n",
        "10:9",
        "spec.containers[0].resources.limits.cpu: quantity out of range (more than 40 digits)",
        id="absurd-quantity",
    ),
    pytest.param(
        f"{POD}spec:\n  containers:\n  - name: web\n    resources:\n      limits:\n"
        "        memory: lots\n",
        "10:9",
        "spec.containers[0].resources.limits.memory: not a Kubernetes quantity (a number with "
        "an optional suffix such as 100m, 0.5, 128Mi or 1Gi)",
        id="bad-container-quantity",
    ),
    pytest.param(
        alias_bomb(),
        "6:10",
        "too many alias expansions: the aliases expand to more than 100,000 nodes "
        "(refusing what looks like an alias bomb)",
        id="alias-bomb",
    ),
    pytest.param(
        "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "1:503",
        "nesting deeper than 500 levels",
        id="deep-flow-nesting",
    ),
    pytest.param(
        "".join("  " * depth + f"k{depth}:\n" for depth in range(2_000)),
        "501:1001",
        "nesting deeper than 500 levels",
        id="deep-block-nesting",
    ),
]


@pytest.mark.parametrize(("content", "where", "message"), BAD_INPUTS)
def test_bad_file_is_reported_and_the_good_file_still_injected(
    run_with_good: Callable[..., Run], content: str, where: str, message: str
) -> None:
    run = run_with_good(content)
    assert run.error_lines == [f"error: {run.bad}:{where}: {message}"]
    assert run.result.exit_code == 123
    assert run.result.stdout == run.good_alone  # nothing of bad.yaml, all of good.yaml
    assert "Traceback" not in run.result.stderr
    assert "1 file failed" in run.result.stderr


def test_invalid_utf8_names_the_byte_and_its_position(run_with_good: Callable[..., Run]) -> None:
    run = run_with_good(POD.encode() + b"  labels: {team: caf\xe9}\n" + CONTAINERS.encode())
    assert run.error_lines == [
        f"error: {run.bad}:5:21: not valid UTF-8 (byte 0xe9); Kubernetes manifests must be UTF-8"
    ]
    assert run.result.exit_code == 123
    assert run.result.stdout == run.good_alone


def test_one_bad_document_keeps_the_whole_file_out_of_stdout(
    run_with_good: Callable[..., Run],
) -> None:
    """A stream is all or nothing: half a file on stdout would look like a complete one."""
    fine = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
    run = run_with_good(f"{fine}---\n{POD}spec:\n  containers: {{}}\n")
    assert run.error_lines == [
        f"error: {run.bad}:11:3: spec.containers must be a list of containers, not a mapping"
    ]
    assert "settings" not in run.result.stdout
    assert run.result.stdout == run.good_alone
    # The summary counts what was written: nothing of bad.yaml, so not its ConfigMap either.
    assert run.result.stderr.splitlines()[-1] == (
        "1 workload injected, 0 skipped, 0 documents passed through, 1 file failed"
    )


def test_in_place_leaves_a_bad_file_byte_for_byte_alone(
    run_with_good: Callable[..., Run],
) -> None:
    content = pod_with_annotation("sidecar.istio.io/proxyCPU", "100")
    run = run_with_good(content, "-i")
    assert run.result.exit_code == 123
    assert run.bad.read_text() == content
    assert "istio-proxy" in run.good.read_text()
    assert run.result.stdout == ""


BY_ID = {case.id: case.values for case in BAD_INPUTS}


@pytest.mark.parametrize(
    "case", ["syntax-error-in-a-later-document", "bad-cidr", "kind-missing", "alias-bomb"]
)
def test_errors_survive_the_worker_processes(run_with_good: Callable[..., Run], case: str) -> None:
    """With --jobs 2 errors are made in worker processes and sent back (pickled)."""
    content, where, message = BY_ID[case]
    run = run_with_good(content, "--jobs", "2")
    assert run.error_lines == [f"error: {run.bad}:{where}: {message}"]
    assert run.result.exit_code == 123
    assert run.result.stdout == run.good_alone
