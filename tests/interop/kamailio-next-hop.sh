#!/bin/bash
# RFC 3261 16.6 / 16.12: Kamailio as Switchboard's next hop, both proxies
# record-routing, inside a private network namespace.
#
#   SIPp UAC 5060 --> Switchboard 5070 --> Kamailio 5080 (kamailio-next-hop.cfg) --> SIPp UAS 5090
#
# 50 calls of the record-route pair over UDP must succeed on both SIPp
# sides; the ACK and the BYE of every call must pass Switchboard and then
# Kamailio (counted on the wire on lo and in Kamailio's own log), and the
# BYE's 200 must come back the same way.
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp kamailio

CALLS=${CALLS:-50}

sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://127.0.0.1:5070"]

[proxy]
record_route = true

[[proxy.route]]
domain = "*"
to = ["sip:127.0.0.1:5080"]
TOML

mkdir -p "$WORK/kam"
start_bg kamailio kamailio -f "$INTEROP_DIR/kamailio-next-hop.cfg" -DD -E -m 64 -M 8 -Y "$WORK/kam"
KAM_PID=$BG_PID
if ! wait_port udp 127.0.0.1 5080 15 "$KAM_PID"; then
  fail kamailio-start "Kamailio did not listen on 5080: $(tail -n 5 "$WORK/kamailio.out" | tr '\n' ' ')"
  interop_finish
fi
sb_start "$WORK/sb.toml" udp:127.0.0.1:5070 || interop_finish
sniff_start "$WORK/wire.jsonl" || interop_finish

sipp_uas uas 5090 -sf "$SCENARIOS/uas_rr.xml" || interop_finish
UAS=$BG_PID
sipp_uac uac 127.0.0.1:5070 40 -sf "$SCENARIOS/uac_rr.xml" -s service -r 25 -m "$CALLS"
rc=$?
sipp_uas_stop "$UAS"
sleep 0.3
sniff_stop

check_calls kamailio-calls "$WORK/uac.csv" "$CALLS" "$rc"
uas_ok=$(sipp_stat "$WORK/uas.csv" 'SuccessfulCall(C)')
if [ "$uas_ok" = "$CALLS" ]; then
  pass kamailio-uas-side "UAS completed $uas_ok/$CALLS calls (BYE received)"
else
  fail kamailio-uas-side "UAS completed $uas_ok/$CALLS calls: $(head -c 400 "$WORK/uas_errors.log" 2>/dev/null | tr '\n' ' ')"
fi

count() { python3 "$TOOLS/wire.py" count "$WORK/wire.jsonl" "$@" | awk '{print $1}'; }
for m in INVITE ACK BYE; do
  a=$(count --method $m --sport 5060 --dport 5070)
  b=$(count --method $m --sport 5070 --dport 5080)
  c=$(count --method $m --sport 5080 --dport 5090)
  if [ "$a" -ge "$CALLS" ] && [ "$b" = "$a" ] && [ "$c" = "$a" ]; then
    pass "wire-$m-path" "$m: UAC->Switchboard $a, Switchboard->Kamailio $b, Kamailio->UAS $c"
  else
    fail "wire-$m-path" "$m: UAC->Switchboard $a, Switchboard->Kamailio $b, Kamailio->UAS $c (expected $CALLS each)"
  fi
done
# BYE answers: UAS -> Kamailio -> Switchboard -> UAC
python3 - "$WORK/wire.jsonl" "$CALLS" <<'PY' && pass wire-bye-200-path "200 for every BYE came back UAS->Kamailio->Switchboard->UAC" || fail wire-bye-200-path "see above"
import json, sys
calls = int(sys.argv[2])
hops = {(5090, 5080): 0, (5080, 5070): 0, (5070, 5060): 0}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("status") == 200 and r.get("cseq", "").endswith("BYE") and (r["sport"], r["dport"]) in hops:
        hops[(r["sport"], r["dport"])] += 1
bad = {k: v for k, v in hops.items() if v < calls}
if bad:
    print("# 200 (BYE) per hop: %s, expected >= %d each" % (hops, calls))
    sys.exit(1)
PY

kb=$(grep -c 'interop-req BYE' "$WORK/kamailio.out")
ka=$(grep -c 'interop-req ACK' "$WORK/kamailio.out")
if [ "$kb" = "$CALLS" ] && [ "$ka" = "$CALLS" ]; then
  pass kamailio-log "Kamailio handled $ka ACKs and $kb BYEs"
else
  fail kamailio-log "Kamailio handled $ka ACKs and $kb BYEs, expected $CALLS each"
fi
sb_alive || fail switchboard-alive "switchboard exited"
interop_finish
