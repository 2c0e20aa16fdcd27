"""What the user asked for: the config files and `--set` flags, in command-line order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigSources:
    """Inputs of `build_config`. Each list is applied in order; later entries win."""

    values_files: tuple[str, ...] | list[str] = ()
    mesh_config_files: tuple[str, ...] | list[str] = ()
    iop_files: tuple[str, ...] | list[str] = ()
    inject_config_files: tuple[str, ...] | list[str] = ()
    set_args: tuple[str, ...] | list[str] = ()
    revision: str = ""
