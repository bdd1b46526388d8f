#!/bin/bash
# RFC 3550, 3711, 4568, 3264, 7587 (issue 8): media through Switchboard's
# relay with real phones and carriers, inside a private network namespace.
#
#   baresip alice 127.0.0.1:5062 (SRTP, 440 Hz) --\                      /-- baresip bob 127.0.0.1:5064 (RTP, 1000 Hz)
#   baresip opus  127.0.0.1:5068 (Opus, 440 Hz) ---- Switchboard :5070 ---- carrier 127.0.0.1:5066: baresip (PCMU, 1000 Hz)
#   SIPp PBX      127.0.0.1:5060 (+ mediapeer.py)/   relay 127.0.0.1       \   or SIPp -rtp_echo (PCMU)
#
# Checks, each PASS/FAIL:
#   srtp-to-rtp      alice (mediaenc=srtp-mand) calls bob (plain RTP), both
#                    registered users ([media] local_calls = "nat": bridged,
#                    anchored because alice keys SRTP); each records what it
#                    hears (baresip sndfile) and the recordings hold the other's tone
#   opus-to-pcmu     an Opus-only phone calls a number; the carrier takes PCMU
#                    only ([[carrier]] codecs = ["PCMU"]): transcoded both ways
#   rtp-echo         SIPp PBX to a SIPp carrier with -rtp_echo: RTP comes back through the relay
#   stranger-rtp     RTP from another address mid-call is dropped (latched), the call goes on
#   garbage          junk datagrams to the stream and to every relay port, the call goes on
#   srtp-wrong-key   SRTP with a wrong key mid-call: dropped and counted (log), the call goes on
#   sdp-50-mlines    an offer with 50 m-lines is answered with 50 or refused
#                    cleanly, and no relay port stays bound
#   port-exhaustion  a relay with one call's worth of ports: the second call
#                    is refused (488/503), ports come back after hangup (and
#                    the pool's 10 s quarantine); 50 m-lines there are refused
#                    and the ports they took come back too
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/media-interop.sh
set -u
. "$(dirname "$0")/lib.sh"
INTEROP_MAX_S=${INTEROP_MAX_S:-170}
interop_init "$@"
require baresip sipp stdbuf

DOMAIN=sb.test
NUMBER=+14155550100
RELAY=127.0.0.1
PORT_MIN=42000
PORT_MAX=42999
PBX_MEDIA=127.0.0.9
LOG="python3 $TOOLS/sipplog.py"
export SB_LOG_LEVEL=info

# phone NAME SIP-PORT CTRL-PORT RTP-PORT TONE-HZ ACCOUNT-LINE: configures and starts
# baresip NAME (ausine tone as the microphone, sndfile recording to $WORK/NAME/rec).
phone() {
  baresip_config "$1" "$2" "$3" "$4" "$5" "$6" g711 opus srtp ausine aubridge sndfile
  baresip_start "$1" "$3"
}

# heard NAME HZ OTHER-HZ: the tone check of what NAME recorded (the decoder side of sndfile).
heard() {
  local wav
  wav=$(ls "$WORK/$1/rec/"*dec*.wav 2>/dev/null | head -n 1)
  [ -n "$wav" ] || { echo "$1 recorded nothing ($(ls "$WORK/$1/rec" | tr '\n' ' '))"; return 1; }
  python3 "$TOOLS/wavcheck.py" "$wav" "$2" "$3"
}

# relay_ports_bound LOW HIGH: UDP sockets bound in the relay range (0 when all were released).
relay_ports_bound() {
  ss -lunH 2>/dev/null | awk -v lo="$1" -v hi="$2" '{n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) c++} END {print c + 0}'
}

# ports_released LOW HIGH: waits up to 3 s for the relay's sockets in the range to close.
ports_released() {
  local _
  for _ in $(seq 1 30); do [ "$(relay_ports_bound "$1" "$2")" = 0 ] && return 0; sleep 0.1; done
  return 1
}

# config FILE PORT-MIN PORT-MAX: Switchboard with the registrar, one carrier
# (PCMU only, at 127.0.0.1:5066) and the relay on $RELAY.
config() {
  printf 'prefix,rate,increment\n1,0.0010,60/60\n' >"$WORK/pstn.csv"
  sb_config "$1" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]

[registrar]
enabled = true
min_expires = 60
default_expires = 3600
max_expires = 7200

[auth]
realm = "$DOMAIN"

[media]
port_min = $2
port_max = $3
relay_ipv4 = "$RELAY"
local_calls = "nat"

[[carrier]]
name = "pstn"
profile = "generic"
primary = "127.0.0.1:5066"
codecs = ["PCMU"]
rate_deck = "$WORK/pstn.csv"
# The phones share 127.0.0.1 with this carrier: its calls are not told apart by address.
inbound_sources = []
TOML
}

CONFIG=$WORK/sb.toml
config "$CONFIG" $PORT_MIN $PORT_MAX
sb_check_config "$CONFIG" "the media configuration"
sb_add_users "$CONFIG" alice:secret bob:bobpass
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# ---- 1. SRTP phone to a plain-RTP phone, both registered -------------------------
proxy='outbound="sip:127.0.0.1:5070;transport=udp"'
phone alice 5062 4450 20000 440 \
  "<sip:alice@$DOMAIN;transport=udp>;auth_pass=secret;$proxy;regint=600;audio_codecs=PCMU;mediaenc=srtp-mand" || interop_finish
ALICE=$BG_PID
phone bob 5064 4451 20010 1000 \
  "<sip:bob@$DOMAIN;transport=udp>;auth_pass=bobpass;$proxy;regint=600;answermode=auto;audio_codecs=PCMU" || interop_finish
BOB=$BG_PID
wait_line alice '\} 200 ' 15 && wait_line bob '\} 200 ' 15 || fail register "alice and bob: no 200 to REGISTER within 15 s"
baresip_cmd 4450 dial "sip:bob@$DOMAIN" >/dev/null || fail srtp-to-rtp "ctrl_tcp dial failed"
if wait_line alice 'Call established' 15 && wait_line bob "incoming rtp for 'audio' established" 5 && wait_line alice "incoming rtp for 'audio' established" 5; then
  sleep 3
  baresip_cmd 4450 hangup >/dev/null
  wait_line bob 'terminated|session closed' 10
  sleep 0.5
  secure=$(grep -m1 -o 'SRTP is Enabled[^)]*)' "$WORK/alice.out")
  from=$(grep -m1 -o 'receiving from [0-9.:]*' "$WORK/bob.out")
  port=${from##*:}
  to_bob=$(heard bob 440 1000); rb=$?
  to_alice=$(heard alice 1000 440); ra=$?
  if [ -n "$secure" ] && [ "${port:-0}" -ge $PORT_MIN ] && [ "${port:-0}" -le $PORT_MAX ] && [ $rb = 0 ] && [ $ra = 0 ] &&
    ! grep -q 'SRTP is Enabled' "$WORK/bob.out"; then
    pass srtp-to-rtp "alice: $secure; bob (plain RTP) $from (the relay); bob heard $to_bob; alice heard $to_alice"
  else
    fail srtp-to-rtp "alice SRTP '$secure'; bob $from; bob: $to_bob; alice: $to_alice"
  fi
else
  fail srtp-to-rtp "call or media not established; alice: $(grep -E -i 'call|srtp|488|40[0-9]' "$WORK/alice.out" | tail -n 3 | tr '\n' ' '); bob: $(grep -E -i 'call|rtp' "$WORK/bob.out" | tail -n 2 | tr '\n' ' ')"
fi
stop_pid "$ALICE"
stop_pid "$BOB"

# ---- 2. Opus phone to a PCMU-only carrier: transcoded ---------------------------------
phone carrier 5066 4453 20030 1000 "<sip:$NUMBER@127.0.0.1:5066>;regint=0;answermode=auto;audio_codecs=PCMU" || interop_finish
CARRIER=$BG_PID
phone opus 5068 4452 20020 440 "<sip:opus@127.0.0.1:5068>;regint=0;audio_codecs=opus/48000/2" || interop_finish
OPUS=$BG_PID
baresip_cmd 4452 dial "sip:$NUMBER@127.0.0.1:5070" >/dev/null || fail opus-to-pcmu "ctrl_tcp dial failed"
if wait_line opus 'Call established' 15 && wait_line carrier "incoming rtp for 'audio' established" 5 && wait_line opus "incoming rtp for 'audio' established" 5; then
  sleep 3
  baresip_cmd 4452 hangup >/dev/null
  wait_line carrier 'terminated|session closed' 10
  sleep 0.5
  to_carrier=$(heard carrier 440 1000); rc1=$?
  to_opus=$(heard opus 1000 440); rc2=$?
  codec_o=$(grep -m1 -o 'Set audio encoder: [^ ]* [^ ]*' "$WORK/opus.out")
  codec_c=$(grep -m1 -o 'Set audio encoder: [^ ]* [^ ]*' "$WORK/carrier.out")
  if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [[ "$codec_o" == *opus* ]] && [[ "$codec_c" == *PCMU* ]]; then
    pass opus-to-pcmu "phone '$codec_o', carrier '$codec_c'; carrier heard $to_carrier; Opus phone heard $to_opus"
  else
    fail opus-to-pcmu "phone '$codec_o', carrier '$codec_c'; carrier: $to_carrier; opus phone: $to_opus"
  fi
else
  fail opus-to-pcmu "call or media not established; opus: $(grep -E -i 'call|488|opus' "$WORK/opus.out" | tail -n 3 | tr '\n' ' '); carrier: $(grep -E -i 'call|rtp' "$WORK/carrier.out" | tail -n 2 | tr '\n' ' ')"
fi
stop_pid "$OPUS"
stop_pid "$CARRIER"

# ---- 3-6. SIPp PBX to a SIPp carrier that echoes RTP, bad input mid-call ------------------
# media_call NAME SCENARIO PEER-ARGS...: one PBX call held 3 s, carrier SIPp
# (-rtp_echo) on 127.0.0.1:5066, mediapeer.py on the PBX's media address.
media_call() {
  local name=$1 scenario=$2; shift 2
  sipp_uas "$name-carrier" 5066 -sf "$SCENARIOS/trunk_uas.xml" -rtp_echo -mi 127.0.0.1 || return 1
  local carrier=$BG_PID
  start_bg "$name-peer" python3 "$TOOLS/mediapeer.py" "$PBX_MEDIA" 6004 "$WORK/$name-pbx_messages.log" 50 "$@"
  local peer=$BG_PID
  sipp_uac "$name-pbx" 127.0.0.1:5070 25 -sf "$SCENARIOS/$scenario.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" \
    -set hold 3000 ${KEY:+-set key "$KEY"}
  local rc=$?
  wait "$peer"
  local prc=$?
  sipp_uas_stop "$carrier"
  if [ $rc -eq 0 ] && [ $prc -eq 0 ] && [ "$(sipp_stat "$WORK/$name-pbx.csv" 'SuccessfulCall(C)')" = 1 ]; then
    MEDIA_RESULT="call completed (BYE answered); $(tail -n 1 "$WORK/$name-peer.out")"
    return 0
  fi
  MEDIA_RESULT="sipp exit $rc, peer exit $prc: $(tail -n 2 "$WORK/$name-peer.out" | tr '\n' ' '); $(head -c 300 "$WORK/$name-pbx_errors.log" 2>/dev/null | tr '\n' ' ')"
  return 1
}

if media_call echo trunk_uac; then pass rtp-echo "$MEDIA_RESULT"; else fail rtp-echo "$MEDIA_RESULT"; fi
if media_call stranger trunk_uac --stranger 20; then pass stranger-rtp "$MEDIA_RESULT"; else fail stranger-rtp "$MEDIA_RESULT"; fi
if media_call garbage trunk_uac --garbage $PORT_MIN-$PORT_MAX; then
  sb_alive && pass garbage "$MEDIA_RESULT" || fail garbage "switchboard exited"
else
  fail garbage "$MEDIA_RESULT"
fi
KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(30)).decode())')
before=$(grep -c 'media closed' "$SB_LOG")
if KEY=$KEY media_call wrongkey trunk_uac_srtp --srtp "$KEY" --wrong-key 20; then
  sleep 0.5
  line=$(grep 'media closed' "$SB_LOG" | tail -n +$((before + 1)) | grep -o 'dropped=[^ ]*' | tail -n 1)
  failed=$(echo "$line" | grep -o 'transform-authenticationFailed:[0-9]*' | cut -d: -f2)
  if [ "${failed:-0}" -ge 20 ]; then
    pass srtp-wrong-key "$MEDIA_RESULT; relay counted $line"
  else
    fail srtp-wrong-key "the relay's drop counters do not show the 20 packets: '${line:-no media closed line}'"
  fi
else
  fail srtp-wrong-key "$MEDIA_RESULT"
fi
unset KEY

# sdp_many_mlines IN OUT COUNT [uas]: a copy of scenario IN whose SDP has COUNT audio m-lines
# (the UAS answer: the first with SIPp's media port, the others refused with port 0).
sdp_many_mlines() {
  python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import re, sys
src, dst, count, uas = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "uas"
text = open(src).read()
match = re.search(r"( *)m=audio (\S+) RTP/AVP 0\n *a=rtpmap:0 PCMU/8000\n", text)
indent, port = match.group(1), match.group(2)
lines = []
for i in range(count):
    p = port if (i == 0 or not uas) else "0"
    if not uas and i > 0:
        p = "[media_port+%d]" % (4 + 2 * i)
    lines.append("%sm=audio %s RTP/AVP 0\n%sa=rtpmap:0 PCMU/8000\n" % (indent, p, indent))
open(dst, "w").write(text[:match.start()] + "".join(lines) + text[match.end():])
PY
}
sdp_many_mlines "$SCENARIOS/trunk_uac_or_refused.xml" "$WORK/uac_50m.xml" 50
sdp_many_mlines "$SCENARIOS/trunk_uas.xml" "$WORK/uas_50m.xml" 50 uas

# fifty_mlines NAME LOW HIGH: the 50 m-line offer, then a plain call; ports all released.
fifty_mlines() {
  local name=$1 low=$2 high=$3
  sipp_uas "$name-carrier" 5066 -sf "$WORK/uas_50m.xml" -mi 127.0.0.1 || return 1
  local carrier=$BG_PID
  sipp_uac "$name-pbx" 127.0.0.1:5070 20 -sf "$WORK/uac_50m.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" -set hold 500
  local rc=$?
  sipp_uas_stop "$carrier"
  local answered refused mlines
  answered=$($LOG count "$WORK/$name-pbx_messages.log" received "SIP/2.0 200")
  refused=$(( $($LOG count "$WORK/$name-pbx_messages.log" received "SIP/2.0 488") + $($LOG count "$WORK/$name-pbx_messages.log" received "SIP/2.0 503") ))
  mlines=$($LOG show "$WORK/$name-pbx_messages.log" received "SIP/2.0 200" 2>/dev/null | grep -c '^m=audio')
  ports_released "$low" "$high"; local released=$?
  if [ $rc -eq 0 ] && [ $released = 0 ] && { [ "$refused" -ge 1 ] || [ "$mlines" = 50 ]; }; then
    if [ "$refused" -ge 1 ]; then
      RESULT="refused with '$(grep -h -m1 -E '^SIP/2.0 (488|503)' "$WORK/$name-pbx_messages.log" | tr -d '\r')'"
    else
      RESULT="answered with 50 m-lines"
    fi
    RESULT+="; no relay port in $low-$high left bound"
    return 0
  fi
  RESULT="sipp exit $rc, 200s $answered (m-lines $mlines), refusals $refused, ports still bound $(relay_ports_bound "$low" "$high"); $(head -c 300 "$WORK/$name-pbx_errors.log" 2>/dev/null | tr '\n' ' ')"
  return 1
}

if fifty_mlines fifty $PORT_MIN $PORT_MAX && media_call after-fifty trunk_uac; then
  pass sdp-50-mlines "$RESULT; next call: $MEDIA_RESULT"
else
  fail sdp-50-mlines "${RESULT:-}; ${MEDIA_RESULT:-}"
fi
sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
sb_stop

# ---- 7. port exhaustion: ports for one call only (RTP+RTCP on each side) -------------------
SMALL_MIN=43000
SMALL_MAX=43003
config "$WORK/small.toml" $SMALL_MIN $SMALL_MAX
sb_start "$WORK/small.toml" udp:127.0.0.1:5070 || interop_finish
sipp_uas exhaust-carrier 5066 -sf "$SCENARIOS/trunk_uas.xml" -mi 127.0.0.1
carrier=$BG_PID
(sipp_uac exhaust-first 127.0.0.1:5070 20 -sf "$SCENARIOS/trunk_uac.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" -set hold 3000) &
first=$!
sleep 1
bound=$(relay_ports_bound $SMALL_MIN $SMALL_MAX)
UAC_PORT=5061 sipp_uac exhaust-second 127.0.0.1:5070 15 -sf "$SCENARIOS/trunk_uac_or_refused.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" -set hold 500
rc2=$?
wait "$first"
rc1=$?
second=$(grep -h -m1 -E '^SIP/2.0 (488|503)' "$WORK/exhaust-second_messages.log" | tr -d '\r')
ports_released $SMALL_MIN $SMALL_MAX
released=$?
# Released ports stay in quarantine for 10 s (late packets of the old call must not reach a new one).
sleep 10.5
UAC_PORT=5062 sipp_uac exhaust-third 127.0.0.1:5070 15 -sf "$SCENARIOS/trunk_uac.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" -set hold 500
rc3=$?
sipp_uas_stop "$carrier"
if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ -n "$second" ] && [ $released = 0 ] && [ $rc3 = 0 ] && [ "$bound" = 4 ]; then
  pass port-exhaustion "first call held all $bound ports of $SMALL_MIN-$SMALL_MAX; second got '$second'; after hangup every socket closed and, after the 10 s port quarantine, the third call completed"
else
  fail port-exhaustion "first exit $rc1 (ports bound during it: $bound), second exit $rc2 ('${second:-no refusal}'), released $released, third exit $rc3"
fi
if fifty_mlines fifty-small $SMALL_MIN $SMALL_MAX; then
  sleep 10.5
  sipp_uas fourth-carrier 5066 -sf "$SCENARIOS/trunk_uas.xml" -mi 127.0.0.1
  carrier=$BG_PID
  UAC_PORT=5063 sipp_uac exhaust-fourth 127.0.0.1:5070 15 -sf "$SCENARIOS/trunk_uac.xml" -s "$NUMBER" -m 1 -mi "$PBX_MEDIA" -set hold 500
  rc4=$?
  sipp_uas_stop "$carrier"
  if [ $rc4 = 0 ]; then
    pass sdp-50-mlines-no-ports "$RESULT; after the quarantine a call with one stream completed"
  else
    fail sdp-50-mlines-no-ports "$RESULT, but the next call failed (sipp exit $rc4): $(head -c 300 "$WORK/exhaust-fourth_errors.log" | tr '\n' ' ')"
  fi
else
  fail sdp-50-mlines-no-ports "${RESULT:-}"
fi

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
