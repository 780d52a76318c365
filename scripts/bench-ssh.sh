#!/usr/bin/env bash
# SSH scenario throughput, side by side with fail2ban-regex (Debian's fail2ban package) on the same log.
#   scripts/bench-ssh.sh [LINES]      (default 2000000; needs a JDK >= 21 and Maven; fail2ban-regex if installed)
# The log is made by dev.vigil.scenario.ssh.bench.ClassifierBench --write: a synthetic /var/log/secure of an
# internet-facing sshd (password guessing, user probing, scanners, key spraying, normal log-ins; 500 persistent
# attackers plus one-off addresses), deterministic (seed 42).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINES="${1:-2000000}"
JAVA=""
for d in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  [ -n "$d" ] && [ -x "$d/bin/java" ] || continue
  v="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$d/bin/java"; break; fi
done
[ -n "$JAVA" ] || { echo "no JDK >= 21 found" >&2; exit 2; }
[ -d "$ROOT/target/classes/dev/vigil/scenario/ssh/bench" ] || mvn -B -q -f "$ROOT/pom.xml" -DskipTests compile
CP="$ROOT/target/classes"
LOG="$(mktemp -d)/auth.log"
"$JAVA" -cp "$CP" dev.vigil.scenario.ssh.bench.ClassifierBench --write "$LOG" --lines "$LINES"
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }'; }
echo "== vigil replay (decode + default policy: all detectors), one cold process, -Xmx256m"
"$ROOT/vigil" policy default > /dev/null   # builds the jar if needed, outside the timing
VIGIL=$(secs env JAVA_OPTS=-Xmx256m "$ROOT/vigil" replay --format json --year 2024 --instance i-0123456789abcdef0 "$LOG")
JAVA_OPTS=-Xmx256m "$ROOT/vigil" replay --format json --year 2024 --instance i-0123456789abcdef0 "$LOG" | tail -n 1
echo "process wall time: ${VIGIL} s ($(awk -v n="$LINES" -v t="$VIGIL" 'BEGIN { printf "%.0f", n / t }') lines/s)"
if command -v fail2ban-regex > /dev/null; then
  echo "== fail2ban-regex $LOG /etc/fail2ban/filter.d/sshd.conf ($(fail2ban-regex --version 2>&1 | head -1))"
  F2B=$(secs fail2ban-regex "$LOG" /etc/fail2ban/filter.d/sshd.conf)
  echo "process wall time: ${F2B} s"
  echo "ratio (fail2ban-regex time / vigil time): $(awk -v a="$F2B" -v b="$VIGIL" 'BEGIN { printf "%.1f", a / b }')"
else
  echo "fail2ban-regex is not installed (Debian: apt-get install fail2ban): no comparison"
fi
echo "== in-memory rounds after warm-up"
"$JAVA" -cp "$CP" dev.vigil.scenario.ssh.bench.ClassifierBench --read "$LOG" --rounds 5
rm -f "$LOG"
