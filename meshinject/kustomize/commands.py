"""`meshinject kustomize-plugin`: install the exec plugin, run as kustomize or kpt would."""

# The command group is registered on every CLI start: the transformer modules are imported
# inside the commands, so that `meshinject --help` stays instant.

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from meshinject.errors import MeshInjectError
from meshinject.kustomize import API_VERSION, KIND


def _settings_help() -> str:
    """One line per setting: its spec key and the flag it mirrors (meshinject.options)."""
    from meshinject.options import settings

    rows = [(s.key, next(f for f in s.flags if f.startswith("--"))) for _, s in settings()]
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"  {key.ljust(width)}  like {flag}" for key, flag in rows)


KUSTOMIZE_HELP = f"""Use meshinject as a kustomize transformer (exec plugin or KRM function).

List a {KIND} config file under `transformers:` in kustomization.yaml; it takes the
same settings as the command line, and those of the project configuration file
(.meshinject.yaml) found from the kustomization's folder, which its spec overrides:

\b
  apiVersion: {API_VERSION}
  kind: {KIND}
  metadata:
    name: sidecars
  spec:
    values: istio-values.yaml         # or a list; like --values
    meshConfig: mesh.yaml             # like --mesh-config
    namespaceLabels: namespaces.yaml  # a file, or inline: {{shop: {{istio-injection: enabled}}}}
    revision: canary

\b
Every spec key:
{_settings_help()}

Relative file names are relative to the kustomization's folder.

\b
Example:
  meshinject kustomize-plugin install
  kubectl kustomize --enable-alpha-plugins overlays/prod
"""


@click.group("kustomize-plugin", help=KUSTOMIZE_HELP)
def kustomize_plugin() -> None:
    """The `meshinject kustomize-plugin` command group (its help is KUSTOMIZE_HELP)."""
    pass


@kustomize_plugin.command("install")
@click.option(
    "--config-home",
    type=click.Path(file_okay=False),
    default=None,
    help="Where kustomize looks for plugins [default: $XDG_CONFIG_HOME or ~/.config].",
)
def install_command(config_home: str | None) -> None:
    """Install the exec plugin where kustomize looks for it.

    That is <config home>/kustomize/plugin/meshinject.dev/v1/sidecarinjector/SidecarInjector.

    The plugin runs this installation of meshinject (this Python), whatever PATH says
    when kustomize runs it. Prints the plugin's path on stdout.

    \b
    Example:
      meshinject kustomize-plugin install
      XDG_CONFIG_HOME=$PWD/.config meshinject kustomize-plugin install
    """
    from meshinject.kustomize.install import default_config_home, install_plugin

    home = Path(config_home) if config_home else default_config_home()
    try:
        target = install_plugin(home)
    except MeshInjectError as exc:
        click.echo(f"error: {exc.render()}", err=True)
        sys.exit(123)
    click.echo(str(target))
    click.echo(
        "installed; run kustomize with plugins enabled: "
        "kubectl kustomize --enable-alpha-plugins DIR",
        err=True,
    )


@kustomize_plugin.command("run")
@click.argument("config", required=False, type=click.Path())
def run_command(config: str | None) -> None:
    """Transform resources: what kustomize and kpt execute.

    With CONFIG (the exec plugin protocol): the SidecarInjector config file, resources as
    a YAML stream on stdin, the injected stream on stdout. Without it (the KRM function
    protocol): a ResourceList on stdin whose functionConfig is the SidecarInjector (or a
    ConfigMap, as `kpt fn eval -- key=value` makes), a ResourceList with results on stdout.
    Exit 1 if anything could not be injected (nothing partial is written).

    \b
    Example:
      meshinject kustomize-plugin run sidecars.yaml < resources.yaml
      kpt fn eval --exec "meshinject kustomize-plugin run" -- revision=canary
    """
    from meshinject.files.encoding import decode
    from meshinject.kustomize.exec_plugin import run_exec_plugin
    from meshinject.kustomize.krm_function import run_krm_function
    from meshinject.kustomize.transformer_file import transformer_file

    try:
        stdin, _, _ = decode(sys.stdin.buffer.read(), "<stdin>")
    except MeshInjectError as exc:
        click.echo(f"meshinject: error: {exc.render()}", err=True)
        sys.exit(1)
    if config:
        root = os.environ.get("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        # kustomize passes a temporary copy of the config: find the file it was copied
        # from among the kustomization's transformers (else name the kustomization).
        source = (
            (transformer_file(Path(root), config) or f"{root} (transformer {KIND})")
            if root
            else config
        )
        outcome = run_exec_plugin(
            config, stdin, base_dir=Path(root) if root else Path.cwd(), source=source
        )
    else:
        outcome = run_krm_function(stdin, base_dir=Path.cwd())
    for message in outcome.messages:
        click.echo(message, err=True)
    sys.stdout.write(outcome.output)
    sys.stdout.flush()
    sys.exit(outcome.exit_code)
