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
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=${1:-$ROOT/../shared/bench}
BENCH=$(cd "$BENCH" && pwd)
if [ "${BENCH_IN_NETNS:-}" != 1 ]; then
  swift build -c release --product switchboard >/dev/null || exit 1
  exec unshare -n env BENCH_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
OUT=/tmp/switchboard-bench
rm -rf "$OUT"; mkdir -p "$OUT/data" /tmp/kbench
T=127.0.0.1:5070
SB=$ROOT/.build/release/switchboard
. "$ROOT/scripts/bench-lib.sh"

start_kamailio() {
  kamailio -f "$BENCH/kamailio-proxy.cfg" -DD -m 1024 -M 16 -Y /tmp/kbench >"$OUT/kamailio.log" 2>&1 &
  PID=$!; wait_port || { echo "kamailio did not start"; cat "$OUT/kamailio.log"; exit 1; }
}
start_switchboard() {
  "$SB" run --config "$ROOT/bench/switchboard-proxy.toml" >"$OUT/switchboard.log" 2>&1 &
  PID=$!; wait_port || { echo "switchboard did not start"; cat "$OUT/switchboard.log"; exit 1; }
}

echo "# $(date -u +%FT%TZ)  $(kamailio -v | head -1)  $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*')  nproc=$(nproc)"
declare -A MAX CPS LAT CPU RSS
PER_TX=""
for p in kamailio switchboard; do
  "start_$p"
  "$BENCH/find_max.sh" $T > "$OUT/$p-find_max.txt" 2>&1
  MAX[$p]=$(tail -1 "$OUT/$p-find_max.txt" | awk '{print $2}')
  echo "$p: max_cps ${MAX[$p]}"
  stop_pid "$PID"
done
LOW=${MAX[kamailio]}; [ "${MAX[switchboard]:-0}" -lt "$LOW" ] && LOW=${MAX[switchboard]}
RATE=$(( LOW / 2 )); [ "$RATE" -lt 10 ] && RATE=10
CALLS=$(( RATE * 20 ))
for p in kamailio switchboard; do
  "start_$p"
  sleep 0.5
  PIDS=$(tree "$PID")
  idle_rss=$(rss_kb $PIDS)
  before=$(ticks $PIDS)
  LATPROBE=1 "$BENCH/cps.sh" $T $RATE $CALLS > "$OUT/$p-cps.txt" 2>&1
  after=$(ticks $(tree "$PID"))
  RSS[$p]=$(rss_kb $(tree "$PID"))
  if [ "$p" = switchboard ]; then
    # Memory per in-flight transaction: the growth of RSS over the run divided
    # by the transactions still held (completed ones wait out Timer J/K).
    tx=$("$SB" ctl --socket "$OUT/data/switchboard.ctl" status 2>/dev/null |
      awk -F': ' '/^transactions_(server|client)/ { n += $2 } END { print n + 0 }')
    [ "${tx:-0}" -gt 0 ] && PER_TX=$(awk -v a="${RSS[$p]}" -v b="$idle_rss" -v n="$tx" 'BEGIN { printf "%.0f B (%d transactions held, RSS %d -> %d kB)", (a - b) * 1024 / n, n, b, a }')
  fi
  CPS[$p]=$(grep '^cps:' "$OUT/$p-cps.txt" | tail -1)
  LAT[$p]=$(grep -i 'latprobe' "$OUT/$p-cps.txt" | tail -1)
  CPU[$p]=$(awk -v t=$(( after - before )) -v hz="$HZ" -v n="$CALLS" 'BEGIN { printf "%.3f", t / hz / n * 1000 }')
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
