"""R23: a user's Go template cannot let manifest values add YAML structure.

Istio's own templates print many values raw; a value holding quotes and a line break then
adds keys to the pod. meshinject refuses such a workload, naming the value, and injects
values that stay one scalar as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.helpers import run

NOTE_TEMPLATE = """\
defaultTemplates: [sidecar, custom]
templates:
  custom: |
    metadata:
      annotations:
        example.com/note: "{{ annotation .ObjectMeta `example.com/src` `none` }}"
"""

CONTAINER_TEMPLATE = """\
defaultTemplates: [sidecar, custom]
templates:
  custom: |
    spec:
      containers:
      - name: istio-proxy
        env:
        - name: NOTE
          value: {{ annotation .ObjectMeta `example.com/src` `none` }}
        - name: FIRST_IMAGE
          value: {{ (index .Spec.Containers 0).Image }}
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    example.com/src: {value}
spec:
  containers:
  - name: web
    image: {image}
"""


def inject(tmp_path: Path, template: str, value: str, image: str = "web:1") -> tuple[int, str, str]:
    config = tmp_path / "inj.yaml"
    config.write_text(template)
    pod = tmp_path / "pod.yaml"
    pod.write_text(POD.format(value=value, image=image))
    result = run("--style", "minimal", "--inject-config", str(config), str(pod))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("template", "value"),
    [
        (NOTE_TEMPLATE, r'"x\"\n    example.com/forged: \"yes"'),
        (CONTAINER_TEMPLATE, r'"x\n      securityContext: {privileged: true, runAsUser: 0}"'),
        (CONTAINER_TEMPLATE, "'{privileged: true}'"),
        (CONTAINER_TEMPLATE, "'a, b: c'"),
    ],
    ids=["quoted-annotation", "container-block", "flow-mapping", "comma-colon"],
)
def test_R23_a_value_printed_raw_cannot_add_structure(
    tmp_path: Path, template: str, value: str
) -> None:
    code, out, err = inject(tmp_path, template, value)
    assert code == 123
    assert out == ""
    assert "forged" not in out
    assert "pod.yaml:6:5: " in err
    assert "prints the value of metadata.annotations.example.com/src without quoting" in err
    assert "nothing was injected" in err


def test_R23_a_spec_value_is_located_where_it_is(tmp_path: Path) -> None:
    code, _, err = inject(tmp_path, CONTAINER_TEMPLATE, "ok", image='"web\\n  forged: x"')
    assert code == 123
    assert "pod.yaml:10:5: " in err
    assert "spec.containers.0.image" in err


@pytest.mark.parametrize(
    "value", ["plain", "'a: b, with, commas'", "'x # not a comment'", "docker.io/web:1.2"]
)
def test_R23_values_that_stay_one_scalar_still_inject(tmp_path: Path, value: str) -> None:
    code, out, err = inject(tmp_path, NOTE_TEMPLATE, value)
    assert code == 0, err
    assert "example.com/note:" in out
