"""What the GitOps tests share: requests built from the built-in defaults, the pure
inject/uninject of a file's bytes, and the line-survival check of the issue."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal

from meshinject.api import InjectionRequest, RunOptions, build_request, inject_bytes
from meshinject.yamltext import load_document, split_stream
from meshinject.yamltext.nodes import MappingNode, Node, SequenceNode, content_end

CASES = Path(__file__).resolve().parent.parent / "cases"
# Cases run with the defaults (a case with a `flags` file is about its flags).
GOLDEN = sorted(
    p.name for p in CASES.iterdir() if (p / "expected.yaml").exists() and not (p / "flags").exists()
)
# A newer config: another proxy tag and other sidecar resources.
UPGRADE = ("global.tag=1.32.0", "global.proxy.resources.requests.cpu=300m")

Style = Literal["istio", "minimal"]


@cache
def request(style: Style = "minimal", set_args: tuple[str, ...] = ()) -> InjectionRequest:
    return build_request(RunOptions(set_args=set_args, output_style=style))


def _run(data: bytes, operation: Literal["inject", "uninject"], req: InjectionRequest) -> bytes:
    result = inject_bytes(data, "manifest.yaml", req, operation=operation)
    assert not result.errors, [e.render() for e in result.errors]
    return result.output.encode("utf-8")


def inject(data: bytes, style: Style = "minimal", set_args: tuple[str, ...] = ()) -> bytes:
    return _run(data, "inject", request(style, set_args))


def uninject(data: bytes, style: Style = "minimal") -> bytes:
    return _run(data, "uninject", request(style))


# -- the line-survival check ------------------------------------------------------------

PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
HOOKS = ("preStop", "postStart")
ACTIONS = ("httpGet", "tcpSocket", "grpc")
# Istio points these annotations at the agent (the app's values move to an env var).
PROMETHEUS = ("prometheus.io/port", "prometheus.io/path")


def _entries(node: Node | None) -> dict[str, Any]:
    return {e.key: e for e in node.entries} if isinstance(node, MappingNode) else {}


def _walk(node: Node | None) -> Iterator[Node]:
    if node is None:
        return
    yield node
    if isinstance(node, MappingNode):
        for entry in node.entries:
            yield from _walk(entry.value)
    elif isinstance(node, SequenceNode):
        for item in node.items:
            yield from _walk(item)


def rewritten_lines(text: str) -> set[int]:
    """0-based line numbers of `text` injection may rewrite: the action (`httpGet`,
    `tcpSocket`, `grpc`) of every probe and lifecycle hook, and Prometheus annotations."""
    lines: set[int] = set()
    offset = 0
    for doc in split_stream(text):
        first = text.count("\n", 0, offset)
        offset += len(doc.text)
        loaded = load_document(doc.text)
        for node in _walk(loaded.root):
            entries = _entries(node)
            for field in PROBES + HOOKS:
                for action in ACTIONS:
                    probe = _entries(entries[field].value) if field in entries else {}
                    if action in probe:
                        entry = probe[action]
                        end = content_end(entry.value, doc.text)
                        last = doc.text.count("\n", 0, end)
                        lines.update(first + n for n in range(entry.key_node.line, last + 1))
            for key in PROMETHEUS:
                if key in entries:
                    lines.add(first + entries[key].key_node.line)
    return lines


def assert_lines_survive(source: str, output: str) -> None:
    """Every line of `source` is in `output`, in order, except rewritten probe lines."""
    skip = rewritten_lines(source.replace("\r\n", "\n"))
    # Compared without line ends: the last line of a file without a final newline has
    # none in the input, and gets one when injection appends after it.
    remaining = iter(line.removesuffix("\r") for line in output.split("\n"))
    for number, raw in enumerate(source.split("\n")):
        line = raw.removesuffix("\r")
        if number in skip:
            continue
        assert any(candidate == line for candidate in remaining), (
            f"line {number + 1} lost or reordered: {line!r}"
        )
