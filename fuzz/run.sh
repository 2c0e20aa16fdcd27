#!/bin/sh
# Run the atheris harness for SECONDS (default 600), restarting after each finding so one
# crash does not end the run; findings land in fuzz/artifacts/. Used by `nox -s fuzz`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-600}
python=${PYTHON:-python}
corpus=${CORPUS:-$here/corpus}
mkdir -p "$corpus" "$here/artifacts"
cp -n "$here"/seeds/* "$corpus"/ 2>/dev/null || true
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
    left=$(( end - $(date +%s) ))
    "$python" "$here/fuzz_inject.py" "$corpus" -dict="$here/yaml.dict" -max_len=4096 \
        -timeout=10 -rss_limit_mb=2048 -max_total_time="$left" -print_final_stats=1 \
        -artifact_prefix="$here/artifacts/"
done
