"""Turn what the user asked for into one frozen `InjectionRequest`.

This is where the configuration of every control plane (revision) is built, the namespace
labels are read and the policy mode is chosen. The CLI and the kustomize plugin both call
`build_request`, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from collections.abc import Mapping, Sequence
from typing import Any

from meshinject import ISTIO_VERSION
from meshinject.errors import ConfigError, InputError, Location
from meshinject.inject.document import InjectionRequest
from meshinject.inject.settings import InjectSettings, settings_from_config
from meshinject.options import RunOptions
from meshinject.policy import (
    NamespaceInfo,
    PolicySettings,
    parse_namespace_labels,
    parse_selector_list,
)
from meshinject.policy.settings import InjectorPolicy

DEFAULT = "default"


def _pairs(items: Sequence[str], flag: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise ConfigError(f"expected {what}, got {item!r}", Location(flag))
        out[name.strip()] = value.strip()
    return out


def parse_kube_version(text: str | None) -> tuple[int, int] | None:
    """`--kube-version` as (major, minor): `1.33`, `v1.33.2` and `1.33+` all give (1, 33);
    None when not given. ConfigError located at `--kube-version` otherwise.
    """
    if not text:
        return None
    try:
        major, minor = text.strip().lstrip("v").split(".")[:2]
        return int(major), int(minor.split("-")[0].rstrip("+"))
    except ValueError:
        raise ConfigError(
            f"expected MAJOR.MINOR such as 1.33, got {text!r}", Location("--kube-version")
        ) from None


def read_namespace_labels(path: str) -> dict[str, NamespaceInfo]:
    """`--namespace-labels`: a file (one document or several) or a folder of them."""
    from pathlib import Path

    from meshinject.files.paths import iter_paths

    folder = Path(path).is_dir()
    found: dict[str, NamespaceInfo] = {}
    for file in iter_paths([path]):
        found.update(_read_namespace_file(file, in_folder=folder))
    return found


def _read_namespace_file(path: str, *, in_folder: bool) -> dict[str, NamespaceInfo]:
    from meshinject.files.encoding import decode
    from meshinject.files.paths import read_input
    from meshinject.yamltext import first_content_line, load_document, split_stream

    text, _, _ = decode(read_input(path), path)
    docs = [doc for doc in split_stream(text) if doc.text.strip(" \t\n-")]
    found: dict[str, NamespaceInfo] = {}
    for doc in docs:
        try:
            data = load_document(doc.text).data
        except InputError as exc:  # a YAML problem in this file is a configuration error
            line = exc.location.line + doc.start_line - 1 if exc.location.line else 0
            raise ConfigError(exc.message, Location(path, line, exc.location.column)) from None
        several = len(docs) > 1
        line = doc.start_line + first_content_line(doc.text) - 1 if several else 0
        found.update(
            parse_namespace_labels(data, source=path, line=line, other_kinds=several or in_folder)
        )
    return found


def build_request(options: RunOptions) -> InjectionRequest:
    """Build the config of each revision and the policy; raises ConfigError.

    When the options name no file, the request depends on them alone: it is kept in the
    start-up cache between command-line runs (`meshinject.cache`; a no-op for the
    library), keyed by all the options. Loading it builds no model and imports neither
    pydantic nor the config package (see `RevisionSettings.__getstate__`): validating the
    configuration costs more than injecting one workload.
    """
    if not _names_files(options):
        from meshinject.cache import memo

        return memo("request", repr(options), lambda: _build_request(options))
    return _build_request(options)


def _names_files(options: RunOptions) -> bool:
    """True when `options` name a file or folder to read (values, mesh config, labels...)."""
    from meshinject.options import settings

    return any(
        setting.shape in ("files", "file-pairs", "labels") and getattr(options, name)
        for name, setting in settings()
    )


def _build_request(options: RunOptions) -> InjectionRequest:
    from meshinject.config import build_config
    from meshinject.config.documents import is_injector_configmap

    kube_version = parse_kube_version(options.kube_version)
    revision_files = _pairs(options.revision_values, "--revision-values", "REVISION=FILE")
    tags = _pairs(options.tags, "--tag", "TAG=REVISION")

    def sources(revision: str, extra: Sequence[str] = ()) -> RunOptions:
        # A revision given its injector ConfigMap renders with that ConfigMap's own
        # templates and injector settings, not the run's (U19).
        own_config = [path for path in extra if is_injector_configmap(path)]
        return options.replace(
            values_files=(*options.values_files, *extra),
            inject_config_files=(*options.inject_config_files, *own_config),
            revision="" if revision == DEFAULT else revision,
        )

    main_revision = options.revision or DEFAULT
    configs = {
        main_revision: build_config(sources(main_revision, _extra(revision_files, main_revision)))
    }
    skews: dict[str, str] = {}
    for revision, path in revision_files.items():
        if revision not in configs:
            configs[revision] = build_config(sources(revision, [path]))
        if not is_injector_configmap(path):
            skews[revision] = release_skew(revision, path, configs[revision].values_dict())
    if revision_files and main_revision == DEFAULT and DEFAULT not in revision_files:
        # Several named control planes and no unnamed one: `default` exists only as a tag.
        del configs[DEFAULT]
    revisions = frozenset(configs)

    namespaces: dict[str, NamespaceInfo] = {}
    if options.namespace_labels_file:
        namespaces.update(read_namespace_labels(options.namespace_labels_file))
    namespaces.update(options.extra_namespaces)
    mode = options.mode or ("webhook" if namespaces or revision_files or tags else "manual")

    first = configs[main_revision] if main_revision in configs else next(iter(configs.values()))
    policy = PolicySettings(
        mode=mode,
        revisions=revisions,
        tags=tags,
        manual_revision=main_revision
        if main_revision in revisions or main_revision in tags
        else next(iter(sorted(revisions))),
        revision_policies={rev: _injector_policy(cfg) for rev, cfg in configs.items()},
        **_policy_fields(first),
    )

    settings_for = RevisionSettings(configs, tags, first, kube_version, skews)
    return InjectionRequest(
        settings=settings_for(main_revision if main_revision in configs else next(iter(configs))),
        policy=policy,
        default_namespace=options.namespace,
        namespaces=namespaces,
        settings_for_revision=settings_for,
        output_style=options.output_style,
        auto_mode=options.mode is None and mode == "manual",
    )


class RevisionSettings:
    """The injection settings of a revision (or of the revision a tag points to), built
    once each. A plain object rather than a closure, so a request can be pickled to worker
    processes on platforms without `fork`, and kept in the start-up cache."""

    def __init__(
        self,
        configs: Mapping[str, Any],
        tags: Mapping[str, str],
        fallback: Any,
        kube_version: tuple[int, int] | None,
        skews: Mapping[str, str] | None = None,
    ) -> None:
        self._configs: Mapping[str, Any] | None = configs
        self._fallback = fallback
        self._names = frozenset(configs)
        self._pickled: bytes | None = None  # the configs of a copy, until first needed
        self.tags = tags
        self.kube_version = kube_version
        self.skews: Mapping[str, str] = skews or {}
        # By config: a revision's name, or None for the fallback config.
        self._by_config: dict[str | None, InjectSettings] = {}
        self._built: dict[str, InjectSettings] = {}  # by the revision asked for

    @property
    def configs(self) -> Mapping[str, Any]:
        """The `meshinject.config.Config` of each revision (by name)."""
        self._load()
        assert self._configs is not None
        return self._configs

    @property
    def fallback(self) -> Any:
        """The config of a revision that has none of its own (the run's revision's)."""
        self._load()
        return self._fallback

    def _load(self) -> None:
        if self._pickled is not None:
            self._configs, self._fallback = pickle.loads(self._pickled)
            self._pickled = None

    def __call__(self, revision: str) -> InjectSettings:
        settings = self._built.get(revision)
        if settings is None:
            own = revision if revision in self._names else self.tags.get(revision, "")
            key = own if own in self._names else None
            settings = self._by_config.get(key)
            if settings is None:
                config = self.configs[key] if key is not None else self.fallback
                settings = settings_from_config(config, kube_version=self.kube_version)
                # `skews` only names revisions that have a config (`build_request`).
                if key is not None and self.skews.get(key):
                    settings = dataclasses.replace(settings, release_skew=self.skews[key])
                self._by_config[key] = settings
            self._built[revision] = settings
        return settings

    def every_settings(self) -> list[InjectSettings]:
        """The settings of every config: every revision resolves to one of them (built
        here if not yet; a copy loaded from the start-up cache has them all)."""
        for key in (*self._names, None):
            if key not in self._by_config:
                self(key if key is not None else _NO_REVISION)
        return list(self._by_config.values())

    def __getstate__(self) -> dict[str, Any]:
        """The settings of every config are built first (`every_settings`), and the
        configs (pydantic models) are pickled apart, as bytes: loading a copy needs
        neither pydantic nor the config models until `configs` is read."""
        self.every_settings()
        state = dict(self.__dict__)
        if self._pickled is None:
            state["_pickled"] = pickle.dumps(
                (self._configs, self._fallback), protocol=pickle.HIGHEST_PROTOCOL
            )
        state["_configs"] = state["_fallback"] = None
        return state


# A revision name no config or tag can have (`--revision` and tags are Kubernetes label
# values): asking for it gives the fallback config's settings.
_NO_REVISION = "\x00"


def release_skew(revision: str, path: str, values: Mapping[str, Any]) -> str:
    """The warning for a revision whose `global.tag` names another Istio release than
    meshinject's built-in templates (`""` when the tag is the same release or no release).

    A real istiod of that release injects its own release's template (native sidecars,
    volumes, args differ between releases); only its injector ConfigMap carries that
    template (usability-defects U19).
    """
    tag = str(((values.get("global") or {}).get("tag")) or "")
    found = re.match(r"v?(\d+)\.(\d+)(?:\.|-|$)", tag)
    built_in = ".".join(ISTIO_VERSION.split(".")[:2])
    if found is None or f"{found[1]}.{found[2]}" == built_in:
        return ""
    configmap = "istio-sidecar-injector" + ("" if revision == DEFAULT else f"-{revision}")
    return (
        f"revision {revision}: {path} sets global.tag {tag} (Istio {found[1]}.{found[2]}) but "
        f"has no templates, so the built-in Istio {built_in} template renders its sidecar; "
        f"Istio {found[1]}.{found[2]}'s webhook may inject a different one. Pass the "
        f"revision's injector ConfigMap instead (kubectl -n istio-system get configmap "
        f"{configmap} -o yaml > FILE; --revision-values {revision}=FILE)"
    )


def _extra(revision_files: dict[str, str], revision: str) -> list[str]:
    return [revision_files[revision]] if revision in revision_files else []


def _injector_policy(config: Any) -> InjectorPolicy:
    return InjectorPolicy(**_policy_fields(config))


def _policy_fields(config: Any) -> dict[str, Any]:
    injector = config.injector
    values = config.values_dict()
    webhook = values.get("sidecarInjectorWebhook") or {}
    return {
        "policy": injector.policy,
        "never_inject_selectors": parse_selector_list(
            injector.never_inject_selector, key_path="neverInjectSelector"
        ),
        "always_inject_selectors": parse_selector_list(
            injector.always_inject_selector, key_path="alwaysInjectSelector"
        ),
        "enable_namespaces_by_default": bool(webhook.get("enableNamespacesByDefault")),
    }
