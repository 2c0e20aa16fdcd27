"""Every value meshinject writes keeps its type for every reader (issue 12, kind of R3).

Kubernetes reads manifests with go-yaml v2 (through sigs.k8s.io/yaml); other tools read
YAML 1.1 or 1.2. A string is written plain only when all of them read it back as that
string; otherwise it is quoted.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from meshinject.yamltext import load_document
from meshinject.yamltext.emit import scalar_text

from .helpers import inject
from .readers import every_reader_string, go_yaml_v2_string, typed_by_some_reader

LOOK_ALIKES = [
    "8675e30", "1e3", "0x1f", "yes", "y", "n", "~", ".inf", "0755", "1_000", "12:30",
    "2024-01-01", "0o17", "0b101", "+1", ".5", "1.", "null", "<<", "=", "-0b1", "1E+3",
]  # fmt: skip


def deployment(value: str) -> str:
    v = json.dumps(value)
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {v}}}\nspec:\n"
        f"  selector: {{matchLabels: {{app: {v}}}}}\n  template:\n    metadata:\n"
        f"      labels: {{app: {v}, version: {v}}}\n    spec:\n      containers:\n"
        f"      - name: {v}\n        image: web:1\n"
    )


COPIED = {
    "service.istio.io/canonical-revision",
    "kubectl.kubernetes.io/default-container",
    "kubectl.kubernetes.io/default-logs-container",
    "ISTIO_META_WORKLOAD_NAME",
    "ISTIO_META_APP_CONTAINERS",
}


def retyped_copies(output: str) -> list[str]:
    """Fields copied from the manifest that some reader would not read as strings."""
    bad: list[str] = []
    stack: list[Any] = list(yaml.compose_all(output, Loader=yaml.CSafeLoader))
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            for key, value in pairs.items():
                copied = key in COPIED and isinstance(value, yaml.ScalarNode)
                if copied and typed_by_some_reader(value):
                    bad.append(f"{key}: {value.value}")
            name = pairs.get("name")
            value = pairs.get("value")
            if (
                isinstance(name, yaml.ScalarNode)
                and name.value in COPIED
                and isinstance(value, yaml.ScalarNode)
                and typed_by_some_reader(value)
            ):
                bad.append(f"{name.value}: {value.value}")
            stack.extend(v for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return bad


def test_R3_values_copied_from_the_manifest_are_quoted_where_kubernetes_retypes_them() -> None:
    result = inject(deployment("1e3").replace('version: "1e3"', 'version: "8675e30"'))
    assert result.exit_code == 0, result.stderr
    assert 'service.istio.io/canonical-revision: "8675e30"' in result.stdout
    assert 'kubectl.kubernetes.io/default-container: "1e3"' in result.stdout
    assert retyped_copies(result.stdout) == []


def test_R3_every_look_alike_keeps_its_type_in_every_copied_field() -> None:
    for value in LOOK_ALIKES:
        if value in ("<<",):
            continue  # not a valid container name for the merge-key reader either
        result = inject(deployment(value))
        assert result.exit_code == 0, (value, result.stderr)
        assert retyped_copies(result.stdout) == [], value


def test_R3_the_reader_models_know_the_classic_cases() -> None:
    assert not go_yaml_v2_string("8675e30")
    assert not go_yaml_v2_string("0o17")
    assert not go_yaml_v2_string("n")
    assert go_yaml_v2_string("v1.2.3")
    assert every_reader_string("web")


# -- property: any string meshinject writes reads back as that string everywhere --------

_SCALARS = st.text(alphabet="0123456789+-._:eExXoObB yYnN~tT=<>.Zz", min_size=0, max_size=10)


@given(_SCALARS)
@example("8675e30")
@example("0o17")
@example("2024-1-2 3:04:05")
@example("1_0.5")
@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
def test_R3_written_scalars_read_back_as_strings_for_every_reader(text: str) -> None:
    written = scalar_text(text)
    root = yaml.compose(f"v: {written}\n", Loader=yaml.CSafeLoader)
    assert isinstance(root, yaml.MappingNode)
    node = root.value[0][1]
    if not node.style:
        assert every_reader_string(text), written
    assert load_document(f"v: {written}\n").data == {"v": text}


@given(st.sampled_from(LOOK_ALIKES) | _SCALARS.filter(lambda s: s.strip() == s and s != ""))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_R3_injected_copies_of_generated_values_keep_their_type(value: str) -> None:
    result = inject(deployment(value))
    if result.exit_code != 0:
        return  # an invalid name is reported; nothing written to check
    assert retyped_copies(result.stdout) == []
