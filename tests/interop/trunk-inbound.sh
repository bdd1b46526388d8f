#!/bin/bash
# Inbound DIDs, caller ID per carrier and customer channel limits through
# Switchboard's B2BUA, inside a private network namespace.
#
#   carrier a 127.0.0.2 (UAC from :5062, UAS on :5060), carrier b 127.0.0.3:5060
#   Switchboard 127.0.0.1:5070, domain sb.test, registrar on
#   bob: SIPp 127.0.0.1:5090, registered with digest (reg_auth.xml), answers
#   PBX: SIPp UAS 127.0.0.9:5060 (DID target); PBX UAC 127.0.0.1:5060 (outbound)
#
# Carriers a and b price prefix 1 (a cheaper); both are identified by their
# primary host's address (inbound_sources default), so their calls are not
# challenged although [auth] trusts only the PBX (127.0.0.1). Carrier a owns
# +14155550100-+14155550199 with default_caller_id +14155550100; customer
# "pbx" (127.0.0.1) has 1 channel.
# Checks: a carrier call to DID +14155550100 reaches bob's registered SIPp,
# which rings and answers (and sees no carrier address in the INVITE); a
# call to DID +14155550200 reaches the PBX as sip:+14155550200@127.0.0.9;
# an unknown DID gets 404 and neither carrier gets an INVITE; an outbound
# call from an owned number keeps it in From and P-Asserted-Identity on
# carrier a, one from a number a does not own goes out as +14155550100; with
# the customer's one channel busy, a second call gets 503 with Retry-After.
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/trunk-inbound.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp

DOMAIN=sb.test
declare -A CARRIER_IP=([a]=127.0.0.2 [b]=127.0.0.3)
declare -A CARRIER_RATE=([a]=0.0010 [b]=0.0020)
PBX_IP=127.0.0.9

printf 'prefix,rate,increment\n1,%s,60/60\n' "${CARRIER_RATE[a]}" >"$WORK/a.csv"
printf 'prefix,rate,increment\n1,%s,60/60\n' "${CARRIER_RATE[b]}" >"$WORK/b.csv"
sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]

[sip.timers]
t1_ms = 100

[registrar]
enabled = true

[auth]
realm = "$DOMAIN"
algorithms = ["MD5", "SHA-256"]
trusted = ["127.0.0.1"]

[media]
port_min = 41100
port_max = 41199
relay_ipv4 = "127.0.0.1"

# SIPp carriers do not answer OPTIONS: no health probes in this test.
[routing]
health_probe_interval = 0

[[carrier]]
name = "a"
primary = "${CARRIER_IP[a]}:5060"
rate_deck = "$WORK/a.csv"
owned_numbers = ["+14155550100-+14155550199"]
default_caller_id = "+14155550100"

[[carrier]]
name = "b"
primary = "${CARRIER_IP[b]}:5060"
rate_deck = "$WORK/b.csv"

[[did]]
number = "+14155550100"
target = "sip:bob@$DOMAIN"

[[did]]
number = "+14155550200-+14155550299"
target = "sip:$PBX_IP:5060"

[[routing.customer]]
name = "pbx"
sources = ["127.0.0.1"]
channels = 1
TOML
CONFIG=$WORK/sb.toml
if ! "$SWITCHBOARD" check-config "$CONFIG" >"$WORK/check.out" 2>&1; then
  fail config "check-config rejects the configuration: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
fi
mkdir -p "$WORK/data"
if ! timeout 20 "$SWITCHBOARD" user add bob --password bobpass --config "$CONFIG" >"$WORK/users.out" 2>&1; then
  fail user-add "$(tail -n 2 "$WORK/users.out" | tr '\n' ' ')"
  interop_finish
fi
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# carrier_call NAME SCENARIO NUMBER MAX_S: carrier a's SIPp UAC (127.0.0.2:5062) calls NUMBER.
carrier_call() {
  local name=$1 scenario=$2 number=$3 max=$4; shift 4
  (cd "$WORK" && timeout --kill-after=3 "$max" sipp 127.0.0.1:5070 -i "${CARRIER_IP[a]}" -p 5062 -nostdin \
    -recv_timeout 10000 -timeout "${max}s" -timeout_error -sf "$SCENARIOS/$scenario.xml" -s "$number" -m 1 \
    -mi 127.0.0.8 -trace_stat -stf "$WORK/$name.csv" -fd 1 \
    -trace_msg -message_file "$WORK/${name}_messages.log" \
    -trace_err -error_file "$WORK/${name}_errors.log" "$@" >"$WORK/$name.out" 2>&1)
}

# invites LOG: how many INVITEs a SIPp received.
invites() {
  [ -f "$1" ] || { echo 0; return; }
  grep -A1 -E 'message received' "$1" | grep -c '^INVITE '
}

# received_invite LOG: the last INVITE a SIPp received.
received_invite() { sipp_last_message "$1" "INVITE "; }

# ---- DID -> registered user ----------------------------------------------------------
UAC_PORT=5090 sipp_uac register-bob 127.0.0.1:5070 20 -m 1 -sf "$SCENARIOS/reg_auth.xml" -s bob -au bob -ap bobpass \
  -auth_uri "$DOMAIN" -set domain "$DOMAIN" -set expires 3600
check_calls register-bob "$WORK/register-bob.csv" 1 $?

sipp_uas bob 5090 -sf "$SCENARIOS/trunk_uas.xml" && BOB=$BG_PID
carrier_call did-user trunk_uac +14155550100 20 -set hold 200
rc=$?
sipp_uas_stop "$BOB"
check_calls did-user "$WORK/did-user.csv" 1 $rc
invite=$(received_invite "$WORK/bob_messages.log")
if [ "$(sipp_stat "$WORK/bob.csv" 'SuccessfulCall(C)')" = 1 ] && echo "$invite" | head -n 1 | grep -q 'sip:bob@127\.0\.0\.1:5090' &&
  ! echo "$invite" | grep -q '127\.0\.0\.2'; then
  pass did-user-side "bob's registered contact rang and answered; no carrier address in its INVITE"
else
  fail did-user-side "bob: successful $(sipp_stat "$WORK/bob.csv" 'SuccessfulCall(C)'); INVITE: $(echo "$invite" | head -n 8 | tr '\r\n' '  ')"
fi

# ---- DID -> PBX URI ------------------------------------------------------------------------
sipp_uas_at pbx "$PBX_IP" 5060 -sf "$SCENARIOS/trunk_uas.xml" && PBX=$BG_PID
carrier_call did-pbx trunk_uac +14155550200 20 -set hold 200
rc=$?
sipp_uas_stop "$PBX"
check_calls did-pbx "$WORK/did-pbx.csv" 1 $rc
first=$(received_invite "$WORK/pbx_messages.log" | head -n 1)
if echo "$first" | grep -q "^INVITE sip:+14155550200@$PBX_IP:5060"; then
  pass did-pbx-uri "PBX got $first"
else
  fail did-pbx-uri "PBX INVITE line: '${first:-none}'"
fi

# ---- unknown DID: 404, nothing to the carriers -----------------------------------------------
sipp_uas_at carrier-a "${CARRIER_IP[a]}" 5060 -sf "$SCENARIOS/trunk_uas.xml" && CA=$BG_PID
sipp_uas_at carrier-b "${CARRIER_IP[b]}" 5060 -sf "$SCENARIOS/trunk_uas.xml" && CB=$BG_PID
carrier_call did-unknown trunk_uac_404 +14155550999 20
rc=$?
sleep 0.5
check_calls did-unknown "$WORK/did-unknown.csv" 1 $rc
n=$(( $(invites "$WORK/carrier-a_messages.log") + $(invites "$WORK/carrier-b_messages.log") ))
if [ "$n" = 0 ]; then
  pass no-trombone "unknown DID from a carrier: no INVITE went out to carrier a or b"
else
  fail no-trombone "$n INVITE(s) reached the carriers"
fi

# ---- caller ID on the carrier side ----------------------------------------------------------------
pbx_call() {
  local name=$1 caller=$2; shift 2
  sipp_uac "$name" 127.0.0.1:5070 20 -sf "$SCENARIOS/trunk_uac_cid.xml" -s +13105550123 -m 1 -mi 127.0.0.10 \
    -set caller "$caller" "$@"
}
pbx_call cid-owned +14155550142 -set hold 200
check_calls cid-owned "$WORK/cid-owned.csv" 1 $?
invite=$(received_invite "$WORK/carrier-a_messages.log")
from=$(echo "$invite" | grep -iE '^(From|f):' | head -n 1)
pai=$(echo "$invite" | grep -i '^P-Asserted-Identity:' | head -n 1)
if echo "$from" | grep -q 'sip:+14155550142@' && echo "$pai" | grep -q 'sip:+14155550142@'; then
  pass cid-owned-carrier "carrier a saw $(echo "$from" | tr -d '\r'); $(echo "$pai" | tr -d '\r')"
else
  fail cid-owned-carrier "From '$from', PAI '$pai'"
fi
pbx_call cid-not-owned +13105550000 -set hold 200
check_calls cid-not-owned "$WORK/cid-not-owned.csv" 1 $?
invite=$(received_invite "$WORK/carrier-a_messages.log")
from=$(echo "$invite" | grep -iE '^(From|f):' | head -n 1)
if echo "$from" | grep -q 'sip:+14155550100@' && ! echo "$invite" | grep -q '13105550000'; then
  pass cid-not-owned-carrier "carrier a saw the default caller ID: $(echo "$from" | tr -d '\r')"
else
  fail cid-not-owned-carrier "From '$from'"
fi

# ---- customer channel limit ----------------------------------------------------------------------
pbx_call limit-held +14155550142 -set hold 3000 &
HELD=$!
sleep 1
UAC_PORT=5064 sipp_uac limit-extra 127.0.0.1:5070 20 -sf "$SCENARIOS/trunk_uac_503.xml" -s +13105550123 -m 1 -mi 127.0.0.10
check_calls limit-extra "$WORK/limit-extra.csv" 1 $?
wait "$HELD"
check_calls limit-held "$WORK/limit-held.csv" 1 $?
sipp_uas_stop "$CA"
sipp_uas_stop "$CB"
if grep -q 'customer near its channel limit' "$SB_LOG"; then
  pass limit-warning "80 % warning logged"
else
  fail limit-warning "no 'customer near its channel limit' line in the log"
fi

interop_finish
