"""Every settings file of the conformance corpus builds a valid configuration."""

from pathlib import Path

import pytest

from meshinject.config import build_config, proxy_config_json
from meshinject.options import RunOptions

CORPUS = Path("/work/shared/conformance")
CASES = sorted(p for p in (CORPUS / "cases").glob("*") if p.is_dir()) if CORPUS.exists() else []


def _sources(case: Path) -> RunOptions:
    def present(*names: str) -> list[str]:
        return [str(case / n) for n in names if (case / n).exists()]

    return RunOptions(
        values_files=[
            str(CORPUS / "defaults" / "injector-values.yaml"),
            *present("values-overrides.yaml"),
        ],
        mesh_config_files=[str(CORPUS / "defaults" / "mesh.yaml"), *present("mesh-overrides.yaml")],
        iop_files=present("iop.yaml"),
        set_args=["pilot.env.ENABLE_NATIVE_SIDECARS=true"],
    )


@pytest.mark.skipif(not (CORPUS / "defaults" / "injector-values.yaml").exists(), reason="no corpus")
def test_corpus_defaults_match_the_goldens_settings() -> None:
    config = build_config(
        RunOptions(
            values_files=[str(CORPUS / "defaults" / "injector-values.yaml")],
            mesh_config_files=[str(CORPUS / "defaults" / "mesh.yaml")],
        )
    )
    values = config.values_dict()
    assert values["global"]["hub"] == "registry.istio.io/testing"
    assert values["global"]["tag"] == "latest"
    assert proxy_config_json(config.default_proxy_config()) == "{}"
    assert config.mesh_dict()["defaultProviders"] == {"metrics": ["prometheus"]}


@pytest.mark.skipif(not CASES, reason="conformance corpus not present")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_settings_build(case: Path) -> None:
    config = build_config(_sources(case))
    assert config.native_sidecars_setting == "true"
