"""`build_config`: the one place where all configuration layers are merged and checked.

Order: built-in defaults → `--values` files → `--mesh-config` files → `--iop` files →
`--inject-config` files → `--set` flags. A values layer's `meshConfig` section is also
applied to the mesh config right after it (as Istio's chart does).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import PrivateAttr

from meshinject.cache import memo
from meshinject.config import defaults, scalars
from meshinject.config.documents import read_inject_config, read_iop, read_mesh, read_values
from meshinject.config.fieldtypes import StrictModel
from meshinject.config.injector import InjectConfigFile, InjectorSettings, TemplateSource
from meshinject.config.merge import mesh_layer, values_layer
from meshinject.config.mesh_model import MeshConfigModel, ProxyConfigModel
from meshinject.config.profiles import ProfileError, profile_overlay, release_of
from meshinject.config.provenance import Origin, Provenance, SourceDoc, render_path
from meshinject.config.setflags import SET_LOCATION, parse_set, set_path
from meshinject.config.validation import validate
from meshinject.config.values_model import Values
from meshinject.errors import ConfigError, Location
from meshinject.options import RunOptions

NativeSidecars = Literal["true", "false", "auto"]
_VERSION_SENTINEL = "Template_Version_And_Istio_Version_Mismatched_Check_Installation"


class Config(StrictModel):
    """The effective, validated configuration (immutable)."""

    istio_version: str
    revision: str
    values: Values
    mesh: MeshConfigModel
    injector: InjectorSettings
    native_sidecars_setting: NativeSidecars
    platform: str
    compliance_policy: str

    _values_data: dict[str, Any] = PrivateAttr(default_factory=dict)
    _mesh_data: dict[str, Any] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._values_data = self.values.model_dump(by_alias=True, exclude_unset=True)
        self._mesh_data = self.mesh.model_dump(by_alias=True, exclude_unset=True)

    def values_dict(self) -> dict[str, Any]:
        """The merged values as plain data (what the templates' `.Values` sees); a copy."""
        return copy.deepcopy(self._values_data)

    def mesh_dict(self) -> dict[str, Any]:
        """The effective MeshConfig as proto-JSON (camelCase) data; a copy."""
        return copy.deepcopy(self._mesh_data)

    def default_proxy_config(self) -> dict[str, Any]:
        """The effective mesh `defaultConfig` (Istio's DefaultProxyConfig merged); a copy."""
        return copy.deepcopy(self._mesh_data.get("defaultConfig") or {})


# ProxyConfig maps whose values are strings in Istio's API (see fieldtypes.ProtoStringMap).
_PROTO_STRING_MAPS = frozenset({"proxyMetadata", "runtimeValues"})


def _merge_layers(
    options: RunOptions, overlay: dict[str, Any], overlay_note: str
) -> tuple[dict[str, Any], dict[str, Any], Provenance, Provenance]:
    """Values and mesh config: defaults, the profile overlay, then the user's layers."""
    vprov, mprov = Provenance(), Provenance()
    values: dict[str, Any] = values_layer({}, defaults.default_values_doc(), vprov)
    mesh: dict[str, Any] = mesh_layer({}, defaults.default_mesh_doc(), mprov)
    if overlay.get("values"):
        doc = SourceDoc(f"<{overlay_note}>", overlay["values"], {}, note=overlay_note)
        values = values_layer(values, doc, vprov)
    if overlay.get("mesh"):
        doc = SourceDoc(f"<{overlay_note}>", overlay["mesh"], {}, note=overlay_note)
        mesh = mesh_layer(mesh, doc, mprov)
    mesh_docs: list[SourceDoc] = []
    for path in options.values_files:
        doc = read_values(path)
        values = values_layer(values, doc, vprov)
        mesh_docs.extend(_mesh_section(doc))
    mesh_docs.extend(read_mesh(path) for path in options.mesh_config_files)
    for doc in mesh_docs:
        mesh = mesh_layer(mesh, doc, mprov)
    for path in options.iop_files:
        iop = read_iop(path)
        for doc in iop.values:
            values = values_layer(values, doc, vprov)
            for section in _mesh_section(doc):
                mesh = mesh_layer(mesh, section, mprov)
        for doc in iop.mesh:
            mesh = mesh_layer(mesh, doc, mprov)
    for argument in options.set_args:
        for item in parse_set(argument):
            note = SourceDoc(SET_LOCATION.path, None, {}, note=item.text)
            key = item.path[1:] if item.path[0] == "values" and len(item.path) > 1 else item.path
            if key[0] == "meshConfig" and len(key) > 1:
                value = item.value
                if len(key) > 2 and key[-2] in _PROTO_STRING_MAPS and value is not None:
                    # `--set meshConfig.defaultConfig.proxyMetadata.X=true`, as Istio's
                    # docs write it: a map<string, string> entry is the text typed.
                    value = scalars.to_text(value)
                mesh = set_path(mesh, key[1:], value)
                mprov.replace(key[1:], note, ())
                mprov.claim(key[1:], note.origin(()))
            else:
                values = set_path(values, key, item.value)
                vprov.replace(key, note, ())
                vprov.claim(key, note.origin(()))
    return values, mesh, vprov, mprov


def _selected_profile(values: dict[str, Any], prov: Provenance) -> dict[str, Any]:
    """The overlay of the profile, compatibility version and platform the values select."""
    global_ = values.get("global") if isinstance(values.get("global"), dict) else {}
    assert isinstance(global_, dict)
    chosen = {
        "profile": values.get("profile") or global_.get("profile") or "",
        "compatibility": values.get("compatibilityVersion") or "",
        "platform": values.get("platform") or global_.get("platform") or "",
    }
    texts = {
        k: scalars.to_text(v) if not isinstance(v, dict | list) else "" for k, v in chosen.items()
    }
    release = release_of(global_.get("tag"), defaults.ISTIO_VERSION.rsplit(".", 1)[0])
    try:
        overlay, _ = profile_overlay(
            profile=texts["profile"],
            compatibility=texts["compatibility"],
            platform=texts["platform"],
            release=release,
        )
    except ProfileError as exc:
        candidates = {
            "profile": (("profile",), ("global", "profile")),
            "compatibilityVersion": (("compatibilityVersion",),),
            "platform": (("platform",), ("global", "platform")),
        }[exc.key]
        origin = next((o for o in map(prov.lookup, candidates) if o is not None), None)
        raise ConfigError(str(exc), origin.location if origin else None) from None
    return overlay


def build_config(options: RunOptions) -> Config:
    """Merge the configuration layers `options` names over the built-in defaults and
    validate the result: values, mesh config, IstioOperator and injector config files in
    order, then `--set`; `options.revision` is the revision injected ("" for the default).
    The other settings of `RunOptions` (policy, namespaces, style) are not read here.
    Raises ConfigError, located in the file or flag at fault.

    An Istio profile, `compatibilityVersion` or platform selected anywhere in the values
    is applied as Istio's chart applies it: over the defaults, under the user's values.
    Without configuration files the result depends on `--set` and the revision alone: it
    is kept in the cache between runs when the command line enabled it
    (`meshinject.cache`)."""
    if not (
        options.values_files
        or options.mesh_config_files
        or options.iop_files
        or options.inject_config_files
    ):
        key = repr((list(options.set_args), options.revision))
        return memo("config", key, lambda: _build_config(options))
    return _build_config(options)


def _build_config(options: RunOptions) -> Config:
    values, mesh, vprov, mprov = _merge_layers(options, {}, "")
    overlay = _selected_profile(values, vprov)
    if overlay:
        values, mesh, vprov, mprov = _merge_layers(options, overlay, "selected profile")
    inject_docs = [read_inject_config(path) for path in options.inject_config_files]

    values_model = validate(Values, values, vprov, Location("<values>"))
    mesh_model = validate(MeshConfigModel, mesh, mprov, Location("<mesh config>"))
    raw_env = (values_model.pilot.env if values_model.pilot else None) or {}
    env = {key: scalars.to_text(value) for key, value in raw_env.items() if value is not None}
    global_ = values_model.global_
    _check_revision(options.revision, values_model.revision, vprov)
    return Config(
        istio_version=defaults.ISTIO_VERSION,
        # The injection revision (istio.io/rev, status) is the one asked for, as in Istio;
        # `values.revision` only names the istiod (CA_ADDR), see inject/context.py.
        revision=options.revision or "",
        values=values_model,
        mesh=mesh_model,
        injector=_injector(values_model, vprov, inject_docs, options.inject_config_files),
        native_sidecars_setting=_native_sidecars(env, vprov),
        platform=env.get("PLATFORM") or (global_.platform if global_ else None) or "",
        compliance_policy=env.get("COMPLIANCE_POLICY", ""),
    )


def _check_revision(asked: str, configured: str | None, prov: Provenance) -> None:
    """`--revision`/`--revision-values REV=...` and the values' own `revision` must agree."""
    if not asked or not configured or asked == configured:
        return
    origin = prov.lookup(("revision",))
    raise ConfigError(
        f"the values say revision {configured!r} but they were given for revision {asked!r};"
        " remove one or make them agree",
        origin.location if origin else None,
        "revision",
    )


def _mesh_section(doc: SourceDoc) -> list[SourceDoc]:
    """A values layer's `meshConfig` mapping, as a mesh-config document."""
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("meshConfig"), dict):
        return [doc.sub(("meshConfig",))]
    return []


def _native_sidecars(env: dict[str, str], prov: Provenance) -> NativeSidecars:
    raw = env.get("ENABLE_NATIVE_SIDECARS", "auto")
    value = raw.strip().lower() or "auto"
    if value == "true":
        return "true"
    if value == "false":
        return "false"
    if value == "auto":
        return "auto"
    key = ("pilot", "env", "ENABLE_NATIVE_SIDECARS")
    origin = prov.lookup(key)
    message = f"invalid value {raw!r} (expected true, false or auto)"
    if origin and origin.note:
        message += f" in {origin.note!r}"
    raise ConfigError(message, origin.location if origin else None, render_path(key))


def _origin_text(origin: Origin | None, fallback: str) -> str:
    if origin is None:
        return fallback
    text = origin.location.render()
    return f"{text} ({origin.note})" if origin.note else text


def _injector(
    values: Values,
    vprov: Provenance,
    inject_docs: list[tuple[SourceDoc | None, str | None]],
    inject_paths: Sequence[str],
) -> InjectorSettings:
    webhook = values.sidecarInjectorWebhook
    proxy = values.global_.proxy if values.global_ else None
    settings: dict[str, Any] = {
        "policy": (proxy.autoInject if proxy else None) or "enabled",
        "always_inject_selector": (webhook.alwaysInjectSelector if webhook else None) or [],
        "never_inject_selector": (webhook.neverInjectSelector if webhook else None) or [],
        "injected_annotations": (webhook.injectedAnnotations if webhook else None) or {},
        "default_templates": (webhook.defaultTemplates if webhook else None) or ["sidecar"],
        "aliases": {},
    }
    templates: dict[str, TemplateSource] = {}
    where: dict[str, Location] = {}  # where each template is defined, for parse errors
    for name, text in ((webhook.templates if webhook else None) or {}).items():
        key = ("sidecarInjectorWebhook", "templates", name)
        origin = _origin_text(vprov.lookup(key), "<values>")
        templates[name] = TemplateSource(name=name, text=text, syntax="go", origin=origin)
        found = vprov.lookup(key)
        where[name] = found.location if found else Location()
    for (doc, bare), path in zip(inject_docs, inject_paths, strict=True):
        if bare is not None:
            templates["sidecar"] = TemplateSource(
                name="sidecar", text=bare, syntax="go", origin=path
            )
            where["sidecar"] = Location(path)
            continue
        assert doc is not None
        prov = Provenance()
        prov.record((), doc, ())
        parsed = validate(InjectConfigFile, doc.data, prov, Location(path))
        # A section left empty (`injectedAnnotations:` as the chart renders it) is null:
        # read as not given, as Istio's Go decoding does.
        given = {k: v for k, v in parsed.model_dump(exclude_unset=True).items() if v is not None}
        renames = {
            "policy": "policy",
            "alwaysInjectSelector": "always_inject_selector",
            "neverInjectSelector": "never_inject_selector",
            "injectedAnnotations": "injected_annotations",
            "defaultTemplates": "default_templates",
            "aliases": "aliases",
        }
        for field, target in renames.items():
            if field in given:
                settings[target] = given[field]
        file_templates = dict(given.get("templates") or {})
        legacy = given.get("template")
        if legacy and _VERSION_SENTINEL not in legacy and "sidecar" not in file_templates:
            file_templates["sidecar"] = legacy
        for name, text in file_templates.items():
            origin = _origin_text(prov.lookup(("templates", name)), path)
            templates[name] = TemplateSource(name=name, text=text, syntax="go", origin=origin)
            found = prov.lookup(("templates", name))
            where[name] = found.location if found else Location(path)
    _check_templates(templates, where)
    builtin = [name for name in defaults.BUILTIN_TEMPLATES if name not in templates]
    return InjectorSettings(**settings, templates=templates, builtin_templates=builtin)


def _check_templates(templates: dict[str, TemplateSource], where: dict[str, Location]) -> None:
    """Parse every custom template now, so a syntax error is reported once, at its file,
    instead of for every workload it would be rendered for."""
    if not templates:
        return  # the built-in templates only: the Go interpreter is not even loaded
    from meshinject.errors import MeshInjectError
    from meshinject.gotemplate import parse_template

    for name, source in templates.items():
        try:
            # Go resolves function names when it parses: an unknown one (Helm's
            # `required`, a typo) stops the configuration, not each workload.
            parse_template(source.text, name).check_functions()
        except MeshInjectError as exc:
            raise ConfigError(exc.message, where.get(name) or Location()) from None


def check_proxy_config(data: Any, where: Location | None = None) -> dict[str, Any]:
    """Validate a ProxyConfig mapping (e.g. a `proxy.istio.io/config` annotation).

    Returns it normalised (durations as `"45s"`, values as proto-JSON types); raises
    `ConfigError` naming the offending key.
    """
    prov = Provenance()
    model = validate(ProxyConfigModel, data, prov, where or Location())
    return model.model_dump(by_alias=True, exclude_unset=True)
