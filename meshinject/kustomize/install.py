"""Installing the exec plugin where kustomize looks it up."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from meshinject.errors import InputError, Location
from meshinject.kustomize import GROUP, KIND, VERSION


def plugin_dir(config_home: Path) -> Path:
    """The folder kustomize looks in for the SidecarInjector exec plugin under `config_home`."""
    return config_home / "kustomize" / "plugin" / GROUP / VERSION / KIND.lower()


def default_config_home() -> Path:
    """`$XDG_CONFIG_HOME`, else `~/.config` (where kustomize looks for plugins)."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return Path(xdg) if xdg else Path.home() / ".config"


def plugin_script(python: str = sys.executable) -> str:
    """The executable kustomize runs: this Python's meshinject, whatever PATH says."""
    return (
        "#!/bin/sh\n"
        "# kustomize transformer plugin for meshinject.dev/v1 SidecarInjector.\n"
        "# Written by `meshinject kustomize-plugin install`; re-run it after moving meshinject.\n"
        f'exec {shlex.quote(python)} -I -m meshinject kustomize-plugin run "$@"\n'
    )


def install_plugin(config_home: Path, python: str = sys.executable) -> Path:
    """Write the exec plugin where kustomize looks it up; returns its path."""
    target = plugin_dir(config_home) / KIND
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{KIND}.tmp")
        tmp.write_text(plugin_script(python), encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(target)
    except OSError as exc:
        raise InputError(
            f"cannot install the plugin: {exc.strerror}", Location(str(target))
        ) from None
    return target
