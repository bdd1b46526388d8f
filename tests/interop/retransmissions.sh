#!/bin/bash
# RFC 3261 17.1.1.2 / 17.2.1 / RFC 6026: lost messages around Switchboard,
# with T1 = 100 ms ([sip.timers] t1_ms) so the timers run fast. Messages are
# counted on the wire (tools/wire.py records lo inside the namespace).
#
#  1. timer-a-and-absorb: the UAC sends its INVITE twice, byte for byte
#     (tools/dupinvite.py); the UAS leaves the INVITE unanswered for 350 ms,
#     then answers 486 (scenarios/uas_slow_486.xml). Switchboard must forward
#     one INVITE per call (the copy is absorbed by the server transaction,
#     which answers it with its latest provisional response), retransmit
#     that INVITE to the UAS on Timer A (same branch, first after ~T1), ACK
#     the 486 itself and absorb the client's ACK.
#  2. timer-g-h: the UAS answers 486 (scenarios/uas_486.xml), the UAC never
#     ACKs it (scenarios/uac_no_ack.xml). Switchboard ACKs the 486 itself
#     (hop by hop), retransmits the 486 upstream on Timer G with doubling
#     intervals and stops when Timer H (64*T1 = 6.4 s) fires.
#  3. late-ack-2xx: the UAC holds its ACK for 1.2 s
#     (scenarios/uac_late_ack.xml), so the UAS retransmits its 200; every
#     copy must be forwarded upstream, and the call completes.
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp

sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://127.0.0.1:5070"]

[sip.timers]
t1_ms = 100
t2_ms = 4000
t4_ms = 1000

[proxy]
record_route = true

[[proxy.route]]
domain = "*"
to = ["sip:127.0.0.1:5090"]
TOML
sb_start "$WORK/sb.toml" udp:127.0.0.1:5070 || interop_finish

count() { python3 "$TOOLS/wire.py" count "$@"; }

# ---- 1. Timer A and absorption of the UAC's retransmission ------------------
CALLS=3
sniff_start "$WORK/a.jsonl" || interop_finish
sipp_uas a-uas 5090 -sf "$SCENARIOS/uas_slow_486.xml" || interop_finish
uas=$BG_PID
python3 "$TOOLS/dupinvite.py" 127.0.0.1:5070 $CALLS >"$WORK/dupinvite.out" 2>&1
rc=$?
sleep 0.3
sipp_uas_stop "$uas"
sniff_stop
note "dup INVITE client: $(tr '\n' ';' <"$WORK/dupinvite.out")"
uas_ok=$(sipp_stat "$WORK/a-uas.csv" 'SuccessfulCall(C)')
if [ $rc = 0 ] && [ "$(grep -c 'final=486' "$WORK/dupinvite.out")" = $CALLS ] && [ "$uas_ok" = $CALLS ]; then
  pass timer-a-calls "$CALLS INVITEs answered 486 after the UAS's delay, ACKed on both hops"
else
  fail timer-a-calls "client exit $rc, UAS completed $uas_ok/$CALLS: $(tr '\n' ' ' <"$WORK/dupinvite.out")"
fi
in_inv=$(count "$WORK/a.jsonl" --method INVITE --sport 5061 --dport 5070 | awk '{print $1}')
read -r out_inv _ out_branches <<<"$(count "$WORK/a.jsonl" --method INVITE --sport 5070 --dport 5090 --times --branches)"
trying=$(count "$WORK/a.jsonl" --status 100 --sport 5070 --dport 5061 | awk '{print $1}')
acks=$(count "$WORK/a.jsonl" --method ACK --sport 5070 --dport 5090 | awk '{print $1}')
if [ "$in_inv" = $((2 * CALLS)) ] && [ "$out_branches" = $CALLS ]; then
  pass absorb-invite-retransmission "$in_inv INVITEs in for $CALLS calls, forwarded on $out_branches client transactions"
else
  fail absorb-invite-retransmission "$in_inv INVITEs in (expected $((2 * CALLS))); forwarded on $out_branches branches (expected $CALLS)"
fi
if [ "$trying" -ge $((2 * CALLS)) ]; then
  pass answer-invite-retransmission "$trying 100 Trying sent: each INVITE copy was answered with the latest provisional (17.2.1)"
else
  fail answer-invite-retransmission "$trying 100 Trying upstream for $((2 * CALLS)) INVITE copies; 17.2.1 resends the latest provisional for each retransmission"
fi
if [ "$acks" = $CALLS ]; then
  pass ack-absorbed-hop-by-hop "$acks ACKs to the UAS: Switchboard's own for each 486, the client's ACKs stayed in its server transactions"
else
  fail ack-absorbed-hop-by-hop "$acks ACKs to the UAS, expected $CALLS (one per 486, the upstream ACK absorbed)"
fi
# per call: the INVITE copies toward the UAS and their spacing
python3 - "$WORK/a.jsonl" $CALLS <<'PY'
import json, sys
calls = int(sys.argv[2])
per = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("method") == "INVITE" and r["sport"] == 5070 and r["dport"] == 5090:
        per.setdefault(r.get("callid"), []).append(r)
ok = len(per) == calls
for cid, rs in per.items():
    t = [round((x["t"] - rs[0]["t"]) * 1000) for x in rs]
    gaps = [b - a for a, b in zip(t, t[1:])]
    good = len(rs) >= 2 and len({x.get("branch") for x in rs}) == 1 and gaps[0] >= 50
    good = good and all(g2 >= g1 for g1, g2 in zip(gaps, gaps[1:]))
    print("# timer A: call %s: INVITE copies to the UAS at %s ms" % (cid[:24], t))
    ok = ok and good
if ok:
    print("PASS timer-a-retransmits (every call's INVITE was retransmitted to the silent UAS, same branch, intervals T1 then doubling)")
else:
    print("FAIL timer-a-retransmits: expected >= 2 copies per call with one branch, first gap >= 50 ms, non-decreasing gaps; calls seen %d of %d" % (len(per), calls))
    sys.exit(1)
PY
[ $? -eq 0 ] || FAILED=1

# ---- 2. Timer G and Timer H: the 486 nobody ACKs ----------------------------
sniff_start "$WORK/g.jsonl" || interop_finish
sipp_uas g-uas 5090 -sf "$SCENARIOS/uas_486.xml" || interop_finish
uas=$BG_PID
sipp_uac g-uac 127.0.0.1:5070 20 -sf "$SCENARIOS/uac_no_ack.xml" -s service -m 1
rc=$?
sleep 1
sipp_uas_stop "$uas"
sniff_stop
check_calls timer-g-uac "$WORK/g-uac.csv" 1 $rc
uas_ok=$(sipp_stat "$WORK/g-uas.csv" 'SuccessfulCall(C)')
from_uas=$(count "$WORK/g.jsonl" --status 486 --sport 5090 --dport 5070 | awk '{print $1}')
acks=$(count "$WORK/g.jsonl" --method ACK --sport 5070 --dport 5090 | awk '{print $1}')
if [ "$uas_ok" = 1 ] && [ "$from_uas" = 1 ] && [ "$acks" = 1 ]; then
  pass hop-by-hop-ack "Switchboard ACKed the UAS's 486 once; the UAS never had to retransmit it"
else
  fail hop-by-hop-ack "486 from the UAS $from_uas times, ACKs to the UAS $acks, UAS calls ok $uas_ok (expected 1, 1, 1)"
fi
read -r n times <<<"$(count "$WORK/g.jsonl" --status 486 --sport 5070 --dport 5060 --times)"
python3 - "$n" "${times:-}" <<'PY'
import sys
n = int(sys.argv[1])
t = [int(x) for x in sys.argv[2].split(",")] if sys.argv[2] else []
gaps = [b - a for a, b in zip(t, t[1:])]
print("# timer G: 486 sent upstream %d times, at %s ms" % (n, t))
# T1 = 100 ms, T2 = 4 s: copies at 0, 100, 300, 700, 1500, 3100 (6300) ms; Timer H at 6400 ms.
ok = 6 <= n <= 8 and all(g2 >= g1 for g1, g2 in zip(gaps, gaps[1:])) and t[-1] <= 6400 + 500 and gaps[0] >= 50
if ok:
    print("PASS timer-g-retransmits-then-timer-h (486 retransmitted %d times with doubling intervals, none after Timer H)" % (n - 1))
else:
    print("FAIL timer-g-retransmits-then-timer-h: expected 6-8 copies, non-decreasing gaps, last by ~6.9 s; got %d at %s" % (n, t))
    sys.exit(1)
PY
[ $? -eq 0 ] || FAILED=1

# ---- 3. 2xx retransmissions while the ACK is late ---------------------------
sniff_start "$WORK/c.jsonl" || interop_finish
sipp_uas c-uas 5090 -sf "$SCENARIOS/uas_rr.xml" || interop_finish
uas=$BG_PID
sipp_uac c-uac 127.0.0.1:5070 20 -sf "$SCENARIOS/uac_late_ack.xml" -s service -m 1
rc=$?
sipp_uas_stop "$uas"
sniff_stop
check_calls late-ack-call "$WORK/c-uac.csv" 1 $rc
ok_in=$(count "$WORK/c.jsonl" --status 200 --cseq-method INVITE --sport 5090 --dport 5070 | awk '{print $1}')
ok_out=$(count "$WORK/c.jsonl" --status 200 --cseq-method INVITE --sport 5070 --dport 5060 | awk '{print $1}')
if [ "$ok_in" -ge 2 ] && [ "$ok_out" = "$ok_in" ]; then
  pass forward-2xx-retransmissions "the UAS sent its 200 $ok_in times, all $ok_out forwarded upstream"
else
  fail forward-2xx-retransmissions "the UAS sent its 200 $ok_in times, $ok_out forwarded upstream (expected >= 2 and equal)"
fi

sb_alive || fail switchboard-alive "switchboard exited"
interop_finish
