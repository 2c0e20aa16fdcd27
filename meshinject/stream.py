"""The passes over a stream of Kubernetes YAML documents, a report per document.

Pass 1 (`scan_documents`) collects the Namespace documents, which apply to the whole
stream; pass 2 (`transform_documents`) injects consecutive documents: documents that are
not injected come out as their original text, injected ones get their edits spliced into
their own text; `finish_stream` combines them. `meshinject.parallel.Engine` runs these
passes over files of any size, and `meshinject.api.inject_text` runs the engine over one
text. Nothing here reads files, prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from meshinject.desired_state import desired_data
from meshinject.errors import InputError, Location, MeshInjectError
from meshinject.inject import document_cache
from meshinject.inject.document import (
    DocumentResult,
    InjectionRequest,
    WorkloadReport,
    inject_document,
)
from meshinject.inject.kinds import LIST_KINDS, WORKLOAD_KINDS
from meshinject.policy.namespaces import namespaces_in_document
from meshinject.yamltext import (
    LoadedDocument,
    RawDocument,
    first_content_line,
    load_document,
    sniff_kind,
)
from meshinject.yamltext.diff import same
from meshinject.yamltypes import yaml_type_name

Operation = Literal["inject", "uninject"]
# Documents of other kinds are copied through unparsed (a whole run of them at once: pass
# `runs_outside=INTERESTING_KINDS` to `meshinject.files.iter_documents`).
INTERESTING_KINDS = WORKLOAD_KINDS | LIST_KINDS | {"Namespace", "NamespaceList"}
_LISTS = LIST_KINDS | {"NamespaceList"}  # may hold Namespaces: parsed in pass 1 if they do


@dataclass
class StreamResult:
    """The new text and what happened to each workload (`errors` non-empty = do not write)."""

    text: str
    changed: bool
    workloads: list[WorkloadReport] = field(default_factory=list)
    passed_through: int = 0
    errors: list[MeshInjectError] = field(default_factory=list)
    # Workloads injected with no warning and no error whose reports were dropped for
    # counts (`count_plain_reports`): changed ones, and ones already up to date.
    plain_changed: int = 0
    plain_unchanged: int = 0

    def count_plain_reports(self) -> None:
        """Keep only counts of the workloads injected (or already up to date) without a
        warning or an error: the text report prints no line for them, only counts them
        (`meshinject.report.Report.counts`). A run over 50,000 Deployments then keeps two
        numbers instead of 50,000 reports, so its memory does not grow with them.
        Skipped, removed and failed workloads keep their reports (each prints a line)."""
        kept = []
        for report in self.workloads:
            if report.outcome == "injected" and report.error is None and not report.warnings:
                if report.changed:
                    self.plain_changed += 1
                else:
                    self.plain_unchanged += 1
            else:
                kept.append(report)
        self.workloads = kept

    def located_in(self, path: str) -> None:
        """Fill `path` into every error; a workload's `error` stays one of `errors`."""
        located = {id(error): error.located_in(path) for error in self.errors}
        self.errors = [located[id(error)] for error in self.errors]
        for workload in self.workloads:
            if workload.error is not None:
                workload.error = located.get(id(workload.error), workload.error)

    def errors_outside_workloads(self) -> list[MeshInjectError]:
        """The errors no workload report carries (unreadable documents, bad Lists...)."""
        carried = {id(w.error) for w in self.workloads if w.error is not None}
        return [error for error in self.errors if id(error) not in carried]


# What pass 2 does with a document (one byte each in `StreamScan.parse`).
PASS = 0  # write it back as it is: a document of a kind injection leaves alone
PARSE = 1  # parse it: a workload, a List, a Namespace, or a kind that cannot be sniffed
EMPTY = 2  # write it back as it is, and do not count it: no content (a trailing `---`)


def _parse_flag(doc: RawDocument) -> int:
    sniff = sniff_kind(doc.text)
    if sniff.is_empty:
        return EMPTY
    return PARSE if sniff.is_unknown or sniff.name in INTERESTING_KINDS else PASS


def _located(exc: MeshInjectError, doc: RawDocument) -> MeshInjectError:
    return exc.located_in("", doc.start_line - 1)


@dataclass
class StreamScan:
    """First pass over a stream: the Namespace documents it declares, and load errors.

    Only documents that may be Namespaces (sniffed as such, or not sniffable) are parsed
    here; workloads are parsed once, in the second pass.
    """

    namespaces: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[int, MeshInjectError]] = field(default_factory=list)
    loaded: dict[int, Any] = field(default_factory=dict)
    changes_namespaces: bool = False
    # One byte per document, PASS, PARSE or EMPTY (see `_parse_flag`), so pass 2 need
    # not sniff again.
    parse: bytearray = field(default_factory=bytearray)
    # The runs of documents that pass through, as `iter_documents(known_runs=...)` takes
    # them: character offset -> (length, documents), so pass 2 does not look again.
    runs: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def failed(self) -> frozenset[int]:
        return frozenset(index for index, _ in self.errors)

    def request_for(self, request: InjectionRequest) -> InjectionRequest:
        if not self.changes_namespaces:
            return request
        return request.with_namespaces(self.namespaces)


def _load_checked(doc: RawDocument, *, shaped: bool = False) -> Any:
    """Parse a document that must be a mapping (or empty); MeshInjectError otherwise.

    `shaped`: through `load_masked` (parsed once per shape of document, the strings that
    vary filled in: the same data, see meshinject/yamltext/masked.py), for the documents
    pass 2 injects; the position tree is built from a parse only if an edit needs it."""
    try:
        if shaped:
            from meshinject.inject.shape_values import text_values
            from meshinject.yamltext.masked import load_masked

            data = load_masked(doc.text, text_values(doc.text), private=True)
            loaded = LoadedDocument(doc.text, data)
        else:
            loaded = load_document(doc.text)
    except MeshInjectError as exc:
        raise _located(exc, doc) from None
    data = loaded.data
    if data is not None and not isinstance(data, dict):
        raise InputError(
            f"a Kubernetes document must be a mapping, got {yaml_type_name(data)}",
            Location(line=first_content_line(doc.text), column=1),
        ).located_in("", doc.start_line - 1)
    return loaded


def scan_documents(
    docs: Iterable[RawDocument],
    request: InjectionRequest,
    *,
    keep_loaded: bool = False,
    scan: StreamScan | None = None,
) -> StreamScan:
    """Pass 1: collect Namespace documents (they apply to the whole stream)."""
    scan = scan or StreamScan()
    for doc in docs:
        if doc.count != 1:  # a run of documents that pass through (not Namespaces)
            scan.parse.extend(bytes(doc.count))  # PASS (0) for each of them
            scan.runs[doc.start_offset] = (len(doc.text), doc.count)
            continue
        sniff = sniff_kind(doc.text)
        name = sniff.name  # None when EMPTY or UNKNOWN (one attribute, not three properties)
        if name is None:
            unknown = sniff.is_unknown
            scan.parse.append(PARSE if unknown else EMPTY)
            if not unknown:
                continue
        else:
            scan.parse.append(PARSE if name in INTERESTING_KINDS else PASS)
            if name != "Namespace" and not (name in _LISTS and "Namespace" in doc.text):
                continue
        try:
            loaded = _load_checked(doc)
        except MeshInjectError as exc:
            scan.errors.append((doc.index, exc))
            continue
        if keep_loaded:
            scan.loaded[doc.index] = loaded
        data = loaded.data
        if isinstance(data, dict):
            try:
                found = namespaces_in_document(data)
            except MeshInjectError as exc:
                scan.errors.append((doc.index, _located(exc, doc)))
                continue
            for info in found:
                scan.namespaces[info.name] = info
                if request.namespaces.get(info.name) != info:
                    scan.changes_namespaces = True
    return scan


@dataclass
class ChunkResult(StreamResult):
    """Pass 2 over consecutive documents: their output text and what happened, plus the
    documents that could not be read (`finish_stream` reports those alone)."""

    load_errors: list[tuple[int, MeshInjectError]] = field(default_factory=list)
    output: str = ""  # the file holding `text` instead, when a worker wrote it there


def transform_documents(
    docs: Iterable[RawDocument],
    request: InjectionRequest,
    *,
    operation: Operation = "inject",
    transform: Callable[[Any, InjectionRequest], DocumentResult] | None = None,
    enabled: bool = True,
    preloaded: dict[int, Any] | None = None,
    failed: frozenset[int] = frozenset(),
    parse: bytes | bytearray | None = None,
    first_index: int = 0,
) -> ChunkResult:
    """Pass 2: inject (or uninject) consecutive documents of a stream.

    With `enabled=False` (the stream already has load errors) documents are only parsed,
    to report every load error; nothing is transformed. `failed` are the documents pass 1
    already reported. `parse[doc.index - first_index]`, when given, says whether a document
    needs parsing (as pass 1 sniffed it); otherwise its kind is sniffed here.
    """
    if transform is None:
        transform = _transform_for(operation)
    preloaded = preloaded or {}
    result = ChunkResult(text="", changed=False)
    out: list[str] = []
    for doc in docs:
        if doc.count != 1:  # a run of documents that pass through (see `scan_documents`)
            out.append(doc.text)
            result.passed_through += doc.count
            continue
        loaded = preloaded.get(doc.index)
        if doc.index in failed:
            continue
        if loaded is None:
            flag = parse[doc.index - first_index] if parse is not None else _parse_flag(doc)
            if flag != PARSE:
                out.append(doc.text)
                if flag == PASS:
                    result.passed_through += 1
                continue
            try:  # keep the events: most documents parsed here are edited (see `root`)
                loaded = _load_checked(doc, shaped=True)
            except MeshInjectError as exc:
                result.load_errors.append((doc.index, exc))
                enabled = False
                continue
        if not enabled:
            continue
        found = (
            document_cache.lookup(doc.text, loaded.data, request)
            if transform is inject_document
            else None
        )
        if found is not None and found.injected is not None:
            _take(found.injected, doc.text, result, out)
            continue
        workloads = _transform_one(
            doc, loaded, request, operation=operation, transform=transform, result=result, out=out
        )
        if found is not None and workloads is not None:
            document_cache.remember(found, out[-1], workloads)
    result.text = "".join(out)
    return result


def _take(injected: Any, original: str, result: ChunkResult, out: list[str]) -> None:
    """A document's injection from the cache (`document_cache`): its text and reports."""
    result.workloads.extend(injected.reports)
    if not injected.reports:
        result.passed_through += 1
    out.append(injected.text)
    if injected.text != original:
        result.changed = True


def _transform_one(
    doc: RawDocument,
    loaded: Any,
    request: InjectionRequest,
    *,
    operation: Operation,
    transform: Callable[[Any, InjectionRequest], DocumentResult],
    result: ChunkResult,
    out: list[str],
) -> list[WorkloadReport] | None:
    """Inject (or uninject) one parsed document into `out` and `result`; its workloads'
    reports, or None when an error was reported for it."""
    source = _reinjection_source(loaded, request) if operation == "inject" else loaded
    try:
        doc_result = transform(source.data, request)
    except MeshInjectError as exc:
        result.errors.append(_located(_with_node_position(exc, loaded), doc))
        out.append(doc.text)
        return None
    for report in doc_result.workloads:
        if report.error is not None:  # the report and the stream share the error
            report.error = _located(_with_node_position(report.error, loaded), doc)
            result.errors.append(report.error)
    result.workloads.extend(doc_result.workloads)
    if not doc_result.workloads:
        result.passed_through += 1
    target, edited = doc_result.data, source
    if source is not loaded:  # re-injection: the desired state may differ from the file
        target = desired_data(loaded.data, doc_result, request)
        if same(target, loaded.data):
            out.append(doc.text)  # nothing changes (same config, or sidecars kept)
            return doc_result.workloads
    elif not doc_result.changed:
        out.append(doc.text)  # nothing to do
        return doc_result.workloads
    if same(target, edited.data):
        new_text = edited.text  # policy says no sidecar: the file loses the one it had
    else:
        try:
            new_text = _edit(edited, target, doc.text)
        except MeshInjectError as exc:
            result.errors.append(_located(exc, doc))
            out.append(doc.text)
            return None
    out.append(new_text)
    if new_text != doc.text:
        result.changed = True
        for report in doc_result.workloads:
            report.changed = report.outcome in ("injected", "removed")
    return doc_result.workloads


def finish_stream(scan: StreamScan, chunks: Iterable[ChunkResult]) -> StreamResult:
    """Combine pass 1 and the pass-2 chunks into the stream's result (text left empty).

    Load errors anywhere in the stream win: they are reported alone, in document order,
    and nothing is written (as if no document had been transformed).
    """
    result = StreamResult(text="", changed=False)
    load_errors = list(scan.errors)
    for chunk in chunks:
        load_errors.extend(chunk.load_errors)
        result.errors.extend(chunk.errors)
        result.workloads.extend(chunk.workloads)
        result.plain_changed += chunk.plain_changed
        result.plain_unchanged += chunk.plain_unchanged
        result.passed_through += chunk.passed_through
        result.changed = result.changed or chunk.changed
    if load_errors:
        load_errors.sort(key=lambda pair: pair[0])
        return StreamResult(text="", changed=False, errors=[e for _, e in load_errors])
    return result


def _transform_for(operation: Operation) -> Callable[[Any, InjectionRequest], DocumentResult]:
    if operation == "uninject":
        from meshinject.uninject import uninject_document

        return uninject_document
    return inject_document


def _with_node_position(error: MeshInjectError, loaded: Any) -> MeshInjectError:
    """Point an injection error at the node it is about (1-based line and column)."""
    path = getattr(error, "data_path", ())
    if not path or error.location.line:
        return error
    node = loaded.root
    for step in path:
        if isinstance(step, int):
            items = getattr(node, "items", None)
            if items is None or step >= len(items):
                return error
            node = items[step]
        else:
            entries = getattr(node, "entries", None)
            match = next((e for e in entries or [] if e.key == step), None)
            if match is None:
                return error
            node = match.value if step != path[-1] else match.key_node
    error.location = Location(line=node.line + 1, column=node.col + 1)
    return error


def _reinjection_source(loaded: Any, request: InjectionRequest) -> Any:
    """An injected document's text with that injection removed (see meshinject.uninject)."""
    from meshinject.uninject import reinjection_source

    return reinjection_source(loaded, request)


def _edit(loaded: Any, new_data: Any, original: str) -> str:
    """The new document's text: the edits spliced into its YAML, or JSON for JSON."""
    if original.lstrip().startswith("{"):
        from meshinject.jsontext import json_like

        as_json = json_like(original, new_data)
        if as_json is not None:
            return as_json
    from meshinject.inject.shape_values import shape_values
    from meshinject.yamltext import edit_document

    return edit_document(loaded, new_data, values=shape_values(loaded.data))
