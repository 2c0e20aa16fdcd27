"""istiod's per-pod check once a webhook has sent it the pod (peers.md §5.3).

In order: hostNetwork, ignored system namespaces, the `sidecar.istio.io/inject` label
(which beats the annotation even when empty) or annotation, `neverInjectSelector`,
`alwaysInjectSelector`, then the injector `policy`. Manual `kube-inject` runs the same
check with the policy forced to `enabled` and no selectors (§5.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from meshinject.policy.settings import IGNORED_NAMESPACES, INJECT_KEY, InjectorPolicy

#: The rule of a pod that reached the injector policy `enabled` without opting in or out.
POLICY_ENABLED = "policy-enabled"


@dataclass(frozen=True)
class Verdict:
    inject: bool
    rule: str
    reason: str
    warnings: tuple[str, ...] = ()
    note: str = ""  # context that did not decide but surprises people (a hidden annotation)

    def with_note(self, text: str) -> str:
        """`text`, followed by the note if there is one."""
        return f"{text}; {self.note}" if self.note else text


@dataclass(frozen=True)
class InjectValue:
    """The `sidecar.istio.io/inject` value istiod reads: the label if present, else the
    annotation. `source` is "label", "annotation" or "" (neither is set)."""

    value: str | None
    source: str
    overridden_annotation: str | None = None  # an annotation the label hides

    @classmethod
    def of(cls, labels: Mapping[str, str], annotations: Mapping[str, str]) -> InjectValue:
        annotation = annotations.get(INJECT_KEY)
        if INJECT_KEY in labels:
            label = labels[INJECT_KEY]
            hidden = annotation if annotation is not None and annotation != label else None
            return cls(label, "label", hidden)
        if annotation is not None:
            return cls(annotation, "annotation")
        return cls(None, "")

    @property
    def is_invalid(self) -> bool:
        return self.value not in (None, "", "true", "false")

    def describe(self) -> str:
        """`pod label sidecar.istio.io/inject=false beats the annotation ...=true`."""
        text = f"pod {self.source} {INJECT_KEY}={_v(self.value or '')}"
        if self.overridden_annotation is not None:
            text += f" beats the annotation {INJECT_KEY}={_v(self.overridden_annotation)}"
        return text

    def says(self, what: str) -> str:
        """`pod label ...=false opts the pod out`, or `... beats the annotation ... and ...`."""
        joiner = " and " if self.overridden_annotation is not None else " "
        return f"{self.describe()}{joiner}{what}"

    def warning(self) -> str | None:
        if not self.is_invalid:
            return None
        return (
            f"pod {self.source} {INJECT_KEY}={_v(self.value or '')} is neither 'true' nor "
            "'false'; Istio ignores it and applies the default injection policy"
        )


def inject_required(
    *,
    pod_labels: Mapping[str, str],
    pod_annotations: Mapping[str, str],
    host_network: bool,
    namespace: str | None,
    policy: InjectorPolicy,
) -> Verdict:
    """§5.3 for a pod in `namespace` (None: unknown, so never an ignored namespace).

    The invalid-value warning is not included here: callers report it for every pod, even
    those no webhook would send to istiod.
    """
    if host_network:
        return Verdict(False, "host-network", "the pod uses hostNetwork, which Istio never injects")
    if namespace in IGNORED_NAMESPACES:
        return Verdict(False, "ignored-namespace", f"{namespace} is never injected")
    value = InjectValue.of(pod_labels, pod_annotations)
    if value.value in ("true", "false"):
        inject = value.value == "true"
        opts = "opts the pod in" if inject else "opts the pod out"
        return Verdict(inject, f"pod-{value.source}-{value.value}", value.says(opts))
    # The label hid an annotation but gave no answer: say so, it surprises people.
    note = value.describe() if value.overridden_annotation is not None else ""
    for index, selector in enumerate(policy.never_inject_selectors):
        if not selector.is_empty and selector.matches(pod_labels):
            return Verdict(
                False,
                "never-selector",
                f"pod labels match neverInjectSelector[{index}] ({selector.describe()})",
                note=note,
            )
    for index, selector in enumerate(policy.always_inject_selectors):
        if not selector.is_empty and selector.matches(pod_labels):
            return Verdict(
                True,
                "always-selector",
                f"pod labels match alwaysInjectSelector[{index}] ({selector.describe()})",
                note=note,
            )
    if policy.policy == "enabled":
        return Verdict(True, POLICY_ENABLED, "the injector policy is enabled", note=note)
    if policy.policy == "disabled":
        return Verdict(
            False,
            "policy-disabled",
            "the injector policy is disabled and the pod does not opt in with "
            f"{INJECT_KEY}=true or an alwaysInjectSelector",
            note=note,
        )
    message = (
        f"the injector policy {policy.policy!r} is neither 'enabled' nor 'disabled', which "
        "istiod treats as an error and does not inject"
    )
    return Verdict(False, "policy-invalid", message, (message,), note)


def _v(value: str) -> str:
    return value if value else '""'
