#!/bin/bash
# RFC 3261 10, 16: two baresip phones register with digest authentication
# through Switchboard and call each other, inside a private network namespace.
#
#   baresip alice 127.0.0.1:5062 (ctrl_tcp 4450) --\
#                                                    Switchboard 127.0.0.1:5070 (registrar, [auth])
#   baresip bob   127.0.0.1:5064 (ctrl_tcp 4451) --/
#
# Both phones use Switchboard as outbound proxy (account parameter
# outbound="sip:127.0.0.1:5070", so sip:...@sb.test needs no DNS), register
# (401, then 200), alice dials sip:bob@sb.test (407, then the authenticated
# INVITE), bob answers on his own (answermode=auto), both report the call
# established and RTP received (audio: ausine source, aubridge player, PCMU),
# alice hangs up and bob sees the call end.
#
# baresip 1.0.0 with libre 1.1.0 (Debian bookworm) computes MD5 only and
# gives up on a 401 as soon as one of its challenges is for another
# algorithm ("Register: Function not implemented"), whatever their order.
# The configuration offers SHA-256 and MD5, as the default does, and relies
# on `[auth] md5_only_user_agents = ["baresip"]` to offer baresip MD5 alone
# (override the list with SB_ALGORITHMS). SHA-256 answers are checked by
# registrar-sipp.sh.
#
# BARESIP_DIRECT=1 runs the phones without Switchboard (alice dials
# sip:bob@127.0.0.1:5064): the check of the phones' own mechanics.
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/registrar-baresip.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require baresip

DOMAIN=sb.test
DIRECT=${BARESIP_DIRECT:-0}
SB_ALGORITHMS=${SB_ALGORITHMS:-'"SHA-256", "MD5"'}

# ---- Switchboard --------------------------------------------------------------
if [ "$DIRECT" = 1 ]; then
  note "BARESIP_DIRECT=1: phones call each other without Switchboard"
  alice_account="<sip:alice@127.0.0.1:5062>;regint=0;audio_codecs=PCMU"
  bob_account="<sip:bob@127.0.0.1:5064>;regint=0;answermode=auto;audio_codecs=PCMU"
  callee=sip:bob@127.0.0.1:5064
else
  sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070", "tcp://127.0.0.1:5070"]

[registrar]
enabled = true
min_expires = 60
default_expires = 3600
max_expires = 7200
gruu = true
outbound = true

[auth]
realm = "$DOMAIN"
algorithms = [$SB_ALGORITHMS]
trusted = []
TOML
  CONFIG=$WORK/sb.toml
  sb_check_config "$CONFIG" "the registrar configuration"
  sb_add_users "$CONFIG" alice:secret bob:bobpass
  sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish
  proxy='outbound="sip:127.0.0.1:5070;transport=udp"'
  alice_account="<sip:alice@$DOMAIN;transport=udp>;auth_pass=secret;$proxy;regint=600;audio_codecs=PCMU"
  bob_account="<sip:bob@$DOMAIN;transport=udp>;auth_pass=bobpass;$proxy;regint=600;answermode=auto;audio_codecs=PCMU"
  callee=sip:bob@$DOMAIN
fi

# ---- phones -------------------------------------------------------------------
baresip_config alice 5062 4450 20000 440 "$alice_account" g711 ausine aubridge
baresip_config bob 5064 4451 20010 440 "$bob_account" g711 ausine aubridge
baresip_start alice 4450 || interop_finish
ALICE=$BG_PID
baresip_start bob 4451 || interop_finish
BOB=$BG_PID

if [ "$DIRECT" != 1 ]; then
  for p in alice bob; do
    # libre prints "<aor>: {0/UDP/v4} 200 OK (<server>) [1 binding]" on success.
    if wait_line "$p" '\} 200 ' 15; then
      pass "register-$p" "$(grep -E -m1 '\} 200 ' "$WORK/$p.out" | tr -d '\r')"
    else
      fail "register-$p" "no 200 to REGISTER within 15 s: $(grep -E -i 'reg|auth|40[0-9]' "$WORK/$p.out" | tail -n 3 | tr '\n' ' ')"
    fi
  done
  regs=$(sb_registrations "$CONFIG")
  if echo "$regs" | grep -q "alice@$DOMAIN" && echo "$regs" | grep -q "bob@$DOMAIN" &&
    echo "$regs" | grep -q '127\.0\.0\.1:5062' && echo "$regs" | grep -q '127\.0\.0\.1:5064'; then
    pass ctl-registrations "both phones listed: $(echo "$regs" | grep -E '5062|5064' | tr '\n' ' ' | cut -c1-300)"
  else
    fail ctl-registrations "expected alice on 127.0.0.1:5062 and bob on 127.0.0.1:5064: $(echo "$regs" | head -n 6 | tr '\n' ' ')"
  fi
fi

# ---- alice calls bob ------------------------------------------------------------
if out=$(baresip_cmd 4450 dial "$callee" 2>&1); then
  note "alice: dial $callee: ${out:-ok}"
else
  fail dial "ctrl_tcp dial $callee: $out"
fi
if wait_line alice 'Call established' 15 && wait_line bob 'Call established' 5; then
  pass call-established "alice: $(grep -m1 'Call established' "$WORK/alice.out" | tr -d '\r'); bob: $(grep -m1 'Call established' "$WORK/bob.out" | tr -d '\r')"
else
  fail call-established "within 15 s; alice: $(grep -E -i 'call|progress|40[0-9]|48[0-9]' "$WORK/alice.out" | tail -n 3 | tr '\n' ' '); bob: $(grep -E -i 'call' "$WORK/bob.out" | tail -n 2 | tr '\n' ' ')"
fi
# baresip logs the first RTP packet of a stream: media flowed both ways.
if wait_line alice "incoming rtp for 'audio' established" 5 && wait_line bob "incoming rtp for 'audio' established" 5; then
  pass rtp-both-ways "alice $(grep -m1 -o "receiving from [0-9.:]*" "$WORK/alice.out"), bob $(grep -m1 -o "receiving from [0-9.:]*" "$WORK/bob.out")"
else
  fail rtp-both-ways "no incoming RTP reported by $(grep -q "incoming rtp" "$WORK/alice.out" || echo "alice ")$(grep -q "incoming rtp" "$WORK/bob.out" || echo bob)"
fi
sleep 1
if out=$(baresip_cmd 4450 hangup 2>&1); then
  if wait_line bob 'terminated|session closed' 10; then
    pass hangup "bob: $(grep -E -m1 'terminated \(duration|session closed' "$WORK/bob.out" | tr -d '\r')"
  else
    fail hangup "bob did not see the call end within 10 s: $(tail -n 3 "$WORK/bob.out" | tr '\n' ' ')"
  fi
else
  fail hangup "ctrl_tcp hangup: $out"
fi

stop_pid "$ALICE"
stop_pid "$BOB"
[ "$DIRECT" = 1 ] || sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
