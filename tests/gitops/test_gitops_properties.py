"""Properties over generated real-world-shaped manifest files (see `manifests.py`):

* inject twice == inject once (byte for byte), in both output styles;
* uninject(inject(x)) == x (byte for byte), every edit a splice (no round-trip fallback);
* inject(uninject(inject(x))) == inject(x);
* inject(inject(x, old config), new config) == inject(x, new config);
* every line of x is in inject(x), in order, except rewritten probe lines.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.yamltext import EDIT_PATHS
from tests.gitops.manifests import manifest_files
from tests.gitops.support import UPGRADE, Style, assert_lines_survive, inject, uninject

EXAMPLES = int(os.environ.get("MESHINJECT_GITOPS_EXAMPLES", "60"))
_settings = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
STYLES = st.sampled_from(["istio", "minimal"])


@_settings
@given(manifest_files(), STYLES)
def test_injecting_twice_is_injecting_once(text: str, style: Style) -> None:
    once = inject(text.encode(), style)
    assert inject(once, style) == once


@_settings
@given(manifest_files(), STYLES)
def test_uninject_undoes_inject(text: str, style: Style) -> None:
    fallbacks = EDIT_PATHS["roundtrip"]
    assert uninject(inject(text.encode(), style), style) == text.encode()
    assert EDIT_PATHS["roundtrip"] == fallbacks  # every edit was a splice


@_settings
@given(manifest_files(), STYLES)
def test_injecting_the_uninjected_file_gives_the_same_injection(text: str, style: Style) -> None:
    once = inject(text.encode(), style)
    assert inject(uninject(once, style), style) == once


@_settings
@given(manifest_files(), STYLES)
def test_upgrading_an_injected_file_is_injecting_the_original(text: str, style: Style) -> None:
    old = inject(text.encode(), style)
    assert inject(old, style, UPGRADE) == inject(text.encode(), style, UPGRADE)


@_settings
@given(manifest_files(), STYLES)
def test_the_input_survives_line_for_line(text: str, style: Style) -> None:
    assert_lines_survive(text, inject(text.encode(), style).decode())
