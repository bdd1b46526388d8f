#!/usr/bin/env bash
# Checks every fixture with tshark: the SIP messages each capture must hold
# (counted per kind, so capture-order jitter between peers does not matter)
# and the property the fixture exists for. Exit status 1 on the first failure.
set -euo pipefail
cd "$(dirname "$0")"
command -v tshark >/dev/null || { echo "check.sh: tshark not found" >&2; exit 1; }
failures=0

# One token per SIP message: the method for requests, CODE/METHOD for responses.
messages() {
    tshark -r "$1" -Y sip -T fields -E separator='|' -E aggregator=',' \
        -e sip.Method -e sip.Status-Code -e sip.CSeq.method 2>/dev/null |
    awk -F'|' '{
        n = split($3, cseq, ",")
        if ($2 == "") { split($1, m, ","); for (i = 1; i <= length(m); i++) print m[i] }
        else { split($2, c, ","); for (i = 1; i <= length(c); i++) print c[i] "/" cseq[i] }
    }' | sort | uniq -c | awk '{ print $2 "x" $1 }' | paste -sd' '
}

expect_messages() {
    local file=$1 expected=$2 actual
    actual=$(messages "$file")
    expected=$(tr ' ' '\n' <<<"$expected" | sort | paste -sd' ')
    if [ "$actual" = "$expected" ]; then
        echo "ok   $file: $actual"
    else
        echo "FAIL $file"; echo "     expected: $expected"; echo "     actual:   $actual"; failures=$((failures + 1))
    fi
}

# expect FILE DESCRIPTION DISPLAY-FILTER: at least one frame matches the filter.
expect() {
    local file=$1 what=$2 filter=$3
    if [ -n "$(tshark -r "$file" -Y "$filter" -T fields -e frame.number 2>/dev/null | head -1)" ]; then
        echo "ok   $file: $what"
    else
        echo "FAIL $file: $what ($filter)"; failures=$((failures + 1))
    fi
}

expect_messages register-digest.pcap "REGISTERx2 401/REGISTERx1 200/REGISTERx1"
expect register-digest.pcap "401 carries WWW-Authenticate with qop" 'sip.Status-Code == 401 && sip.WWW-Authenticate contains "qop"'
expect register-digest.pcap "second REGISTER carries Authorization" 'sip.Method == "REGISTER" && sip.Authorization contains "response="'

expect_messages invite-record-route.pcap \
    "INVITEx2 100/INVITEx2 180/INVITEx2 200/INVITEx2 ACKx2 BYEx2 200/BYEx2"
expect invite-record-route.pcap "proxy inserts Record-Route" 'sip.Method == "INVITE" && sip.Record-Route'
expect invite-record-route.pcap "BYE carries Route" 'sip.Method == "BYE" && sip.Route'
expect invite-record-route.pcap "INVITE carries SDP" 'sip.Method == "INVITE" && sdp.media'

expect_messages cancel.pcap \
    "INVITEx2 100/INVITEx2 180/INVITEx2 CANCELx2 200/CANCELx2 487/INVITEx2 ACKx2"
expect cancel.pcap "classic pcap with nanosecond timestamps" 'frame.number == 1'
[ "$(od -An -tx4 -N4 cancel.pcap | tr -d ' ')" = a1b23c4d ] &&
    echo "ok   cancel.pcap: nanosecond magic" || { echo "FAIL cancel.pcap: not nanosecond magic"; failures=$((failures + 1)); }

expect_messages reinvite-hold.pcap \
    "INVITEx4 100/INVITEx3 180/INVITEx2 200/INVITEx4 ACKx4 BYEx2 200/BYEx2"
expect reinvite-hold.pcap "re-INVITE offers a=sendonly" 'sip.Method == "INVITE" && sdp.media_attr == "sendonly"'
expect reinvite-hold.pcap "answer to hold is a=recvonly" 'sip.Status-Code == 200 && sdp.media_attr == "recvonly"'

expect_messages options-keepalive.pcap "OPTIONSx3 200/OPTIONSx3"
expect_messages options-keepalive.pcapng "OPTIONSx3 200/OPTIONSx3"
capinfos -t options-keepalive.pcapng | grep -q 'File type:.*pcapng$' &&
    echo "ok   options-keepalive.pcapng: pcapng format" || { echo "FAIL options-keepalive.pcapng: not pcapng"; failures=$((failures + 1)); }
if diff <(tshark -r options-keepalive.pcap -T fields -e frame.time_epoch -e data.data -e udp.payload 2>/dev/null) \
        <(tshark -r options-keepalive.pcapng -T fields -e frame.time_epoch -e data.data -e udp.payload 2>/dev/null) >/dev/null; then
    echo "ok   options-keepalive: pcap and pcapng hold the same packets"
else
    echo "FAIL options-keepalive: pcap and pcapng differ"; failures=$((failures + 1))
fi

expect_messages srtp-sdes-offer.pcap "INVITEx1 180/INVITEx1 200/INVITEx1 ACKx1 BYEx1 200/BYEx1"
expect srtp-sdes-offer.pcap "INVITE offers RTP/SAVP with a=crypto (SDES)" \
    'sip.Method == "INVITE" && sdp.media.proto == "RTP/SAVP" && sdp contains "a=crypto:"'
expect srtp-sdes-offer.pcap "200 answers with a=crypto" 'sip.Status-Code == 200 && sdp contains "a=crypto:"'

expect_messages tcp-segmented.pcap "INVITEx1 100/INVITEx1 180/INVITEx1 200/INVITEx1 ACKx1 BYEx1 200/BYEx1"
expect tcp-segmented.pcap "INVITE spans several TCP segments" 'sip.Method == "INVITE" && tcp.reassembled.length'
expect tcp-segmented.pcap "ACK and BYE share one TCP segment" 'sip.Method == "ACK" && sip.Method == "BYE"'
expect tcp-segmented.pcap "connection opens and closes (SYN, FIN)" 'tcp.flags.fin == 1'

if [ "$failures" -ne 0 ]; then echo "check.sh: $failures failure(s)"; exit 1; fi
echo "check.sh: all fixtures ok"
