#!/usr/bin/env bash
# CrowdSec replaying a log offline, with a private config (nothing of /etc/crowdsec is used or changed).
#   scripts/crowdsec-replay.sh LOG [WORKDIR]
# Needs Debian's crowdsec package (its hub in /usr/share/crowdsec/hub; the package's own post-install registration
# with the central API fails offline, which does not matter here). Installs the sshd parsers and the hub's ssh-bf and
# ssh-slow-bf scenarios into WORKDIR, registers a local machine, runs
# `crowdsec -dsn file://LOG -type syslog -no-capi`, and prints the wall time and one "SCENARIO SOURCE" line per alert.
set -euo pipefail
LOG="$(readlink -f "$1")"
CS="${2:-$(mktemp -d)}"
command -v crowdsec > /dev/null && [ -d /usr/share/crowdsec/hub ] || { echo "crowdsec is not installed (apt-get install crowdsec)" >&2; exit 2; }
rm -rf "$CS/etc" "$CS/data" "$CS/hub"
mkdir -p "$CS/data" "$CS/etc"
cp -r /usr/share/crowdsec/hub "$CS/hub"
cp -r /etc/crowdsec/patterns "$CS/etc/"
cp /etc/crowdsec/profiles.yaml /etc/crowdsec/simulation.yaml "$CS/etc/"
: > "$CS/etc/acquis.yaml"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$CS/etc/config.yaml" <<YAML
common: {daemonize: false, log_media: file, log_level: info, log_dir: $CS/, working_dir: .}
config_paths:
  config_dir: $CS/etc/
  data_dir: $CS/data/
  simulation_path: $CS/etc/simulation.yaml
  hub_dir: $CS/hub/
  index_path: $CS/hub/.index.json
  notification_dir: $CS/etc/notifications/
  plugin_dir: /usr/lib/crowdsec/plugins/
crowdsec_service: {acquisition_path: $CS/etc/acquis.yaml, parser_routines: 1}
cscli: {output: human, hub_branch: master}
db_config: {log_level: info, type: sqlite, db_path: $CS/data/crowdsec.db, flush: {max_items: 5000, max_age: 7d}}
api:
  client: {insecure_skip_verify: false, credentials_path: $CS/etc/local_api_credentials.yaml}
  server: {log_level: info, listen_uri: "127.0.0.1:$PORT", profiles_path: $CS/etc/profiles.yaml, trusted_ips: [127.0.0.1]}
prometheus: {enabled: false}
YAML
C=(cscli -c "$CS/etc/config.yaml")
(cd "$CS" && "${C[@]}" parsers install crowdsecurity/syslog-logs crowdsecurity/sshd-logs crowdsecurity/dateparse-enrich \
  && "${C[@]}" scenarios install crowdsecurity/ssh-bf crowdsecurity/ssh-slow-bf \
  && "${C[@]}" machines add -a -f "$CS/etc/local_api_credentials.yaml") > "$CS/setup.out" 2>&1
: > "$CS/run.out"
s=$(date +%s.%N)
(cd "$CS" && exec crowdsec -c "$CS/etc/config.yaml" -dsn "file://$LOG" -type syslog -no-capi) > "$CS/run.out" 2>&1 &
PID=$!
# crowdsec 1.4.6 sometimes hangs after its buckets have drained: the run is over once "Bucket routine exiting" is logged
e=""
while kill -0 "$PID" 2> /dev/null; do
  if [ -z "$e" ] && grep -q "Bucket routine exiting" "$CS/run.out"; then e=$(date +%s.%N); sleep 3; kill "$PID" 2> /dev/null || true; break; fi
  sleep 0.2
done
wait "$PID" 2> /dev/null || true
[ -n "$e" ] || e=$(date +%s.%N)
echo "crowdsec wall time: $(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }') s"
sed -n 's/.*) \(crowdsecurity\/[a-z_-]*\) by ip \([0-9a-fA-F.:]*\) .*/\1 \2/p' "$CS/run.out" | sort -u
