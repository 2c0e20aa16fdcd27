"""A user's Go template must not let manifest values add YAML structure (R23).

The built-in templates quote every value they copy from the manifest. A user's own Go
template may print one raw (`"{{ annotation .ObjectMeta `x` `none` }}"`, as Istio's own
templates often do), and a value such as `x"\n    example.com/forged: "yes` then adds keys
to the injected pod: a privileged securityContext, an extra container. Istio has the same
exposure; meshinject refuses instead, naming the value.

How it is told, without a second render: a manifest string that holds characters with a
meaning in YAML (quotes, line breaks, `{`, `#`, `: `...) and appears verbatim in the
rendered text must appear verbatim, as often, inside the strings of the parsed output. A
value printed raw that the YAML reader split, cut or turned into structure does not; one
quoted by the template (`quote`, `toJson`) is escaped in the text, or survives whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from meshinject.errors import InjectionError

# Characters (and pairs) that can end a scalar or start structure when printed raw.
_RISKY = re.compile(r"[\n\r\"'\\{}\[\],#&*!|>%@`]|: |:$|^[-?] |^[-?]$")


def _strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key, (*path, key)
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield value, path


# An empty flow collection printed raw adds no key, item or container: it can only make
# its scalar an empty mapping or list, which Kubernetes' typed decoding of the pod refuses
# anyway. It is also text templates write themselves (`emptyDir: {}`, a user volume's
# JSON), so counting its copies would refuse pods whose `{}` is never printed raw (most
# often `proxy.istio.io/config: '{}'`, which Istio's templates read, not print).
_EMPTY_COLLECTIONS = frozenset({"{}", "[]"})


def _risky(pod: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """The pod's strings that could change structure if printed raw (first path of each)."""
    found: dict[str, tuple[Any, ...]] = {}
    for text, path in _strings(pod, ()):
        if (
            len(text) > 1
            and text not in found
            and text.strip() not in _EMPTY_COLLECTIONS
            and _RISKY.search(text)
        ):
            found[text] = path
    return found


def check_output(text: str, output: Any, pod: dict[str, Any], template: str) -> None:
    """Raise if a string of `pod` printed by `template` (rendered `text`, parsed `output`)
    did not stay inside one scalar."""
    risky = _risky(pod)
    if not risky:
        return
    candidates = {v: p for v, p in risky.items() if v in text}
    if not candidates:
        return
    scalars = [s for s, _ in _strings(output, ())]
    for value, path in candidates.items():
        if text.count(value) > sum(s.count(value) for s in scalars):
            raise _error(path, template, "would add YAML structure to the injected pod")


def blame_value(text: str, pod: dict[str, Any], template: str) -> InjectionError | None:
    """For a rendered `text` that is not valid YAML: the error naming a value of `pod`
    printed raw in it (the likely cause), or None."""
    for value, path in _risky(pod).items():
        if value in text:
            return _error(path, template, "makes the template's output invalid YAML")
    return None


def _error(path: tuple[Any, ...], template: str, effect: str) -> InjectionError:
    where = ".".join(str(step) for step in path)
    error = InjectionError(
        f'template "{template}" prints the value of {where} without quoting it, and that '
        f"value {effect}; nothing was injected: quote it in the template (`| quote`, "
        "`toJson`) or change the value",
        data_path=path,
    )
    error.pod_relative = True  # type: ignore[attr-defined]
    return error
