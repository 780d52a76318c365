#!/usr/bin/env bash
# SSH scenario throughput, side by side with fail2ban-regex (Debian's fail2ban), SSHGuard's pipeline (Debian's
# sshguard: sshg-parser | sshg-blocker | sshg-fw-null) and CrowdSec replaying a slice (Debian's crowdsec, offline,
# scripts/crowdsec-replay.sh) on the same log. The machine's load (uptime) is printed before and after: the ratios
# are only meaningful within one run.
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
[ -d "$ROOT/target/classes/dev/vigil/scenario/ssh/bench" ] || mvn -B -q -f "$ROOT/pom.xml" -DskipTests compile
CP="$ROOT/target/classes"
LOG="$(mktemp -d)/auth.log"
"$JAVA" -cp "$CP" dev.vigil.scenario.ssh.bench.ClassifierBench --write "$LOG" --lines "$LINES"
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }'; }
echo "== load before: $(uptime)"
echo "== vigil replay (decode + default policy: all detectors, the SSH rules of issue 22 on), one cold process, -Xmx256m"
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
SSHG=/usr/libexec/sshguard
if [ -x "$SSHG/sshg-parser" ] && [ -x "$SSHG/sshg-blocker" ] && [ -x "$SSHG/sshg-fw-null" ]; then
  echo "== SSHGuard's pipeline: sshg-parser < LOG | sshg-blocker -a 30 -p 120 -s 1800 | sshg-fw-null ($(dpkg-query -W -f='${Version}' sshguard 2>/dev/null))"
  SG=$(secs bash -c "'$SSHG/sshg-parser' < '$LOG' | '$SSHG/sshg-blocker' -a 30 -p 120 -s 1800 | '$SSHG/sshg-fw-null'")
  echo "process wall time: ${SG} s ($(awk -v n="$LINES" -v t="$SG" 'BEGIN { printf "%.0f", n / t }') lines/s)"
  echo "ratio (SSHGuard time / vigil time): $(awk -v a="$SG" -v b="$VIGIL" 'BEGIN { printf "%.1f", a / b }')"
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
