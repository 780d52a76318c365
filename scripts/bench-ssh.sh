#!/usr/bin/env bash
# SSH scenario throughput, side by side with fail2ban-regex (Debian's fail2ban), SSHGuard's pipeline (Debian's
# sshguard: sshg-parser | sshg-blocker | sshg-fw-null) and CrowdSec replaying a slice (Debian's crowdsec, offline,
# scripts/crowdsec-replay.sh) on the same log. The machine's load (uptime) is printed before and after: the ratios
# are only meaningful within one run. Wall and CPU (user+sys) time are both given: vigil spreads its work over two
# cores (a reading thread, the JIT), fail2ban-regex is one process, so on a quiet machine the wall ratio is the target's.
# SSHG_LIMIT (default 600) stops SSHGuard's pipeline after that many seconds (its blocker may not finish this log).
#   scripts/bench-ssh.sh [LINES] [CROWDSEC_LINES]   (defaults 2000000 and 100000; needs a JDK >= 21 and Maven;
#                                                    each peer is skipped, with a message, when not installed)
# The log is made by dev.vigil.scenario.ssh.bench.ClassifierBench --write: a synthetic /var/log/secure of an
# internet-facing sshd (password guessing, user probing, scanners, key spraying, normal log-ins; 500 persistent
# attackers plus one-off addresses), deterministic (seed 42).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINES="${1:-2000000}"
CS_LINES="${2:-100000}"
JAVA=""
for d in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  [ -n "$d" ] && [ -x "$d/bin/java" ] || continue
  v="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$d/bin/java"; break; fi
done
[ -n "$JAVA" ] || { echo "no JDK >= 21 found" >&2; exit 2; }
[ -d "$ROOT/vigil-scenarios/target/classes/dev/vigil/scenario/ssh/bench" ] || mvn -B -q -f "$ROOT/pom.xml" -DskipTests compile
CP="$ROOT/vigil-scenarios/target/classes:$ROOT/vigil-core/target/classes"
LOG="$(mktemp -d)/auth.log"
"$JAVA" -cp "$CP" dev.vigil.scenario.ssh.bench.ClassifierBench --write "$LOG" --lines "$LINES"
# timed CMD...: runs it (output dropped) and sets WALL and CPU (user + sys of the process and its children, seconds): the
# machine is shared, so CPU time is the load-independent figure; wall time is what a user waits on a quiet machine
timed() {
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1 || true; } 2>&1 | tail -n 1)
  WALL=$(echo "$t" | awk '{ printf "%.2f", $1 }')
  CPU=$(echo "$t" | awk '{ printf "%.2f", $2 + $3 }')
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo "== load before: $(uptime)"
echo "== vigil replay (decode + default policy: all detectors, the SSH rules of issue 22 on), one cold process, -Xmx256m"
"$ROOT/vigil" policy default > /dev/null   # builds the jar if needed, outside the timing
# the best of three cold processes (the machine is shared: the best is the least disturbed)
VIGIL="" VIGIL_CPU=""
for run in 1 2 3; do
  timed env JAVA_OPTS=-Xmx256m "$ROOT/vigil" replay --format json --year 2024 --instance i-0123456789abcdef0 "$LOG"
  echo "run $run: wall ${WALL} s, CPU ${CPU} s"
  if [ -z "$VIGIL" ] || awk -v a="$WALL" -v b="$VIGIL" 'BEGIN { exit !(a < b) }'; then VIGIL=$WALL; fi
  if [ -z "$VIGIL_CPU" ] || awk -v a="$CPU" -v b="$VIGIL_CPU" 'BEGIN { exit !(a < b) }'; then VIGIL_CPU=$CPU; fi
done
JAVA_OPTS=-Xmx256m "$ROOT/vigil" replay --format json --year 2024 --instance i-0123456789abcdef0 "$LOG" | tail -n 1
echo "best process wall time: ${VIGIL} s ($(awk -v n="$LINES" -v t="$VIGIL" 'BEGIN { printf "%.0f", n / t }') lines/s), CPU (user+sys): ${VIGIL_CPU} s"
if command -v fail2ban-regex > /dev/null; then
  echo "== fail2ban-regex $LOG /etc/fail2ban/filter.d/sshd.conf ($(fail2ban-regex --version 2>&1 | head -1))"
  timed fail2ban-regex "$LOG" /etc/fail2ban/filter.d/sshd.conf
  echo "process wall time: ${WALL} s, CPU: ${CPU} s"
  echo "ratio (fail2ban-regex / vigil): wall $(ratio "$WALL" "$VIGIL")x, CPU $(ratio "$CPU" "$VIGIL_CPU")x (target 30x)"
else
  echo "fail2ban-regex is not installed (Debian: apt-get install fail2ban): no comparison"
fi
SSHG=/usr/libexec/sshguard
SSHG_LIMIT="${SSHG_LIMIT:-600}" # seconds: sshg-blocker can take far longer on a log of many one-off sources
if [ -x "$SSHG/sshg-parser" ] && [ -x "$SSHG/sshg-blocker" ] && [ -x "$SSHG/sshg-fw-null" ]; then
  echo "== SSHGuard's pipeline: sshg-parser < LOG | sshg-blocker -a 30 -p 120 -s 1800 | sshg-fw-null ($(dpkg-query -W -f='${Version}' sshguard 2>/dev/null); stopped after ${SSHG_LIMIT} s)"
  timed timeout "$SSHG_LIMIT" bash -c "'$SSHG/sshg-parser' < '$LOG' | '$SSHG/sshg-blocker' -a 30 -p 120 -s 1800 | '$SSHG/sshg-fw-null'"
  AT_LEAST=""
  awk -v w="$WALL" -v l="$SSHG_LIMIT" 'BEGIN { exit !(w >= l - 0.5) }' && AT_LEAST="at least "
  if [ -n "$AT_LEAST" ]; then # stopped: the CPU of the killed pipeline is not counted
    echo "process wall time: at least ${WALL} s (at most $(awk -v n="$LINES" -v t="$WALL" 'BEGIN { printf "%.0f", n / t }') lines/s), stopped"
    echo "ratio (SSHGuard / vigil): wall at least $(ratio "$WALL" "$VIGIL")x (target 3x)"
  else
    echo "process wall time: ${WALL} s ($(awk -v n="$LINES" -v t="$WALL" 'BEGIN { printf "%.0f", n / t }') lines/s), CPU: ${CPU} s"
    echo "ratio (SSHGuard / vigil): wall $(ratio "$WALL" "$VIGIL")x, CPU $(ratio "$CPU" "$VIGIL_CPU")x (target 3x)"
  fi
  timed bash -c "'$SSHG/sshg-parser' < '$LOG' > /dev/null"
  echo "sshg-parser alone: wall ${WALL} s, CPU ${CPU} s; ratio (sshg-parser alone / vigil): wall $(ratio "$WALL" "$VIGIL")x, CPU $(ratio "$CPU" "$VIGIL_CPU")x"
else
  echo "SSHGuard is not installed (Debian: apt-get install sshguard): no comparison"
fi
if command -v crowdsec > /dev/null && [ -d /usr/share/crowdsec/hub ]; then
  SLICE="$(dirname "$LOG")/slice.log"
  head -n "$CS_LINES" "$LOG" > "$SLICE"
  echo "== CrowdSec replaying the first $CS_LINES lines (scripts/crowdsec-replay.sh: sshd-logs, ssh-bf, ssh-slow-bf; $(crowdsec -version 2>&1 | sed -n 's/.*version: *//p' | head -1))"
  CS_OUT=$("$ROOT/scripts/crowdsec-replay.sh" "$SLICE" "$(dirname "$LOG")/crowdsec")
  CS=$(echo "$CS_OUT" | sed -n 's/^crowdsec wall time: \([0-9.]*\) s/\1/p')
  echo "process wall time: ${CS} s for $CS_LINES lines ($(awk -v n="$CS_LINES" -v t="$CS" 'BEGIN { printf "%.0f", n / t }') lines/s; $(echo "$CS_OUT" | grep -c crowdsecurity/) alerts)"
  echo "lines/s ratio (vigil / CrowdSec): $(awk -v n="$LINES" -v t="$VIGIL" -v m="$CS_LINES" -v c="$CS" 'BEGIN { printf "%.0f", (n / t) / (m / c) }')"
  rm -f "$SLICE"
else
  echo "crowdsec is not installed (Debian: apt-get install crowdsec): no comparison"
fi
echo "== in-memory rounds after warm-up"
"$JAVA" -cp "$CP" dev.vigil.scenario.ssh.bench.ClassifierBench --read "$LOG" --rounds 5
echo "== load after: $(uptime)"
rm -rf "$(dirname "$LOG")"
