#!/usr/bin/env bash
# Two builds of one commit give byte-identical jars (issue 21): clones the commit twice into fresh folders (different
# paths, no target/ from before), runs `mvn -B -o -q package -DskipTests` in each, and compares the sha256 of
# target/vigil.jar (the CLI) and every module's jar. Exit 0 when both are identical, 1 (with the entries that differ) if not.
# Usage: scripts/check-reproducible.sh [COMMIT]   (default: HEAD; uncommitted changes are not built)
# Takes two full builds (3-4 minutes on 2 cores); MVN_ARGS adds to Maven's arguments (e.g. MVN_ARGS= to go online).
# DIST=1 also runs scripts/dist.sh in each clone and compares every file of target/dist/ (the tarball: 2 minutes more each).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMIT="$(git -C "$ROOT" rev-parse "${1:-HEAD}")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-repro.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
MVN_ARGS="${MVN_ARGS--o}"
echo "commit $COMMIT, builds in $WORK"
for n in 1 2; do
  git clone -q --no-checkout "$ROOT" "$WORK/build-$n"
  git -C "$WORK/build-$n" checkout -q "$COMMIT"
  start=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$WORK/build-$n" && mvn -B $MVN_ARGS -q -Dstyle.color=never package -DskipTests > "$WORK/build-$n.log" 2>&1) \
    || { tail -n 30 "$WORK/build-$n.log" >&2; echo "build $n failed" >&2; exit 2; }
  echo "build $n: $(( $(date +%s) - start )) s"
done
if [ -n "${DIST:-}" ]; then
  for n in 1 2; do
    start=$(date +%s)
    (cd "$WORK/build-$n" && VIGIL_DIST_NO_BUILD=1 MVN_ARGS="$MVN_ARGS" scripts/dist.sh > "$WORK/dist-$n.log" 2>&1) \
      || { tail -n 30 "$WORK/dist-$n.log" >&2; echo "dist $n failed" >&2; exit 2; }
    echo "dist $n: $(( $(date +%s) - start )) s"
  done
fi
rc=0
if [ -n "${DIST:-}" ]; then
  for f in "$WORK"/build-1/target/dist/*; do
    name="$(basename "$f")"
    a="$(sha256sum < "$f" | cut -d' ' -f1)"
    b="$(sha256sum < "$WORK/build-2/target/dist/$name" 2>/dev/null | cut -d' ' -f1)"
    if [ "$a" = "$b" ]; then
      echo "dist/$name: identical, sha256 $a ($(stat -c %s "$f") bytes)"
    else
      echo "dist/$name: DIFFERENT: $a vs ${b:-absent}"
      case "$name" in *.tar.gz) # the entries whose content differs
        diff <(tar -xzOf "$f" --to-command='echo "$TAR_FILENAME $(sha256sum | cut -c1-16)"' | sort) \
             <(tar -xzOf "$WORK/build-2/target/dist/$name" --to-command='echo "$TAR_FILENAME $(sha256sum | cut -c1-16)"' | sort) | head -n 20 || true ;;
      esac
      rc=1
    fi
  done
fi
for jar in target/vigil.jar $(cd "$WORK/build-1" && ls vigil-*/target/vigil-*.jar); do
  a="$(sha256sum < "$WORK/build-1/$jar" | cut -d' ' -f1)"
  b="$(sha256sum < "$WORK/build-2/$jar" | cut -d' ' -f1)"
  if [ "$a" = "$b" ]; then
    echo "$jar: identical, sha256 $a ($(stat -c %s "$WORK/build-1/$jar") bytes)"
  else
    echo "$jar: DIFFERENT: $a vs $b"
    # the entries whose CRC, size or time differ
    diff <(unzip -v "$WORK/build-1/$jar" | awk 'NR>3 {print $8, $7, $1, $5, $6}' | sort) \
         <(unzip -v "$WORK/build-2/$jar" | awk 'NR>3 {print $8, $7, $1, $5, $6}' | sort) | head -n 40 || true
    rc=1
  fi
done
exit $rc
