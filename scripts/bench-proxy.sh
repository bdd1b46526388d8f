#!/usr/bin/env bash
# Switchboard against Kamailio on Kamailio's own SIPp benchmark, in one run
# and one private network namespace (only lo up):
#   1. find_max.sh through Kamailio (../shared/bench/kamailio-proxy.cfg)
#   2. find_max.sh through Switchboard (bench/switchboard-proxy.toml)
#   3. a fixed-rate cps.sh run with LATPROBE=1 through each, at half the
#      lower maximum, measuring each proxy's CPU seconds (utime + stime of
#      all its processes, from /proc/PID/stat) per 1000 calls and its RSS.
# Prints both side by side. Needs root (unshare -n), SIPp and Kamailio
# (scripts/install-deps.sh). Every SIPp run is bounded by the harness.
#   scripts/bench-proxy.sh [BENCH_DIR]      default ../shared/bench
# Environment: SB=path/to/switchboard (default: release build in .build).
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. "$ROOT/scripts/bench-lib.sh"
bench_netns "$0" "$@"
OUT=/tmp/switchboard-bench
rm -rf "$OUT"; mkdir -p "$OUT/data" /tmp/kbench
T=127.0.0.1:5070

start_kamailio() {
  kamailio -f "$BENCH/kamailio-proxy.cfg" -DD -m 1024 -M 16 -Y /tmp/kbench >"$OUT/kamailio.log" 2>&1 &
  PID=$!; wait_port || { echo "kamailio did not start"; cat "$OUT/kamailio.log"; exit 1; }
}
start_switchboard() {
  "$SB" run --config "$ROOT/bench/switchboard-proxy.toml" >"$OUT/switchboard.log" 2>&1 &
  PID=$!; wait_port || { echo "switchboard did not start"; cat "$OUT/switchboard.log"; exit 1; }
}

echo "# $(date -u +%FT%TZ)  $(kamailio -v | head -1)  $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*')  nproc=$(nproc)"
PER_TX=""
for p in kamailio switchboard; do find_max "$p" "start_$p"; done
fixed_rate_from kamailio switchboard
export LATPROBE=1
for p in kamailio switchboard; do
  "start_$p"
  fixed_rate "$p"
  if [ "$p" = switchboard ]; then
    # Memory per in-flight transaction: the growth of RSS over the run divided
    # by the transactions still held (completed ones wait out Timer J/K).
    tx=$("$SB" ctl --socket "$OUT/data/switchboard.ctl" status 2>/dev/null |
      awk -F': ' '/^transactions_(server|client)/ { n += $2 } END { print n + 0 }')
    [ "${tx:-0}" -gt 0 ] && PER_TX=$(awk -v a="${RSS[$p]}" -v b="$IDLE_RSS" -v n="$tx" 'BEGIN { printf "%.0f B (%d transactions held, RSS %d -> %d kB)", (a - b) * 1024 / n, n, b, a }')
  fi
  stop_pid "$PID"
done
echo
printf '%-34s %-22s %-22s\n' "metric" "kamailio" "switchboard"
printf '%-34s %-22s %-22s\n' "max calls/s (find_max.sh)" "${MAX[kamailio]}" "${MAX[switchboard]}"
printf '%-34s %-22s %-22s\n' "CPU s per 1000 calls at $RATE cps" "${CPU[kamailio]}" "${CPU[switchboard]}"
printf '%-34s %-22s %-22s\n' "RSS after the run (kB)" "${RSS[kamailio]}" "${RSS[switchboard]}"
echo "kamailio    ${CPS[kamailio]}"
echo "switchboard ${CPS[switchboard]}"
echo "kamailio    ${LAT[kamailio]}"
echo "switchboard ${LAT[switchboard]}"
awk -v k="${CPU[kamailio]}" -v s="${CPU[switchboard]}" 'BEGIN { if (k > 0) printf "CPU per call, switchboard / kamailio: %.2f\n", s / k }'
echo "switchboard memory per in-flight transaction: ${PER_TX:-n/a}"
echo "logs in $OUT"
