#!/bin/sh
# Writes DIR/commit.properties: the commit the build is made from, and its date (the build runs this at generate-resources;
# `vigil --version` prints it, the man pages carry the date). The same commit gives the same file: no build time in it.
# Usage: scripts/build-info.sh DIR REPO
dir="$1"
repo="$2"
mkdir -p "$dir"
commit="$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null)" || commit=""
when=""
if [ -n "$commit" ]; then
  when="$(git -C "$repo" log -1 --format=%cI HEAD 2>/dev/null)"
  git -C "$repo" diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
else
  commit="unknown"
fi
printf '# the commit of this build (scripts/build-info.sh)\ncommit=%s\ncommit.time=%s\n' "$commit" "$when" > "$dir/commit.properties.tmp"
# rewritten only when it changes, so an unchanged commit leaves the jar's inputs as they were
if cmp -s "$dir/commit.properties.tmp" "$dir/commit.properties"; then rm -f "$dir/commit.properties.tmp"; else mv "$dir/commit.properties.tmp" "$dir/commit.properties"; fi
