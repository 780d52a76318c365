#!/usr/bin/env bash
# The test that installs vigil (issue 21): unpacks target/dist/vigil-VERSION-linux-x64.tar.gz (scripts/dist.sh) into an
# empty folder and runs it as a machine without a JDK would: `env -i` (no JAVA_HOME, nothing else inherited),
# PATH=/usr/bin:/bin, HOME the empty folder. Then:
#   - bin/vigil replay examples/ --format json gives the same bytes as the repository's ./vigil replay examples/ --format json
#     (nothing is normalised: the JSON Lines hold no run-dependent value);
#   - bin/vigil --help is the same text as ./vigil --help; bin/vigil --version names the same release and commit, and
#     the bundled runtime's Java version;
#   - the JVM that ran is the bundled one: VIGIL_SHOW_JAVA names runtime/bin/java, and --version also runs with a PATH
#     holding only the few tools bin/vigil uses (sh, dirname, readlink, cut, stty), where `command -v java` fails;
#   - then prints the tarball's size, the unpacked sizes, and the cold start: wall and CPU (user+sys) time, median of 5
#     fresh processes, of bin/vigil --help and bin/vigil replay examples/ against the repository's ./vigil (after one
#     untimed run of each, so the launcher's class-data cache in target/ exists, as after a first use, and files are
#     in the page cache). CPU time is the figure that a shared machine disturbs least.
# Exit 0 when all agree, 1 on any difference (printed), 2 when it cannot run (no tarball: run scripts/dist.sh).
# Usage: scripts/install-test.sh [TARBALL]   RUNS (default 5) sets the number of timed runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
TARBALL="${1:-}"
if [ -z "$TARBALL" ]; then
  TARBALL="$(ls "$ROOT"/target/dist/vigil-*-linux-x64.tar.gz 2>/dev/null | head -n1 || true)"
fi
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || { echo "install-test: no tarball (target/dist/vigil-*-linux-x64.tar.gz): run scripts/dist.sh first" >&2; exit 2; }
TARBALL="$(cd "$(dirname "$TARBALL")" && pwd)/$(basename "$TARBALL")"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/vigil-install.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAIL=0
fail() { echo "install-test: FAIL: $*"; FAIL=1; }
ok() { echo "install-test: ok: $*"; }

mkdir "$TMP/home"   # empty: a fresh mktemp folder
tar -xzf "$TARBALL" -C "$TMP/home"
TOP="$(ls "$TMP/home")"
[ "$(echo "$TOP" | wc -l)" = 1 ] || { fail "the tarball has more than one top-level entry: $TOP"; exit 1; }
INST="$TMP/home/$TOP"
echo "install-test: $(basename "$TARBALL") unpacked into $INST"
for f in bin/vigil lib/vigil.jar runtime/bin/java runtime/release examples README.md LICENSE CHANGELOG.md; do
  [ -e "$INST/$f" ] || fail "$f is missing from the tarball"
done
[ "$FAIL" = 0 ] || exit 1

# As on a machine without a JDK: nothing inherited, PATH=/usr/bin:/bin (this machine's /usr/bin/java, if any, is Java 17,
# which cannot run vigil: a wrong pick fails loudly)
clean() { (cd "$INST" && env -i HOME="$TMP/home" PATH=/usr/bin:/bin "$@"); }
# the repository's launcher with the same environment but its own PATH (Maven, should it need to build) and JAVA_HOME
repo() { (cd "$ROOT" && env -i HOME="$HOME" PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} "$@"); }

# which java ran
shown="$(clean env VIGIL_SHOW_JAVA=1 bin/vigil --version 2>&1 >/dev/null | sed -n 's/^vigil: java: //p')"
if [ "$(readlink -f "$shown")" = "$(readlink -f "$INST/runtime/bin/java")" ]; then ok "bin/vigil runs $shown"; else fail "bin/vigil runs '$shown', not runtime/bin/java"; fi
mkdir "$TMP/tools"
for t in sh dirname readlink cut stty; do ln -s "$(command -v "$t")" "$TMP/tools/$t"; done
if (env -i PATH="$TMP/tools" sh -c 'command -v java' >/dev/null 2>&1); then fail "java is on the minimal PATH"; fi
if out="$(cd "$INST" && env -i HOME="$TMP/home" PATH="$TMP/tools" bin/vigil --version 2>&1)"; then
  ok "bin/vigil --version with PATH=$TMP/tools (no java on it): $(echo "$out" | head -n1)"
else
  fail "bin/vigil --version with a PATH without java: $out"
fi

# the examples' findings, byte for byte
clean bin/vigil replay examples/ --format json > "$TMP/installed.json" 2> "$TMP/installed.err" || fail "bin/vigil replay examples/ --format json exited $? ($(head -c 400 "$TMP/installed.err"))"
repo ./vigil replay examples/ --format json > "$TMP/repo.json" 2> "$TMP/repo.err" || fail "./vigil replay examples/ --format json exited $? ($(head -c 400 "$TMP/repo.err"))"
if [ ! -s "$TMP/repo.json" ]; then
  fail "./vigil replay examples/ --format json printed nothing"
elif cmp -s "$TMP/installed.json" "$TMP/repo.json"; then
  ok "replay examples/ --format json: the same $(wc -l < "$TMP/repo.json") lines ($(wc -c < "$TMP/repo.json") bytes, sha256 $(sha256sum < "$TMP/repo.json" | cut -c1-16))"
else
  fail "replay examples/ --format json differs (< installed, > repository):"
  diff "$TMP/installed.json" "$TMP/repo.json" | head -n 20 || true
fi

# --help: the same text
clean bin/vigil --help > "$TMP/installed.help" 2>&1 || fail "bin/vigil --help exited $?"
repo ./vigil --help > "$TMP/repo.help" 2>&1 || fail "./vigil --help exited $?"
if cmp -s "$TMP/installed.help" "$TMP/repo.help" && [ -s "$TMP/repo.help" ]; then
  ok "--help: the same $(wc -l < "$TMP/repo.help") lines"
else
  fail "--help differs (< installed, > repository):"
  diff "$TMP/installed.help" "$TMP/repo.help" | head -n 20 || true
fi

# --version: the same release and commit; the Java line is the bundled runtime's
clean bin/vigil --version > "$TMP/installed.version" 2>&1 || fail "bin/vigil --version exited $?"
repo ./vigil --version > "$TMP/repo.version" 2>&1 || fail "./vigil --version exited $?"
if [ "$(head -n1 "$TMP/installed.version")" = "$(head -n1 "$TMP/repo.version")" ] && grep -q '^vigil [^ ]*, commit ' "$TMP/repo.version"; then
  ok "--version: $(head -n1 "$TMP/installed.version")"
else
  fail "--version differs: '$(head -n1 "$TMP/installed.version")' against '$(head -n1 "$TMP/repo.version")'"
fi
runtime_version="$("$INST/runtime/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p')"
if [ -n "$runtime_version" ] && [ "$(sed -n 2p "$TMP/installed.version")" = "Java $runtime_version" ]; then
  ok "--version runs on the bundled Java $runtime_version"
else
  fail "--version's Java line '$(sed -n 2p "$TMP/installed.version")' is not the bundled runtime's ($runtime_version)"
fi
version="$(head -n1 "$TMP/installed.version" | sed -n 's/^vigil \([^,]*\),.*/\1/p')"
case "$(basename "$TARBALL")" in
  "vigil-$version-linux-x64.tar.gz") ok "the tarball's name carries the version $version" ;;
  *) fail "the tarball $(basename "$TARBALL") does not carry the version $version" ;;
esac

# sizes
kib() { du -sk "$1" | cut -f1; }
echo "size: $(basename "$TARBALL") $(stat -c %s "$TARBALL") bytes ($(awk -v b="$(stat -c %s "$TARBALL")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB);" \
  "unpacked $(kib "$INST") KiB: runtime/ $(kib "$INST/runtime") KiB, lib/ $(kib "$INST/lib") KiB"

# cold start: median of RUNS fresh processes (wall, and user+sys CPU), after one untimed run of each
timed() { # prints "WALL CPU" in seconds for one run of "$@" (output dropped)
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2>&1 | tail -n 1)
  echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
measure() { # LABEL CMD...: prints the median wall and CPU of RUNS runs
  local label="$1" w="" c="" i r
  shift
  "$@" > /dev/null 2>&1 || true
  for i in $(seq "$RUNS"); do
    r="$(timed "$@")"
    w="$w ${r% *}"
    c="$c ${r#* }"
  done
  printf '%-40s wall %s s (runs:%s), CPU %s s\n' "$label" "$(echo "$w" | tr ' ' '\n' | grep . | median)" "$w" "$(echo "$c" | tr ' ' '\n' | grep . | median)"
}
echo "cold start, median of $RUNS (load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, shared with whatever else runs):"
measure "bin/vigil --help" clean bin/vigil --help
measure "./vigil --help (repository launcher)" repo ./vigil --help
measure "bin/vigil replay examples/" clean bin/vigil replay examples/
measure "./vigil replay examples/ (launcher)" repo ./vigil replay examples/
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$FAIL" = 0 ]; then echo "install-test: passed"; else echo "install-test: FAILED"; fi
exit "$FAIL"
