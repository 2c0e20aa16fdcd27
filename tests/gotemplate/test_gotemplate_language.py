"""The Go text/template language: one row per construct, each with its exact output."""

# ruff: noqa: E501 - table rows read best one per line

from __future__ import annotations

from typing import Any

import pytest

from meshinject.errors import TemplateError
from meshinject.gotemplate import StringMap, parse_template, render_string

DATA: dict[str, Any] = {
    "name": "web",
    "count": 3,
    "ratio": 0.5,
    "on": True,
    "off": False,
    "nothing": None,
    "empty": "",
    "items": ["a", "b", "c"],
    "none": [],
    "labels": {"b": "2", "a": "1"},
    "spec": {"containers": [{"name": "app", "image": "nginx"}, {"name": "side"}]},
    "APIVersion": "v9",
    "metadata": {"apiVersion": "apps/v1", "uid": "u-1"},
    "nested": {"inner": None},
}


def render(text: str, data: Any = DATA) -> str:
    return render_string(text, "t", data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # text and actions
        ("plain text", "plain text"),
        ("{{ .name }}", "web"),
        ("{{.name}}-{{.count}}", "web-3"),
        ("{{ . }}", "hello"),
        # trim markers remove all adjacent whitespace, newlines included
        ("a  \n {{- .name -}} \n  b", "awebb"),
        ("a {{- .name }} b", "aweb b"),
        ("a {{ .name -}} b", "a webb"),
        ("{{- /* a comment */ -}}", ""),
        ("a {{/* c */}} b", "a  b"),
        ("x\n  {{- /* gone */}}\ny", "x\ny"),
        # "-" without a following space is a number, not a trim marker
        ("{{-3}}", "-3"),
        # literals
        ('{{ "a\\tb\\n" }}', "a\tb\n"),
        ("{{ `raw\\n` }}", "raw\\n"),
        ("{{ 'a' }}", "97"),
        ("{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }}", "31 15 15 5 1000"),
        ("{{ 1.5 }} {{ 1e3 }} {{ 2.0 }}", "1.5 1000 2"),
        ("{{ true }} {{ false }}", "true false"),
        ('{{ "\\u00e9\\x41" }}', "éA"),
        # field access: exact key, then first letter lower-cased, acronyms whole
        ("{{ .Name }}", "web"),
        ("{{ .Spec.Containers }}", "[map[image:nginx name:app] map[name:side]]"),
        ("{{ .APIVersion }} {{ .Metadata.APIVersion }} {{ .Metadata.UID }}", "v9 apps/v1 u-1"),
        ("{{ $.name }}", "web"),
        # Go map semantics: a missing key prints <no value>, and so does a nil value
        ("{{ .missing }}", "<no value>"),
        ("{{ .missing.deeper.still }}", "<no value>"),
        ("{{ .nothing }}", "<no value>"),
        ("{{ print .nothing }}", "<nil>"),
        ("{{ print .missing }}", "<nil>"),
        # pipelines: the value becomes the last argument
        ('{{ "x" | printf "%s-%s" "a" }}', "a-x"),
        ('{{ .name | len | printf "%03d" }}', "003"),
        ("{{ (index .spec.containers 0).name }}", "app"),
        ("{{ (index .spec.containers 0).Image | upper }}", "NGINX"),
        # if / else if / else
        ("{{ if .on }}yes{{ end }}", "yes"),
        ("{{ if .off }}yes{{ else }}no{{ end }}", "no"),
        ("{{ if .off }}1{{ else if .on }}2{{ else }}3{{ end }}", "2"),
        ("{{ if .missing }}1{{ else if .empty }}2{{ else }}3{{ end }}", "3"),
        # truthiness: false, 0, "", nil, empty list and map are false
        ("{{ if 0 }}t{{ else }}f{{ end }}{{ if 0.0 }}t{{ else }}f{{ end }}", "ff"),
        ("{{ if .none }}t{{ else }}f{{ end }}{{ if .items }}t{{ else }}f{{ end }}", "ft"),
        ('{{ if "0" }}t{{ else }}f{{ end }}', "t"),
        # with / else with / else
        ("{{ with .labels }}{{ .a }}{{ end }}", "1"),
        ("{{ with .missing }}x{{ else }}none{{ end }}", "none"),
        ("{{ with .empty }}1{{ else with .name }}{{ . }}{{ end }}", "web"),
        ("{{ with $x := .count }}{{ $x }}{{ end }}", "3"),
        # range over lists, maps (sorted keys), integers
        ("{{ range .items }}{{ . }}{{ end }}", "abc"),
        ("{{ range $i, $v := .items }}{{ $i }}={{ $v }} {{ end }}", "0=a 1=b 2=c "),
        ("{{ range $v := .items }}{{ $v }}{{ end }}", "abc"),
        ("{{ range $k, $v := .labels }}{{ $k }}:{{ $v }};{{ end }}", "a:1;b:2;"),
        ("{{ range .labels }}{{ . }}{{ end }}", "12"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ range .none }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range .missing }}x{{ else }}empty{{ end }}", "empty"),
        ('{{ range .items }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}', "a"),
        ('{{ range .items }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}', "ac"),
        ("{{ range .items }}{{ $.name }}{{ end }}", "webwebweb"),
        # variables: declaration, assignment to an outer variable, scoping
        ("{{ $x := 1 }}{{ $x }}", "1"),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"),
        ("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "21"),
        (
            "{{ $first := true }}{{ range .items }}{{ if not $first }},{{ end }}"
            "{{ . }}{{ $first = false }}{{ end }}",
            "a,b,c",
        ),
        ("{{ range $i, $c := .spec.containers }}{{ $c.Name }}{{ end }}", "appside"),
        # define / template / block
        ('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" .name }}', "[web]"),
        ('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" }}', "[<no value>]"),
        ('{{ define "x" }}{{ $ }}{{ end }}{{ template "x" 5 }}', "5"),
        ('{{ block "b" .count }}<{{ . }}>{{ end }}', "<3>"),
        (
            '{{ define "a" }}A{{ template "b" }}{{ end }}{{ define "b" }}B{{ end }}{{ template "a" }}',
            "AB",
        ),
        # parenthesised pipelines and chains on them
        ("{{ (len .items) }}", "3"),
        ('{{ (dict "k" (dict "v" 7)).k.v }}', "7"),
    ],
)
def test_construct(text: str, expected: str) -> None:
    data = "hello" if text == "{{ . }}" else DATA
    assert render(text, data) == expected


def test_zero_arg_callable_in_data_is_called_as_a_method() -> None:
    data = {"proxy": {"GetValue": lambda: "v", "Join": lambda a, b: f"{a}+{b}"}}
    assert render('{{ .proxy.GetValue }} {{ .proxy.Join "x" "y" }}', data) == "v x+y"


def test_object_attributes_and_methods_are_fields() -> None:
    class Mode:
        def String(self) -> str:
            return "REDIRECT"

    assert render("{{ .mode.String }}", {"mode": Mode()}) == "REDIRECT"


def test_string_map_index_of_missing_key_is_empty_string() -> None:
    data = {"labels": StringMap({"app": "web"}), "plain": {"app": "web"}}
    assert render('[{{ index .labels "x" }}][{{ index .plain "x" }}]', data) == "[][<no value>]"


def test_template_is_parsed_once_and_executed_many_times() -> None:
    tpl = parse_template("{{ .n }}", "many")
    assert parse_template("{{ .n }}", "many") is tpl
    assert [tpl.execute({"n": i}) for i in range(3)] == ["0", "1", "2"]


def test_caller_funcs_override_defaults_and_add_new_ones() -> None:
    tpl = parse_template('{{ upper "a" }} {{ shout "b" }}', "f")
    funcs = {"upper": lambda s: s + "!", "shout": lambda s: s.upper()}
    assert tpl.execute({}, funcs=funcs) == "a! B"


def test_and_or_short_circuit_and_return_the_deciding_value() -> None:
    assert render('{{ or .empty .name "z" }} {{ and .name .count }} {{ and 0 .x.y }}') == (
        "web 3 0"
    )
    # `fail` would raise if evaluated: and/or never evaluate past the deciding argument
    assert render('{{ or .on (fail "x") }} {{ and .off (fail "x") }}') == "true false"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ foo }}", 'template "t": line 1, column 4: function "foo" not defined'),
        ("a\n\n{{ .x | nope }}", 'template "t": line 3, column 9: function "nope" not defined'),
        ("{{ if true }}x", 'template "t": line 1, column 15: unexpected EOF'),
        ("{{ end }}", 'template "t": line 1, column 1: unexpected {{end}}'),
        ("{{ if }}{{ end }}", 'template "t": line 1, column 7: missing value for if'),
        ("{{ .x", 'template "t": line 1, column 1: unclosed action'),
        ("{{ break }}", 'template "t": line 1, column 4: {{break}} outside {{range}}'),
        ("{{ continue }}", 'template "t": line 1, column 4: {{continue}} outside {{range}}'),
        ("{{ $x }}", 'template "t": line 1, column 4: undefined variable "$x"'),
        ('{{ "a }}', 'template "t": line 1, column 4: unterminated quoted string'),
        (
            "{{ 3 | 4 }}",
            'template "t": line 1, column 8: non executable command in pipeline stage 2',
        ),
        ("{{ /* x */ }}", 'template "t": line 1, column 4: unexpected "/" in command'),
        (
            "{{ template .x }}",
            'template "t": line 1, column 13: unexpected ".x" in template clause',
        ),
        ("{{ 1.2.3 }}", 'template "t": line 1, column 7: unexpected ".3" in operand'),
        ("{{ 12ab }}", "template \"t\": line 1, column 4: bad number syntax: '12a'"),
        (
            '{{ define "x" }}{{ define "y" }}{{ end }}{{ end }}',
            'template "t": line 1, column 20: unexpected <define> in command',
        ),
    ],
)
def test_parse_and_lookup_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateError) as info:
        render(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ .nested.inner.x }}", "nil pointer evaluating interface {}.x"),
        ("{{ .name.x }}", "can't evaluate field x in type string"),
        ("{{ .labels.a 1 }}", "a is not a method but has arguments"),
        ('{{ "a" 1 }}', 'can\'t give argument to non-function "a"'),
        ("{{ nil }}", "nil is not a command"),
        ("{{ index .items 5 }}", "error calling index: index out of range: 5"),
        ('{{ fail "boom" }}', "error calling fail: boom"),
        ("{{ upper .missing }}", "invalid value; expected string"),
        ("{{ upper 3 }}", "expected string; found 3"),
        ('{{ repeat 1.5 "x" }}', "expected integer; found 1.5"),
        ("{{ upper .count }}", "wrong type for value; expected string; got int"),
        ("{{ printf }}", "wrong number of args for printf: want at least 1 got 0"),
        ('{{ upper "a" "b" }}', "wrong number of args for upper: want 1 got 2"),
        ("{{ range .name }}{{ end }}", "range can't iterate over web"),
        ("{{ range $i, $v := 3 }}{{ end }}", "can't use 3 to iterate over more than one variable"),
        ('{{ template "nope" }}', 'no such template "nope"'),
        (
            "{{ genCA }}",
            'function "genCA" is not supported: its result is not deterministic'
            " (time, randomness, keys)",
        ),
        ("{{ call .name }}", "error calling call: non-function web of type string"),
    ],
)
def test_execution_errors_name_template_line_and_construct(text: str, message: str) -> None:
    with pytest.raises(TemplateError) as info:
        render("\n" + text)
    assert info.value.message.startswith('template "t": line 2, column ')
    assert info.value.message.split(": ", 2)[2] == message
    assert info.value.location.line == 2


def test_error_inside_defined_template_names_it() -> None:
    text = '{{ define "inner" }}\n{{ fail "x" }}{{ end }}{{ template "inner" }}'
    with pytest.raises(TemplateError) as info:
        render(text)
    assert info.value.message == (
        'template "t": line 2, column 4: executing "inner": error calling fail: x'
    )


def test_unknown_function_fails_even_in_a_branch_not_taken() -> None:
    with pytest.raises(TemplateError, match='function "nope" not defined'):
        render("{{ if false }}{{ nope }}{{ end }}")


def test_recursion_is_bounded() -> None:
    with pytest.raises(TemplateError, match="exceeded maximum template depth"):
        render('{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}')
