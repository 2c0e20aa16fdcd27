"""Istio's own kube-inject goldens (../shared/conformance), run through the real CLI.

The corpus lives beside the project (not in it); the test is skipped where it is absent.
It asserts a floor on the pass count so a regression in Istio parity fails CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "conformance"
MINIMUM_PASSING = 68


@pytest.mark.skipif(not (CORPUS / "run_corpus.py").exists(), reason="conformance corpus absent")
def test_istio_conformance_corpus() -> None:
    exe = Path(sys.executable).with_name("meshinject")
    env = dict(os.environ, MESHINJECT=str(exe))
    proc = subprocess.run(
        [
            sys.executable,
            str(CORPUS / "run_corpus.py"),
            "--cmd",
            f"{CORPUS / 'run-case'} {{case_dir}}",
            "--strict-errors",
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    last = proc.stdout.strip().splitlines()[-1]
    passed = int(last.split()[0])
    assert passed >= MINIMUM_PASSING, proc.stdout
