#!/usr/bin/env bash
# Issue 8's benchmark: the daemon (`./vigil run`, as the launcher starts it, with its JVM options for `run`) consuming ElasticMQ at RATE
# messages/s for SECONDS, ACTING_PERCENT of them making one EC2 call to a local stub. Prints p50/p90/p99 from a batch received
# to its message's first EC2 call sent (and answered), the rate kept up with, and the daemon's resident memory.
# Usage: bench/live-bench.sh [RATE=1000] [SECONDS=90] [ACTING_PERCENT=10]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-1000}"
SECS="${2:-90}"
ACTING="${3:-10}"
./vigil --version >/dev/null                       # builds target/vigil.jar when it is stale
JAVA="$(sed -n 's/^vigil: java: //p' <(VIGIL_SHOW_JAVA=1 ./vigil --version 2>&1) | head -n1)"
[ -n "$JAVA" ] || JAVA="$(ls -d /usr/lib/jvm/*/bin/java | sort -rV | head -n1)"
mvn -B -q -Dstyle.color=never test-compile
CP="$(scripts/test-classpath.sh vigil-daemon)"
PIN=()
# BENCH_PIN=1: the harness (ElasticMQ, the EC2 stub, the sender) on core 0, the daemon on core 1, so that the figures
# are the daemon's and not the harness's contention for the same two cores
if [ -n "${BENCH_PIN:-}" ]; then PIN=(taskset -c 0); export BENCH_DAEMON_CPUS=1; fi
exec "${PIN[@]}" "$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$CP" dev.vigil.bench.LiveBench --rate "$RATE" --seconds "$SECS" --acting-percent "$ACTING" \
  --launcher ./vigil
