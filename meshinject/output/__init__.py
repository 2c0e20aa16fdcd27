"""How a run is shown to people and machines: every renderer of a report lives here.

- `text`: messages, warnings and the summary on stderr (the default `--format`).
- `formats`: `--format github` workflow commands and the `--format json` report.
- `explain`: `meshinject explain`'s table and JSON.
- `progress`: the progress bar on a terminal and the one-line summary.
- `run_report`: a run's report in the chosen `--format`, with fix hints.
- `diff`: what `--diff` prints for one file.
"""
