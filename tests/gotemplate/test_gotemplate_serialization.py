"""YAML and JSON output as Go writes it, and the real templates meshinject must render."""

# ruff: noqa: E501 - table rows and template lines read best unwrapped

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from meshinject.gotemplate import StringMap, gojson, goyaml, render_string

CASES = Path("/work/shared/conformance/cases")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": 1, "a": [1, 2], "c": {}}, "a:\n- 1\n- 2\nb: 1\nc: {}\n"),
        ({"a2": 1, "a10": 2, "a_b": 3, "aB": 4}, "a_b: 3\na2: 1\na10: 2\naB: 4\n"),
        ([{"name": "x", "v": [{"k": 1}]}], "- name: x\n  v:\n  - k: 1\n"),
        (
            {"s": "true", "n": "1.5", "e": "", "d": "2024-01-02", "y": "yes"},
            # keys are quoted by the same rule: "n" and "y" are YAML 1.1 booleans
            'd: "2024-01-02"\ne: ""\n"n": "1.5"\ns: "true"\n"y": "yes"\n',
        ),
        (
            {"c": "a: b", "h": "#x", "q": "it's", "sp": " x", "dash": "- x", "ok": "a-b c"},
            "c: 'a: b'\ndash: '- x'\nh: '#x'\nok: a-b c\nq: it's\nsp: ' x'\n",
        ),
        (
            {"m": "l1\nl2\n", "o": "l1\nl2", "k": "x\n\n"},
            "k: |+\n  x\n\nm: |\n  l1\n  l2\no: |-\n  l1\n  l2\n",
        ),
        (
            {"f": 1.0, "g": 1.5, "h": 1e-7, "z": None, "t": True},
            "f: 1\ng: 1.5\nh: 1e-07\nt: true\nz: null\n",
        ),
        ("plain", "plain\n"),
        ({}, "{}\n"),
    ],
)
def test_yaml_marshal_matches_go_yaml(value: Any, expected: str) -> None:
    assert goyaml.marshal(value) == expected
    assert yaml.safe_load(expected) == yaml.safe_load(goyaml.marshal(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": [1, 2.5], "a": None}, '{"a":null,"b":[1,2.5]}'),
        ("<tag> & \u2028", '"\\u003ctag\\u003e \\u0026 \\u2028"'),
        (1e21, "1e+21"),
        (0.0000001, "1e-7"),
        (100.0, "100"),
    ],
)
def test_json_marshal_matches_go(value: Any, expected: str) -> None:
    assert gojson.marshal(value) == expected


def _values(case: str) -> dict[str, Any]:
    loaded = yaml.safe_load((CASES / case / "values-overrides.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.skipif(not CASES.exists(), reason="conformance cases not present")
def test_custom_template_from_values_renders_each_container() -> None:
    text = _values("custom-template")["sidecarInjectorWebhook"]["templates"]["custom"]
    pod = {"Spec": {"containers": [{"name": "hello"}, {"name": "world"}]}}
    out = yaml.safe_load(render_string(text, "custom", pod))
    assert [c["name"] for c in out["spec"]["containers"]] == ["hello", "world"]
    assert out["spec"]["containers"][0]["env"][0] == {"name": "SOME_ENV", "value": "true"}
    assert out["metadata"]["annotations"]["foo"] == "bar"


@pytest.mark.skipif(not CASES.exists(), reason="conformance cases not present")
def test_template_expression_in_values_renders_namespace_or_default() -> None:
    search = _values("hello-template-in-values")["global"]["podDNSSearchNamespaces"][1]
    assert render_string(search, "dns", {"DeploymentMeta": {"namespace": "ns1"}}) == "ns1.global"
    assert render_string(search, "dns", {"DeploymentMeta": {}}) == "default.global"


@pytest.mark.skipif(not CASES.exists(), reason="conformance cases not present")
def test_template_without_actions_renders_verbatim() -> None:
    text = _values("gateway-spire")["sidecarInjectorWebhook"]["templates"]["spire"]
    assert render_string(text, "spire", {}) == text


# A template of our own written with the constructs Istio's injection templates use.
INJECTION_LIKE = """\
initContainers:
{{ if ne (annotation .ObjectMeta `sidecar.istio.io/interceptionMode` .ProxyConfig.InterceptionMode) `NONE` }}
- name: istio-init
  args:
  - "-b"
  - "{{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeInboundPorts` `*` }}"
  - "-d"
  - "15090,15021,{{ excludeInboundPort (annotation .ObjectMeta `status.sidecar.istio.io/port` .Values.global.proxy.statusPort) (annotation .ObjectMeta `traffic.sidecar.istio.io/excludeInboundPorts` .Values.global.proxy.excludeInboundPorts) }}"
  {{ if (isset .ObjectMeta.Annotations `traffic.sidecar.istio.io/kubevirtInterfaces`) -}}
  - "-k"
  {{ end -}}
  {{- if .Values.global.proxy_init.resources }}
  resources:
    {{ toYaml .Values.global.proxy_init.resources | indent 4 }}
  {{- else }}
  resources: {}
  {{- end }}
{{ end -}}
containers:
- name: istio-proxy
  env:
  - name: ISTIO_META_POD_PORTS
    value: |-
      [
      {{- $first := true }}
      {{- range $index1, $c := .Spec.Containers }}
        {{- range $index2, $p := $c.Ports }}
          {{- if (structToJSON $p) }}
          {{if not $first}},{{end}}{{ structToJSON $p }}
          {{- $first = false }}
          {{- end }}
        {{- end}}
      {{- end}}
      ]
  - name: ISTIO_META_APP_CONTAINERS
    value: "{{- range $index, $container := .Spec.Containers }}{{- if ne $index 0}},{{- end}}{{ $container.Name }}{{- end}}"
  - name: ISTIO_META_INTERCEPTION_MODE
    value: "{{ or (index .ObjectMeta.Annotations `sidecar.istio.io/interceptionMode`) .ProxyConfig.InterceptionMode.String }}"
  {{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}
  - name: ISTIO_META_OWNER
    value: kubernetes://apis/{{ .TypeMeta.APIVersion }}/namespaces/{{ valueOrDefault .DeploymentMeta.Namespace `default` }}/{{ toLower .TypeMeta.Kind}}s/{{ .DeploymentMeta.Name }}
  {{- end}}
  {{- range $key, $value := .ProxyConfig.ProxyMetadata }}
  - name: {{ $key }}
    value: "{{ $value }}"
  {{- end }}
  {{- if .Values.global.meshID }}
  - name: ISTIO_META_MESH_ID
    value: "{{ .Values.global.meshID }}"
  {{- else if .Values.global.trustDomain }}
  - name: ISTIO_META_MESH_ID
    value: "{{ .Values.global.trustDomain }}"
  {{- end }}
  {{- if isset .ObjectMeta.Annotations `sidecar.istio.io/userVolumeMount` }}
  volumeMounts:
  {{ range $index, $value := fromJSON (index .ObjectMeta.Annotations `sidecar.istio.io/userVolumeMount`) }}
  - name: "{{  $index }}"
    {{ toYaml $value | indent 4 }}
  {{ end }}
  {{- end }}
  secretName: {{ if eq .Spec.ServiceAccountName "" }}istio.default{{ else }}{{ printf "istio.%s" .Spec.ServiceAccountName }}{{ end }}
"""


class _Mode:
    def String(self) -> str:  # a Go method name
        return "REDIRECT"

    def __str__(self) -> str:
        return "REDIRECT"


def test_injection_style_template_renders_valid_yaml() -> None:
    data = {
        "ObjectMeta": {
            "annotations": StringMap(
                {"sidecar.istio.io/userVolumeMount": '{"data": {"mountPath": "/d"}}'}
            ),
        },
        "ProxyConfig": {"InterceptionMode": _Mode(), "ProxyMetadata": {"B": "2", "A": "1"}},
        "Values": {
            "global": {
                "proxy": {"statusPort": 15020, "excludeInboundPorts": ""},
                "proxy_init": {"resources": {"limits": {"cpu": "2"}}},
                "trustDomain": "cluster.local",
            }
        },
        "Spec": {
            "serviceAccountName": "sa",
            "containers": [
                {"name": "app", "ports": [{"name": "http", "containerPort": 80}]},
                {"name": "side", "ports": [{"containerPort": 81}]},
            ],
        },
        "TypeMeta": {"apiVersion": "apps/v1", "kind": "Deployment"},
        "DeploymentMeta": {"name": "web", "namespace": "ns"},
    }
    out = yaml.safe_load(render_string(INJECTION_LIKE, "sidecar", data))
    init = out["initContainers"][0]
    assert init["args"] == ["-b", "*", "-d", "15090,15021,15020"]
    assert init["resources"] == {"limits": {"cpu": "2"}}
    proxy = out["containers"][0]
    env = {e["name"]: e["value"] for e in proxy["env"]}
    assert env["ISTIO_META_POD_PORTS"] == (
        '[\n    {"name":"http","containerPort":80}\n    ,{"containerPort":81}\n]'
    )
    assert env["ISTIO_META_APP_CONTAINERS"] == "app,side"
    assert env["ISTIO_META_INTERCEPTION_MODE"] == "REDIRECT"
    assert env["ISTIO_META_OWNER"] == "kubernetes://apis/apps/v1/namespaces/ns/deployments/web"
    assert env["ISTIO_META_MESH_ID"] == "cluster.local"
    assert [k for k in env if len(k) == 1] == ["A", "B"]
    assert proxy["volumeMounts"] == [{"name": "data", "mountPath": "/d"}]
    assert proxy["secretName"] == "istio.sa"
