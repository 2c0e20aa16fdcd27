"""The KRM function: one ResourceList in, one ResourceList (with `results`) out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from meshinject.errors import MeshInjectError
from meshinject.kustomize.krm_results import ref_key, resource_ref, result_entry, result_text
from meshinject.kustomize.plugin_run import PluginRun
from meshinject.kustomize.transformer_config import parse_config

RESOURCE_LIST_API_VERSION = "config.kubernetes.io/v1"


def run_krm_function(stdin_text: str, *, base_dir: Path) -> PluginRun:
    """One ResourceList in, one ResourceList out (with `results`); exit 1 on errors."""
    from meshinject.yamltext import load_document

    try:
        loaded = load_document(stdin_text, keep_events=True)
        resource_list = loaded.data
    except MeshInjectError as exc:
        return PluginRun("", [f"meshinject: error: {exc.located_in('<stdin>').render()}"], 1)
    if not isinstance(resource_list, Mapping) or resource_list.get("kind") != "ResourceList":
        return PluginRun(
            "",
            [
                "meshinject: error: <stdin>: expected a ResourceList (KRM function input); "
                "as an exec plugin, give the transformer config file as the argument"
            ],
            1,
        )
    items = resource_list.get("items") or []
    if not isinstance(items, list):
        return _krm_output(resource_list, [], [result_entry("error", "items: expected a list")])
    try:
        options = parse_config(
            resource_list.get("functionConfig") or {}, source="functionConfig", base_dir=base_dir
        )
        from meshinject.request import build_request

        request = build_request(options)
    except MeshInjectError as exc:
        return _krm_output(resource_list, items, [result_entry("error", exc.render())], loaded)
    new_items, results = _inject_items(items, request)
    if any(r["severity"] == "error" for r in results):
        return _krm_output(resource_list, items, results, loaded)
    return _krm_output(resource_list, new_items, results, loaded)


def _inject_items(items: list[Any], request: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    """Inject a list of resource objects as one stream (Namespace items inform the policy)."""
    from meshinject.api import inject_text
    from meshinject.yamltext import dump_yaml, load_document, split_stream

    texts = [f"---\n{dump_yaml(item)}" for item in items]
    stream = "".join(texts)
    result = inject_text(stream, request)
    results: list[dict[str, Any]] = []
    if result.errors:
        for error in result.errors:
            index = _item_at_line(texts, error.location.line)
            item = items[index] if index is not None else None
            results.append(result_entry("error", error.message, resource_ref(item), item))
        return items, results
    docs = split_stream(result.text)
    if len(docs) != len(items):  # pragma: no cover - the stream layer keeps documents
        return items, [result_entry("error", "internal: injection changed the number of resources")]
    new_items = [load_document(doc.text).data for doc in docs]
    by_ref = {ref_key(resource_ref(item)): item for item in new_items if isinstance(item, Mapping)}
    for w in result.workloads:
        item = by_ref.get((w.kind, w.namespace, w.name))
        ref = resource_ref(item) or {"kind": w.kind, "name": w.name, "namespace": w.namespace}
        for warning in w.warnings:
            results.append(result_entry("warning", warning, ref, item))
        if w.outcome == "skipped":
            results.append(result_entry("info", f"skipped: {w.reason}", ref, item))
        elif w.outcome == "removed":
            results.append(result_entry("info", f"sidecar removed: {w.reason}", ref, item))
        elif w.outcome == "injected":
            revision = f" (revision {w.revision})" if w.revision else ""
            results.append(result_entry("info", f"injected{revision}", ref, item))
    return new_items, results


def _item_at_line(texts: list[str], line: int) -> int | None:
    if not line:
        return None
    start = 1
    for index, text in enumerate(texts):
        end = start + text.count("\n")
        if start <= line < end:
            return index
        start = end
    return None


def _krm_output(
    resource_list: Mapping[str, Any],
    items: list[Any],
    results: list[dict[str, Any]],
    source: Any = None,
) -> PluginRun:
    """The output ResourceList: the input's text with only what changed edited (items
    passed through keep their bytes: quotes, comments, layout), or written anew."""
    from meshinject.yamltext import dump_yaml, edit_document

    out: dict[str, Any] = {
        "apiVersion": resource_list.get("apiVersion") or RESOURCE_LIST_API_VERSION,
        "kind": "ResourceList",
        "items": items,
    }
    if resource_list.get("functionConfig") is not None:
        out["functionConfig"] = resource_list["functionConfig"]
    if results:
        out["results"] = results
    failed = any(r["severity"] == "error" for r in results)
    messages = [f"meshinject: error: {result_text(r)}" for r in results if r["severity"] == "error"]
    text = ""
    if source is not None:
        try:
            text = edit_document(source, out)
        except MeshInjectError:
            text = ""
    return PluginRun(text or dump_yaml(out), messages, 1 if failed else 0)
