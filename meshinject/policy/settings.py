"""What meshinject knows about the cluster's injectors: revisions, tags, policy, selectors.

`PolicySettings` models the MutatingWebhookConfigurations (MWCs) Istio installs
(peers.md §5.1):

- each installed revision `R` has an MWC `istio-sidecar-injector-R` whose webhooks match
  `istio.io/rev=R`; the unnamed revision (called `default` here) has
  `istio-sidecar-injector`, matching `istio.io/rev=default`, and also carries the
  "default" webhooks: `istio-injection=enabled`, the pod label
  `sidecar.istio.io/inject=true`, and `enableNamespacesByDefault`;
- each revision tag `T -> R` has an MWC `istio-revision-tag-T` matching `istio.io/rev=T`
  and routing to `R`; the tag `default` also carries the default webhooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

from meshinject.errors import ConfigError
from meshinject.policy.selectors import LabelSelector

DEFAULT_REVISION = "default"
INJECT_KEY = "sidecar.istio.io/inject"
REV_LABEL = "istio.io/rev"
INJECTION_LABEL = "istio-injection"
#: istiod never injects pods in these (and `auto.` excludes them by namespace name).
IGNORED_NAMESPACES = frozenset(
    {"kube-system", "kube-public", "kube-node-lease", "local-path-storage"}
)


@dataclass(frozen=True)
class InjectorPolicy:
    """One istiod's injection settings (its injector ConfigMap and webhook values)."""

    policy: str = "enabled"
    never_inject_selectors: tuple[LabelSelector, ...] = ()
    always_inject_selectors: tuple[LabelSelector, ...] = ()
    enable_namespaces_by_default: bool = False


@dataclass(frozen=True, order=True)
class WebhookConfig:
    """One MWC that can match a pod: its object name and the revision it sends pods to."""

    name: str
    revision: str
    tag: str | None = None


@dataclass(frozen=True)
class PolicySettings:
    """How to decide injection. `policy`, the selectors and `enable_namespaces_by_default`
    apply to every revision unless `revision_policies` overrides them for one revision.

    Raises `ConfigError` if a tag, a per-revision override or (in manual mode)
    `manual_revision` names a revision that is not in `revisions`.
    """

    mode: Literal["manual", "webhook"]
    policy: str = "enabled"
    never_inject_selectors: tuple[LabelSelector, ...] = ()
    always_inject_selectors: tuple[LabelSelector, ...] = ()
    enable_namespaces_by_default: bool = False
    revisions: frozenset[str] = frozenset({DEFAULT_REVISION})
    tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    manual_revision: str = DEFAULT_REVISION
    revision_policies: Mapping[str, InjectorPolicy] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", MappingProxyType(dict(self.tags)))
        object.__setattr__(
            self, "revision_policies", MappingProxyType(dict(self.revision_policies))
        )
        if self.mode not in ("manual", "webhook"):
            raise ConfigError(f"unknown injection mode {self.mode!r} (expected manual or webhook)")
        configured = ", ".join(sorted(self.revisions)) or "none"
        for tag, target in sorted(self.tags.items()):
            if target not in self.revisions:
                raise ConfigError(
                    f"revision tag {tag!r} points to revision {target!r}, which is not "
                    f"configured (configured: {configured})"
                )
        for revision in sorted(self.revision_policies):
            if revision not in self.revisions:
                raise ConfigError(
                    f"injector settings given for revision {revision!r}, which is not "
                    f"configured (configured: {configured})"
                )
        if self.mode == "manual" and not self.webhooks_for_rev(self.manual_revision):
            raise ConfigError(
                f"--revision {self.manual_revision!r} is neither a configured revision nor "
                f"a tag (configured: {configured})"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only views do not pickle; a request is pickled into the start-up cache
        # (`meshinject.request.build_request`) and to spawned worker processes.
        return (PolicySettings, tuple(_plain(getattr(self, f.name)) for f in fields(self)))

    def policy_for(self, revision: str) -> InjectorPolicy:
        """The injector settings istiod of `revision` evaluates pods with."""
        override = self.revision_policies.get(revision)
        if override is not None:
            return override
        return InjectorPolicy(
            policy=self.policy,
            never_inject_selectors=self.never_inject_selectors,
            always_inject_selectors=self.always_inject_selectors,
            enable_namespaces_by_default=self.enable_namespaces_by_default,
        )

    def webhooks_for_rev(self, value: str) -> tuple[WebhookConfig, ...]:
        """MWCs whose `rev.*` webhooks match `istio.io/rev=value`, sorted by name."""
        found = []
        if value in self.revisions:
            found.append(WebhookConfig(_revision_mwc(value), value))
        if value in self.tags:
            found.append(WebhookConfig(f"istio-revision-tag-{value}", self.tags[value], value))
        return tuple(sorted(found))

    def default_webhooks(self) -> tuple[WebhookConfig, ...]:
        """MWCs carrying the default webhooks (`namespace.`, `object.`, `auto.`)."""
        found = []
        if DEFAULT_REVISION in self.revisions:
            found.append(WebhookConfig(_revision_mwc(DEFAULT_REVISION), DEFAULT_REVISION))
        if DEFAULT_REVISION in self.tags:
            target = self.tags[DEFAULT_REVISION]
            found.append(WebhookConfig("istio-revision-tag-default", target, DEFAULT_REVISION))
        return tuple(sorted(found))

    def manual_target(self) -> str:
        """The revision `--revision` names in manual mode (a tag is followed to its revision)."""
        if self.manual_revision in self.revisions:
            return self.manual_revision
        return self.tags[self.manual_revision]


def _revision_mwc(revision: str) -> str:
    if revision == DEFAULT_REVISION:
        return "istio-sidecar-injector"
    return f"istio-sidecar-injector-{revision}"


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, MappingProxyType) else value
