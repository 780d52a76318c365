#!/usr/bin/env bash
# The release artifacts (issue 21), under target/dist/:
#   vigil-VERSION.jar                  the CLI (the shaded jar: java -jar, needs a Java 21 or newer)
#   vigil-VERSION-linux-x64.tar.gz     vigil-VERSION/{bin/vigil, lib/vigil.jar, runtime/, examples/, man/man1/,
#                                      README.md, LICENSE, CHANGELOG.md}: runtime/ is a jlink image of only the JDK
#                                      modules vigil uses, so `tar xzf` then `bin/vigil replay ...` needs no JDK at all
#   vigil-lambda-VERSION.zip           when scripts/lambda-zip.sh exists (called with --if-stale: a zip made from the
#                                      same sources, classes, poms and scripts, as .ci/run builds it before the tests,
#                                      is kept)
# Usage: scripts/dist.sh   (also `./vigil dist`). Non-interactive. Environment:
#   MVN_ARGS       added to Maven's arguments (e.g. MVN_ARGS=-o offline); default none
#   VIGIL_DIST_NO_BUILD=1  use target/vigil.jar and target/classes as they are (no `mvn package`)
#   SOURCE_DATE_EPOCH      the time of every tarball entry; default the pom's project.build.outputTimestamp
# The tarball is reproducible: entries sorted by name, one fixed time, owner and group 0, modes u+rwX,go+rX (u,go-w),
# gzip without name or time; the jlink image and the class-data archive are the same for the same jar and JDK.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="$ROOT/target/dist"
WORK="$ROOT/target/dist-work"

say() { echo "dist: $*" >&2; }
die() { echo "dist: $*" >&2; exit 2; }

# A JDK >= 21 with jlink and jdeps: JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
major() { sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1; }
JDK=""
for d in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  d="${d%/}"
  [ -n "$d" ] && [ -x "$d/bin/jlink" ] && [ -x "$d/bin/jdeps" ] || continue
  v="$(major "$d")"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JDK="$d"; break; fi
done
[ -n "$JDK" ] || die "no JDK 21 or newer with jlink found (looked at JAVA_HOME and /usr/lib/jvm/*); set JAVA_HOME to one"
export JAVA_HOME="$JDK"
JDK_MAJOR="$(major "$JDK")"
say "JDK $JDK (Java $JDK_MAJOR)"

# 1. The jar, and the runtime class path (for jdeps: it cannot read the shaded jar).
command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is required"
# shellcheck disable=SC2086 # MVN_ARGS is a list of words
if [ -z "${VIGIL_DIST_NO_BUILD:-}" ]; then
  say "mvn -B ${MVN_ARGS:-} -DskipTests package"
  mvn -B ${MVN_ARGS:-} -q -Dstyle.color=never -DskipTests package >&2 || die "mvn package failed"
fi
[ -f target/vigil.jar ] || die "target/vigil.jar is missing (run without VIGIL_DIST_NO_BUILD)"
VERSION="$(sed -n 's/^version=//p' vigil-core/target/classes/dev/vigil/version.properties)"
[ -n "$VERSION" ] || die "no version in vigil-core/target/classes/dev/vigil/version.properties"
rm -rf "$WORK" && mkdir -p "$WORK" "$DIST"
# shellcheck disable=SC2086
# the CLI module's, with the other modules as their classes folders (each module of the reactor writes it; vigil-cli is last)
mvn -B ${MVN_ARGS:-} -q -Dstyle.color=never -pl vigil-cli -am test-compile org.codehaus.mojo:exec-maven-plugin:3.6.4:exec -Dexec.executable=sh \
  -Dexec.args="-c 'printf %s \"\$0\" > \"$WORK/classpath.txt\"' %classpath" >&2 || die "could not get the class path from Maven"
DEPS="$(cut -d: -f2- "$WORK/classpath.txt")"   # the first entry is vigil-cli/target/classes

# 2. The JDK modules: what jdeps finds in vigil's classes and every dependency jar, and what they load by name
# (ServiceLoader, reflection, the TLS and zip providers) that no static analysis sees.
# shellcheck disable=SC2086 # the jars are one word each
FOUND="$("$JDK/bin/jdeps" --multi-release "$JDK_MAJOR" --ignore-missing-deps --print-module-deps \
  --class-path "$DEPS" vigil-cli/target/classes $(echo "$DEPS" | tr ':' ' ') 2>"$WORK/jdeps.err" | tail -n 1)" \
  || { cat "$WORK/jdeps.err" >&2; die "jdeps failed"; }
case "$FOUND" in java.base*) ;; *) cat "$WORK/jdeps.err" >&2; die "jdeps printed no module list: $FOUND" ;; esac
BY_NAME="jdk.crypto.ec,jdk.zipfs,jdk.unsupported,java.naming,java.sql,java.management,jdk.management,jdk.httpserver,java.net.http,jdk.jfr,java.xml,java.logging"
MODULES="$(echo "$FOUND,$BY_NAME" | tr ',' '\n' | while read -r m; do
  "$JDK/bin/java" --list-modules | grep -q "^$m@" && echo "$m"; done | sort -u | paste -sd, -)"
say "jdeps: $FOUND"
say "modules: $MODULES"

# 3. The tree.
NAME="vigil-$VERSION"
TREE="$WORK/$NAME"
mkdir -p "$TREE/bin" "$TREE/lib"
# no --generate-cds-archive: lib/vigil.jsa below holds the JDK classes vigil loads too (its two archives, with and
# without compressed pointers, are 29 MB unpacked)
JLINK_ARGS=(--add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-6)
say "jlink ${JLINK_ARGS[*]}"
"$JDK/bin/jlink" "${JLINK_ARGS[@]}" --output "$TREE/runtime" > "$WORK/jlink.log" 2>&1 || { cat "$WORK/jlink.log" >&2; die "jlink failed"; }
cp target/vigil.jar "$TREE/lib/vigil.jar"
cp src/dist/bin/vigil "$TREE/bin/vigil"
chmod 755 "$TREE/bin/vigil"
cp -R examples "$TREE/examples"
cp README.md LICENSE CHANGELOG.md "$TREE/"
if [ -d target/man/man1 ]; then mkdir -p "$TREE/man" && cp -R target/man/man1 "$TREE/man/man1"; fi

# 4. A class-data archive (CDS) of the classes vigil loads, lib/vigil.jsa: the first run after unpacking starts as
# fast as the launcher's runs do with the cache it makes in target/. The classes are those that bin/vigil --help,
# --version and replays of the examples load (the runtime's -XX:DumpLoadedClassList); the list is made the same for the
# same jar (sorted, numbered again; no resolved constant-pool entries, which depend on timing), so the archive a static
# dump makes of it is byte-identical from build to build. The JVM checks the jar's size and time against it: the tree
# gets the tarball's fixed time first.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  STAMP="$(sed -n 's:.*<project.build.outputTimestamp>\(.*\)</project.build.outputTimestamp>.*:\1:p' pom.xml | head -n1)"
  [ -n "$STAMP" ] || die "no project.build.outputTimestamp in pom.xml and no SOURCE_DATE_EPOCH"
  SOURCE_DATE_EPOCH="$(date -u -d "$STAMP" +%s)"
fi
find "$TREE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
say "class-data archive: the classes of bin/vigil --help, --version, replay examples/"
n=0
for args in "--help" "--version" "replay examples" "replay examples --format json"; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # args is a list of words
  (cd "$TREE" && env -i HOME="$WORK" PATH=/usr/bin:/bin JAVA_OPTS="-XX:DumpLoadedClassList=$WORK/classes-$n.txt" \
    bin/vigil $args > "$WORK/training.log" 2>&1) || { tail -n 20 "$WORK/training.log" >&2; die "bin/vigil $args failed"; }
done
{
  cat "$WORK"/classes-*.txt | grep -v '^#' | grep -v '^@' | awk '{ print $1 }' | sort -u | awk '{ print $1 " id: " NR - 1 }'
  cat "$WORK"/classes-*.txt | grep '^@lambda-form-invoker' | sort -u
  cat "$WORK"/classes-*.txt | grep '^@lambda-proxy' | sort -u
} > "$WORK/classlist"
# from the tree, with the jar's relative path: the archive records the class path as given, so an absolute one would
# make it depend on the build's folder (the JVM finds the jar again from the path it is run with)
(cd "$TREE" && runtime/bin/java -Xshare:dump -XX:SharedClassListFile="$WORK/classlist" -XX:SharedArchiveFile=lib/vigil.jsa \
  -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -jar lib/vigil.jar \
  > "$WORK/cds-dump.log" 2>&1) || { tail -n 20 "$WORK/cds-dump.log" >&2; die "the class-data dump failed"; }
touch -d "@$SOURCE_DATE_EPOCH" "$TREE/lib/vigil.jsa"

# 5. The tarball and the jar.
TARBALL="$DIST/$NAME-linux-x64.tar.gz"
tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --mode='u+rwX,go+rX,go-w' -C "$WORK" -cf - "$NAME" | gzip -n -9 > "$TARBALL.tmp"
mv "$TARBALL.tmp" "$TARBALL"
cp target/vigil.jar "$DIST/$NAME.jar"
touch -d "@$SOURCE_DATE_EPOCH" "$DIST/$NAME.jar"

# 6. The Lambda package, when its script exists (issue 21's other half): built once per change, kept when up to date.
if [ -x scripts/lambda-zip.sh ]; then
  say "scripts/lambda-zip.sh --if-stale"
  scripts/lambda-zip.sh --if-stale >&2 || die "scripts/lambda-zip.sh failed"
else
  say "scripts/lambda-zip.sh is absent: no Lambda zip"
fi

kb() { du -sk "$1" | cut -f1; }
echo "runtime modules: $MODULES"
echo "unpacked: $NAME/ $(kb "$TREE") KiB (runtime/ $(kb "$TREE/runtime") KiB, lib/vigil.jar $(kb "$TREE/lib/vigil.jar") KiB, lib/vigil.jsa $(kb "$TREE/lib/vigil.jsa") KiB)"
for f in "$DIST"/*; do
  echo "$(basename "$f"): $(stat -c %s "$f") bytes, sha256 $(sha256sum < "$f" | cut -d' ' -f1)"
done
