"""Start-up stays light: what a run imports is checked here, without timing anything.

`meshinject --version` loads none of the libraries that parse, validate, render or print
(pydantic, ruamel.yaml, Jinja, rich); a one-Deployment run with a warm start-up cache
(meshinject/cache.py) loads what it injects with (ruamel.yaml's parser, Jinja) but no
pydantic model, no config builder, no rich, no process pool and no Go template
interpreter. The fast paths these rely on give the same bytes as the slow ones: see the
property tests below and tests/test_cache.py.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from meshinject.options import RunOptions
from meshinject.output.text import LazyConsole, escape, is_plain
from meshinject.request import RevisionSettings, build_request

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Runs the command line in this interpreter and prints the modules it loaded.
_SHOW_MODULES = """
import sys
from meshinject.cli import main
sys.argv = ["meshinject", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.__stderr__.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""


def loaded_modules(*args: str, cache_home: Path | None) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "MESHINJECT_NO_CACHE"}
    if cache_home is None:
        env["MESHINJECT_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = str(cache_home)
    done = subprocess.run(
        [sys.executable, "-c", _SHOW_MODULES, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = done.stderr.rpartition("\nMODULES ")[2]
    assert line, done.stderr
    return set(line.split())


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


HEAVY = {"pydantic", "pydantic_core", "ruamel", "_ruamel_yaml", "jinja2", "rich"}


def test_version_and_help_import_no_parser_validator_renderer_or_printer(
    tmp_path: Path,
) -> None:
    for flag in ("--version", "--help"):
        modules = loaded_modules(flag, cache_home=tmp_path)
        assert not packages(modules) & HEAVY, flag
        assert not {m for m in modules if m.startswith("meshinject.config.")}, flag


def test_a_one_deployment_run_with_a_warm_cache_builds_no_model_and_loads_no_rich(
    tmp_path: Path,
) -> None:
    args = ("-f", str(EXAMPLES / "deployment.yaml"))
    cold = loaded_modules(*args, cache_home=tmp_path)
    assert "pydantic" in cold  # the first run validates the configuration, then keeps it
    warm = loaded_modules(*args, cache_home=tmp_path)
    assert not packages(warm) & {"pydantic", "pydantic_core", "rich"}
    not_needed = {
        "meshinject.config.build",  # the cached request replaces building the config
        "meshinject.config.values_model",
        "meshinject.gotemplate.engine",  # built-in templates are Jinja
        "multiprocessing",  # one small file runs in this process
        "concurrent.futures",
    }
    assert not warm & not_needed


def test_a_request_loaded_from_a_pickle_injects_every_revision_as_the_original() -> None:
    request = build_request(
        RunOptions(set_args=("global.tag=1.2.3",), revision="canary", tags=("prod=canary",))
    )
    settings_for = request.settings_for_revision
    assert isinstance(settings_for, RevisionSettings)
    copy = pickle.loads(pickle.dumps(request))
    assert copy.settings == request.settings
    assert copy.policy == request.policy
    for revision in ("canary", "prod", "default", "unknown", ""):
        assert copy.settings_for_revision(revision) == settings_for(revision), revision
    assert copy.settings_for_revision.configs.keys() == settings_for.configs.keys()
    assert copy.settings_for_revision.fallback == settings_for.fallback


def rich_print(text: str) -> str:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, highlight=False, soft_wrap=True)
    console.print(text)
    return out.getvalue()


PLAIN_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in ":[")


@given(st.text(alphabet=PLAIN_CHARACTERS, max_size=200))
def test_a_plain_line_is_written_as_rich_would_write_it(text: str) -> None:
    assert is_plain(text)
    console = LazyConsole()
    stderr, sys.stderr = sys.stderr, io.StringIO()
    try:
        console.print(text)
        written = sys.stderr.getvalue()
    finally:
        sys.stderr = stderr
    assert written == rich_print(text)
    assert console._real is None  # rich was not needed


@given(st.text(max_size=40))
def test_escape_gives_what_rich_markup_escape_gives(text: str) -> None:
    from rich.markup import escape as rich_escape

    from meshinject.errors import escape_controls

    assert escape(text) == rich_escape(escape_controls(text))


@given(st.text(max_size=20), st.characters(exclude_characters=PLAIN_CHARACTERS))
def test_a_line_with_any_other_character_goes_through_rich(text: str, other: str) -> None:
    assert not is_plain(text + other + text)


def test_the_summary_line_of_a_run_is_plain() -> None:
    assert is_plain("1 workload injected, 0 skipped, 1 document passed through")
    assert not is_plain("[red]error[/red]")
    assert not is_plain("a :smile: face")
    assert not is_plain("tab\there")
    assert not is_plain("café")
