#!/usr/bin/env bash
# What bridging costs: Switchboard as a record-routing proxy ([[proxy.route]])
# against Switchboard as a B2BUA (a [[carrier]] with a one-row deck), both
# with [media] enabled = false (signalling only), on the SIPp harness of
# ../shared/bench in one private network namespace (only lo up):
#   SIPp UAC 127.0.0.1:5080 -> Switchboard 127.0.0.1:5070 -> SIPp UAS 127.0.0.1:5090
# For each mode: find_max.sh (max calls/s), then a fixed-rate cps.sh run at
# half the lower maximum measuring CPU seconds per 1000 calls (bench-lib.sh).
# Then a 1 000 000-prefix deck: `check-config` time, and a SIGHUP reload
# with it while calls flow (time until "config reloaded" is logged; the
# calls of that run must all succeed). Every SIPp run is bounded (≤ 55 s).
#   scripts/bench-b2bua.sh [BENCH_DIR]      default ../shared/bench
# Environment: SB=path/to/switchboard (default: release build in .build);
# SKIP_MAX=1 skips find_max (fixed RATE, default 200); DECK_ONLY=1 measures
# only the 1 000 000-prefix deck (check-config and reload, calls at RATE/2).
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. "$ROOT/scripts/bench-lib.sh"
bench_netns "$0" "$@"
OUT=/tmp/switchboard-bench-b2bua
rm -rf "$OUT"; mkdir -p "$OUT/data"
T=127.0.0.1:5070
NUMBER=+14155550100

common() {
  cat <<TOML
[server]
data_dir = "$OUT/data"

[log]
level = "${1:-warning}"

[sip]
listen = ["udp://127.0.0.1:5070"]

[control]
socket = "$OUT/data/switchboard.ctl"

[admin]
listen = ""

[media]
enabled = false

TOML
}
{ common; printf '[proxy]\nrecord_route = true\n\n[[proxy.route]]\ndomain = "*"\nto = ["sip:127.0.0.1:5090"]\n'; } >"$OUT/proxy.toml"
printf 'prefix,rate,increment\n1,0.0010,60/60\n' >"$OUT/uas.csv"
bridged() {
  common "${2:-warning}"
  # No OPTIONS probes: the SIPp UAS would count each one as a failed call.
  printf '[routing]\nhealth_probe_interval = 0\n\n'
  printf '[[carrier]]\nname = "uas"\nprimary = "127.0.0.1:5090"\ninbound_sources = []\nrate_deck = "%s"\n' "$1"
}
bridged "$OUT/uas.csv" >"$OUT/bridged.toml"

start() {
  "$SB" run --config "$1" >"$OUT/$2.log" 2>&1 &
  PID=$!; wait_port $T || { echo "switchboard did not start ($2)"; tail -5 "$OUT/$2.log"; exit 1; }
}

export UAC_EXTRA="-s $NUMBER"
echo "# $(date -u +%FT%TZ)  $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*')  nproc=$(nproc)  $SB"
MODES="proxy bridged"; [ "${DECK_ONLY:-}" = 1 ] && MODES=""
for m in proxy bridged; do
  if [ "${SKIP_MAX:-}" = 1 ] || [ "${DECK_ONLY:-}" = 1 ]; then MAX[$m]=${RATE:-200}; continue; fi
  find_max "$m" start "$OUT/$m.toml" "$m"
done
fixed_rate_from proxy bridged
for m in $MODES; do
  start "$OUT/$m.toml" "$m"
  fixed_rate "$m"
  stop_pid "$PID"
done

# ---- a 1 000 000-prefix deck ----------------------------------------------------
python3 - "$OUT/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("prefix,rate,increment\n1,0.0010,60/60\n")
    # 999 999 more prefixes: 7-digit numbers under 2..9 (not under 1, so +1 keeps its rate).
    for i in range(999_999):
        f.write(f"{2000000 + i},0.{(i % 9000) + 1000:04d},60/60\n")
PY
bridged "$OUT/big.csv" info >"$OUT/big.toml"
t0=$(date +%s.%N)
"$SB" check-config "$OUT/big.toml" >"$OUT/check-big.txt" 2>&1; check_rc=$?
t1=$(date +%s.%N)
CHECK_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
start "$OUT/big.toml" big
RELOAD_RATE=$(( RATE < 100 ? RATE : 100 ))
"$BENCH/cps.sh" $T $RELOAD_RATE $(( RELOAD_RATE * 15 )) >"$OUT/big-cps.txt" 2>&1 &
LOAD=$!
sleep 5
before=$(grep -c 'config reloaded' "$OUT/big.log")
h0=$(date +%s.%N)
kill -HUP "$PID"
RELOAD_S=timeout
for _ in $(seq 1 1000); do
  if [ "$(grep -c 'config reloaded' "$OUT/big.log")" -gt "$before" ]; then
    RELOAD_S=$(awk -v a="$h0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'); break
  fi
  sleep 0.02
done
wait "$LOAD"
BIG_RSS=$(rss_kb $(tree "$PID"))
stop_pid "$PID"
BIG_CPS=$(grep '^cps:' "$OUT/big-cps.txt" | tail -1)

echo
if [ -n "$MODES" ]; then
  printf '%-36s %-14s %-14s %s\n' "metric" "proxy" "bridged" "bridged/proxy"
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
  printf '%-36s %-14s %-14s %s\n' "max calls/s (find_max.sh)" "${MAX[proxy]}" "${MAX[bridged]}" "$(ratio "${MAX[proxy]}" "${MAX[bridged]}")"
  printf '%-36s %-14s %-14s %s\n' "CPU s per 1000 calls at $RATE cps" "${CPU[proxy]}" "${CPU[bridged]}" "$(ratio "${CPU[proxy]}" "${CPU[bridged]}")"
  printf '%-36s %-14s %-14s %s\n' "RSS after the run (kB)" "${RSS[proxy]}" "${RSS[bridged]}" "$(ratio "${RSS[proxy]}" "${RSS[bridged]}")"
  echo "proxy   ${CPS[proxy]}"
  echo "bridged ${CPS[bridged]}"
fi
echo "deck 1000000 prefixes: check-config ${CHECK_S} s (exit $check_rc); SIGHUP reload under ${RELOAD_RATE} cps: ${RELOAD_S} s (goal 2 s); RSS ${BIG_RSS} kB"
echo "calls during the reload: $BIG_CPS"
echo "logs in $OUT"
