#!/usr/bin/env bash
# The Lambda deployment package (issue 21): target/dist/vigil-lambda-<version>.zip, in Lambda's Java layout: vigil's
# classes at the root, its dependencies as jars in lib/ (the java21 runtime puts /var/task and /var/task/lib/*.jar on
# the class path). Only what the handlers (dev.vigil.lambda) load: no dev/vigil/cli, no SQLite migrations, and lib/
# without picocli, sqlite-jdbc, flyway, CloudFormation and the Apache HTTP client (the list is the `lambda-lib`
# execution of the maven-dependency-plugin in pom.xml). LambdaZipTest loads every handler of the template from the
# zip alone. Reproducible: entries in byte order of their names, every entry stamped with the pom's
# project.build.outputTimestamp, no directory entries, the jars of lib/ as the registry serves them.
# Usage: scripts/lambda-zip.sh [--if-stale]        (MVN_ARGS adds to Maven's arguments, e.g. MVN_ARGS=-o)
#   --if-stale  keeps the zip, with no Maven run, when what it was made from is unchanged: the digest of the packed
#               modules' sources, classes (target/classes) and poms, the root pom, this script, scripts/SdkTrim.java
#               and the JDK equals the one target/lambda/inputs.sha256 kept when the zip was built (contents, not
#               times: a reactor `mvn package` compiles modules again into the same bytes). Meant for a caller that
#               has just built the classes: dist.sh passes it, so .ci/run, which builds the zip before the tests
#               (LambdaZipTest loads the handlers from it), does not build it again. A kept zip is touched, so it is
#               not older than the classes it holds.
# Prints the zip's path, its size and its unpacked size (kept: its path, its size and that it was kept).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MODULES=(vigil-core vigil-scenarios vigil-aws vigil-notify vigil-live vigil-lambda)
DIGEST=target/lambda/inputs.sha256
if_stale=""
case "${1:-}" in
  "") ;;
  --if-stale) if_stale=1 ;;
  *) echo "usage: scripts/lambda-zip.sh [--if-stale]" >&2; exit 2 ;;
esac
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jar" ] || {
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do [ -x "$d/bin/jar" ] && { export JAVA_HOME="${d%/}"; break; }; done
}
JAR="$JAVA_HOME/bin/jar"

# The digest of everything the zip is made from (paths and contents, in byte order), with the zip's name
inputs() {
  local files=(pom.xml scripts/lambda-zip.sh scripts/SdkTrim.java)
  [ -f "$JAVA_HOME/release" ] && files+=("$JAVA_HOME/release")
  for m in "${MODULES[@]}"; do files+=("$m/pom.xml" "$m/src/main" "$m/target/classes"); done
  echo "$1"
  find "${files[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
if [ -n "$if_stale" ]; then
  version="$(sed -n 's/^version=//p' vigil-core/target/classes/dev/vigil/version.properties 2>/dev/null || true)"
  zip="target/dist/vigil-lambda-$version.zip"
  if [ -n "$version" ] && [ -f "$zip" ] && [ -f "$DIGEST" ] && [ "$(inputs "$zip" 2>/dev/null)" = "$(cat "$DIGEST")" ]; then
    touch "$zip"
    echo "$zip: $(stat -c %s "$zip") bytes zipped, kept: its sources, classes, poms, scripts and JDK are unchanged"
    exit 0
  fi
fi
rm -f "$DIGEST" # kept only beside the zip it describes
# lib/ afresh: a jar an earlier build copied and this one does not is not packed
rm -rf vigil-lambda/target/lambda/lib
# shellcheck disable=SC2086
mvn -B -q -Dstyle.color=never ${MVN_ARGS:-} -pl vigil-lambda -am test-compile dependency:copy-dependencies@lambda-lib >&2

version="$(sed -n 's/^version=//p' vigil-core/target/classes/dev/vigil/version.properties)"
[ -n "$version" ] && [ "${version#\$}" = "$version" ] || { echo "lambda-zip: no version in vigil-core/target/classes/dev/vigil/version.properties" >&2; exit 1; }
stamp="$(sed -n 's:.*<project.build.outputTimestamp>\(.*\)</project.build.outputTimestamp>.*:\1:p' pom.xml | head -n1)"
stamp="${stamp:-2026-01-01T00:00:00Z}"

stage=target/lambda/stage
rm -rf "$stage"
mkdir -p "$stage/lib" target/dist
# the classes of the modules the handlers depend on (vigil-lambda and below: no CLI, no daemon, no SQLite store)
for m in "${MODULES[@]}"; do cp -R "$m/target/classes/." "$stage/"; done
# the CLI, and the daemon's SQLite store with its Flyway migrations: Lambda keeps its state in DynamoDB
rm -rf "$stage/dev/vigil/cli" "$stage/db"
rm -f "$stage"/dev/vigil/store/SqliteStore.class "$stage"/dev/vigil/store/SqliteStore\$*.class
cp vigil-lambda/target/lambda/lib/*.jar "$stage/lib/"
# the SDK's service jars without the operations vigil never calls (EC2's is 26 MB otherwise): scripts/SdkTrim.java
"$JAVA_HOME/bin/java" scripts/SdkTrim.java "$stage/dev" "$stage/lib"
zip="target/dist/vigil-lambda-$version.zip"
rm -f "$zip"
made_of="$(inputs "$zip")" # the classes as Maven left them, before the zip is made of them
(cd "$stage" && find . -type f | sed 's:^\./::' | LC_ALL=C sort > ../entries.txt)
(cd "$stage" && "$JAR" --create --file "../../../$zip" --no-manifest --date="$stamp" @../entries.txt)

bytes="$(stat -c %s "$zip")"
unpacked="$(du -sb "$stage" | cut -f1)"
entries="$(wc -l < target/lambda/entries.txt)"
echo "$zip: $bytes bytes zipped ($(( bytes / 1000000 )) MB), $unpacked bytes unpacked ($(( unpacked / 1000000 )) MB), $entries entries"
if [ "$bytes" -ge 50000000 ]; then echo "lambda-zip: $zip is over Lambda's 50 MB direct-upload limit" >&2; exit 1; fi
if [ "$unpacked" -ge 250000000 ]; then echo "lambda-zip: $zip unpacks to over Lambda's 250 MB limit" >&2; exit 1; fi
printf '%s\n' "$made_of" > "$DIGEST"
