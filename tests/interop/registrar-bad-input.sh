#!/bin/bash
# RFC 3261 10.3, 21.4.4, 20.19, RFC 7616 3.3/3.4: the registrar against bad
# REGISTERs on the wire, inside a private network namespace. The phone is
# tools/regprobe.py (UDP, MD5 digest with qop=auth), the user is defined in
# the configuration as [[auth.user]] from the output of `switchboard user hash`.
#
#   regprobe.py 127.0.0.1:* --> Switchboard 127.0.0.1:5070 (udp)
#
# Checks: `user hash` prints HA1s for the configured realm and no password;
# the configured user registers (401, 200); a wrong password gets 403 and is
# counted (`ctl status` auth_failed) and the password is in no log or file;
# a replayed nonce count gets 401 stale=true; a forged nonce gets a fresh
# 401 without stale; one Contact header with 1000 addresses gets 403 Too Many
# Contacts (max_contacts = 10) and binds none of them; Expires: 99999999 and
# 4294967295 are shortened to max_expires (7200), Expires: 4294967296 (past
# 2^32-1, RFC 3261 20.19) and Expires: abc get 400;
# 2000 REGISTERs from one port in a burst are answered and another phone
# registers meanwhile; Switchboard is still alive at the end.
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/registrar-bad-input.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"

DOMAIN=sb.test
PASSWORD='Rb-9f3e-very-secret'
PROBE=$TOOLS/regprobe.py

# ---- the user, hashed by `switchboard user hash` ------------------------------
sb_config "$WORK/realm.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]
TOML
if ! block=$(timeout 20 "$SWITCHBOARD" user hash alice --password "$PASSWORD" --config "$WORK/realm.toml" 2>&1); then
  fail user-hash "$(echo "$block" | tail -n 2 | tr '\n' ' ')"
  interop_finish
fi
expected_md5=$(printf '%s' "alice:$DOMAIN:$PASSWORD" | md5sum | cut -d' ' -f1)
if echo "$block" | grep -q "ha1_md5 = \"$expected_md5\"" && echo "$block" | grep -q '^\[\[auth.user\]\]' &&
  ! echo "$block" | grep -qF "$PASSWORD"; then
  pass user-hash "prints [[auth.user]] with ha1_md5 = H(alice:$DOMAIN:password), no password"
else
  fail user-hash "unexpected output: $(echo "$block" | tr '\n' ' ')"
fi

sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = ["udp://127.0.0.1:5070"]

[registrar]
max_expires = 7200
max_contacts = 10

[auth]
algorithms = ["MD5", "SHA-256"]
trusted = []

$(echo "$block" | grep -v '^#')
TOML
sed -i 's/^level = .*/level = "debug"/' "$WORK/sb.toml"
CONFIG=$WORK/sb.toml
if ! "$SWITCHBOARD" check-config "$CONFIG" >"$WORK/check.out" 2>&1; then
  fail config "check-config: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
fi
sb_start "$CONFIG" udp:127.0.0.1:5070 || interop_finish

# probe NAME CHECK [ENV...]: one regprobe.py check, PASS/FAIL with its line.
probe() {
  local name=$1 check=$2; shift 2
  local out
  if out=$(env "$@" timeout 30 python3 "$PROBE" "$check" 127.0.0.1 5070 "$DOMAIN" alice "$PASSWORD" 2>&1); then
    pass "$name" "$(echo "$out" | tail -n 1)"
  else
    fail "$name" "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
  fi
}

status_field() {
  timeout 10 "$SWITCHBOARD" ctl status --config "$CONFIG" 2>/dev/null | awk -F': ' -v k="$1" '$1 == k {print $2}'
}

probe configured-user ok
failed_before=$(status_field auth_failed)
probe wrong-password wrong
failed_after=$(status_field auth_failed)
if [ -n "$failed_after" ] && [ "${failed_after:-0}" -gt "${failed_before:-0}" ]; then
  pass wrong-password-counted "ctl status auth_failed ${failed_before:-?} -> $failed_after"
else
  fail wrong-password-counted "ctl status auth_failed ${failed_before:-?} -> ${failed_after:-?}"
fi
probe nonce-count-replay replay
probe forged-nonce forged
probe thousand-contacts contacts
probe expires-99999999 expires=99999999 EXPECT=7200
probe expires-2pow32-1 expires=4294967295 EXPECT=7200
probe expires-2pow32 expires=4294967296 EXPECT=400
probe expires-not-a-number expires=abc EXPECT=400
probe register-flood flood=2000

if grep -rqF "$PASSWORD" "$WORK/switchboard.log" "$WORK/data" "$CONFIG" 2>/dev/null; then
  fail password-not-logged "the password appears in $(grep -rlF "$PASSWORD" "$WORK/switchboard.log" "$WORK/data" "$CONFIG" | tr '\n' ' ')"
else
  pass password-not-logged "not in the debug log, the data directory or the configuration"
fi
note "ctl status: $(timeout 10 "$SWITCHBOARD" ctl status --config "$CONFIG" 2>/dev/null | grep -E '^(register|auth)_' | tr '\n' ' ')"

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
