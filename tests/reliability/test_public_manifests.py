"""Public manifests (see public/README.md): nothing lost, idempotent, exact uninject.

Each file is injected in both output styles and with non-default templates: every comment
line survives, injecting the result again changes nothing, and uninjecting it gives the
file back byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meshinject.api import RunOptions, build_request, inject_bytes

PUBLIC = Path(__file__).resolve().parent / "public"
FILES = sorted(p.name for p in PUBLIC.iterdir() if p.suffix in (".yaml", ".json"))


def run(data: bytes, operation: str, style: str) -> bytes:
    request = build_request(RunOptions(output_style=style))  # type: ignore[arg-type]
    result = inject_bytes(data, "m.yaml", request, operation=operation)  # type: ignore[arg-type]
    assert not result.errors, [e.render() for e in result.errors]
    return result.output.encode("utf-8")


@pytest.mark.parametrize("style", ["minimal", "istio"])
@pytest.mark.parametrize("name", FILES)
def test_public_manifests_inject_idempotently_and_uninject_exactly(name: str, style: str) -> None:
    original = (PUBLIC / name).read_bytes()
    injected = run(original, "inject", style)
    assert injected != original
    text = injected.decode()
    for line in original.decode().splitlines():
        if line.strip().startswith("#"):
            assert line.strip() in text
    assert run(injected, "inject", style) == injected
    assert run(injected, "uninject", style) == original


@pytest.mark.parametrize("templates", ["grpc-agent", "gateway", "sidecar,grpc-simple"])
def test_R8_public_manifests_with_non_default_templates_uninject_exactly(templates: str) -> None:
    original = (PUBLIC / "guestbook-frontend-deployment.yaml").read_bytes()
    annotation = f"      annotations:\n        inject.istio.io/templates: {templates}\n"
    marked = original.replace(b"      labels:\n", annotation.encode() + b"      labels:\n", 1)
    assert marked != original
    injected = run(marked, "inject", "minimal")
    assert run(injected, "inject", "minimal") == injected
    assert run(injected, "uninject", "minimal") == marked
