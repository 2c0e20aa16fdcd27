"""meshinject as a kustomize transformer: the exec plugin and the KRM function.

Two ways kustomize (and kpt) run a transformer that is not built in:

- **exec plugin** (`kubectl kustomize --enable-alpha-plugins`): kustomize looks up an
  executable at `$XDG_CONFIG_HOME/kustomize/plugin/<group>/<version>/<lowercase kind>/<Kind>`
  and runs it with the path of the transformer config as its only argument, the resources
  as a YAML stream on stdin, and the kustomization folder as its working directory (also
  in `KUSTOMIZE_PLUGIN_CONFIG_ROOT`). It reads the transformed stream from stdout.
- **KRM function** (standalone `kustomize build --enable-alpha-plugins --enable-exec`,
  `kpt fn eval --exec`): one `ResourceList` on stdin (`items` plus the `functionConfig`),
  one `ResourceList` on stdout, with `results` for what went wrong.

Both read the same config, a `SidecarInjector`:

    apiVersion: meshinject.dev/v1
    kind: SidecarInjector
    metadata:
      name: sidecars
    spec:
      values: istio-values.yaml        # one file or a list, like --values
      meshConfig: mesh.yaml            # like --mesh-config
      namespaceLabels: {shop: {istio-injection: enabled}}   # a file, or inline
      revision: canary

Relative file names are relative to the folder of the kustomization (exec plugin) or the
working directory (KRM function). The injection itself is `stream.inject_text`, exactly
what `meshinject inject` runs.
"""

# Heavy modules are imported inside functions, so that `meshinject --help` stays instant.

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from meshinject.errors import ConfigError, InputError, Location, MeshInjectError
from meshinject.settings_file import type_name

if TYPE_CHECKING:
    from meshinject.options import RunOptions

GROUP = "meshinject.dev"
VERSION = "v1"
API_VERSION = f"{GROUP}/{VERSION}"
KIND = "SidecarInjector"
RESOURCE_LIST_API_VERSION = "config.kubernetes.io/v1"

# --------------------------------------------------------------------------- the config


def parse_config(data: Any, *, source: str, base_dir: Path) -> RunOptions:
    """A `SidecarInjector` document (or a kpt ConfigMap) -> the same options as the CLI's.

    Raises ConfigError located in `source`, naming the offending key.
    """
    where = Location(source)
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a {KIND} object, got {type_name(data)}", where)
    kind, api_version = data.get("kind"), data.get("apiVersion")
    if kind == "ConfigMap" and api_version == "v1":
        return _options(_from_configmap(data.get("data"), where), where, base_dir)
    if kind != KIND or api_version != API_VERSION:
        raise ConfigError(
            f"expected apiVersion: {API_VERSION} and kind: {KIND}, "
            f"got {api_version or '(none)'} {kind or '(none)'}",
            where,
        )
    unknown = sorted(set(data) - {"apiVersion", "kind", "metadata", "spec"})
    if unknown:
        raise ConfigError(
            f"unknown field {unknown[0]!r}: settings go under spec: (see meshinject "
            "kustomize-plugin --help)",
            where,
            key_path=unknown[0],
        )
    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        raise ConfigError(f"expected a mapping, got {type_name(spec)}", where, key_path="spec")
    return _options(spec, where, base_dir)


def _from_configmap(data: Any, where: Location) -> dict[str, Any]:
    """`kpt fn eval --exec meshinject -- revision=canary values=a.yaml,b.yaml`."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a mapping, got {type_name(data)}", where, key_path="data")
    from meshinject.options import by_key

    known = by_key()
    spec: dict[str, Any] = {}
    for key, value in data.items():
        shape = known[str(key)][1].shape if str(key) in known else ""
        text = str(value)
        if shape in ("files", "set"):
            spec[str(key)] = [part.strip() for part in text.split(",") if part.strip()]
        elif shape in ("pairs", "file-pairs"):
            spec[str(key)] = dict(
                part.strip().partition("=")[::2] for part in text.split(",") if part.strip()
            )
        else:
            spec[str(key)] = text
    return spec


def _options(spec: Mapping[str, Any], where: Location, base_dir: Path) -> RunOptions:
    """The spec's settings over the project configuration file's (found from `base_dir`)."""
    from meshinject.options import RunOptions
    from meshinject.settings_file import find_project_config, load_project_config, parse_settings

    values = parse_settings(spec, locate=lambda _: where, base_dir=base_dir, prefix=("spec",))
    project = find_project_config(base_dir)
    options = load_project_config(project).options(RunOptions()) if project else RunOptions()
    return options.replace(**values)


def load_config_file(path: str, *, base_dir: Path | None = None, source: str = "") -> RunOptions:
    from meshinject.files import decode, read_input
    from meshinject.yamltext import load_document

    source = source or path
    text, _, _ = decode(read_input(path), source)
    try:
        data = load_document(text).data
    except MeshInjectError as exc:
        raise exc.located_in(source) from None
    return parse_config(data, source=source, base_dir=base_dir or Path(path).parent)


# --------------------------------------------------------------------------- exec plugin


@dataclass
class PluginRun:
    """What a transformer run produced: stdout text, messages for stderr, an exit code."""

    output: str
    messages: list[str] = field(default_factory=list)
    exit_code: int = 0


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


def _transformer_file(root: Path, copy: str) -> str | None:
    """The file under `transformers:` of the kustomization in `root` that `copy` (the
    temporary copy kustomize hands over) came from: same kind and metadata.name."""
    from meshinject.kustomize_patches import KUSTOMIZATION_NAMES

    wanted = _identity(Path(copy))
    if wanted is None or wanted[0] != KIND:
        return None
    for name in KUSTOMIZATION_NAMES:
        kustomization = _load_mapping(root / name)
        if kustomization is not None:
            break
    else:
        return None
    for entry in kustomization.get("transformers") or []:
        if isinstance(entry, str) and "\n" not in entry and _identity(root / entry) == wanted:
            return str(root / entry)  # kustomize runs the plugin in `root`: not relative
    return None


def _load_mapping(path: Path) -> Mapping[str, Any] | None:
    from meshinject.yamltext import load_document

    try:
        data = load_document(path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, MeshInjectError):
        return None
    return data if isinstance(data, Mapping) else None


def _identity(path: Path) -> tuple[Any, Any] | None:
    data = _load_mapping(path)
    if data is None:
        return None
    meta = data.get("metadata")
    return data.get("kind"), meta.get("name") if isinstance(meta, Mapping) else None


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


# --------------------------------------------------------------------------- KRM function


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
        return _krm_output(resource_list, [], [_result("error", "items: expected a list")])
    try:
        options = parse_config(
            resource_list.get("functionConfig") or {}, source="functionConfig", base_dir=base_dir
        )
        from meshinject.request import build_request

        request = build_request(options)
    except MeshInjectError as exc:
        return _krm_output(resource_list, items, [_result("error", exc.render())], loaded)
    new_items, results = inject_items(items, request)
    if any(r["severity"] == "error" for r in results):
        return _krm_output(resource_list, items, results, loaded)
    return _krm_output(resource_list, new_items, results, loaded)


def inject_items(items: list[Any], request: Any) -> tuple[list[Any], list[dict[str, Any]]]:
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
            results.append(_result("error", error.message, _ref(item), item))
        return items, results
    docs = split_stream(result.text)
    if len(docs) != len(items):  # pragma: no cover - the stream layer keeps documents
        return items, [_result("error", "internal: injection changed the number of resources")]
    new_items = [load_document(doc.text).data for doc in docs]
    by_ref = {_ref_key(_ref(item)): item for item in new_items if isinstance(item, Mapping)}
    for w in result.workloads:
        item = by_ref.get((w.kind, w.namespace, w.name))
        ref = _ref(item) or {"kind": w.kind, "name": w.name, "namespace": w.namespace}
        for warning in w.warnings:
            results.append(_result("warning", warning, ref, item))
        if w.outcome == "skipped":
            results.append(_result("info", f"skipped: {w.reason}", ref, item))
        elif w.outcome == "removed":
            results.append(_result("info", f"sidecar removed: {w.reason}", ref, item))
        elif w.outcome == "injected":
            revision = f" (revision {w.revision})" if w.revision else ""
            results.append(_result("info", f"injected{revision}", ref, item))
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


def _ref(item: Any) -> dict[str, str]:
    if not isinstance(item, Mapping):
        return {}
    meta = item.get("metadata")
    if not isinstance(meta, Mapping):
        meta = {}
    ref = {
        "apiVersion": item.get("apiVersion"),
        "kind": item.get("kind"),
        "name": meta.get("name"),
        "namespace": meta.get("namespace"),
    }
    return {k: str(v) for k, v in ref.items() if v}


def _ref_key(ref: Mapping[str, str]) -> tuple[str, str, str]:
    return ref.get("kind", ""), ref.get("namespace", "default"), ref.get("name", "")


def _result(
    severity: str, message: str, ref: Mapping[str, str] | None = None, item: Any = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"message": message, "severity": severity}
    if ref:
        out["resourceRef"] = {k: v for k, v in ref.items() if k != "namespace" or v != "default"}
        annotations = _annotations(item)
        path = annotations.get("internal.config.kubernetes.io/path") or annotations.get(
            "config.kubernetes.io/path"
        )
        if path:
            out["file"] = {"path": str(path)}
            index = annotations.get("internal.config.kubernetes.io/index") or annotations.get(
                "config.kubernetes.io/index"
            )
            if index is not None and str(index).isdigit():
                out["file"]["index"] = int(str(index))
    return out


def _annotations(item: Any) -> Mapping[str, Any]:
    meta = item.get("metadata") if isinstance(item, Mapping) else None
    annotations = meta.get("annotations") if isinstance(meta, Mapping) else None
    return annotations if isinstance(annotations, Mapping) else {}


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
    messages = [
        f"meshinject: error: {_result_text(r)}" for r in results if r["severity"] == "error"
    ]
    text = ""
    if source is not None:
        try:
            text = edit_document(source, out)
        except MeshInjectError:
            text = ""
    return PluginRun(text or dump_yaml(out), messages, 1 if failed else 0)


def _result_text(result: Mapping[str, Any]) -> str:
    ref = result.get("resourceRef") or {}
    where = f"{ref.get('kind')} {ref.get('name')}: " if ref else ""
    return f"{where}{result['message']}"


# --------------------------------------------------------------------------- install


def plugin_dir(config_home: Path) -> Path:
    return config_home / "kustomize" / "plugin" / GROUP / VERSION / KIND.lower()


def default_config_home() -> Path:
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return Path(xdg) if xdg else Path.home() / ".config"


def plugin_script(python: str = sys.executable) -> str:
    """The executable kustomize runs: this Python's meshinject, whatever PATH says."""
    return (
        "#!/bin/sh\n"
        "# kustomize transformer plugin for meshinject.dev/v1 SidecarInjector.\n"
        "# Written by `meshinject kustomize-plugin install`; re-run it after moving meshinject.\n"
        f'exec {shlex.quote(python)} -I -m meshinject kustomize-plugin run "$@"\n'
    )


def install_plugin(config_home: Path, python: str = sys.executable) -> Path:
    """Write the exec plugin where kustomize looks it up; returns its path."""
    target = plugin_dir(config_home) / KIND
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{KIND}.tmp")
        tmp.write_text(plugin_script(python), encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(target)
    except OSError as exc:
        raise InputError(
            f"cannot install the plugin: {exc.strerror}", Location(str(target))
        ) from None
    return target


# --------------------------------------------------------------------------- commands


def _settings_help() -> str:
    """One line per setting: its spec key and the flag it mirrors (meshinject.options)."""
    from meshinject.options import settings

    rows = [(s.key, next(f for f in s.flags if f.startswith("--"))) for _, s in settings()]
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"  {key.ljust(width)}  like {flag}" for key, flag in rows)


KUSTOMIZE_HELP = f"""Use meshinject as a kustomize transformer (exec plugin or KRM function).

List a {KIND} config file under `transformers:` in kustomization.yaml; it takes the
same settings as the command line, and those of the project configuration file
(.meshinject.yaml) found from the kustomization's folder, which its spec overrides:

\b
  apiVersion: {API_VERSION}
  kind: {KIND}
  metadata:
    name: sidecars
  spec:
    values: istio-values.yaml         # or a list; like --values
    meshConfig: mesh.yaml             # like --mesh-config
    namespaceLabels: namespaces.yaml  # a file, or inline: {{shop: {{istio-injection: enabled}}}}
    revision: canary

\b
Every spec key:
{_settings_help()}

Relative file names are relative to the kustomization's folder.

\b
Example:
  meshinject kustomize-plugin install
  kubectl kustomize --enable-alpha-plugins overlays/prod
"""


@click.group("kustomize-plugin", help=KUSTOMIZE_HELP)
def kustomize_plugin() -> None:
    pass


@kustomize_plugin.command("install")
@click.option(
    "--config-home",
    type=click.Path(file_okay=False),
    default=None,
    help="Where kustomize looks for plugins [default: $XDG_CONFIG_HOME or ~/.config].",
)
def install_command(config_home: str | None) -> None:
    """Install the exec plugin where kustomize looks for it.

    That is <config home>/kustomize/plugin/meshinject.dev/v1/sidecarinjector/SidecarInjector.

    The plugin runs this installation of meshinject (this Python), whatever PATH says
    when kustomize runs it. Prints the plugin's path on stdout.

    \b
    Example:
      meshinject kustomize-plugin install
      XDG_CONFIG_HOME=$PWD/.config meshinject kustomize-plugin install
    """
    home = Path(config_home) if config_home else default_config_home()
    try:
        target = install_plugin(home)
    except MeshInjectError as exc:
        click.echo(f"error: {exc.render()}", err=True)
        sys.exit(123)
    click.echo(str(target))
    click.echo(
        "installed; run kustomize with plugins enabled: "
        "kubectl kustomize --enable-alpha-plugins DIR",
        err=True,
    )


@kustomize_plugin.command("run")
@click.argument("config", required=False, type=click.Path())
def run_command(config: str | None) -> None:
    """Transform resources: what kustomize and kpt execute.

    With CONFIG (the exec plugin protocol): the SidecarInjector config file, resources as
    a YAML stream on stdin, the injected stream on stdout. Without it (the KRM function
    protocol): a ResourceList on stdin whose functionConfig is the SidecarInjector (or a
    ConfigMap, as `kpt fn eval -- key=value` makes), a ResourceList with results on stdout.
    Exit 1 if anything could not be injected (nothing partial is written).

    \b
    Example:
      meshinject kustomize-plugin run sidecars.yaml < resources.yaml
      kpt fn eval --exec "meshinject kustomize-plugin run" -- revision=canary
    """
    from meshinject.files import decode

    try:
        stdin, _, _ = decode(sys.stdin.buffer.read(), "<stdin>")
    except MeshInjectError as exc:
        click.echo(f"meshinject: error: {exc.render()}", err=True)
        sys.exit(1)
    if config:
        root = os.environ.get("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        # kustomize passes a temporary copy of the config: find the file it was copied
        # from among the kustomization's transformers (else name the kustomization).
        source = (
            (_transformer_file(Path(root), config) or f"{root} (transformer {KIND})")
            if root
            else config
        )
        outcome = run_exec_plugin(
            config, stdin, base_dir=Path(root) if root else Path.cwd(), source=source
        )
    else:
        outcome = run_krm_function(stdin, base_dir=Path.cwd())
    for message in outcome.messages:
        click.echo(message, err=True)
    sys.stdout.write(outcome.output)
    sys.stdout.flush()
    sys.exit(outcome.exit_code)
