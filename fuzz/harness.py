"""The property every fuzzer checks: bytes in, either YAML out or typed, located errors.

`check(data)` runs meshinject's file layer (decode -> split -> parse -> inject -> splice ->
encode) the way the CLI does, for both `inject` and `uninject`, and raises AssertionError
if anything other than a `MeshInjectError` escapes, if an error has no location, or if a
successful injection does not itself re-inject cleanly (output that meshinject cannot read
back would be wrong-but-plausible YAML). Shared by the atheris harness and the hypothesis
fuzz test so that both fuzz the same thing.

It also checks the kinds of issue 12: the text fast paths (document splitting, kind
sniffing) agree with a full libyaml parse; every plain scalar injection writes reads as
the same string for go-yaml v2, YAML 1.1 and 1.2; comment lines of the input survive;
inject(uninject(inject(x))) == inject(x) (R8, R9); and through a user's template that
prints values raw, no manifest value adds annotations (R23).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from meshinject.api import InjectionRequest, RunOptions, build_request, inject_bytes
from meshinject.errors import MeshInjectError
from meshinject.stream import Operation
from meshinject.yamltext import load_document, sniff_kind, split_stream
from meshinject.yamltext.resolve import retyped

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def default_request() -> InjectionRequest:
    """The request `meshinject -f FILE` builds with no flags."""
    return build_request(RunOptions())


def _check_errors(errors: list[MeshInjectError], what: str) -> None:
    for error in errors:
        assert isinstance(error, MeshInjectError), f"{what}: untyped error {error!r}"
        assert error.location.path == "fuzz.yaml", f"{what}: error without a path: {error.render()}"
        text = error.render()
        assert "Traceback" not in text, text
        assert "\n" not in error.message.strip() or len(error.message) < 2000, text


def check_fast_paths(text: str) -> None:
    """Splitting and kind sniffing (text only) agree with a full parse, or say UNKNOWN.

    Only for streams libyaml reads as a whole; the documents `split_stream` cuts must be
    the stream's documents, each readable alone, with the kinds a full parse gives.
    """
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except (yaml.YAMLError, RecursionError, ValueError):
        return
    docs = split_stream(text)
    assert "".join(d.text for d in docs) == text, "split lost text"
    loaded: list[Any] = []
    for doc in docs:
        try:
            data = load_document(doc.text).data
        except MeshInjectError:
            return  # meshinject is stricter (duplicate keys, tags): nothing to compare
        sniff = sniff_kind(doc.text)
        if sniff.is_empty:
            assert data is None, f"sniffed empty, parsed {type(data).__name__}"
        elif not sniff.is_unknown:
            assert isinstance(data, dict), "sniffed a kind in a non-mapping"
            assert data.get("kind") == sniff.name, (
                f"sniffed {sniff.name}, parsed {data.get('kind')}"
            )
        if data is not None:
            loaded.append(data)
    assert len(loaded) == sum(1 for n in nodes if not _null(n)), "documents split differently"


def _null(node: Any) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def check_written_scalars(before: str, after: str) -> None:
    """Every plain scalar meshinject wrote (not copied from the input as it was) reads as
    the same string for go-yaml v2, YAML 1.1 and 1.2 (see `yamltext.resolve.retyped`)."""
    try:
        old = _plain_strings(before)
        new = _plain_strings(after)
    except (yaml.YAMLError, RecursionError, ValueError):
        return
    for value in new - old:
        assert not retyped(value), f"wrote {value!r} plain: another reader retypes it"


def _plain_strings(text: str) -> set[str]:
    found: set[str] = set()
    stack: list[Any] = list(yaml.compose_all(text, Loader=_LOADER))
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.tag.endswith(":str"):
                found.add(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def check_comments_kept(before: str, after: str) -> None:
    """Comment lines of the input survive injection (edits never drop a user's comment)."""
    comments = {line.strip() for line in before.splitlines() if line.lstrip().startswith("#")}
    kept = {line.strip() for line in after.splitlines()}
    missing = comments - kept
    assert not missing, f"comment lines lost: {sorted(missing)[:3]}"


def check_uninject_stable(output: str, request: InjectionRequest) -> None:
    """inject(uninject(inject(x))) == inject(x): what uninject gives back (exact, or the
    documented choice where the injected text cannot tell) injects to the same data."""
    data = output.encode("utf-8")
    back = inject_bytes(data, "fuzz.yaml", request, operation="uninject")
    _check_errors(back.errors, "uninject of injected output")
    if back.errors or not back.changed:
        return
    again = inject_bytes(back.output.encode("utf-8"), "fuzz.yaml", request)
    _check_errors(again.errors, "inject of uninjected output")
    assert not again.errors, "uninjected output could not be injected again"
    # As data: an empty flow collection that was the last key of a multi-line flow mapping
    # comes back without its line break (the injected text cannot tell it was there).
    assert _same_stream(again.output, output), "inject(uninject(inject(x))) != inject(x)"


def _same_stream(a: str, b: str) -> bool:
    try:
        return bool(
            list(yaml.load_all(a, Loader=_LOADER)) == list(yaml.load_all(b, Loader=_LOADER))
        )
    except (yaml.YAMLError, RecursionError, ValueError):
        return a == b


@cache
def raw_template_request() -> InjectionRequest:
    """A user's Go template printing manifest values raw, in quotes and in a container."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(RAW_TEMPLATE)
    return build_request(RunOptions(inject_config_files=(handle.name,)))


RAW_TEMPLATE = """\
defaultTemplates: [sidecar, raw]
templates:
  raw: |
    metadata:
      annotations:
        example.com/copy: "{{ annotation .ObjectMeta `example.com/src` `none` }}"
    spec:
      containers:
      - name: istio-proxy
        env:
        - name: APP_LABEL
          value: {{ index .ObjectMeta.Labels `app` }}
"""


def check_no_forged_structure(data: bytes) -> None:
    """R23: through a template that prints values raw, the injected pod's annotations and
    the proxy's env gain nothing but the template's own entries."""
    result = inject_bytes(data, "fuzz.yaml", raw_template_request())
    _check_errors(result.errors, "inject with a raw-printing template")
    if result.errors or not result.changed:
        return
    try:
        docs = list(yaml.load_all(result.output, Loader=_LOADER))
        before = list(yaml.load_all(data.decode("utf-8"), Loader=_LOADER))
    except (yaml.YAMLError, RecursionError, ValueError, UnicodeDecodeError):
        return
    for old, new in zip(before, docs, strict=False):
        pod_old, pod_new = _pod_of(old), _pod_of(new)
        if pod_new is None or pod_old is None:
            continue
        own = set((pod_old.get("metadata") or {}).get("annotations") or {})
        added = set((pod_new.get("metadata") or {}).get("annotations") or {}) - own
        allowed = {"example.com/copy", "istio.io/rev", "sidecar.istio.io/status"}
        strange = {k for k in added if k not in allowed and "istio" not in k and "kubectl" not in k}
        strange -= {"prometheus.io/port", "prometheus.io/path", "prometheus.io/scrape"}
        assert not strange, f"a manifest value added annotations {sorted(strange)}"


def _pod_of(doc: Any) -> dict[str, Any] | None:
    if not isinstance(doc, dict) or doc.get("kind") not in ("Pod", "Deployment"):
        return None
    pod = doc if doc.get("kind") == "Pod" else (doc.get("spec") or {}).get("template")
    return pod if isinstance(pod, dict) else None


def check(data: bytes) -> None:
    request = default_request()
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        check_fast_paths(text.removeprefix("\ufeff"))
        check_no_forged_structure(data)
    operations: tuple[Operation, ...] = ("inject", "uninject")
    for operation in operations:
        result = inject_bytes(data, "fuzz.yaml", request, operation=operation)
        _check_errors(result.errors, operation)
        if result.errors or not result.changed:
            continue
        if text is not None and operation == "inject":
            check_written_scalars(text, result.output)
            check_comments_kept(text, result.output)
            check_uninject_stable(result.output, request)
        output = result.output.encode("utf-8")
        again = inject_bytes(output, "fuzz.yaml", request, operation=operation)
        _check_errors(again.errors, f"{operation} of its own output")
        assert not again.errors, f"{operation} output could not be processed again: " + "; ".join(
            e.render() for e in again.errors
        )
