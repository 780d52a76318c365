#!/usr/bin/env bash
# Issue 9's and 21's cold-start figure: a Lambda handler (default dev.vigil.lambda.EventsHandler) from JVM start to
# ready for its first event, and to that event answered, in a fresh JVM per run, median of RUNS (after one warm-up
# run), with the production wiring (DynamoStore on moto's DynamoDB, Scheduler timers, AWS clients, notifiers) built
# from the environment the SAM template sets. Measured twice in the same run: from the slim Lambda zip
# (scripts/lambda-zip.sh, unpacked; its root and lib/*.jar on the class path, as Lambda's java21 runtime loads it)
# and from the fat jar target/vigil.jar, each with the JVM's default JIT and with -XX:TieredStopAtLevel=1.
# Usage: bench/lambda-cold-start.sh [RUNS=5] [HANDLER_CLASS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
HANDLER="${2:-dev.vigil.lambda.EventsHandler}"
./vigil --version >/dev/null                       # builds target/vigil.jar when it is stale
JAVA="$(sed -n 's/^vigil: java: //p' <(VIGIL_SHOW_JAVA=1 ./vigil --version 2>&1) | head -n1)"
[ -n "$JAVA" ] || JAVA="$(ls -d /usr/lib/jvm/*/bin/java | sort -rV | head -n1)"
ZIP="$(scripts/lambda-zip.sh | tail -n1 | cut -d: -f1)"
TASK=target/lambda/bench-task
rm -rf "$TASK" && mkdir -p "$TASK" && (cd "$TASK" && "$(dirname "$JAVA")/jar" xf "../../../$ZIP")
mvn -B -q -Dstyle.color=never ${MVN_ARGS:-} test-compile
CP="$(scripts/test-classpath.sh vigil-lambda)"
"$JAVA" -version 2>&1 | head -n1
echo "== slim zip $ZIP"
"$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$CP" dev.vigil.bench.LambdaColdStart \
  --runs "$RUNS" --handler "$HANDLER" --java "$JAVA" --task "$TASK"
echo "== fat jar target/vigil.jar"
"$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$CP" dev.vigil.bench.LambdaColdStart \
  --runs "$RUNS" --handler "$HANDLER" --java "$JAVA" --jar target/vigil.jar
