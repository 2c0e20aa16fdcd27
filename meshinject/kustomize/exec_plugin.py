"""The legacy exec plugin: a config file and a YAML stream in, the injected stream out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meshinject.errors import MeshInjectError
from meshinject.kustomize.plugin_run import PluginRun
from meshinject.kustomize.transformer_config import load_config_file


def run_exec_plugin(
    config_path: str, resources: str, *, base_dir: Path, source: str = ""
) -> PluginRun:
    """The legacy exec plugin: config file + YAML stream in, injected YAML stream out.

    `source` names the config in messages (kustomize hands over a temporary copy).
    """
    from meshinject.api import build_request, inject_text

    try:
        options = load_config_file(config_path, base_dir=base_dir, source=source)
        request = build_request(options)
    except MeshInjectError as exc:
        return PluginRun("", [f"meshinject: error: {exc.render()}"], 1)
    result = inject_text(resources, request)
    messages = [f"meshinject: {_workload_note(w)}" for w in result.workloads if _workload_note(w)]
    if result.errors:
        # Lines in kustomize's stream mean nothing to the user: name the resource instead.
        failed = {id(w.error): w for w in result.workloads if w.error is not None}
        for error in result.errors:
            w = failed.get(id(error))
            where = (
                f"{w.kind} {w.namespace}/{w.name}"
                if w is not None
                else error.located_in("<kustomize resources>").location.render()
            )
            messages.append(
                f"meshinject: error: {where}: {error.message} (transformer config {source})"
                if source and w is not None
                else f"meshinject: error: {where}: {error.message}"
            )
        return PluginRun("", messages, 1)
    return PluginRun(result.text, messages, 0)


def _workload_note(w: Any) -> str:
    where = f"{w.kind} {w.namespace}/{w.name}"
    if w.error is not None:
        return ""
    notes = [f"warning: {where}: {warning}" for warning in w.warnings]
    if w.outcome == "skipped":
        notes.append(f"skipped {where}: {w.reason}")
    elif w.outcome == "removed":
        notes.append(f"removed the sidecar of {where}: {w.reason}")
    return "; ".join(notes)
