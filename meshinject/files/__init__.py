"""Files and streams at the edge: bytes in, bytes out, atomically and only when changed.

The inputs are read and the outputs written here (configuration files are read by
`meshinject.config` and `meshinject.settings_file`). Each file's encoding details (BOM,
CRLF line endings, final newline) are kept, and no half-written file is ever left.

- `paths`: which files the inputs name (folders walked), how they are shown, reading one.
- `encoding`: UTF-8 checks, BOM and CRLF, and putting them back.
- `source`: a file's bytes read once and readable again, and whether it changed meanwhile.
- `documents`: a source's YAML documents, a piece at a time (bounded memory).
- `passthrough`: a file whose documents all pass through, copied as its bytes in one read.
- `sinks`: where one file's output goes while it is produced.
- `atomic`: replacing a file atomically (temporary file, mode, owner, `os.replace`).
- `stdout`: outputs of several files joined into one stream on standard output.
- `write_back` and `file_result`: what happens to a file's result, and the result itself.
"""
