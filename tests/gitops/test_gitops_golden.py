"""The GitOps promise on the golden cases (`tests/cases/*` with an expected file): the
injected file is the user's file plus the sidecar, and running again never churns.

`tests/test_cases.py` (the golden runner) checks the output against `expected.yaml` byte
for byte; these tests add both output styles, uninject, and upgrades.
"""

from __future__ import annotations

import pytest

from tests.gitops.support import (
    CASES,
    GOLDEN,
    UPGRADE,
    Style,
    assert_lines_survive,
    inject,
    rewritten_lines,
    uninject,
)

STYLES: tuple[Style, ...] = ("istio", "minimal")
# The one golden input uninject cannot give back byte for byte: its TCP probe is written in
# flow style (`tcpSocket: {port: 8080}`); injection rewrites it to an httpGet and the
# recording (ISTIO_KUBE_APP_PROBERS) keeps the data, not the layout, so it comes back as
# a block mapping. See `test_a_flow_style_tcp_probe_comes_back_in_block_style`.
NOT_BYTE_EXACT = {"gitops-pod-no-final-newline"}


def source(name: str) -> bytes:
    return (CASES / name / "input.yaml").read_bytes()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", GOLDEN)
def test_every_input_line_is_in_the_output_in_order(name: str, style: Style) -> None:
    text = source(name).decode("utf-8")
    assert_lines_survive(text, inject(source(name), style).decode("utf-8"))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", GOLDEN)
def test_injecting_an_injected_file_changes_nothing(name: str, style: Style) -> None:
    once = inject(source(name), style)
    assert inject(once, style) == once


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", GOLDEN)
def test_upgrading_gives_what_injecting_the_original_gives(name: str, style: Style) -> None:
    old = inject(source(name), style)
    new = inject(source(name), style, UPGRADE)
    assert new != old  # the newer config really changes the sidecar
    assert inject(old, style, UPGRADE) == new


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(set(GOLDEN) - NOT_BYTE_EXACT))
def test_uninject_gives_the_original_back_byte_for_byte(name: str, style: Style) -> None:
    assert uninject(inject(source(name), style), style) == source(name)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", GOLDEN)
def test_injecting_the_uninjected_file_gives_the_same_injection(name: str, style: Style) -> None:
    once = inject(source(name), style)
    assert inject(uninject(once, style), style) == once


def test_a_flow_style_tcp_probe_comes_back_in_block_style() -> None:
    original = source("gitops-pod-no-final-newline")
    back = uninject(inject(original))
    assert back == original.replace(
        b"      tcpSocket: {port: 8080}\n", b"      tcpSocket:\n        port: 8080\n"
    )


def test_minimal_style_adds_no_go_zero_values() -> None:
    injected = inject(source("gitops-statefulset-flow-style"), "minimal").decode()
    istio = inject(source("gitops-statefulset-flow-style"), "istio").decode()
    for noise in ("\nstatus:", "updateStrategy: {}", "creationTimestamp", "strategy: {}"):
        assert noise not in injected
    assert "status:\n  availableReplicas: 0\n  replicas: 0\n" in istio


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    crlf = inject(source("gitops-multidoc-crlf"), "minimal")
    assert crlf.count(b"\n") == crlf.count(b"\r\n")
    assert crlf.endswith(b"...\r\n")
    no_newline = inject(source("gitops-pod-no-final-newline"), "minimal")
    assert no_newline.endswith(b"# no newline at the end of this file")


def test_added_lines_follow_the_documents_indentation() -> None:
    four = inject(source("gitops-helm-four-space"), "minimal").decode()
    assert "\n            -   name: istio-proxy\n                image: " in four
    two = inject(source("gitops-multidoc-crlf"), "minimal").decode()
    assert "\r\n        - name: istio-proxy\r\n          image: " in two


def test_the_line_check_catches_a_lost_comment_and_a_reordered_line() -> None:
    text = "a: 1  # one\nb: 2\nc: 3\n"
    assert_lines_survive(text, "a: 1  # one\nx: 0\nb: 2\nc: 3\n")
    with pytest.raises(AssertionError, match="line 1 lost"):
        assert_lines_survive(text, "a: 1\nb: 2\nc: 3\n")
    with pytest.raises(AssertionError, match="line 3 lost or reordered"):
        assert_lines_survive(text, "a: 1  # one\nc: 3\nb: 2\n")


def test_the_line_check_excuses_only_rewritten_probe_lines() -> None:
    text = source("gitops-helm-four-space").decode()
    lines = text.split("\n")
    skipped = sorted(rewritten_lines(text))
    assert [lines[n].strip() for n in skipped] == [
        "prometheus.io/port: '9102'",
        "tcpSocket:",
        "port: http",
        "httpGet:",
        "path: /healthz/ready",
        "port: http",
        "scheme: HTTP",
    ]
