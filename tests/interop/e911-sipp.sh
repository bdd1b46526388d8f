#!/bin/bash
# RFC 6442, RFC 4119, RFC 5139, Kari's Law, RAY BAUM'S Act: emergency calls
# from a PBX through Switchboard's B2BUA to the Bandwidth E911 SBCs (SIPp),
# inside a private network namespace.
#
#   PBX (SIPp UAC, trusted)       127.0.0.1:5060 -->  Switchboard 127.0.0.1:5070 (udp)
#   E911 SBC primary / secondary  127.0.0.2:5060 / 127.0.0.3:5060
#   last_resort route             127.0.0.4:5060
#   alice's phone (registered)    127.0.0.1:5090      front desk (MESSAGE)  127.0.0.1:5095
#   ordinary next hop (pbx.test)  127.0.0.1:5091      webhook (HTTP)        127.0.0.1:8911
#   PSAP callback (SIPp UAC)      127.0.0.2:5062
#
# Checks:
#   911-primary        911 reaches the primary as INVITE sip:911@127.0.0.2 with exactly one
#                      P-Asserted-Identity (the location's callback number, also in From),
#                      Geolocation <cid:X> naming the application/pidf+xml part of a
#                      multipart/mixed body, a PIDF-LO in the RFC 4119 / RFC 5139 namespaces
#                      with the civic address (A1 A3 RD HNO FLR ROOM PC), G.711 only; BYE
#   failover-503       primary answers 503: the secondary gets the same INVITE and answers
#   failover-silent    primary never answers: the secondary within attempt_timeout
#   933-test-call      933 goes to the SBCs as sip:933@..., never to last_resort
#   911-last-resort    with both SBCs at 503, 911 goes to last_resort
#   drain-*            SIGTERM with an ordinary call up: new ordinary INVITE 503, new 911
#                      reaches the SBC and completes, the ordinary call ends, exit 0 within
#                      drain_timeout; after a restart, a 911 call up at SIGTERM goes on
#                      until its BYE
#   karis-law-*        webhook POST (JSON: caller, callbackNumber, location, time) and
#                      SIP MESSAGE to the front desk at call start
#   psap-callback      the SBC side calls the callback number: alice's registered phone rings
#   cdr-emergency      `switchboard cdr export`: class emergency rows with the SBC used
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/e911-sipp.sh
set -u
# About 70 s of calls and waits (20 s of them the drain); bounded below 120 s.
: "${INTEROP_MAX_S:=110}"
export INTEROP_MAX_S
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp
# The webhook goes to 127.0.0.1 directly, never through a proxy of the environment.
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

DOMAIN=sb.test
CALLBACK=+15125550100
ATTEMPT_TIMEOUT=2
PRIMARY=127.0.0.2
SECONDARY=127.0.0.3
LAST_RESORT=127.0.0.4
CIVIC=(country=US A1=TX A3=Austin RD=Congress HNO=100 FLR=3 ROOM=301 PC=78701)
E911="python3 $TOOLS/e911.py"

# ---- configuration -----------------------------------------------------------
SB_LOG_LEVEL=info SB_DRAIN_TIMEOUT=20 sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]

[proxy]
record_route = true

[[proxy.route]]
domain = "pbx.test"
to = ["sip:127.0.0.1:5091"]

[registrar]
enabled = true
min_expires = 60
default_expires = 3600

[auth]
realm = "$DOMAIN"
algorithms = ["MD5", "SHA-256"]
trusted = ["127.0.0.1", "$PRIMARY", "$SECONDARY"]

[media]
port_min = 40000
port_max = 40199

[emergency]
source = "udp://127.0.0.1:5070"
attempt_timeout = $ATTEMPT_TIMEOUT
last_resort = "sip:911@$LAST_RESORT:5060"
fallback_callback_number = "+15125550199"
callback_window = 30
notify_sip = ["sip:desk@127.0.0.1:5095"]
notify_webhooks = ["http://127.0.0.1:8911/e911"]

[emergency.primary]
host = "$PRIMARY"

[emergency.secondary]
host = "$SECONDARY"

TOML
e911_location_toml "$CALLBACK" >>"$WORK/sb.toml"
CONFIG=$WORK/sb.toml
sb_check_config "$CONFIG" "the E911 configuration"
sb_add_users "$CONFIG" alice:secret
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# ---- helpers -----------------------------------------------------------------
# sbc NAME IP SCENARIO: a SIPp UAS as an SBC on IP:5060; PID in $BG_PID.
sbc() {
  sipp_uas_at "$1" "$2" 5060 -sf "$SCENARIOS/$3"
}

# pbx_911 NAME NUMBER [UAC_PORT [HOLD_MS]]: the PBX dials NUMBER for alice; the call must be
# answered, held HOLD_MS (default 300) and hung up.
pbx_911() {
  UAC_PORT=${3:-5060} sipp_uac "$1" 127.0.0.1:5070 25 -sf "$SCENARIOS/e911_pbx_uac.xml" -m 1 -d "${4:-300}" \
    -s "$2" -set caller alice -set domain "$DOMAIN"
}

# pbx_fail NAME NUMBER HOST [UAC_PORT]: a call that must end in a final failure.
pbx_fail() {
  UAC_PORT=${4:-5060} sipp_uac "$1" 127.0.0.1:5070 25 -sf "$SCENARIOS/uac_final_failure.xml" -m 1 \
    -s "$2" -set caller alice -set domain "$DOMAIN" -set host "$3"
}

sipp_ok() {
  [ "$2" -eq 0 ] && [ -s "$WORK/$1.csv" ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)')" = 1 ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'FailedCall(C)')" = 0 ]
}

# invites LOG: the distinct INVITEs a SIPp peer received (time call-id request-uri).
invites() { $E911 invites "$1"; }

# final_status NAME: status line of the last final response the UAC NAME received.
final_status() {
  sipp_last_message "$WORK/$1_messages.log" "SIP/2.0 " | head -n 1 | tr -d '\r'
}

call_id_of() {
  grep -m1 -i '^Call-ID:' "$WORK/$1_messages.log" 2>/dev/null | sed 's/^[^:]*:[[:space:]]*//' | tr -d '\r'
}

# ---- peers -------------------------------------------------------------------
start_bg webhook python3 "$TOOLS/webhook.py" 127.0.0.1 8911 "$WORK/webhook.jsonl"
for _ in $(seq 1 50); do [ -s "$WORK/webhook.jsonl.ready" ] && break; sleep 0.1; done
[ -s "$WORK/webhook.jsonl.ready" ] || fail webhook-server "did not start: $(tail -n 3 "$WORK/webhook.out" | tr '\n' ' ')"
sipp_uas desk 5095 -sf "$SCENARIOS/message_uas.xml"
sbc lastres "$LAST_RESORT" uas_rr.xml
# alice's phone registers with digest from 5090, then answers there.
UAC_PORT=5090 sipp_uac register-alice 127.0.0.1:5070 20 -sf "$SCENARIOS/reg_auth.xml" -m 1 -s alice \
  -au alice -ap secret -auth_uri "$DOMAIN" -set domain "$DOMAIN" -set expires 3600
check_calls register-alice "$WORK/register-alice.csv" 1 $?
sipp_uas alice 5090 -sf "$SCENARIOS/uas_rr.xml"

# ---- 1. 911 to the primary ---------------------------------------------------
sbc sbcA1 "$PRIMARY" uas_rr.xml; A=$BG_PID
sbc sbcB1 "$SECONDARY" uas_rr.xml; B=$BG_PID
pbx_911 call-911 911
rc=$?
if sipp_ok call-911 "$rc"; then
  if out=$($E911 check-invite "$WORK/sbcA1_messages.log" "sip:911@$PRIMARY" "$CALLBACK" "${CIVIC[@]}" 2>&1); then
    pass 911-primary "$out; answered, BYE completed"
  else
    fail 911-primary "the primary's INVITE: $out"
  fi
else
  check_calls 911-primary "$WORK/call-911.csv" 1 "$rc"
  out=$($E911 check-invite "$WORK/sbcA1_messages.log" "sip:911@$PRIMARY" "$CALLBACK" "${CIVIC[@]}" 2>&1) ||
    fail 911-primary-invite "$out"
fi
n=$(invites "$WORK/sbcB1_messages.log" | wc -l)
[ "$n" -eq 0 ] || fail 911-primary-only "the secondary got $n INVITE(s) although the primary answered"

# ---- 5. Kari's Law notifications (sent at call start) -----------------------
for _ in $(seq 1 50); do [ -s "$WORK/webhook.jsonl" ] && break; sleep 0.1; done
if out=$($E911 webhook "$WORK/webhook.jsonl" "$CALLBACK" Congress Austin 2>&1); then
  pass karis-law-webhook "$out"
else
  fail karis-law-webhook "$out"
fi
for _ in $(seq 1 30); do grep -q '^MESSAGE ' "$WORK/desk_messages.log" 2>/dev/null && break; sleep 0.1; done
text=$($E911 message "$WORK/desk_messages.log" 2>&1)
if echo "$text" | grep -q 'EMERGENCY CALL 911' && echo "$text" | grep -qF "Callback: $CALLBACK" &&
  echo "$text" | grep -q '^Location: .*Congress' && echo "$text" | grep -qi '^Content-Type: text/plain'; then
  pass karis-law-message "front desk got: $(echo "$text" | tr -d '\r' | tr '\n' '|')"
else
  fail karis-law-message "front desk MESSAGE: $(echo "$text" | tr -d '\r' | tr '\n' '|')"
fi

# ---- 6. PSAP callback to alice's registered phone ----------------------------
UAC_IP=$PRIMARY UAC_PORT=5062 sipp_uac psap-callback 127.0.0.1:5070 20 -sf "$SCENARIOS/uac_rr.xml" -m 1 -d 300 -s "$CALLBACK"
rc=$?
ring=$(invites "$WORK/alice_messages.log" | awk '{print $3}' | head -n 1)
if sipp_ok psap-callback "$rc" && [ -n "$ring" ]; then
  pass psap-callback "INVITE sip:$CALLBACK@127.0.0.1:5070 from $PRIMARY reached alice's registered phone on 5090 as $ring, answered, BYE"
else
  fail psap-callback "SBC-side INVITE to the callback number: $(final_status psap-callback | head -c 80), alice's phone saw ${ring:-no INVITE}; $(head -c 300 "$WORK/psap-callback_errors.log" 2>/dev/null | tr '\n' ' ')"
fi
sipp_uas_stop "$A"; sipp_uas_stop "$B"

# ---- 2. failover: primary 503, then primary silent ---------------------------
sbc sbcA2 "$PRIMARY" sbc_503.xml; A=$BG_PID
sbc sbcB2 "$SECONDARY" uas_rr.xml; B=$BG_PID
pbx_911 call-failover-503 911
rc=$?
a=$(invites "$WORK/sbcA2_messages.log" | awk '{print $3}' | head -n 1)
if sipp_ok call-failover-503 "$rc" && [ -n "$a" ] &&
  out=$($E911 check-invite "$WORK/sbcB2_messages.log" "sip:911@$SECONDARY" "$CALLBACK" "${CIVIC[@]}" 2>&1); then
  pass failover-503 "primary got $a and answered 503; secondary: $out"
else
  fail failover-503 "primary saw ${a:-no INVITE}; PBX call: $(final_status call-failover-503 | head -c 60) (sipp exit $rc); secondary: ${out:-no check}"
fi
sipp_uas_stop "$A"; sipp_uas_stop "$B"

sbc sbcA3 "$PRIMARY" sbc_silent.xml; A=$BG_PID
sbc sbcB3 "$SECONDARY" uas_rr.xml; B=$BG_PID
pbx_911 call-failover-silent 911
rc=$?
ta=$(invites "$WORK/sbcA3_messages.log" | awk '{print $1}' | head -n 1)
tb=$(invites "$WORK/sbcB3_messages.log" | awk '{print $1}' | head -n 1)
if sipp_ok call-failover-silent "$rc" && [ -n "$ta" ] && [ -n "$tb" ]; then
  gap=$(python3 -c "print('%.2f' % ($tb - $ta))" 2>/dev/null)
  if python3 -c "import sys; sys.exit(0 if $ATTEMPT_TIMEOUT - 0.3 <= $tb - $ta <= $ATTEMPT_TIMEOUT + 1.5 else 1)" 2>/dev/null; then
    pass failover-silent "primary got the INVITE and stayed silent; secondary got it ${gap}s later (attempt_timeout = ${ATTEMPT_TIMEOUT}s), answered"
  else
    fail failover-silent "secondary got the INVITE ${gap}s after the primary, expected about attempt_timeout = ${ATTEMPT_TIMEOUT}s"
  fi
else
  fail failover-silent "primary INVITE at ${ta:-never}, secondary at ${tb:-never}; PBX call: $(final_status call-failover-silent | head -c 60) (sipp exit $rc)"
fi
sipp_uas_stop "$A"; sipp_uas_stop "$B"

# ---- 3. 933 never goes to last_resort; 911 does ------------------------------
sbc sbcA4 "$PRIMARY" sbc_503.xml; A=$BG_PID
sbc sbcB4 "$SECONDARY" sbc_503.xml; B=$BG_PID
before=$(invites "$WORK/lastres_messages.log" | wc -l)
pbx_fail call-933 933 127.0.0.1:5070
rc=$?
sleep 0.5
a=$(invites "$WORK/sbcA4_messages.log" | awk '{print $3}' | head -n 1)
b=$(invites "$WORK/sbcB4_messages.log" | awk '{print $3}' | head -n 1)
after=$(invites "$WORK/lastres_messages.log" | wc -l)
st=$(final_status call-933)
if [ "$before" -ne 0 ]; then
  fail last-resort-idle "last_resort got $before INVITE(s) while the SBCs answered"
fi
if sipp_ok call-933 "$rc" && [ "$after" -eq "$before" ] && $E911 check-invite "$WORK/sbcA4_messages.log" "sip:933@$PRIMARY" "$CALLBACK" >/dev/null 2>&1 &&
  $E911 check-invite "$WORK/sbcB4_messages.log" "sip:933@$SECONDARY" "$CALLBACK" >/dev/null 2>&1; then
  pass 933-test-call "primary got $a, secondary got $b (both 503, PIDF-LO and PAI on both), PBX got '$st', last_resort got nothing"
else
  fail 933-test-call "primary: ${a:-no INVITE}, secondary: ${b:-no INVITE}, last_resort INVITEs $before -> $after, PBX: '${st:-nothing}' (sipp exit $rc); primary INVITE check: $($E911 check-invite "$WORK/sbcA4_messages.log" "sip:933@$PRIMARY" "$CALLBACK" 2>&1 | head -c 200)"
fi
pbx_911 call-911-last-resort 911
rc=$?
lr=$(invites "$WORK/lastres_messages.log" | awk '{print $3}' | sed -n "$((after + 1))p")
lrlog=$WORK/lastres_messages.log
pai=$(sipp_last_message "$lrlog" "INVITE " | grep -ci '^P-Asserted-Identity:')
if sipp_ok call-911-last-resort "$rc" && [ -n "$lr" ] && $E911 invites "$lrlog" | tail -n 1 | grep -q " sip:911@$LAST_RESORT\(:5060\)\?\(;transport=udp\)\?$"; then
  pass 911-last-resort "both SBCs 503: last_resort got $lr (P-Asserted-Identity lines: $pai), answered, BYE"
else
  fail 911-last-resort "last_resort saw ${lr:-no INVITE}; PBX call: $(final_status call-911-last-resort | head -c 60) (sipp exit $rc)"
fi
sipp_uas_stop "$A"; sipp_uas_stop "$B"

# ---- 4. drain: an ordinary call up, SIGTERM, ordinary 503 and 911 through ------
sbc sbcA5 "$PRIMARY" uas_rr.xml; A=$BG_PID
sbc sbcB5 "$SECONDARY" uas_rr.xml; B=$BG_PID
sipp_uas next-hop 5091 -sf "$SCENARIOS/uas_rr.xml"
(UAC_PORT=5061 sipp_uac ordinary 127.0.0.1:5070 30 -sf "$SCENARIOS/uac_hold.xml" -m 1 -d 6000 -s 2000 -set host pbx.test
  echo $? >"$WORK/ordinary.rc") &
ORDINARY=$!
up=
for _ in $(seq 1 50); do
  grep -q '^ACK ' "$WORK/next-hop_messages.log" 2>/dev/null && { up=1; break; }
  sleep 0.1
done
if [ -z "$up" ]; then
  fail drain-ordinary-up "the ordinary call to pbx.test did not get established: $(tail -n 3 "$WORK/ordinary.out" 2>/dev/null | tr '\n' ' ')"
fi
# ctl_status: the SIP counters of `switchboard ctl status` on one line.
ctl_status() {
  timeout 10 "$SWITCHBOARD" ctl status --config "$CONFIG" 2>&1 | grep -E '^(draining|transactions_|pending_requests)' | tr '\n' ' '
}
note "before SIGTERM: $(ctl_status)"
kill -TERM "$SB_PID"
sleep 0.5
if ! sb_alive; then
  fail drain-waits "Switchboard exited within 0.5 s of SIGTERM while an ordinary call was up (drain_timeout = 20 s): calls in progress are not waited for"
fi
pbx_fail drain-ordinary-503 2001 pbx.test 5062
rc=$?
st=$(final_status drain-ordinary-503)
if sipp_ok drain-ordinary-503 "$rc" && echo "$st" | grep -q '^SIP/2.0 503'; then
  retry=$(sipp_last_message "$WORK/drain-ordinary-503_messages.log" "SIP/2.0 503" | grep -i '^Retry-After:' | tr -d '\r')
  pass drain-ordinary-503 "new ordinary INVITE while draining: '$st' ${retry:+($retry)}"
else
  fail drain-ordinary-503 "new ordinary INVITE while draining got '${st:-nothing}' (sipp exit $rc), expected 503"
fi
pbx_911 drain-911 911 5063
rc=$?
a=$(invites "$WORK/sbcA5_messages.log" | awk '{print $3}' | head -n 1)
if sipp_ok drain-911 "$rc" && [ -n "$a" ]; then
  pass drain-911 "911 while draining reached the primary as $a, answered, BYE completed"
else
  fail drain-911 "911 while draining: primary saw ${a:-no INVITE}, PBX got '$(final_status drain-911 | head -c 60)' (sipp exit $rc); switchboard $(sb_alive && echo running || echo 'had exited')"
fi
wait "$ORDINARY"
rc=$(cat "$WORK/ordinary.rc" 2>/dev/null || echo 99)
if sipp_ok ordinary "$rc"; then
  pass drain-ordinary-call "the call in progress at SIGTERM went on and ended with BYE/200"
else
  fail drain-ordinary-call "the call in progress at SIGTERM: sipp exit $rc, $(head -c 300 "$WORK/ordinary_errors.log" 2>/dev/null | tr '\n' ' ')"
fi
note "after the last call: $(ctl_status)"
# The drain may wait for the last transactions to terminate (Timer J/L), never beyond drain_timeout.
exited=
for _ in $(seq 1 250); do sb_alive || { exited=1; break; }; sleep 0.1; done
if [ -n "$exited" ]; then
  wait "$SB_PID"; code=$?
  SB_PID=
  [ "$code" -eq 0 ] && pass drain-exit "exit 0 once drained ($(grep -o 'stopped drain=.*' "$SB_LOG" | tail -n 1))" ||
    fail drain-exit "exit status $code after the drain"
else
  fail drain-exit "still running 25 s after SIGTERM (drain_timeout = 20 s)"
  sb_stop
fi

# A 911 call in progress at SIGTERM must go on: restart on the same data_dir,
# nothing else in flight, SIGTERM one second into the call.
if sb_start "$CONFIG" udp:127.0.0.1:5070; then
  acks=$(grep -c '^ACK ' "$WORK/sbcA5_messages.log" 2>/dev/null)
  (pbx_911 drain-911-up 911 5064 4000; echo $? >"$WORK/drain-911-up.rc") &
  UP=$!
  for _ in $(seq 1 50); do
    [ "$(grep -c '^ACK ' "$WORK/sbcA5_messages.log" 2>/dev/null)" -gt "${acks:-0}" ] && break
    sleep 0.1
  done
  note "911 call up, before SIGTERM: $(ctl_status)"
  kill -TERM "$SB_PID"
  sleep 0.5
  alive=$(sb_alive && echo yes || echo no)
  wait "$UP"
  rc=$(cat "$WORK/drain-911-up.rc" 2>/dev/null || echo 99)
  if [ "$alive" = yes ] && sipp_ok drain-911-up "$rc"; then
    pass drain-911-in-progress "a 911 call up at SIGTERM went on and ended with BYE/200"
  else
    fail drain-911-in-progress "SIGTERM during an answered 911 call: switchboard running 0.5 s later: $alive ($(grep -o 'stopped drain=.*' "$SB_LOG" | tail -n 1)); the caller's BYE: sipp exit $rc, $(head -c 200 "$WORK/drain-911-up_errors.log" 2>/dev/null | tr '\n' ' ')"
  fi
  for _ in $(seq 1 250); do sb_alive || break; sleep 0.1; done
  sb_alive && sb_stop
  wait "$SB_PID" 2>/dev/null
  SB_PID=
fi
sipp_uas_stop "$A"; sipp_uas_stop "$B"

# ---- 7. CDRs: class emergency with the SBC used -------------------------------
if timeout 20 "$SWITCHBOARD" cdr export --config "$CONFIG" >"$WORK/cdr.csv" 2>"$WORK/cdr.err"; then
  $E911 cdr "$WORK/cdr.csv" >"$WORK/cdr-emergency.txt" 2>&1
  problems=
  for expect in call-911:primary call-failover-503:secondary call-failover-silent:secondary \
    call-911-last-resort:last call-933:- drain-911:primary; do
    name=${expect%%:*} sbc=${expect#*:}
    id=$(call_id_of "$name")
    row=$(grep -F "$id " "$WORK/cdr-emergency.txt" | head -n 1)
    if [ -z "$id" ] || [ -z "$row" ]; then
      problems="$problems; no emergency row for $name (Call-ID ${id:-unknown})"
    elif [ "$sbc" != - ] && ! echo "$row" | awk '{print $3}' | grep -qi "$sbc"; then
      problems="$problems; $name: carrier '$(echo "$row" | awk '{print $3}')', expected the $sbc route"
    fi
  done
  if [ -z "$problems" ]; then
    pass cdr-emergency "$(wc -l <"$WORK/cdr-emergency.txt") emergency rows: $(awk '{print $2"->"$3" "$4}' "$WORK/cdr-emergency.txt" | tr '\n' ',' | sed 's/,$//')"
  else
    fail cdr-emergency "${problems#; }; export: $(head -c 400 "$WORK/cdr.csv" | tr '\n' '|')"
  fi
else
  fail cdr-emergency "cdr export failed: $(head -n 3 "$WORK/cdr.err" | tr '\n' ' ')"
fi

interop_finish
