#!/bin/bash
# Emergency call forwarding under a saturated trunk (issue 7): the time from
# a 911 INVITE arriving at Switchboard to the INVITE leaving for the E911
# SBC, while ordinary calls overflow the carrier's cps/channel limits; and
# whether any of the emergency calls is lost. Runs in a private network
# namespace (loopback only), bounded to 3 minutes.
#
#   ordinary PBX (SIPp UAC)  127.0.0.1:5060 -- +14155550100 at LOAD_CPS ------+
#   emergency PBX (SIPp UAC) 127.0.0.1:5061 -- 911 at E911_CPS, E911_CALLS ---+--> Switchboard 127.0.0.1:5070
#   carrier "load" (SIPp UAS, answers)  127.0.0.2:5060  cps = CARRIER_CPS, channels = CARRIER_CHANNELS
#   E911 SBC primary (SIPp UAS, 200)    127.0.0.3:5060
#   Kari's Law front desk (MESSAGE)     127.0.0.1:5095, webhook 127.0.0.1:8911
#
# Measured on the wire: tcpdump on lo with a capture filter for the
# emergency traffic only (UDP port 5061 or host 127.0.0.3), kernel
# timestamps; tests/interop/tools/e911lat.py pairs each A-leg INVITE with
# the SBC's INVITE by the Geolocation cid, which Switchboard builds from the
# A-leg Call-ID (the caller has a location).
#
# Usage: scripts/bench-e911.sh [path/to/switchboard]
#   (default: $SWITCHBOARD, else .build/release/switchboard)
# Environment (defaults): LOAD_CPS (400) LOAD_S (60) HOLD_MS (1000)
#   CARRIER_CPS (50) CARRIER_CHANNELS (60) E911_CALLS (1000) E911_CPS (20)
#   E911_HOLD_MS (200) E911_DELAY_S (5, load alone before the first 911)
#   KEEP=1 keeps the work directory.
set -u
REPO_ROOT=${REPO_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
if [ "${INTEROP_IN_NETNS:-}" != 1 ]; then
  SWITCHBOARD=${1:-${SWITCHBOARD:-$REPO_ROOT/.build/release/switchboard}}
  case "$SWITCHBOARD" in /*) ;; *) SWITCHBOARD=$PWD/$SWITCHBOARD ;; esac
  export SWITCHBOARD
fi
: "${INTEROP_MAX_S:=180}"
export INTEROP_MAX_S REPO_ROOT
. "$REPO_ROOT/tests/interop/lib.sh"
interop_init "$@"
require sipp tcpdump

LOAD_CPS=${LOAD_CPS:-400}
LOAD_S=${LOAD_S:-60}
HOLD_MS=${HOLD_MS:-1000}
CARRIER_CPS=${CARRIER_CPS:-50}
CARRIER_CHANNELS=${CARRIER_CHANNELS:-60}
E911_CALLS=${E911_CALLS:-1000}
E911_CPS=${E911_CPS:-20}
E911_HOLD_MS=${E911_HOLD_MS:-200}
E911_DELAY_S=${E911_DELAY_S:-5}
DOMAIN=sb.test
SBC=127.0.0.3
CARRIER=127.0.0.2
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

# ---- configuration -------------------------------------------------------------
printf 'prefix,rate,increment\n1,0.0010,60/60\n' >"$WORK/load.csv"
sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]

[auth]
realm = "$DOMAIN"
trusted = ["127.0.0.1", "$SBC"]

[media]
port_min = 40000
port_max = 49999
relay_ipv4 = "127.0.0.1"

[[carrier]]
name = "load"
profile = "generic"
primary = "$CARRIER:5060"
rate_deck = "$WORK/load.csv"
cps = $CARRIER_CPS
channels = $CARRIER_CHANNELS

[emergency]
source = "udp://127.0.0.1:5070"
attempt_timeout = 2
fallback_callback_number = "+15125550199"
notify_sip = ["sip:desk@127.0.0.1:5095"]
notify_webhooks = ["http://127.0.0.1:8911/e911"]
default_location = "hq-3"

[emergency.primary]
host = "$SBC"

TOML
e911_location_toml +15125550100 >>"$WORK/sb.toml"
CONFIG=$WORK/sb.toml
sb_check_config "$CONFIG" "the E911 benchmark configuration"
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# ---- peers (no message logs: they would cost CPU the measurement shares) -------
# peer NAME IP PORT SIPP-ARGS...: a SIPp UAS in the background, statistics only.
peer() {
  local name=$1 ip=$2 port=$3; shift 3
  start_bg "$name" bash -c 'cd "$1" && shift && exec "$@"' _ "$WORK" \
    sipp -i "$ip" -p "$port" -nostdin -trace_stat -stf "$WORK/$name.csv" -fd 1 "$@"
  wait_port udp "$ip" "$port" 10 "$BG_PID" || { fail "$name" "SIPp did not start: $(tail -n 3 "$WORK/$name.out" | tr '\n' ' ')"; interop_finish; }
}
peer carrier "$CARRIER" 5060 -sf "$SCENARIOS/trunk_uas.xml"; CARRIER_PID=$BG_PID
peer sbc "$SBC" 5060 -sf "$SCENARIOS/uas_rr.xml"; SBC_PID=$BG_PID
peer desk 127.0.0.1 5095 -sf "$SCENARIOS/message_uas.xml"; DESK_PID=$BG_PID
start_bg webhook python3 "$TOOLS/webhook.py" 127.0.0.1 8911 "$WORK/webhook.jsonl"
for _ in $(seq 1 50); do [ -s "$WORK/webhook.jsonl.ready" ] && break; sleep 0.1; done

PCAP=$WORK/e911.pcap
start_bg tcpdump tcpdump -i lo -n -s 0 -B 65536 -w "$PCAP" 'udp and (port 5061 or host '"$SBC"')'
TCPDUMP_PID=$BG_PID
for _ in $(seq 1 50); do grep -q 'listening on' "$WORK/tcpdump.out" 2>/dev/null && break; sleep 0.1; done
grep -q 'listening on' "$WORK/tcpdump.out" || { fail tcpdump "did not start: $(tail -n 2 "$WORK/tcpdump.out" | tr '\n' ' ')"; interop_finish; }

# ---- load average and Switchboard CPU time, sampled each second (bounded) -------
cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$SB_PID/stat" 2>/dev/null; }
CPU0=$(cpu_s)
(for _ in $(seq 1 $((INTEROP_MAX_S))); do cut -d' ' -f1 /proc/loadavg; sleep 1; done) >"$WORK/loadavg.txt" &
LOADAVG_PID=$!
PIDS+=("$LOADAVG_PID")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- ordinary load, then the emergency calls while it runs -------------------------
LOAD_CALLS=$((LOAD_CPS * LOAD_S))
start_bg loaduac bash -c 'cd "$1" && shift && exec "$@"' _ "$WORK" \
  timeout --kill-after=3 $((LOAD_S + 40)) sipp 127.0.0.1:5070 -i 127.0.0.1 -p 5060 -nostdin \
  -sf "$SCENARIOS/bench_uac_load.xml" -s +14155550100 -set hold "$HOLD_MS" \
  -r "$LOAD_CPS" -m "$LOAD_CALLS" -timeout "$((LOAD_S + 30))s" -recv_timeout 10000 \
  -trace_stat -stf "$WORK/loaduac.csv" -fd 1 -trace_counts
LOADUAC_PID=$BG_PID
sleep "$E911_DELAY_S"

E911_START=$(date +%s.%N)
(cd "$WORK" && timeout --kill-after=3 $((E911_CALLS / E911_CPS + 40)) sipp 127.0.0.1:5070 -i 127.0.0.1 -p 5061 -nostdin \
  -sf "$SCENARIOS/e911_pbx_uac.xml" -s 911 -set caller alice -set domain "$DOMAIN" -d "$E911_HOLD_MS" \
  -r "$E911_CPS" -m "$E911_CALLS" -timeout "$((E911_CALLS / E911_CPS + 30))s" -recv_timeout 10000 \
  -trace_stat -stf "$WORK/e911uac.csv" -fd 1 -trace_err -error_file "$WORK/e911uac_errors.log" >"$WORK/e911uac.out" 2>&1)
E911_RC=$?
E911_END=$(date +%s.%N)
LOAD_AT_E911_END=$(cut -d' ' -f1-3 /proc/loadavg)
load_running=$(kill -0 "$LOADUAC_PID" 2>/dev/null && echo yes || echo no)

for _ in $(seq 1 $((LOAD_S + 45))); do kill -0 "$LOADUAC_PID" 2>/dev/null || break; sleep 1; done
stop_pid "$LOADUAC_PID"
CPU1=$(cpu_s)
sleep 1
stop_pid "$TCPDUMP_PID" INT
stop_pid "$LOADAVG_PID"
for p in "$CARRIER_PID" "$SBC_PID" "$DESK_PID"; do sipp_uas_stop "$p"; done
# The log's tail, shown on failure, without the one critical line each emergency call writes.
grep -v 'switchboard.emergency: emergency call ' "$SB_LOG" >"$WORK/switchboard-other.log"
SB_LOG=$WORK/switchboard-other.log
sb_alive || fail switchboard-alive "switchboard exited during the run: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"

# ---- figures ---------------------------------------------------------------------
st() { sipp_stat "$1" "$2"; }
E=$WORK/e911uac.csv
e_sent=$(st "$E" 'TotalCallCreated')
e_ok=$(st "$E" 'SuccessfulCall(C)')
e_failed=$(st "$E" 'FailedCall(C)')
python3 "$TOOLS/e911lat.py" "$PCAP" --pbx-port 5061 --sbc "$SBC:5060" --sent "$e_sent" >"$WORK/latency.txt" 2>&1
lat() { awk -v k="$1" '$1 == k {print $2}' "$WORK/latency.txt"; }
captured=$(grep -Eo '[0-9]+ packets captured' "$WORK/tcpdump.out" | grep -Eo '^[0-9]+')
dropped=$(grep -Eo '[0-9]+ packets dropped by kernel' "$WORK/tcpdump.out" | grep -Eo '^[0-9]+')

L=$WORK/loaduac.csv
l_created=$(st "$L" 'TotalCallCreated')
l_ok=$(st "$L" 'SuccessfulCall(C)')
l_failed=$(st "$L" 'FailedCall(C)')
l_retrans=$(st "$L" 'Retransmissions(C)')
l_timeout=$(( $(st "$L" 'FailedMaxUDPRetrans(C)') + $(st "$L" 'FailedTimeoutOnRecv(C)') ))
l_unexp=$(st "$L" 'FailedUnexpectedMessage(C)')
l_elapsed=$(st "$L" 'ElapsedTime(C)')
# -trace_counts: one row per scenario message; the received-response columns tell the answers apart.
counts=$(ls "$WORK"/bench_uac_load_*_counts.csv 2>/dev/null | head -n 1)
resp() {
  [ -n "$counts" ] || { echo 0; return; }
  python3 - "$counts" "$1" <<'PY'
import sys
rows = [l.rstrip("\n").split(";") for l in open(sys.argv[1], encoding="latin-1") if l.strip()]
head, last = rows[0], rows[-1]
# columns are named <index>_<message>_<Recv|Sent|...>; the first received
# response of that code answers the INVITE (a later 200 answers the BYE)
n = 0
for i, name in enumerate(head):
    if name.endswith("_" + sys.argv[2] + "_Recv") and i < len(last):
        n = int(last[i] or 0)
        break
print(n)
PY
}
l_200=$(resp 200)
l_503=$(resp 503)
l_other=0
for code in 408 480 486 500 502 504; do l_other=$((l_other + $(resp $code))); done
c_ok=$(st "$WORK/carrier.csv" 'SuccessfulCall(C)')
# secs ELAPSED: SIPp's h:m:s:us (or h:m:s.frac) as seconds; rate COUNT ELAPSED: per second.
secs() { python3 -c "import sys; p = (sys.argv[1] or '0:0:0').split(':'); t = int(p[0])*3600 + int(p[1])*60 + float(p[2]) + (int(p[3])/1e6 if len(p) > 3 else 0); print('%.1f' % t)" "$1"; }
rate() { python3 -c "import sys; a, t = float(sys.argv[1] or 0), float(sys.argv[2]); print('%.1f' % (a / t if t else 0))" "$1" "$(secs "$2")"; }
load_max=$(sort -g "$WORK/loadavg.txt" | tail -n 1)
e911_s=$(python3 -c "print('%.1f' % ($E911_END - $E911_START))")
cpu_used=$(python3 -c "print('%.1f' % (${CPU1:-0} - ${CPU0:-0}))")

reached=$(lat reached_sbc)
answered=$(lat answered)
lost=$(( ${e_sent:-0} - ${reached:-0} ))

printf '\n%-48s %s\n' "E911 under saturated normal routing" "$(date -u +%FT%TZ), $(nproc) cores, $(basename "$SWITCHBOARD") $(dirname "$SWITCHBOARD" | sed 's|.*/\.build|.build|')"
printf '%s\n' "------------------------------------------------------------------------"
printf '%-48s %s\n' "emergency calls sent (911, ${E911_CPS} cps)" "${e_sent:-0}"
printf '%-48s %s\n' "  reached the SBC (INVITE on the wire)" "${reached:-0}"
printf '%-48s %s\n' "  answered (200 at the PBX)" "${answered:-0}"
printf '%-48s %s\n' "  completed by SIPp (BYE/200) / failed" "${e_ok:-0} / ${e_failed:-0}"
printf '%-48s %s\n' "  lost (sent - reached the SBC)" "$lost"
printf '%-48s %s\n' "INVITE in -> INVITE out to SBC, p50 (ms)" "$(lat p50_ms)"
printf '%-48s %s\n' "  p90 (ms)" "$(lat p90_ms)"
printf '%-48s %s\n' "  p99 (ms)" "$(lat p99_ms)"
printf '%-48s %s\n' "  max (ms)" "$(lat max_ms)"
printf '%-48s %s\n' "  mean (ms) / calls over 5 ms" "$(lat mean_ms) / $(lat over_5ms)"
printf '%-48s %s\n' "normal load offered (SIPp -r)" "${LOAD_CPS} cps, ${LOAD_CALLS} calls max, hold ${HOLD_MS} ms"
printf '%-48s %s\n' "  achieved: calls created / elapsed s / cps" "${l_created:-0} / $(secs "$l_elapsed") / $(rate "$l_created" "$l_elapsed")"
printf '%-48s %s\n' "  answered (200) / refused 503 / other 4xx-5xx" "${l_200:-0} / ${l_503:-0} / ${l_other}"
printf '%-48s %s\n' "  SIPp failed calls (timeouts, unexpected)" "${l_failed:-0} (${l_timeout:-0}, ${l_unexp:-0})"
printf '%-48s %s\n' "  retransmissions" "${l_retrans:-0}"
printf '%-48s %s\n' "  carrier limits / calls it completed" "cps ${CARRIER_CPS}, channels ${CARRIER_CHANNELS} / ${c_ok:-0}"
printf '%-48s %s\n' "  load still running when the 911s ended" "$load_running"
printf '%-48s %s\n' "emergency run length (s)" "$e911_s"
printf '%-48s %s\n' "switchboard CPU seconds during the run" "$cpu_used"
printf '%-48s %s\n' "load average at start / end of 911s / max 1m" "$LOAD_START / $LOAD_AT_E911_END / $load_max"
printf '%-48s %s\n' "capture" "tcpdump on lo, filter 'udp and (port 5061 or host $SBC)': ${captured:-?} packets, ${dropped:-?} dropped by kernel"
printf '%s\n' "------------------------------------------------------------------------"

p99=$(lat p99_ms)
if [ "${reached:-0}" -eq 0 ]; then
  fail e911-latency "no emergency INVITE paired: $(head -c 300 "$WORK/latency.txt" | tr '\n' ' '); sipp exit $E911_RC $(head -c 300 "$WORK/e911uac_errors.log" 2>/dev/null | tr '\n' ' ')"
elif [ "$lost" -eq 0 ] && [ "${e_sent:-0}" -eq "$E911_CALLS" ] && python3 -c "import sys; sys.exit(0 if float('$p99') <= 5.0 else 1)"; then
  pass e911-goal "p99 ${p99} ms <= 5 ms, 0 of ${e_sent} emergency calls lost"
else
  fail e911-goal "p99 ${p99} ms (goal <= 5), ${lost} of ${e_sent:-0} lost (goal 0), ${E911_CALLS} planned"
fi
[ "${dropped:-0}" = 0 ] || fail capture "tcpdump dropped ${dropped} packets: latency pairs may be missing"
interop_finish
