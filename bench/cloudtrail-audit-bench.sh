#!/usr/bin/env bash
# Benchmark of the cloudtrail-audit scenario (issue 7): this scenario's policy alone, as a whole `vigil replay`
# process in a 256 MB heap, against the plain Python 3 tag check (bench/cloudtrail_tag_check.py: gzip + json,
# each file read whole as the original Lambda does) on the same file. Best of RUNS wall-clock times, whole processes.
#
#   bench/cloudtrail-audit-bench.sh [FILE] [RUNS]
# FILE defaults to the spine's synthetic corpus, target/bench/cloudtrail-synthetic.json.gz (1,000,000 records,
# written by `./vigil bench` on its first run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILE="${1:-$ROOT/target/bench/cloudtrail-synthetic.json.gz}"
RUNS="${2:-3}"
PY_RUNS="${PY_RUNS:-$RUNS}"  # the Python script holds the whole file parsed: about 7.5 GB for 1,000,000 records
HEAP="${HEAP:-256m}"
[ -f "$FILE" ] || { echo "no $FILE: run './vigil bench' once to generate the synthetic corpus, or give a file" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/audit.yaml" <<'YAML'
targets:
  security-team: {type: stdout}
policies:
  - name: cloudtrail-audit
    detector: cloudtrail-audit
    responses: {"*": [notify]}
    notify: [security-team]
YAML

"$ROOT/vigil" policy validate "$WORK/audit.yaml" >/dev/null

best() { # best wall time in seconds of $1 runs of the rest
  local n="$1" b="" s e t
  shift
  for _ in $(seq "$n"); do
    s=$(date +%s.%N); "$@"; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

run_vigil() { JAVA_OPTS="-Xmx$HEAP -Dvigil.stats=true" "$ROOT/vigil" replay --policy "$WORK/audit.yaml" --format json "$FILE" > "$WORK/vigil.jsonl" 2> "$WORK/vigil.err"; }
run_python() { /usr/bin/time -f 'python-max-rss-kb=%M' python3 "$ROOT/bench/cloudtrail_tag_check.py" "$FILE" 2> "$WORK/python.err"; }

VIGIL=$(best "$RUNS" run_vigil)
PY=$(best "$PY_RUNS" run_python)
RECORDS=$(sed -n 's/.*records=\([0-9]*\).*/\1/p' "$WORK/python.err")
V_TAGS=$(grep -c '"rule":"ec2-missing-required-tags"' "$WORK/vigil.jsonl" || true)
P_TAGS=$(sed -n 's/.*findings=\([0-9]*\).*/\1/p' "$WORK/python.err")
PY_RSS=$(sed -n 's/.*python-max-rss-kb=\([0-9]*\).*/\1/p' "$WORK/python.err" | tail -n1)
PEAK=$(sed -n 's/.*peak-heap-bytes=\([0-9]*\).*/\1/p' "$WORK/vigil.err" | tail -n1)

echo "file: $FILE ($RECORDS records, $(du -h "$FILE" | cut -f1) compressed)"
printf 'vigil replay, cloudtrail-audit policy (-Xmx%s): %6.2f s  %9.0f records/s  peak heap %s MB\n' "$HEAP" "$VIGIL" \
  "$(echo "$RECORDS / $VIGIL" | bc -l)" "$(echo "${PEAK:-0} / 1048576" | bc)"
printf 'python3 tag check (files read whole):         %6.2f s  %9.0f records/s  max RSS %s MB\n' "$PY" "$(echo "$RECORDS / $PY" | bc -l)" "$(echo "${PY_RSS:-0} / 1024" | bc)"
printf 'ratio python / vigil:                          %6.2fx\n' "$(echo "$PY / $VIGIL" | bc -l)"
echo "ec2-missing-required-tags findings: vigil $V_TAGS, python $P_TAGS"
tail -n1 "$WORK/vigil.jsonl"
