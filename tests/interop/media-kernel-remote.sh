#!/bin/bash
# RFC 3550, RFC 3264 8.4: the relay's kernel forwarding (TC program, plain
# RTP) toward hosts that are NOT this one, over a veth pair between two
# network namespaces; IP forwarding off in the relay's namespace, as on a
# relay host that is no router.
#
#   outside namespace (veth sbo0)                relay namespace (veth sbr0)
#   PBX: SIPp UAC 10.99.0.2:5060  ---------\
#        + rtppeer.py 10.99.0.2:6004        >--- Switchboard 10.99.0.1:5070
#   carrier: SIPp UAS 10.99.0.3:5060       /     relay 10.99.0.1:44000-44099
#        -rtp_echo on 10.99.0.3:6000  -----/     kernel_forwarding = "auto"
#
# The PBX calls a number through the B2BUA (media anchored), sends 200 PCMU
# packets 20 ms apart to the relay; the carrier echoes each, so 200 cross the
# relay each way. The forwarding program finds no FIB answer (forwarding is
# disabled) and sends the rewritten packets out of the interface the route
# lookup found (bpf_redirect_neigh). Run twice: with the veth pair's checksum
# offload on (the senders' packets are CHECKSUM_PARTIAL, as from a container)
# and off (full UDP checksums, as from a real NIC).
# Checks, per run:
#   kernel-active    `ctl status` during the call: media_kernel_forwarding
#                    active, media_kernel_rules >= 2
#   delivered        >= 95 % of the PBX's packets come back to it from the
#                    relay's address and port (tools/rtppeer.py), nothing
#                    from elsewhere; the call completes
#   source           on the outside veth (tcpdump): >= 95 % of the packets
#                    reach each far end from 10.99.0.1 and the relay port its
#                    SDP named, none from the other phone's address
#   checksum         every captured packet from the relay has a valid UDP
#                    checksum, or (offload on) the pseudo-header sum that the
#                    CHECKSUM_PARTIAL it travels as stands for
#   kernel-counted   the `media closed` line: the kernel forwarded >= 90 % of
#                    each direction, user space relayed at most 20 (the
#                    packets before latching)
# Skipped (exit 77) only when the kernel refuses the program (ctl status:
# unavailable).
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/media-kernel-remote.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp tcpdump nsenter

NUMBER=+14155550100
RELAY=10.99.0.1
PBX=10.99.0.2
CARRIER=10.99.0.3
PORT_MIN=44000
PORT_MAX=44099
COUNT=200
export SB_LOG_LEVEL=info

# ---- the outside namespace and the veth pair ------------------------------------
start_bg outside unshare -n sleep "${INTEROP_MAX_S:-90}"
OUT=$BG_PID
for _ in $(seq 1 50); do
  [ "$(readlink "/proc/$OUT/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && [ -n "$(readlink "/proc/$OUT/ns/net" 2>/dev/null)" ] && break
  sleep 0.1
done
# out CMD...: CMD in the outside namespace.
out() { nsenter -t "$OUT" -n "$@"; }
if ! ip link add sbr0 type veth peer name sbo0 || ! ip link set sbo0 netns "$OUT"; then
  fail setup "cannot make the veth pair sbr0/sbo0 into the outside namespace (pid $OUT)"
  interop_finish
fi
ip addr add $RELAY/24 dev sbr0 && ip link set sbr0 up &&
  out ip link set lo up && out ip addr add $PBX/24 dev sbo0 && out ip addr add $CARRIER/24 dev sbo0 && out ip link set sbo0 up ||
  { fail setup "cannot address the veth pair"; interop_finish; }
echo 0 >/proc/sys/net/ipv4/ip_forward
forwarding=$(cat /proc/sys/net/ipv4/conf/sbr0/forwarding)
[ "$forwarding" = 0 ] || { fail setup "IP forwarding is on in the relay's namespace (sbr0: $forwarding)"; interop_finish; }
for _ in $(seq 1 30); do out ping -c 1 -W 1 $RELAY >/dev/null 2>&1 && break; sleep 0.1; done
note "relay namespace: sbr0 $RELAY (forwarding $forwarding); outside namespace (pid $OUT): sbo0 $PBX, $CARRIER"

# out_wait_port HOST PORT PID: until a UDP socket is bound to HOST:PORT in the outside namespace.
out_wait_port() {
  local _
  for _ in $(seq 1 100); do
    out ss -lunH 2>/dev/null | awk '{print $4}' | grep -qx "$1:$2" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# txcsum INTERFACE on|off [outside]: an interface's transmit checksum offload
# (ETHTOOL_STXCSUM), in this namespace or the outside one.
txcsum() {
  local in=()
  [ "${3:-}" = outside ] && in=(nsenter -t "$OUT" -n)
  "${in[@]}" python3 - "$1" "$2" <<'PY'
import ctypes, fcntl, socket, struct, sys
value = ctypes.create_string_buffer(struct.pack("II", 0x17, 1 if sys.argv[2] == "on" else 0))
request = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(value))
fcntl.ioctl(socket.socket(), 0x8946, request)  # SIOCETHTOOL
PY
}

# ---- Switchboard in this (the relay's) namespace -----------------------------------
printf 'prefix,rate,increment\n1,0.0010,60/60\n' >"$WORK/pstn.csv"
sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://$RELAY:5070"]

[auth]
trusted = ["$PBX"]

[media]
port_min = $PORT_MIN
port_max = $PORT_MAX
relay_ipv4 = "$RELAY"
kernel_forwarding = "auto"

# SIPp carriers do not answer OPTIONS: no health probes in this test.
[routing]
health_probe_interval = 0

[[carrier]]
name = "pstn"
profile = "generic"
primary = "$CARRIER:5060"
rate_deck = "$WORK/pstn.csv"
TOML
CONFIG=$WORK/sb.toml
sb_check_config "$CONFIG" "the kernel forwarding configuration"
sb_start "$CONFIG" "udp:$RELAY:5070" || interop_finish
# The listener opens before the server is fully up, and `ctl status` reports the
# SIP side (kernel forwarding with it) only from then: wait for the started line.
for _ in $(seq 1 100); do grep -q "switchboard: started " "$SB_LOG" && break; sleep 0.1; done

# status KEY: one field of `switchboard ctl status`.
status() {
  timeout 10 "$SWITCHBOARD" ctl status --config "$CONFIG" 2>/dev/null | awk -F': ' -v k="$1" '$1 == k {print $2}'
}
mode=$(status media_kernel_forwarding)
if [ "$mode" = unavailable ]; then
  skip kernel-remote "the kernel refuses the forwarding program: $(grep -m1 'kernel forwarding unavailable' "$SB_LOG" | tr -d '\n')"
  exit 77
fi
[ "$mode" = active ] || { fail kernel-active "ctl status media_kernel_forwarding is '${mode:-nothing}', not active"; interop_finish; }

# ---- the calls -----------------------------------------------------------------------
# kernel_call NAME on|off: one PBX call (the veth's checksum offload on or off) with RTP both ways through the relay; the checks above.
kernel_call() {
  local name=$1
  start_bg "$name-cap" nsenter -t "$OUT" -n tcpdump -i sbo0 -n -U -w "$WORK/$name.pcap" udp and host $RELAY and portrange $PORT_MIN-$PORT_MAX
  local cap=$BG_PID
  wait_line "$name-cap" 'listening on' 5 || { fail "$name-capture" "tcpdump did not start: $(tail -n 2 "$WORK/$name-cap.out" | tr '\n' ' ')"; return 1; }

  start_bg "$name-carrier" bash -c 'cd "$1" && shift && exec "$@"' _ "$WORK" nsenter -t "$OUT" -n \
    sipp -i $CARRIER -p 5060 -nostdin -trace_stat -stf "$WORK/$name-carrier.csv" -fd 1 \
    -trace_msg -message_file "$WORK/$name-carrier_messages.log" -trace_err -error_file "$WORK/$name-carrier_errors.log" \
    -sf "$SCENARIOS/trunk_uas.xml" -rtp_echo -mi $CARRIER -mp 6000
  local carrier=$BG_PID
  out_wait_port $CARRIER 5060 "$carrier" || { fail "$name-carrier" "SIPp carrier did not start: $(tail -n 3 "$WORK/$name-carrier.out" | tr '\n' ' ')"; return 1; }

  start_bg "$name-peer" nsenter -t "$OUT" -n python3 "$TOOLS/rtppeer.py" $PBX 6004 "$WORK/$name-pbx_messages.log" $COUNT
  local peer=$BG_PID
  (cd "$WORK" && timeout --kill-after=3 25 nsenter -t "$OUT" -n sipp "$RELAY:5070" -i $PBX -p 5060 -nostdin \
    -recv_timeout 10000 -timeout 25s -timeout_error -trace_stat -stf "$WORK/$name-pbx.csv" -fd 1 \
    -trace_msg -message_file "$WORK/$name-pbx_messages.log" -trace_err -error_file "$WORK/$name-pbx_errors.log" \
    -sf "$SCENARIOS/trunk_uac.xml" -s "$NUMBER" -m 1 -mi $PBX -mp 6000 -set hold 7000 >"$WORK/$name-pbx.out" 2>&1) &
  local uac=$!
  # ctl status while the media flows (the peer starts sending once the 200 is logged).
  local rules=0 mode= _
  for _ in $(seq 1 60); do
    sleep 0.1
    grep -q '^SIP/2.0 200' "$WORK/$name-pbx_messages.log" 2>/dev/null || continue
    sleep 2
    mode=$(status media_kernel_forwarding)
    rules=$(status media_kernel_rules)
    break
  done
  wait "$uac"
  local rc=$?
  wait "$peer" 2>/dev/null
  local prc=$?
  kill -USR1 "$carrier" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$carrier" 2>/dev/null || break; sleep 0.1; done
  stop_pid "$carrier"
  sleep 0.3
  stop_pid "$cap" INT

  if [ "$mode" = active ] && [ "${rules:-0}" -ge 2 ]; then
    pass "$name-kernel-active" "during the call ctl status: media_kernel_forwarding $mode, media_kernel_rules $rules"
  else
    fail "$name-kernel-active" "during the call ctl status: media_kernel_forwarding '${mode:-?}', media_kernel_rules '${rules:-?}' (want active, >= 2)"
  fi
  check_calls "$name-call" "$WORK/$name-pbx.csv" 1 "$rc"

  local peer_line back
  peer_line=$(tail -n 1 "$WORK/$name-peer.out")
  back=$(echo "$peer_line" | sed -n 's/.*, \([0-9]*\) came back through it.*/\1/p')
  if [ "$prc" = 0 ] && [ "${back:-0}" -ge $((COUNT * 95 / 100)) ] && [[ "$peer_line" != *elsewhere* ]]; then
    pass "$name-delivered" "$peer_line"
  else
    fail "$name-delivered" "want >= $((COUNT * 95 / 100)) of $COUNT back from the relay, none from elsewhere (peer exit $prc): $peer_line"
  fi

  # The relay ports each side's SDP named: the 200 to the PBX, the INVITE to the carrier.
  local to_pbx to_carrier
  to_pbx=$(cd "$TOOLS" && python3 -c 'import sys; from rtpecho import answer; a = answer(sys.argv[1]); print(a[1] if a else "")' "$WORK/$name-pbx_messages.log")
  to_carrier=$(grep -a -m1 -o '^m=audio [0-9]*' "$WORK/$name-carrier_messages.log" | awk '{print $2}')
  if ! python3 - "$WORK/$name.pcap" "$RELAY" "${to_pbx:-0}" "$PBX" 6004 "${to_carrier:-0}" "$CARRIER" 6000 $COUNT "$2" >"$WORK/$name-pcap.out" 2>&1 <<'PY'
import socket, struct, sys
path, relay, rp_pbx, pbx, pbx_port, rp_car, car, car_port, count, offload = sys.argv[1:]
rp_pbx, pbx_port, rp_car, car_port, count = int(rp_pbx), int(pbx_port), int(rp_car), int(car_port), int(count)
data = open(path, "rb").read()
if len(data) < 24:
    print("source: no capture"); print("checksum: no capture"); sys.exit(1)
endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
link = struct.unpack(endian + "I", data[20:24])[0]
at, seen = 24, {}
bad, partial, valid, wrong_source = 0, 0, 0, []

def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s

def sum16(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))

while at + 16 <= len(data):
    caplen = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
    frame = data[at + 16:at + 16 + caplen]
    at += 16 + caplen
    ip = frame[14:] if link == 1 else frame[16:]
    if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
        continue
    ihl = (ip[0] & 15) * 4
    src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    udp = ip[ihl:]
    sport, dport, length, checksum = struct.unpack("!HHHH", udp[:8])
    if dst == relay:
        continue
    if len(udp) >= 9 and 192 <= udp[9] <= 223:
        continue  # RTCP: user space
    seen[(src, sport, dst, dport)] = seen.get((src, sport, dst, dport), 0) + 1
    if src != relay:
        wrong_source.append((src, sport, dst, dport))
        continue
    pseudo = sum16(ip[12:20]) + 17 + length
    if checksum == 0:
        bad += 1
    elif fold(pseudo + sum16(udp[:length])) == 0xFFFF:
        valid += 1
    elif offload == "on" and checksum == fold(pseudo):
        partial += 1  # CHECKSUM_PARTIAL: the field holds the pseudo-header sum, the data are summed by whoever completes it
    else:
        bad += 1
to_pbx = seen.get((relay, rp_pbx, pbx, pbx_port), 0)
to_car = seen.get((relay, rp_car, car, car_port), 0)
others = {k: v for k, v in seen.items() if k not in ((relay, rp_pbx, pbx, pbx_port), (relay, rp_car, car, car_port))}
ok_source = to_pbx * 100 >= count * 95 and to_car * 100 >= count * 95 and not wrong_source
print("source: %d to the carrier %s:%d from %s:%d, %d to the PBX %s:%d from %s:%d%s%s" % (
    to_car, car, car_port, relay, rp_car, to_pbx, pbx, pbx_port, relay, rp_pbx,
    "; other flows %s" % others if others else "", "; from another address %s" % wrong_source[:3] if wrong_source else ""))
total = valid + partial + bad
print("checksum: %d of %d packets from the relay with a valid UDP checksum, %d CHECKSUM_PARTIAL (pseudo-header sum), %d wrong" % (
    valid, total, partial, bad))
sys.exit(0 if ok_source and bad == 0 and total > 0 else 1)
PY
  then :; fi
  local src_line sum_line
  src_line=$(grep '^source:' "$WORK/$name-pcap.out")
  sum_line=$(grep '^checksum:' "$WORK/$name-pcap.out")
  if [ -n "$src_line" ] && python3 - "$src_line" $COUNT <<'PY'
import re, sys
line, count = sys.argv[1], int(sys.argv[2])
n = [int(x) for x in re.findall(r"(\d+) to the (?:carrier|PBX)", line)]
sys.exit(0 if len(n) == 2 and min(n) * 100 >= count * 95 and "another address" not in line else 1)
PY
  then
    pass "$name-source" "${src_line#source: } (on the outside veth)"
  else
    fail "$name-source" "want >= $((COUNT * 95 / 100)) each way from $RELAY and the relay ports the SDP named (PBX side ${to_pbx:-?}, carrier side ${to_carrier:-?}): ${src_line:-$(tail -n 3 "$WORK/$name-pcap.out" | tr '\n' ' ')}"
  fi
  if [[ "$sum_line" =~ ,\ 0\ wrong$ ]] && ! [[ "$sum_line" =~ of\ 0\ packets ]]; then
    pass "$name-checksum" "${sum_line#checksum: }"
  else
    fail "$name-checksum" "${sum_line:-no capture}"
  fi

  # The relay's own account at hangup.
  local line ab ba kab kba _
  for _ in $(seq 1 20); do
    line=$(grep 'media closed' "$SB_LOG" | tail -n +$((CLOSED + 1)) | tail -n 1)
    [ -n "$line" ] && break
    sleep 0.1
  done
  CLOSED=$(grep -c 'media closed' "$SB_LOG")
  ab=$(echo "$line" | grep -o 'relayed-a-b=[0-9]*' | cut -d= -f2)
  ba=$(echo "$line" | grep -o 'relayed-b-a=[0-9]*' | cut -d= -f2)
  kab=$(echo "$line" | grep -o 'kernel-a-b=[0-9]*' | cut -d= -f2)
  kba=$(echo "$line" | grep -o 'kernel-b-a=[0-9]*' | cut -d= -f2)
  if [ -n "$kab" ] && [ -n "$kba" ] && [ "$kab" -ge $((COUNT * 90 / 100)) ] && [ "$kba" -ge $((COUNT * 90 / 100)) ] &&
    [ $((ab - kab)) -le 20 ] && [ $((ba - kba)) -le 20 ]; then
    pass "$name-kernel-counted" "media closed: PBX to carrier $ab relayed, $kab by the kernel; carrier to PBX $ba, $kba by the kernel"
  else
    fail "$name-kernel-counted" "want the kernel to forward >= $((COUNT * 90 / 100)) each way and user space <= 20: '${line:-no media closed line}'"
  fi
}

CLOSED=0
kernel_call offload-on on
# Both ends without offload: the phones' packets and those user space relays before the
# kernel takes over carry full checksums, and so must the kernel's.
if txcsum sbo0 off outside && txcsum sbr0 off; then
  kernel_call offload-off off
else
  fail offload-off "cannot turn the veth pair's transmit checksum offload off (SIOCETHTOOL)"
fi

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
