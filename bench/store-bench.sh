#!/usr/bin/env bash
# Issue 18's benchmark, on moto's server (started here on a free loopback port, stopped at the end): claims per second
# and p99 claim latency for 1, 2 and 4 daemons on one queue, per store (SQLite, DynamoDB); and the DynamoDB write
# request units one event costs, counted from the requests `vigil run --store dynamodb://TABLE` sends.
# Usage: bench/store-bench.sh [CLAIMS_PER_RUN=2000] [EVENTS=200]
set -euo pipefail
cd "$(dirname "$0")/.."
./vigil --version >/dev/null                       # builds target/vigil.jar when it is stale (and finds the JDK)
JAVA="$(ls -d /usr/lib/jvm/*/bin/java | sort -rV | head -n1)"
mvn -B -q -Dstyle.color=never test-compile
CP="$(scripts/test-classpath.sh vigil-daemon)"
exec "$JAVA" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -cp "$CP" \
  dev.vigil.bench.StoreBench "${1:-2000}" "${2:-200}"
