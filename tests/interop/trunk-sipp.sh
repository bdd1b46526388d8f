#!/bin/bash
# RFC 3261 16 (and 12, 14, RFC 3264 8.4): trunk calls through Switchboard's
# B2BUA to SIPp carriers, inside a private network namespace.
#
#   PBX: SIPp UAC 127.0.0.1:5060 --> Switchboard 127.0.0.1:5070 --> carriers:
#     a 127.0.0.2:5060 (0.0010/min), b 127.0.0.3:5060 (0.0020/min),
#     c 127.0.0.4:5060 (0.0030/min), d 127.0.0.5:5060 (0.0040/min)
#
# Every carrier prices prefix 1, so a call to +14155550100 (no static
# [[proxy.route]]) goes to a, then b, c, d in cost order. The PBX's source
# is trusted (127.0.0.0/8), so it is not challenged. [sip.timers] t1_ms = 100
# scales Timer B (64*T1) to 6.4 s; the relay takes ports 41000-41099 on
# 127.0.0.1, the PBX offers media on 127.0.0.9.
# Checks: route order (`switchboard route`); the cheapest carrier alone
# takes a call, BYE from the PBX; a 503 fails over to the next carrier and
# the PBX never sees it; a 486 goes back to the PBX and no other carrier is
# tried; a carrier that never answers fails over after Timer B; the
# carrier's BYE reaches the PBX; a hold/resume re-INVITE pair crosses to
# the carrier and is answered both times; the carrier's INVITE shows no
# PBX Call-ID, tag, Via or Contact and its SDP names the relay; RTP sent
# by the PBX comes back through the relay from the carrier (SIPp -rtp_echo).
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/trunk-sipp.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp

NUMBER=+14155550100
RELAY_IP=127.0.0.1
PORT_MIN=41000
PORT_MAX=41099
PBX_MEDIA=127.0.0.9
declare -A CARRIER_IP=([a]=127.0.0.2 [b]=127.0.0.3 [c]=127.0.0.4 [d]=127.0.0.5)
declare -A CARRIER_RATE=([a]=0.0010 [b]=0.0020 [c]=0.0030 [d]=0.0040)
LOG="python3 $TOOLS/sipplog.py"

carriers_toml=
for c in a b c d; do
  printf 'prefix,rate,increment\n1,%s,60/60\n' "${CARRIER_RATE[$c]}" >"$WORK/$c.csv"
  carriers_toml+="
[[carrier]]
name = \"$c\"
profile = \"generic\"
primary = \"${CARRIER_IP[$c]}:5060\"
rate_deck = \"$WORK/$c.csv\"
"
done
sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://127.0.0.1:5070"]

[sip.timers]
t1_ms = 100

[media]
port_min = $PORT_MIN
port_max = $PORT_MAX
relay_ipv4 = "$RELAY_IP"

# SIPp carriers do not answer OPTIONS: no health probes in this test.
[routing]
health_probe_interval = 0
$carriers_toml
TOML
CONFIG=$WORK/sb.toml
if ! "$SWITCHBOARD" check-config "$CONFIG" >"$WORK/check.out" 2>&1; then
  fail config "check-config rejects the trunk configuration: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
fi

# ---- route order ---------------------------------------------------------------
route=$(timeout 20 "$SWITCHBOARD" route "$NUMBER" --config "$CONFIG" 2>&1)
order=$(echo "$route" | grep -oE '\b[abcd]\b' | awk '!seen[$0]++' | tr -d '\n')
if [ "$order" = abcd ]; then
  pass route-order "switchboard route $NUMBER: a, b, c, d (cheapest first)"
else
  fail route-order "expected carriers a, b, c, d in that order, got '$order': $(echo "$route" | head -n 8 | tr '\n' ' ')"
fi

sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# ---- helpers ---------------------------------------------------------------------
# carriers CHECK NAME=SCENARIO[:SIPP-ARGS]...: SIPp UAS per carrier on its own
# address (stats CHECK-NAME.csv, messages CHECK-NAME_messages.log); PIDs in CARRIER_PIDS.
CARRIER_PIDS=()
carriers() {
  local check=$1 spec name scenario args; shift
  CARRIER_PIDS=()
  for spec in "$@"; do
    name=${spec%%=*}; scenario=${spec#*=}; args=
    case "$scenario" in *:*) args=${scenario#*:}; scenario=${scenario%%:*} ;; esac
    # shellcheck disable=SC2086
    sipp_uas_at "$check-$name" "${CARRIER_IP[$name]}" 5060 -sf "$SCENARIOS/$scenario.xml" $args || return 1
    CARRIER_PIDS+=("$BG_PID")
  done
}

# carriers_stop: soft quit for all at once, then TERM/KILL what is left.
carriers_stop() {
  local p _
  for p in "${CARRIER_PIDS[@]}"; do kill -USR1 "$p" 2>/dev/null; done
  for _ in $(seq 1 30); do
    local alive=0
    for p in "${CARRIER_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${CARRIER_PIDS[@]}"; do stop_pid "$p"; done
  CARRIER_PIDS=()
}

# pbx NAME SCENARIO MAX_S SIPP-ARGS...: one call from the PBX to $NUMBER.
pbx() {
  local name=$1 scenario=$2 max=$3; shift 3
  sipp_uac "$name" 127.0.0.1:5070 "$max" -sf "$SCENARIOS/$scenario.xml" -s "$NUMBER" -m 1 \
    -mi "$PBX_MEDIA" "$@"
}

# ok NAME: the SIPp run NAME (UAC or UAS) completed one call without failure.
ok() {
  [ -s "$WORK/$1.csv" ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)')" = 1 ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'FailedCall(C)')" = 0 ]
}

# why NAME: SIPp's counters and first error lines of run NAME, for a FAIL line.
why() {
  echo "$1: ok $(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)') failed $(sipp_stat "$WORK/$1.csv" 'FailedCall(C)') $(head -c 300 "$WORK/$1_errors.log" 2>/dev/null | tr '\n' ' ')"
}

invites() { $LOG count "$WORK/$1_messages.log" received "INVITE "; }

# ---- 1. the cheapest carrier takes the call ----------------------------------------
carriers lcr a=trunk_uas b=trunk_uas c=trunk_uas d=trunk_uas
pbx lcr-pbx trunk_uac 20 -set hold 200
rc=$?
carriers_stop
seen="a:$(invites lcr-a) b:$(invites lcr-b) c:$(invites lcr-c) d:$(invites lcr-d)"
if [ $rc -eq 0 ] && ok lcr-pbx && ok lcr-a && [ "$seen" = "a:1 b:0 c:0 d:0" ]; then
  pass least-cost "carrier a (0.0010/min) answered, BYE from the PBX completed; INVITEs seen $seen"
else
  fail least-cost "sipp exit $rc; INVITEs seen $seen; $(why lcr-pbx); $(why lcr-a)"
fi

# ---- 7. topology hiding, on carrier a's INVITE of check 1 -----------------------------
if out=$($LOG hiding "$WORK/lcr-pbx_messages.log" "$WORK/lcr-a_messages.log" "$RELAY_IP" $PORT_MIN $PORT_MAX 127.0.0.1:5070); then
  pass topology-hiding "$out"
else
  fail topology-hiding "$out"
fi

# ---- 2. 503 fails over; the PBX never sees it ---------------------------------------
carriers failover a=trunk_uas_503 b=trunk_uas c=trunk_uas
pbx failover-pbx trunk_uac 20 -set hold 200
rc=$?
carriers_stop
seen="a:$(invites failover-a) b:$(invites failover-b) c:$(invites failover-c)"
leaked=$($LOG count "$WORK/failover-pbx_messages.log" received "SIP/2.0 5")
if [ $rc -eq 0 ] && ok failover-pbx && ok failover-a && ok failover-b && [ "$seen" = "a:1 b:1 c:0" ] && [ "$leaked" = 0 ]; then
  pass failover-503 "a answered 503 (ACKed), b answered 200, call completed; INVITEs seen $seen; no 5xx reached the PBX"
else
  fail failover-503 "sipp exit $rc; INVITEs seen $seen; 5xx at the PBX: $leaked; $(why failover-pbx); $(why failover-a); $(why failover-b)"
fi

# ---- 3. no failover on 486 ------------------------------------------------------------
carriers busy a=uas_486 b=trunk_uas
pbx busy-pbx trunk_uac_busy 20
rc=$?
carriers_stop
seen="a:$(invites busy-a) b:$(invites busy-b)"
if [ $rc -eq 0 ] && ok busy-pbx && [ "$seen" = "a:1 b:0" ]; then
  pass no-failover-486 "a answered 486, the PBX got 486 (ACKed); INVITEs seen $seen"
else
  final=$($LOG show "$WORK/busy-pbx_messages.log" received "SIP/2.0 " | head -n 1)
  fail no-failover-486 "sipp exit $rc; INVITEs seen $seen; PBX got '${final:-nothing}'; $(why busy-pbx)"
fi

# ---- 4. a carrier that never answers fails over after Timer B ------------------------
carriers timeout a=trunk_uas_silent b=trunk_uas
start=$(date +%s%N)
pbx timeout-pbx trunk_uac 30 -set hold 200
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
carriers_stop
seen="a:$(invites timeout-a) b:$(invites timeout-b)"
if [ $rc -eq 0 ] && ok timeout-pbx && ok timeout-b && [ "$(invites timeout-a)" -ge 1 ] && [ "$(invites timeout-b)" = 1 ]; then
  pass timeout-failover "a took the INVITE ($(grep -c '^INVITE ' "$WORK/timeout-a_messages.log") copies, retransmissions included) and stayed silent, b answered after Timer B; call took $ms ms"
else
  fail timeout-failover "sipp exit $rc after $ms ms; INVITEs seen $seen; $(why timeout-pbx); $(why timeout-b)"
fi

# ---- 5. BYE from the carrier reaches the PBX ---------------------------------------
carriers bye a=trunk_uas_bye
pbx bye-pbx trunk_uac_bye_in 20
rc=$?
carriers_stop
if [ $rc -eq 0 ] && ok bye-pbx && ok bye-a; then
  pass bye-from-carrier "a hung up: its BYE reached the PBX, 200 went back to a"
else
  fail bye-from-carrier "sipp exit $rc; $(why bye-pbx); $(why bye-a)"
fi

# ---- 6. hold and resume re-INVITEs from the PBX ---------------------------------------
carriers hold a=trunk_uas_hold
pbx hold-pbx trunk_uac_hold 20
rc=$?
carriers_stop
dirs="carrier offers: $($LOG direction "$WORK/hold-a_messages.log" received "INVITE " 2) then $($LOG direction "$WORK/hold-a_messages.log" received "INVITE " 3); PBX answers: $($LOG direction "$WORK/hold-pbx_messages.log" received "SIP/2.0 200" 2) then $($LOG direction "$WORK/hold-pbx_messages.log" received "SIP/2.0 200" 3)"
if [ $rc -eq 0 ] && ok hold-pbx && ok hold-a && [ "$(invites hold-a)" = 3 ] &&
  [ "$($LOG direction "$WORK/hold-a_messages.log" received "INVITE " 3)" = sendrecv ] &&
  [ "$($LOG direction "$WORK/hold-pbx_messages.log" received "SIP/2.0 200" 3)" = sendrecv ]; then
  pass reinvite-hold-resume "both re-INVITEs reached a and were answered ($dirs)"
else
  fail reinvite-hold-resume "sipp exit $rc; INVITEs at a: $(invites hold-a); $dirs; $(why hold-pbx); $(why hold-a)"
fi

# ---- 8. RTP through the relay ----------------------------------------------------------
# The PBX's SDP offers 127.0.0.9:6004 (trunk_uac.xml), where rtppeer.py sends
# 50 PCMU packets to the relay port of the 200's SDP; carrier a echoes what
# reaches it (SIPp -rtp_echo on its media port), back through the relay.
carriers rtp "a=trunk_uas:-rtp_echo"
start_bg rtp-peer python3 "$TOOLS/rtppeer.py" "$PBX_MEDIA" 6004 "$WORK/rtp-pbx_messages.log" 50
peer=$BG_PID
pbx rtp-pbx trunk_uac 20 -set hold 3000
rc=$?
wait "$peer"
prc=$?
carriers_stop
if [ $rc -eq 0 ] && ok rtp-pbx && ok rtp-a && [ $prc -eq 0 ]; then
  pass rtp-relay "$(tail -n 1 "$WORK/rtp-peer.out")"
else
  fail rtp-relay "sipp exit $rc, peer exit $prc: $(tail -n 2 "$WORK/rtp-peer.out" | tr '\n' ' '); $(why rtp-pbx); $(why rtp-a)"
fi

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
