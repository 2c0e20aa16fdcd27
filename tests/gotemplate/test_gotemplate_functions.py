"""Go builtins, printf, Sprig and Istio functions: one row per function, exact output."""

# ruff: noqa: E501 - table rows read best one per line

from __future__ import annotations

from typing import Any

import pytest

from meshinject.errors import TemplateError
from meshinject.gotemplate import render_string

DATA: dict[str, Any] = {
    "s": "hello",
    "n": 3,
    "f": 2.5,
    "l": [3, 1, 2],
    "m": {"b": 2, "a": 1},
    "meta": {"annotations": {"sidecar.istio.io/x": "set", "n": "1"}},
    "pods": [
        {"name": "app", "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}]},
        {"name": "istio-proxy", "ports": [{"containerPort": 15090, "protocol": "TCP"}]},
    ],
}


def render(text: str, data: Any = DATA) -> str:
    return render_string(text, "f", data)


BUILTINS = [
    ("{{ not 0 }} {{ not .s }}", "true false"),
    ('{{ len .s }} {{ len .l }} {{ len .m }} {{ len "é" }}', "5 3 2 2"),
    ('{{ index .l 1 }} {{ index .m "a" }} {{ index .m "zz" }}', "1 1 <no value>"),
    ('{{ index (list (list 1 2)) 0 1 }} {{ index "abc" 1 }}', "2 98"),
    ('{{ slice .l 1 }} {{ slice .l 1 2 }} {{ slice "hello" 1 3 }}', "[1 2] [1] el"),
    ('{{ print "a" 1 2 "b" }}', "a1 2b"),
    ('{{ println "a" 1 }}', "a 1\n"),
    (
        '{{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ eq .missing "x" }} {{ eq .missing nil }}',
        "true true false true",
    ),
    (
        "{{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 3 2 }} {{ ge 1 2 }}",
        "true true true true false",
    ),
    ('{{ lt "a" "b" }} {{ lt 1.5 2.5 }}', "true true"),
    ("{{ html \"<a href='x'>&\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;"),
    ('{{ js "it\'s <b>" }}', "it\\'s \\u003Cb\\u003E"),
    ('{{ urlquery "a b&c/é" }}', "a+b%26c%2F%C3%A9"),
    ("{{ call .fn 2 }}", "4"),
]

PRINTF = [
    ('{{ printf "%s|%v|%d" "s" .l 42 }}', "s|[3 1 2]|42"),
    ('{{ printf "%q %q" "a\\"b\\n" 97 }}', '"a\\"b\\n" \'a\''),
    ('{{ printf "%t %v" true nil }}', "true <nil>"),
    (
        '{{ printf "%f %.2f %8.3f|%-6.1f|" 3.14159 3.14159 3.14159 2.0 }}',
        "3.141590 3.14    3.142|2.0   |",
    ),
    ('{{ printf "%x %X %o %b %08d %+d" 255 255 8 5 42 5 }}', "ff FF 10 101 00000042 +5"),
    ('{{ printf "%5s|%-5s|%.2s" "ab" "ab" "abc" }}', "   ab|ab   |ab"),
    (
        '{{ printf "%x" "hi" }} {{ printf "%e" 1234.5 }} {{ printf "%g" 0.000001 }}',
        "6869 1.234500e+03 1e-06",
    ),
    ('{{ printf "%v %v" .m 1e21 }}', "map[a:1 b:2] 1e+21"),
    (
        '{{ printf "%d" "x" }} {{ printf "%s" 5 }} {{ printf "%d" }}',
        "%!d(string=x) %!s(int=5) %!d(MISSING)",
    ),
    (
        '{{ printf "%s" "a" "b" }} {{ printf "100%%" }} {{ printf "%T %T" 1 .m }}',
        "a%!(EXTRA string=b) 100% int map[string]interface {}",
    ),
]

SPRIG = [
    (
        '{{ default "d" "" }} {{ default "d" "v" }} {{ default 5 0 }} {{ .missing | default "z" }}',
        "d v 5 z",
    ),
    ('{{ empty "" }} {{ empty 0 }} {{ empty .l }} {{ empty (dict) }}', "true true false true"),
    ('{{ coalesce "" 0 "x" }} {{ ternary "a" "b" true }} {{ ternary "a" "b" false }}', "x a b"),
    (
        '{{ toJson .m }} {{ toJson "<&>" }} {{ toJson 1.0 }}',
        '{"a":1,"b":2} "\\u003c\\u0026\\u003e" 1',
    ),
    ('{{ toPrettyJson (dict "a" (list 1)) }}', '{\n  "a": [\n    1\n  ]\n}'),
    ('{{ (fromJson "{\\"a\\": 1}").a }} {{ fromJson "nope" }}', "1 map[]"),
    ('{{ (fromYaml "a: [1, b]").a }}', "[1 b]"),
    ('{{ nindent 2 "a\\nb" }}', "\n  a\n  b"),
    ('{{ quote "a" 1 }} {{ squote "a" }} {{ cat "a" 1 nil "b" }}', '"a" "1" \'a\' a 1 b'),
    (
        '{{ hasPrefix "he" .s }} {{ hasSuffix "lo" .s }} {{ trimPrefix "he" .s }} {{ trimSuffix "lo" .s }}',
        "true true llo hel",
    ),
    (
        '{{ trim "  x  " }} {{ trimAll "-" "--x--" }} {{ lower "AB" }} {{ upper "ab" }} {{ title "hi there" }}',
        "x x ab AB Hi There",
    ),
    (
        '{{ replace "l" "L" .s }} {{ repeat 3 "ab" }} {{ substr 1 3 .s }} {{ trunc 2 .s }} {{ trunc -2 .s }}',
        "heLLo ababab el he lo",
    ),
    (
        '{{ split "," "a,b" }} {{ splitList "," "a,b" }} {{ join "-" (list "a" 1) }}',
        "map[_0:a _1:b] [a b] a-1",
    ),
    ('{{ list 1 "a" }} {{ dict "k" 1 "j" }}', "[1 a] map[j: k:1]"),
    (
        '{{ get .m "a" }} {{ get .m "x" }} {{ hasKey .m "a" }} {{ keys .m }} {{ values .m }}',
        "1  true [a b] [1 2]",
    ),
    ('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}', "map[b:2]"),
    ('{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', "[1 3]"),
    ('{{ merge (dict "a" 1 "c" "") (dict "a" 2 "b" 3 "c" 4) }}', "map[a:1 b:3 c:4]"),
    (
        '{{ mergeOverwrite (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "n" (dict "y" 2)) }}',
        "map[a:2 n:map[x:1 y:2]]",
    ),
    ('{{ $c := deepCopy .m }}{{ $_ := set $c "a" 9 }}{{ .m.a }} {{ $c.a }}', "1 9"),
    (
        "{{ append .l 4 }} {{ prepend .l 0 }} {{ first .l }} {{ last .l }} {{ rest .l }} {{ initial .l }}",
        "[3 1 2 4] [0 3 1 2] 3 2 [1 2] [3 1]",
    ),
    (
        '{{ uniq (list 1 1 2) }} {{ without .l 1 }} {{ has 1 .l }} {{ compact (list "" 1 nil) }}',
        "[1 2] [3 2] true [1]",
    ),
    (
        '{{ concat .l (list 9) }} {{ reverse .l }} {{ sortAlpha (list "b" "a" 1) }}',
        "[3 1 2 9] [2 1 3] [1 a b]",
    ),
    (
        "{{ until 3 }} {{ untilStep 0 10 4 }} {{ seq 3 }} {{ seq 2 0 }}",
        "[0 1 2] [0 4 8] 1 2 3 2 1 0",
    ),
    (
        '{{ add 1 2 "3" }} {{ add1 1 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div -7 2 }} {{ mod -7 2 }}',
        "6 2 3 6 -3 -1",
    ),
    ("{{ max 1 5 3 }} {{ min 4 2 }} {{ addf 1.5 1 }} {{ divf 1 4 }}", "5 2 2.5 0.25"),
    (
        '{{ int "42" }} {{ int 3.9 }} {{ int64 "0x10" }} {{ float64 "1.5" }} {{ atoi "7" }} {{ atoi "x" }}',
        "42 3 16 1.5 7 0",
    ),
    ('{{ toString 1 }} {{ toStrings (list 1 "a") }} {{ toDecimal "0777" }}', "1 [1 a] 511"),
    ('{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "a" | trunc 8 }}', "aGk= hi ca978112"),
    (
        '{{ regexMatch "^h.l" .s }} {{ regexFind "l+" .s }} {{ regexReplaceAll "(l+)" .s "[$1]" }}',
        "true ll he[ll]o",
    ),
    (
        '{{ regexSplit "l" .s -1 }} {{ regexSplit "l" .s 2 }} {{ regexFindAll "l" .s -1 }}',
        "[he  o] [he lo] [l l]",
    ),
    (
        '{{ semverCompare ">=1.20" "1.22.1" }} {{ semverCompare "~1.2" "1.3.0" }} {{ semverCompare "^1.2.3" "1.9.0" }}',
        "true false true",
    ),
    (
        '{{ semverCompare "1.2.x" "1.2.9" }} {{ semverCompare ">1.0 <2.0 || =3.0.0" "3.0.0" }} {{ semverCompare ">=1.0" "1.5.0-rc.1" }}',
        "true true false",
    ),
    (
        '{{ typeOf 1 }} {{ typeOf .m }} {{ kindOf .l }} {{ kindIs "string" "x" }} {{ typeOf nil }}',
        "int map[string]interface {} slice true <nil>",
    ),
    ('{{ dig "a" "b" "def" (dict "a" (dict "b" "v")) }} {{ dig "x" "def" (dict) }}', "v def"),
    (
        '{{ base "/a/b.txt" }} {{ dir "/a/b.txt" }} {{ ext "b.tar.gz" }} {{ clean "/a/../b/" }}',
        "b.txt /a .gz /b",
    ),
    ('[{{ expandenv "x$HOME/y" }}]', "[x/y]"),
]

ISTIO = [
    (
        '{{ annotation .meta "sidecar.istio.io/x" "d" }} {{ annotation .meta "nope" 15020 }}',
        "set 15020",
    ),
    ('{{ annotation .meta "nope" .missing }}', "<nil>"),
    (
        '{{ isset .meta.annotations "n" }} {{ isset .meta.annotations "x" }} {{ isset .missing "x" }}',
        "true false false",
    ),
    (
        '{{ valueOrDefault "" "d" }} {{ valueOrDefault .missing "d" }} {{ valueOrDefault 0 "d" }} {{ valueOrDefault false 1 }}',
        "d d 0 false",
    ),
    (
        '{{ excludeInboundPort 15020 "" }} {{ excludeInboundPort "15020" "80, 81" }} {{ excludeInboundPort 80 "80,81" }} {{ excludeInboundPort 0 "1" }}',
        "15020 80,81,15020 80,81 1",
    ),
    ("{{ includeInboundPorts .pods }}|{{ applicationPorts .pods }}", "80,15090|80"),
    (
        "{{ toJSON .meta.annotations }} {{ toJSON .missing }}",
        '{"n":"1","sidecar.istio.io/x":"set"} {}',
    ),
    (
        '{{ structToJSON (dict "name" "http" "containerPort" 80) }} {{ structToJSON nil }}',
        '{"name":"http","containerPort":80} {}',
    ),
    ('{{ protoToJSON (dict "b" 1 "a" "<") }}', '{"b":1,"a":"\\u003c"}'),
    ('{{ (fromJSON "[1, 2]") }} {{ fromJSON "{bad" }}', "[1 2] {}"),
    ('{{ toYaml (dict "a" 1) }}|', "a: 1\n|"),
    ('{{ indent 2 "a\\nb\\nc" }}', "a\n  b\n  c"),
    ('{{ directory "/etc/certs/root.pem" }} [{{ directory "file" }}]', "/etc/certs/ []"),
    (
        '{{ contains "ll" .s }} {{ contains "/" "docker.io/istio/proxy" }} {{ toLower "ABC" }}',
        "true true abc",
    ),
    (
        '{{ appendMultusNetwork "" "istio-cni" }} | {{ appendMultusNetwork "a, b" "istio-cni" }} | {{ appendMultusNetwork "a, istio-cni" "istio-cni" }}',
        "istio-cni | a, b, istio-cni | a, istio-cni",
    ),
    (
        '{{ appendMultusNetwork "[{\\"name\\": \\"a\\"}]" "istio-cni" }}',
        '[{"name": "a"}, {"name": "istio-cni"}]',
    ),
    (
        '{{ env "ISTIO_X" "fallback" }} {{ kubevirtInterfaces "net1" }} {{ excludeInterfaces "eth1" }}',
        "fallback net1 eth1",
    ),
    (
        '{{ omit .meta.annotations "n" }} {{ strdict "a" "1" "b" }}',
        "map[sidecar.istio.io/x:set] map[a:1 b:]",
    ),
    (
        '{{ toJsonMap (strdict "b" "1") (strdict "a" "2" "b" "3") }} {{ mergeMaps (strdict "a" "1") (strdict "a" "2") }}',
        '{"a":"2","b":"3"} map[a:2]',
    ),
    ('{{ omitNil (dict "a" nil "b" (dict "c" nil "d" 1)) }}', "map[b:map[d:1]]"),
    (
        '{{ formatDuration "90s" }} {{ formatDuration "0.5s" }} {{ formatDuration (dict "seconds" 3600) }} {{ formatDuration "0s" }}',
        "1m30s 500ms 1h0m0s 0s",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BUILTINS + PRINTF + SPRIG + ISTIO)
def test_function(text: str, expected: str) -> None:
    data = {**DATA, "fn": lambda x: x * 2}
    assert render(text, data) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ eq 1 1.0 }}", "error calling eq: incompatible types for comparison"),
        ('{{ eq 1 "1" }}', "error calling eq: incompatible types for comparison"),
        (
            "{{ eq .m .m }}",
            "error calling eq: non-comparable type map[a:1 b:2]: map[string]interface {}",
        ),
        ("{{ eq 1 }}", "error calling eq: missing argument for comparison"),
        ("{{ lt true false }}", "error calling lt: invalid type for comparison"),
        ("{{ lt .missing 1 }}", "error calling lt: invalid type for comparison"),
        ("{{ len 3 }}", "error calling len: len of type int"),
        ("{{ index .missing 1 }}", "error calling index: index of untyped nil"),
        ("{{ index .m 1 }}", "error calling index: value has type int; should be string"),
        ('{{ fail "custom failure" }}', "error calling fail: custom failure"),
        ('{{ first "x" }}', "error calling first: Cannot find first on type string"),
        ("{{ div 1 0 }}", "error calling div: runtime error: integer divide by zero"),
        (
            '{{ annotation .missing "a" "b" }}',
            "error calling annotation: invalid value; expected v1.ObjectMeta",
        ),
        (
            '{{ isset .l "a" }}',
            "wrong type for value; expected map[string]string; got []interface {}",
        ),
        (
            "{{ randBytes 4 }}",
            'function "randBytes" is not supported: its result is not deterministic'
            " (time, randomness, keys)",
        ),
        (
            '{{ snakecase "aB" }}',
            'function "snakecase" is not supported: this Sprig function is'
            " not implemented by meshinject",
        ),
    ],
)
def test_function_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateError) as info:
        render(text)
    assert info.value.message.split(": ", 2)[2] == message


def test_istio_functions_win_over_sprig_where_names_clash() -> None:
    # Sprig's indent pads the first line and Sprig's toYaml trims the newline; Istio's
    # (the ones injection templates get) do neither.
    assert render('{{ indent 2 "a\\nb" }}') == "a\n  b"
    assert render('{{ toYaml "x" }}') == "x\n"
