"""meshinject as a kustomize transformer: the exec plugin and the KRM function.

Two ways kustomize (and kpt) run a transformer that is not built in:

- **exec plugin** (`kubectl kustomize --enable-alpha-plugins`): kustomize looks up an
  executable at `$XDG_CONFIG_HOME/kustomize/plugin/<group>/<version>/<lowercase kind>/<Kind>`
  and runs it with the path of the transformer config as its only argument, the resources
  as a YAML stream on stdin, and the kustomization folder as its working directory (also
  in `KUSTOMIZE_PLUGIN_CONFIG_ROOT`). It reads the transformed stream from stdout.
  See `exec_plugin`.
- **KRM function** (standalone `kustomize build --enable-alpha-plugins --enable-exec`,
  `kpt fn eval --exec`): one `ResourceList` on stdin (`items` plus the `functionConfig`),
  one `ResourceList` on stdout, with `results` for what went wrong. See `krm_function`.

Both read the same config, a `SidecarInjector` (`transformer_config`):

    apiVersion: meshinject.dev/v1
    kind: SidecarInjector
    metadata:
      name: sidecars
    spec:
      values: istio-values.yaml        # one file or a list, like --values
      meshConfig: mesh.yaml            # like --mesh-config
      namespaceLabels: {shop: {istio-injection: enabled}}   # a file, or inline
      revision: canary

Relative file names are relative to the folder of the kustomization (exec plugin) or the
working directory (KRM function). The injection itself is `meshinject.api.inject_text`,
the pipeline `meshinject inject` runs. `install` writes the exec plugin, `commands` is the
`meshinject kustomize-plugin` command group, and `patches` finds kustomize patch files
among the CLI's inputs (they are not workloads).

This package's `__init__` imports nothing, so that `meshinject --help` stays instant.
"""

GROUP = "meshinject.dev"
VERSION = "v1"
API_VERSION = f"{GROUP}/{VERSION}"
KIND = "SidecarInjector"
