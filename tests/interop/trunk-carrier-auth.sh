#!/bin/bash
# RFC 3261 22.2, 22.3, 8.1.3.5: Switchboard answers carriers' digest
# challenges with the [[carrier]] username/password, inside a private
# network namespace.
#
#   PBX: SIPp UAC 127.0.0.1:5060 --> Switchboard 127.0.0.1:5070 --> carriers:
#     twilio  127.0.0.2:5060  profile "twilio", prices 1415: challenges with 407
#     plivo   127.0.0.3:5060  profile "plivo",  prices 1212: challenges with 401
#     badpass 127.0.0.4:5060  generic, digest,  prices 1303: configured with a
#                             password the carrier does not accept
#
# Checks: a call to +14155550100 gets the carrier's 407, Switchboard sends the
# INVITE again with Proxy-Authorization (same Call-ID and From tag, CSeq + 1,
# the challenge's realm and nonce, uri = Request-URI, response verified here
# with tools/sipplog.py) and the call completes, the PBX never seeing the 407;
# a call to +12125550100 gets 401 and the Authorization is verified by SIPp
# itself (verifyauth); a call to +13035550100 with the wrong password is
# answered 403 by the carrier after one authenticated try, and the PBX gets a
# final failure (no loop of challenges).
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/trunk-carrier-auth.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp

REALM=carrier.test
USER=sb-trunk
PASS=s3cret-trunk
LOG="python3 $TOOLS/sipplog.py"
printf 'prefix,rate,increment\n1415,0.0045,60/60\n' >"$WORK/twilio.csv"
printf 'prefix,rate,increment\n1212,0.0050,1/1\n' >"$WORK/plivo.csv"
printf 'prefix,rate,increment\n1303,0.0060,60/60\n' >"$WORK/badpass.csv"
sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://127.0.0.1:5070"]

[sip.timers]
t1_ms = 100

[media]
port_min = 41000
port_max = 41099
relay_ipv4 = "127.0.0.1"

# SIPp carriers do not answer OPTIONS: no health probes in this test.
[routing]
health_probe_interval = 0

[[carrier]]
name = "twilio"
profile = "twilio"
primary = "127.0.0.2:5060"
auth = "digest"
username = "$USER"
password = "$PASS"
rate_deck = "$WORK/twilio.csv"

[[carrier]]
name = "plivo"
profile = "plivo"
primary = "127.0.0.3:5060"
auth = "digest"
username = "$USER"
password = "$PASS"
rate_deck = "$WORK/plivo.csv"

[[carrier]]
name = "badpass"
profile = "generic"
primary = "127.0.0.4:5060"
auth = "digest"
username = "$USER"
password = "not-the-password"
rate_deck = "$WORK/badpass.csv"
TOML
CONFIG=$WORK/sb.toml
if ! "$SWITCHBOARD" check-config "$CONFIG" >"$WORK/check.out" 2>&1; then
  fail config "check-config rejects the carrier auth configuration: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
fi
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# why NAME: SIPp's counters and first error lines of run NAME, for a FAIL line.
why() {
  echo "$1: ok $(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)') failed $(sipp_stat "$WORK/$1.csv" 'FailedCall(C)') $(head -c 300 "$WORK/$1_errors.log" 2>/dev/null | tr '\n' ' ')"
}
ok() {
  [ -s "$WORK/$1.csv" ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)')" = 1 ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'FailedCall(C)')" = 0 ]
}
invites() { $LOG count "$WORK/$1_messages.log" received "INVITE "; }

# call NAME CARRIER-IP NUMBER UAS-SCENARIO UAC-SCENARIO UAS-ARGS...
call() {
  local name=$1 ip=$2 number=$3 uas=$4 uac=$5; shift 5
  sipp_uas_at "$name-carrier" "$ip" 5060 -sf "$SCENARIOS/$uas.xml" -set realm "$REALM" "$@" || return 1
  local pid=$BG_PID
  sipp_uac "$name-pbx" 127.0.0.1:5070 20 -sf "$SCENARIOS/$uac.xml" -s "$number" -m 1 -mi 127.0.0.9 -set hold 200
  local rc=$?
  sipp_uas_stop "$pid"
  return $rc
}

# ---- 407 (Proxy-Authorization) ------------------------------------------------------
call digest-407 127.0.0.2 +14155550100 trunk_uas_auth407 trunk_uac
rc=$?
leaked=$($LOG count "$WORK/digest-407-pbx_messages.log" received "SIP/2.0 407")
if out=$($LOG digest "$WORK/digest-407-carrier_messages.log" "$USER" "$PASS") &&
  [ $rc -eq 0 ] && ok digest-407-pbx && ok digest-407-carrier && [ "$leaked" = 0 ]; then
  pass digest-407 "$out; call completed, the PBX saw no 407"
else
  fail digest-407 "sipp exit $rc; ${out:-}; 407s at the PBX: $leaked; $(why digest-407-pbx); $(why digest-407-carrier)"
fi

# ---- 401 (Authorization, verified by SIPp) ---------------------------------------------
call digest-401 127.0.0.3 +12125550100 trunk_uas_auth401 trunk_uac -set user "$USER" -set pass "$PASS"
rc=$?
leaked=$($LOG count "$WORK/digest-401-pbx_messages.log" received "SIP/2.0 401")
if out=$($LOG digest "$WORK/digest-401-carrier_messages.log" "$USER" "$PASS") &&
  [ $rc -eq 0 ] && ok digest-401-pbx && ok digest-401-carrier && [ "$leaked" = 0 ]; then
  pass digest-401 "$out (SIPp verifyauth agrees); call completed, the PBX saw no 401"
else
  fail digest-401 "sipp exit $rc; $out; 401s at the PBX: $leaked; $(why digest-401-pbx); $(why digest-401-carrier)"
fi

# ---- wrong password: one authenticated try, then the carrier's 403 to the PBX ----------
call digest-wrong 127.0.0.4 +13035550100 trunk_uas_auth401 trunk_uac -set user "$USER" -set pass "$PASS"
rc=$?
finals=$(python3 - "$WORK/digest-wrong-pbx_messages.log" <<'PY'
import re, sys
try:
    text = open(sys.argv[1], errors="replace").read()
except OSError:
    text = ""
print(" ".join(sorted(set(re.findall(r"(?m)^SIP/2.0 ([2-6]\d\d)", text)))))
PY
)
n=$(invites digest-wrong-carrier)
if [ "$n" = 2 ] && echo "$finals" | grep -qE '(^| )4[0-9][0-9]' && ! echo "$finals" | grep -qE '(^| )(2|401|407)'; then
  pass digest-wrong-password "carrier got $n INVITEs (challenge, one authenticated try), PBX got final $finals"
else
  fail digest-wrong-password "carrier got $n INVITEs (expected 2: one challenged, one authenticated), PBX finals '${finals:-none}'; $(why digest-wrong-pbx)"
fi

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
