#!/usr/bin/env bash
# Prints the test class path of one module (its test and main classes, the other modules' classes it depends on, and
# every library), compiling what is needed: the bench scripts run their harnesses with it.
# Usage: scripts/test-classpath.sh MODULE   (e.g. vigil-daemon)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$1"
OUT="$ROOT/$MODULE/target/test.classpath"
mvn -B -q -Dstyle.color=never -f "$ROOT/pom.xml" -pl "$MODULE" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT" >&2
echo "$ROOT/$MODULE/target/test-classes:$ROOT/$MODULE/target/classes:$(cat "$OUT")"
