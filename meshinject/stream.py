"""Streams of Kubernetes YAML documents: text in, text out, a report per document.

`inject_text` is the pure core for a whole stream (like black's `format_str`): documents
that are not injected come out as their original text; injected documents get their edits
spliced into their own text. It never reads files, prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from meshinject.errors import InputError, Location, MeshInjectError
from meshinject.inject.document import (
    LIST_KINDS,
    WORKLOAD_KINDS,
    DocumentResult,
    InjectionRequest,
    WorkloadReport,
    inject_document,
)
from meshinject.policy import namespace_from_object
from meshinject.yamltext import RawDocument, load_document, sniff_kind, split_stream

Operation = Literal["inject", "uninject"]
INTERESTING_KINDS = WORKLOAD_KINDS | LIST_KINDS | {"Namespace"}


@dataclass
class StreamResult:
    """The new text and what happened to each workload (`errors` non-empty = do not write)."""

    text: str
    changed: bool
    workloads: list[WorkloadReport] = field(default_factory=list)
    passed_through: int = 0
    errors: list[MeshInjectError] = field(default_factory=list)


def _needs_parse(doc: RawDocument) -> bool:
    sniff = sniff_kind(doc.text)
    if sniff.is_empty:
        return False
    return sniff.is_unknown or sniff.name in INTERESTING_KINDS


def _located(exc: MeshInjectError, doc: RawDocument) -> MeshInjectError:
    return exc.located_in("", doc.start_line - 1)


def inject_text(
    text: str,
    request: InjectionRequest,
    *,
    operation: Operation = "inject",
    transform: Callable[[Any, InjectionRequest], DocumentResult] | None = None,
) -> StreamResult:
    """Inject (or uninject) every workload of a YAML stream; errors are collected, not raised."""
    transform = transform or inject_document
    docs = split_stream(text)
    loaded: dict[int, Any] = {}
    result = StreamResult(text=text, changed=False)
    namespaces = dict(request.namespaces)
    for doc in docs:
        if not _needs_parse(doc):
            continue
        try:
            loaded[doc.index] = load_document(doc.text)
        except MeshInjectError as exc:
            result.errors.append(_located(exc, doc))
            continue
        data = loaded[doc.index].data
        if data is not None and not isinstance(data, dict):
            result.errors.append(
                InputError(
                    f"a Kubernetes document must be a mapping, got a {_kind_name(data)}",
                    Location(line=_first_content_line(doc.text), column=1),
                ).located_in("", doc.start_line - 1)
            )
            continue
        if isinstance(data, dict) and data.get("kind") == "Namespace":
            try:
                info = namespace_from_object(data)
            except MeshInjectError as exc:
                result.errors.append(_located(exc, doc))
                continue
            namespaces[info.name] = info
    if result.errors:
        return result
    if namespaces != dict(request.namespaces):
        request = replace(request, namespaces=namespaces)
    out: list[str] = []
    for doc in docs:
        if doc.index not in loaded:
            out.append(doc.text)
            result.passed_through += 1
            continue
        data = loaded[doc.index].data
        try:
            doc_result = transform(data, request)
        except MeshInjectError as exc:
            result.errors.append(_located(exc, doc))
            out.append(doc.text)
            continue
        for report in doc_result.workloads:
            if report.error is not None:
                result.errors.append(_located(report.error, doc))
        result.workloads.extend(doc_result.workloads)
        if not doc_result.workloads:
            result.passed_through += 1
        if not doc_result.changed:
            out.append(doc.text)
            continue
        try:
            out.append(_edit(loaded[doc.index], doc_result.data))
        except MeshInjectError as exc:
            result.errors.append(_located(exc, doc))
            out.append(doc.text)
    result.text = "".join(out)
    result.changed = result.text != text
    return result


def _edit(loaded: Any, new_data: Any) -> str:
    try:
        from meshinject.yamltext import edit_document  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - until the splice engine lands
        import io

        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        buf = io.StringIO()
        yaml.dump(new_data, buf)
        prefix = "---\n" if loaded.text.startswith("---") else ""
        return prefix + buf.getvalue()
    text: str = edit_document(loaded, new_data)
    return text


def _kind_name(data: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(data), type(data).__name__
    )


def _first_content_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return number
    return 1
