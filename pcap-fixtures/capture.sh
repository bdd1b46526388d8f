#!/usr/bin/env bash
# Regenerates every packet capture fixture in this directory by running real
# SIP software (Kamailio, SIPp, baresip, a small Python TCP caller) over the
# loopback interface and capturing it with tcpdump/dumpcap.
#
# Every peer binds its own 127.0.0.x address and an unusual port (2506x-2507x,
# media 2606x-2607x), every process is bounded by `timeout`, and only the
# processes this script started (tracked by PID) are stopped.
#
# Usage: pcap-fixtures/capture.sh [fixture-name ...]   (default: all)
# Needs root (or capture capabilities) and: sipp kamailio baresip tcpdump
# dumpcap editcap python3 (scripts/install-deps.sh installs them).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/switchboard-fixtures.XXXXXX)
STARTED=()

PROXY_IP=127.0.0.21 PROXY_PORT=25060
UAC_IP=127.0.0.22   UAC_PORT=25062 UAC_MEDIA=26062
UAS_IP=127.0.0.23   UAS_PORT=25064 UAS_MEDIA=26064
BARESIP_A_PORT=25066 BARESIP_B_PORT=25068
TCP_UAS_IP=127.0.0.26 TCP_UAS_PORT=25070
TCP_UAC_IP=127.0.0.27 TCP_UAC_PORT=25072

for tool in sipp kamailio baresip tcpdump dumpcap editcap python3 timeout; do
    command -v "$tool" >/dev/null || { echo "capture.sh: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done

# Stops one process we started and waits for it; harmless when it already exited.
stop() {
    local pid=$1 signal=${2:-TERM}
    kill -s "$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    for pid in "${STARTED[@]}"; do stop "$pid"; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME COMMAND... : runs COMMAND in the background, logging to $WORK/NAME.log.
start() {
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 </dev/null &
    LAST_PID=$!
    STARTED+=("$LAST_PID")
}

# Starts a capture on lo into FILE with capture FILTER and waits until it is live.
# EXTRA options go to tcpdump (or, with format pcapng, to dumpcap).
capture_start() {
    local file=$1 filter=$2 format=${3:-pcap}; shift 3 || shift $#
    rm -f "$file"
    if [ "$format" = pcapng ]; then
        start capture timeout 60 dumpcap -q -i lo -f "$filter" -w "$file"
        CAPTURE_PID=$LAST_PID
        for _ in $(seq 50); do [ -s "$file" ] && break; sleep 0.1; done
        sleep 0.5
    else
        start capture timeout 60 tcpdump -i lo --immediate-mode -U -s 0 -Z "$(id -un)" "$@" -w "$file" "$filter"
        CAPTURE_PID=$LAST_PID
        for _ in $(seq 50); do grep -q "listening on" "$WORK/capture.log" && break; sleep 0.1; done
    fi
}

capture_stop() {
    sleep 0.5
    stop "$CAPTURE_PID" INT
}

kamailio_start() {
    mkdir -p "$WORK/kamailio"
    start kamailio timeout 60 kamailio -f "$HERE/kamailio/kamailio.cfg" -DD -E \
        -Y "$WORK/kamailio" -P "$WORK/kamailio/kamailio.pid" -m 32 -M 8
    KAMAILIO_PID=$LAST_PID
    # Wait (bounded) until the listening socket shows up in /proc/net/udp (address:port in hex).
    local socket
    socket=$(printf '%02X%02X%02X%02X:%04X' $(tr . ' ' <<<"$PROXY_IP" | awk '{ print $4, $3, $2, $1 }') "$PROXY_PORT")
    for _ in $(seq 50); do
        grep -q " $socket " /proc/net/udp && break
        sleep 0.1
    done
    sleep 0.3
}

kamailio_stop() { stop "$KAMAILIO_PID"; }

# sipp_uac SCENARIO [extra sipp options]: one call from the UAC address, bounded.
sipp_uac() {
    local scenario=$1; shift
    (cd "$WORK" && timeout 30 sipp "$@" -sf "$HERE/scenarios/$scenario" \
        -i "$UAC_IP" -p "$UAC_PORT" -mi "$UAC_IP" -mp "$UAC_MEDIA" \
        -m 1 -nostdin -timeout 20s -timeout_error -trace_err \
        >"$WORK/uac-$scenario.log" 2>&1 </dev/null) || {
        echo "capture.sh: SIPp UAC $scenario failed" >&2
        cat "$WORK"/*errors.log "$WORK/uac-$scenario.log" >&2 2>/dev/null || true
        exit 1
    }
}

# sipp_uas SCENARIO [extra sipp options]: a callee for one call, in the background.
sipp_uas() {
    local scenario=$1; shift
    start "uas-$scenario" timeout 40 sipp -sf "$HERE/scenarios/$scenario" "$@" \
        -m 1 -nostdin -timeout 30s -timeout_error
    UAS_PID=$LAST_PID
    sleep 0.5
}

sipp_uas_wait() {
    wait "$UAS_PID" || { echo "capture.sh: SIPp UAS failed" >&2; cat "$WORK"/uas-*.log >&2; exit 1; }
}

fixture_register_digest() {
    kamailio_start
    capture_start "$HERE/register-digest.pcap" "udp port $PROXY_PORT"
    sipp_uac register-digest-uac.xml "$PROXY_IP:$PROXY_PORT"
    capture_stop
    kamailio_stop
}

# Calls from the SIPp UAC to the SIPp UAS through Kamailio (record-routing, stateful).
proxied_call() {
    local file=$1 uac=$2 uas=$3; shift 3
    kamailio_start
    capture_start "$file" "udp and (port $PROXY_PORT or port $UAC_PORT or port $UAS_PORT)" pcap "$@"
    sipp_uas "$uas" -i "$UAS_IP" -p "$UAS_PORT" -mi "$UAS_IP" -mp "$UAS_MEDIA"
    sipp_uac "$uac" "$UAS_IP:$UAS_PORT" -rsa "$PROXY_IP:$PROXY_PORT" -s bob
    sipp_uas_wait
    capture_stop
    kamailio_stop
}

fixture_invite_record_route() { proxied_call "$HERE/invite-record-route.pcap" invite-uac.xml callee-uas.xml; }
fixture_reinvite_hold() { proxied_call "$HERE/reinvite-hold.pcap" reinvite-hold-uac.xml callee-uas.xml; }
# Written with nanosecond timestamps (classic pcap, magic a1b23c4d).
fixture_cancel() { proxied_call "$HERE/cancel.pcap" cancel-uac.xml cancel-uas.xml --time-stamp-precision=nano; }

# One capture, written natively as pcapng by dumpcap (nanosecond resolution),
# converted to classic nanosecond pcap so both files hold identical packets.
fixture_options_keepalive() {
    kamailio_start
    capture_start "$WORK/options-keepalive.pcapng" "udp port $PROXY_PORT" pcapng
    sipp_uac options-keepalive-uac.xml "$PROXY_IP:$PROXY_PORT"
    capture_stop
    kamailio_stop
    cp "$WORK/options-keepalive.pcapng" "$HERE/options-keepalive.pcapng"
    editcap -F nsecpcap "$HERE/options-keepalive.pcapng" "$HERE/options-keepalive.pcap"
    chmod 644 "$HERE/options-keepalive.pcapng" "$HERE/options-keepalive.pcap"
}

# baresip (srtp-mand, SDES) calls a second baresip that answers automatically.
fixture_srtp_sdes_offer() {
    cp -r "$HERE/baresip" "$WORK/baresip"
    capture_start "$HERE/srtp-sdes-offer.pcap" "udp and (port $BARESIP_A_PORT or port $BARESIP_B_PORT)"
    start baresip-callee timeout 20 baresip -f "$WORK/baresip/callee" -t 8
    local callee=$LAST_PID
    sleep 1
    (cd "$WORK" && timeout 20 baresip -f "$WORK/baresip/caller" -t 3 \
        -e "/dial sip:bob@127.0.0.25:$BARESIP_B_PORT" >"$WORK/baresip-caller.log" 2>&1 </dev/null) || true
    capture_stop
    stop "$callee"
    grep -q "Call established" "$WORK/baresip-caller.log" || {
        echo "capture.sh: baresip call did not establish" >&2; cat "$WORK/baresip-caller.log" >&2; exit 1; }
}

# SIP over TCP with the INVITE split across segments and ACK+BYE in one segment.
fixture_tcp_segmented() {
    capture_start "$HERE/tcp-segmented.pcap" "tcp and (port $TCP_UAS_PORT or port $TCP_UAC_PORT)"
    sipp_uas callee-uas.xml -t t1 -i "$TCP_UAS_IP" -p "$TCP_UAS_PORT" -mi "$TCP_UAS_IP" -mp 26070
    timeout 20 python3 "$HERE/tcp-client.py" "$TCP_UAC_IP" "$TCP_UAC_PORT" "$TCP_UAS_IP" "$TCP_UAS_PORT"
    sipp_uas_wait
    capture_stop
}

ALL=(register-digest invite-record-route cancel reinvite-hold options-keepalive srtp-sdes-offer tcp-segmented)
for name in "${@:-${ALL[@]}}"; do
    echo "capture.sh: $name"
    "fixture_${name//-/_}"
done
echo "capture.sh: done; check with $HERE/check.sh"
