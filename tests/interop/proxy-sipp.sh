#!/bin/bash
# RFC 3261 16: SIPp calls through Switchboard as a record-routing stateful
# proxy, inside a private network namespace.
#
#   SIPp UAC 127.0.0.1:5060 --> Switchboard 127.0.0.1:5070 --> SIPp UAS 127.0.0.1:5090
#
# For UDP, TCP (SIPp -t t1, Switchboard routing to ;transport=tcp) and, when
# this build has [sip.tls], TLS (SIPp -t l1): 100 calls of the record-route
# pair (scenarios/uac_rr.xml, uas_rr.xml: ACK and BYE follow the Record-Route
# set back through the proxy), then 20 calls of SIPp's built-in uac/uas pair
# over UDP. Every call must succeed on both sides.
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/proxy-sipp.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp

CALLS=${CALLS:-100}
RATE=${RATE:-50}

# run_pair NAME UAS-SCENARIO UAC-SCENARIO CALLS SIPP-TRANSPORT-ARGS...
run_pair() {
  local name=$1 uas_sc=$2 uac_sc=$3 calls=$4; shift 4
  sipp_uas "$name-uas" 5090 $uas_sc "$@" || return 1
  local uas=$BG_PID
  sipp_uac "$name-uac" 127.0.0.1:5070 40 $uac_sc -s service -r "$RATE" -m "$calls" "$@"
  local rc=$?
  sipp_uas_stop "$uas"
  check_calls "$name" "$WORK/$name-uac.csv" "$calls" "$rc"
  local uas_ok uas_failed
  uas_ok=$(sipp_stat "$WORK/$name-uas.csv" 'SuccessfulCall(C)')
  uas_failed=$(sipp_stat "$WORK/$name-uas.csv" 'FailedCall(C)')
  if [ "$uas_ok" = "$calls" ] && [ "$uas_failed" = 0 ]; then
    pass "$name-uas-side" "UAS saw $uas_ok/$calls complete calls, BYE included"
  else
    fail "$name-uas-side" "UAS: successful $uas_ok/$calls, failed $uas_failed; $(head -c 400 "$WORK/$name-uas_errors.log" 2>/dev/null | tr '\n' ' ')"
  fi
}

route_config() {   # LISTEN-ARRAY TARGET-URI [EXTRA-TOML]
  cat <<TOML
[sip]
listen = $1

[proxy]
record_route = true

[[proxy.route]]
domain = "*"
to = ["$2"]
${3:-}
TOML
}

# ---- UDP -------------------------------------------------------------------
route_config '["udp://127.0.0.1:5070"]' "sip:127.0.0.1:5090" | sb_config "$WORK/udp.toml"
if sb_start "$WORK/udp.toml" udp:127.0.0.1:5070; then
  run_pair udp-record-route "-sf $SCENARIOS/uas_rr.xml" "-sf $SCENARIOS/uac_rr.xml" "$CALLS"
  run_pair udp-builtin-uac-uas "-sn uas" "-sn uac" 20
  sb_alive || fail "udp-switchboard-alive" "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
  sb_stop
fi

# ---- TCP -------------------------------------------------------------------
route_config '["tcp://127.0.0.1:5070"]' "sip:127.0.0.1:5090;transport=tcp" | sb_config "$WORK/tcp.toml"
if sb_start "$WORK/tcp.toml" tcp:127.0.0.1:5070; then
  run_pair tcp-record-route "-sf $SCENARIOS/uas_rr.xml" "-sf $SCENARIOS/uac_rr.xml" "$CALLS" -t t1
  sb_alive || fail "tcp-switchboard-alive" "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
  sb_stop
fi

# ---- TLS (when this build reads [sip.tls]) ---------------------------------
# SIPp runs the record-route pair over TLS when it was built with OpenSSL;
# in any case a raw TLS client and a TLS responder (tools/badinput.py) check
# both directions: client -TLS-> Switchboard 5071 -TLS (certificate verified
# against ca_file, RFC 5922 IP name)-> responder 5091.
if ! command -v openssl >/dev/null 2>&1; then
  skip tls "openssl not installed"
else
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
  sb_config "$WORK/tls.toml" <<TOML
[sip]
listen = ["tls://127.0.0.1:5071"]

[sip.tls]
certificate = "$WORK/cert.pem"
private_key = "$WORK/key.pem"
ca_file = "$WORK/cert.pem"
verify_peer = true

[proxy]
record_route = true

[[proxy.route]]
domain = "ping.test"
to = ["sip:127.0.0.1:5091;transport=tls"]

[[proxy.route]]
domain = "*"
to = ["sip:127.0.0.1:5090;transport=tls"]
TOML
  if ! "$SWITCHBOARD" check-config "$WORK/tls.toml" >"$WORK/tls-check.out" 2>&1; then
    skip tls "this build does not accept a tls listener with [sip.tls]: $(head -n 2 "$WORK/tls-check.out" | tr '\n' ' ')"
  elif sb_start "$WORK/tls.toml" tcp:127.0.0.1:5071; then
    start_bg tls-responder python3 "$TOOLS/badinput.py" tls-responder 5091 "$WORK/cert.pem" "$WORK/key.pem"
    if wait_port tcp 127.0.0.1 5091 10 "$BG_PID" &&
      python3 "$TOOLS/badinput.py" tls-ping 127.0.0.1:5071 "$WORK/cert.pem" >"$WORK/tls-ping.out" 2>&1; then
      pass tls-options-both-ways "OPTIONS over TLS in and out (server certificate verified each way): $(cat "$WORK/tls-ping.out")"
    else
      fail tls-options-both-ways "OPTIONS over TLS to 5071, routed over TLS to 5091: $(cat "$WORK/tls-ping.out" 2>/dev/null) $(tail -n 3 "$WORK/tls-responder.out" | tr '\n' ' ')"
    fi
    if ! sipp -v 2>&1 | grep -q 'TLS'; then
      skip tls-record-route "this SIPp ($(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*')) was built without OpenSSL, so -t l1 is unavailable"
    elif sipp_uas tls-record-route-uas 5090 -sf "$SCENARIOS/uas_rr.xml" -t l1 \
      -tls_cert "$WORK/cert.pem" -tls_key "$WORK/key.pem"; then
      uas=$BG_PID
      sipp_uac tls-record-route-uac 127.0.0.1:5071 40 -sf "$SCENARIOS/uac_rr.xml" -s service -r "$RATE" -m "$CALLS" \
        -t l1 -tls_cert "$WORK/cert.pem" -tls_key "$WORK/key.pem"
      rc=$?
      sipp_uas_stop "$uas"
      check_calls tls-record-route "$WORK/tls-record-route-uac.csv" "$CALLS" "$rc"
    fi
    sb_stop
  fi
fi

interop_finish
