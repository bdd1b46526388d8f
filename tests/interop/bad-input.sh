#!/bin/bash
# Bad input on the wire (RFC 3261 18.3 framing, 18.1.1 size, robustness):
# each of these is answered or closed, and a call through Switchboard still
# succeeds after each one.
#   garbage datagrams, a 64 KB datagram (random, then a valid 65507-byte
#   OPTIONS that cannot be forwarded over UDP), a TCP peer whose header
#   section never ends (closed at the size limit), a TCP peer that stops in
#   the middle of a body (closed at tcp_idle_timeout), a TLS handshake that
#   never finishes (closed at tls_handshake_timeout; when this build has
#   [sip.tls]), then a reload to the default timeouts and 10 000 idle TCP connections against
#   max_tcp_connections = 4096 (the excess refused, calls continue, new TCP
#   connections work again once they are gone).
#
# Topology: SIPp UAC 5060 -> Switchboard 5070 (udp, tcp; tls 5071) -> SIPp UAS 5090;
# requests for ping.test go to a 200-answering responder on 5091.
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

BAD="python3 $TOOLS/badinput.py"
T=127.0.0.1:5070

# Short connection timeouts so that the stalled peers below are closed while
# the script waits; the reload before the 10 000 connections sets the defaults.
IDLE_TIMEOUT=2
HANDSHAKE_TIMEOUT=1

base_config() {
  cat <<TOML
[sip]
listen = [$1]

[sip.limits]
max_message_size = 65535
max_tcp_connections = 4096
tcp_idle_timeout = $IDLE_TIMEOUT
tls_handshake_timeout = $HANDSHAKE_TIMEOUT

[sip.timers]
t1_ms = 100

[proxy]
record_route = true

[[proxy.route]]
domain = "ping.test"
to = ["sip:127.0.0.1:5091"]

[[proxy.route]]
domain = "*"
to = ["sip:127.0.0.1:5090"]
$2
TOML
}

TLS=0
LISTEN='"udp://127.0.0.1:5070", "tcp://127.0.0.1:5070"'
EXTRA=""
if command -v openssl >/dev/null 2>&1 &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1; then
  base_config "$LISTEN"', "tls://127.0.0.1:5071"' "
[sip.tls]
certificate = \"$WORK/cert.pem\"
private_key = \"$WORK/key.pem\"
" | sb_config "$WORK/sb.toml"
  if "$SWITCHBOARD" check-config "$WORK/sb.toml" >"$WORK/check.out" 2>&1; then
    TLS=1
    LISTEN="$LISTEN"', "tls://127.0.0.1:5071"'
    EXTRA="
[sip.tls]
certificate = \"$WORK/cert.pem\"
private_key = \"$WORK/key.pem\"
"
  else
    TLS_WHY="this build does not accept a tls listener with [sip.tls]: $(head -n 2 "$WORK/check.out" | tr '\n' ' ')"
  fi
else
  TLS_WHY="openssl not available to make a certificate"
fi
if [ $TLS = 0 ]; then
  base_config "$LISTEN" "" | sb_config "$WORK/sb.toml"
  sb_start "$WORK/sb.toml" udp:127.0.0.1:5070 tcp:127.0.0.1:5070 || interop_finish
else
  sb_start "$WORK/sb.toml" udp:127.0.0.1:5070 tcp:127.0.0.1:5070 tcp:127.0.0.1:5071 || interop_finish
fi

start_bg responder $BAD responder 5091
sipp_uas uas 5090 -sf "$SCENARIOS/uas_rr.xml" || interop_finish
UAS=$BG_PID

CALLN=0
# call_ok AFTER: three calls through the proxy must succeed, and it must be alive.
call_ok() {
  CALLN=$((CALLN + 1))
  if ! sb_alive; then
    fail "calls-after-$1" "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
    interop_finish
  fi
  sipp_uac "call$CALLN" $T 20 -sf "$SCENARIOS/uac_rr.xml" -s service -m 3 -r 10
  check_calls "calls-after-$1" "$WORK/call$CALLN.csv" 3 $?
}

call_ok start

# ---- garbage datagrams ------------------------------------------------------
$BAD garbage $T 3000 >"$WORK/garbage.out" 2>&1
sleep 0.3
if sb_alive && $BAD ping $T udp >"$WORK/ping.out" 2>&1; then
  pass garbage-datagrams "3000 random datagrams, then an OPTIONS answered: $(cat "$WORK/ping.out")"
else
  fail garbage-datagrams "no answer to an OPTIONS after 3000 random datagrams: $(cat "$WORK/ping.out")"
fi
call_ok garbage

# ---- 64 KB datagrams ----------------------------------------------------------
$BAD bigdgram $T >"$WORK/big.out" 2>&1
note "64 KB datagrams: $(tr '\n' ';' <"$WORK/big.out")"
if grep -q '^random: \[.nothing.\]' "$WORK/big.out"; then
  pass big-random-datagram "65507 random bytes dropped without an answer"
else
  fail big-random-datagram "$(grep '^random:' "$WORK/big.out")"
fi
# 21.5.14: the forwarded copy (one more Via) cannot fit in a UDP datagram to the UDP-only next hop -> 513
if grep -q "^options.*SIP/2.0 513" "$WORK/big.out"; then
  pass big-options-datagram "$(grep '^options' "$WORK/big.out")"
else
  fail big-options-datagram "a 65507-byte OPTIONS (within max_message_size) whose forwarded copy cannot fit in a UDP datagram must be answered 513 Message Too Large (RFC 3261 21.5.14): $(grep '^options' "$WORK/big.out")"
fi
call_ok big-datagrams

# ---- TCP: a header section that never ends ----------------------------------
sniff_start "$WORK/forever.jsonl" || interop_finish
$BAD headers-forever $T 4000000 15 >"$WORK/forever.out" 2>&1
forever_rc=$?
sleep 0.2
sniff_stop
if [ $forever_rc = 0 ]; then
  pass tcp-headers-forever-closed "$(cat "$WORK/forever.out")"
else
  fail tcp-headers-forever-closed "connection not closed: $(cat "$WORK/forever.out")"
fi
# the 513 may be lost to the peer (a close with unread data resets the connection), so look on the wire
n513=$(python3 "$TOOLS/wire.py" count "$WORK/forever.jsonl" --proto tcp --sport 5070 --status 513 | awk '{print $1}')
if [ "$n513" -ge 1 ]; then
  pass tcp-headers-forever-513 "513 sent before the close (max_message_size = 65535)"
else
  fail tcp-headers-forever-513 "no 513 on the wire before the connection closed; [sip.limits] max_message_size documents 'answered 513 over TCP/TLS'"
fi
call_ok tcp-headers-forever

# ---- TCP: a body that stops half way ----------------------------------------
start_bg midbody $BAD mid-body $T 4
MID=$BG_PID
sleep 0.5
call_ok tcp-mid-body
wait "$MID" 2>/dev/null
note "tcp mid-body: $(cat "$WORK/midbody.out")"
if grep -q '^closed' "$WORK/midbody.out"; then
  pass tcp-mid-body-idle-close "tcp_idle_timeout = $IDLE_TIMEOUT: $(cat "$WORK/midbody.out")"
else
  fail tcp-mid-body-idle-close "a half-sent message must be closed at tcp_idle_timeout = $IDLE_TIMEOUT s: $(cat "$WORK/midbody.out")"
fi

# ---- TLS: a handshake that never finishes ------------------------------------
if [ $TLS = 1 ]; then
  start_bg stucktls $BAD stuck-tls 127.0.0.1:5071 4
  STUCK=$BG_PID
  sleep 0.5
  if echo | timeout 5 openssl s_client -connect 127.0.0.1:5071 -verify_return_error -CAfile "$WORK/cert.pem" \
    >"$WORK/s_client.out" 2>&1 </dev/null; then
    pass tls-handshake-beside-stuck-one "a full TLS handshake completes while another one hangs"
  else
    fail tls-handshake-beside-stuck-one "openssl s_client failed while a handshake hangs: $(grep -m2 -i 'error\|verify' "$WORK/s_client.out" | tr '\n' ' ')"
  fi
  call_ok tls-stuck-handshake
  wait "$STUCK" 2>/dev/null
  note "tls stuck handshake: $(cat "$WORK/stucktls.out")"
  if grep -q '^closed' "$WORK/stucktls.out"; then
    pass tls-stuck-handshake-closed "tls_handshake_timeout = $HANDSHAKE_TIMEOUT: $(cat "$WORK/stucktls.out")"
  else
    fail tls-stuck-handshake-closed "a half handshake must be closed at tls_handshake_timeout = $HANDSHAKE_TIMEOUT s: $(cat "$WORK/stucktls.out")"
  fi
else
  skip tls-stuck-handshake "$TLS_WHY"
fi

# ---- reload: default timeouts for the connections to come --------------------
IDLE_TIMEOUT=120
HANDSHAKE_TIMEOUT=10
base_config "$LISTEN" "$EXTRA" | sb_config "$WORK/sb.toml"
if "$SWITCHBOARD" ctl --config "$WORK/sb.toml" reload >"$WORK/reload.out" 2>&1; then
  pass reload-timeouts "tcp_idle_timeout = $IDLE_TIMEOUT, tls_handshake_timeout = $HANDSHAKE_TIMEOUT: $(cat "$WORK/reload.out")"
else
  fail reload-timeouts "$(tr '\n' ' ' <"$WORK/reload.out")"
fi

# ---- 10 000 idle TCP connections (open longer than the old 2 s idle timeout) --
start_bg idle $BAD idle-conns $T 10000 "$WORK/idle.status" 4096
IDLE=$BG_PID
for _ in $(seq 1 450); do [ -s "$WORK/idle.status" ] && break; kill -0 $IDLE 2>/dev/null || break; sleep 0.1; done
if [ ! -s "$WORK/idle.status" ]; then
  fail tcp-10000-idle "the connection opener did not finish: $(tail -n 3 "$WORK/idle.out" | tr '\n' ' ')"
else
  st=$(cat "$WORK/idle.status")
  accepted=$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' "$WORK/idle.status")
  refused=$(sed -n 's/.*refused=\([0-9]*\).*/\1/p' "$WORK/idle.status")
  if [ "$accepted" -le 4096 ] && [ "$accepted" -ge 4000 ] && [ $((accepted + refused)) -eq 10000 ]; then
    pass tcp-10000-idle-limit "max_tcp_connections = 4096: $st"
  else
    fail tcp-10000-idle-limit "expected about 4096 accepted and the rest closed on accept: $st"
  fi
  call_ok tcp-10000-idle
  $BAD ping $T tcp >"$WORK/ping-full.out" 2>&1
  note "TCP OPTIONS while at the limit: $(cat "$WORK/ping-full.out")"
fi
stop_pid "$IDLE"
ok=0
for _ in $(seq 1 20); do
  if $BAD ping $T tcp >"$WORK/ping-after.out" 2>&1; then ok=1; break; fi
  sleep 0.5
done
if [ $ok = 1 ]; then
  pass tcp-after-idle-closed "new TCP connection answered once the idle ones closed: $(cat "$WORK/ping-after.out")"
else
  fail tcp-after-idle-closed "no TCP answer 10 s after the idle connections closed: $(cat "$WORK/ping-after.out")"
fi
call_ok end

sipp_uas_stop "$UAS"
interop_finish
