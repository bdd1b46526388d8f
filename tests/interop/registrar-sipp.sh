#!/bin/bash
# RFC 3261 10, RFC 7616: Switchboard as registrar with digest authentication,
# SIPp (and a small digest client for SHA-256 and TLS) as the phones, inside
# a private network namespace.
#
#   SIPp UAC / phone 127.0.0.1:5060 --> Switchboard 127.0.0.1:5070 (udp, tcp), 5071 (tls)
#   SIPp "bob" 127.0.0.1:5090: registers (reg_auth.xml), then answers (uas_rr.xml)
#
# Users alice, bob and carol are added with `switchboard user add` before the
# start; `[auth] trusted = []`, so every out-of-dialog request is challenged.
# Checks: REGISTER over UDP and TCP gets 401 (challenges for SHA-256 and MD5),
# then 200 listing the Contact with expires; the same over TLS and with
# SHA-256 by the digest client (SIPp 3.6.1 computes MD5 only and has no TLS
# in Debian's build); Expires: 30 gets 423 with Min-Expires: 60; a wrong
# password is not bound; Expires: 0 removes the bindings (`ctl
# registrations`); a call to bob (407, then authenticated) reaches bob's
# registered SIPp; a call to carol (never registered) gets 480; after
# `kill -9` and a restart on the same data_dir, bob's binding is still listed
# and a call reaches him without a new REGISTER.
#
# SIPp 3.6.1 answers the first challenge of a 401/407 and fails on SHA-256,
# so this configuration lists MD5 first (`algorithms = ["MD5", "SHA-256"]`,
# override with SB_ALGORITHMS); the digest client answers the SHA-256 one.
#
# Usage: SWITCHBOARD=path/to/switchboard tests/interop/registrar-sipp.sh
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require sipp openssl

DOMAIN=sb.test
SB_ALGORITHMS=${SB_ALGORITHMS:-'"MD5", "SHA-256"'}

# ---- configuration, certificates, users --------------------------------------
# SB_TLS=0 leaves out the tls listener (and its checks).
TLS=${SB_TLS:-1}
TLS_WHY="SB_TLS=0"
if [ "$TLS" = 1 ] && ! sh "$REPO_ROOT/scripts/make-test-certs.sh" "$WORK/certs" >"$WORK/certs.out" 2>&1; then
  TLS=0
  TLS_WHY="scripts/make-test-certs.sh failed: $(tail -n 2 "$WORK/certs.out" | tr '\n' ' ')"
fi
listen='"udp://127.0.0.1:5070", "tcp://127.0.0.1:5070"'
tls_section=
if [ $TLS = 1 ]; then
  listen="$listen, \"tls://127.0.0.1:5071\""
  tls_section="
[sip.tls]
certificate = \"$WORK/certs/server.pem\"
private_key = \"$WORK/certs/server.key\"
ca_file = \"$WORK/certs/ca.pem\"
"
fi
sb_config "$WORK/sb.toml" <<TOML
[sip]
domains = ["$DOMAIN"]
listen = [$listen]
$tls_section
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

if ! "$SWITCHBOARD" check-config "$CONFIG" >"$WORK/check.out" 2>&1; then
  fail config "check-config rejects the registrar configuration: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
fi
mkdir -p "$WORK/data"
for u in alice:secret bob:bobpass carol:carolpass; do
  if ! timeout 20 "$SWITCHBOARD" user add "${u%%:*}" --password "${u#*:}" --config "$CONFIG" >>"$WORK/users.out" 2>&1; then
    fail "user-add-${u%%:*}" "$(tail -n 2 "$WORK/users.out" | tr '\n' ' ')"
    interop_finish
  fi
done
users=$(timeout 20 "$SWITCHBOARD" user list --config "$CONFIG" 2>&1)
if echo "$users" | grep -qw alice && echo "$users" | grep -qw bob && echo "$users" | grep -qw carol; then
  pass user-list "alice, bob and carol listed"
else
  fail user-list "user list: $(echo "$users" | head -n 5 | tr '\n' ' ')"
fi

starts=(udp:127.0.0.1:5070 tcp:127.0.0.1:5070)
[ $TLS = 1 ] && starts+=(tcp:127.0.0.1:5071)
sb_start "$CONFIG" "${starts[@]}" || interop_finish

# ---- helpers ------------------------------------------------------------------
# sipp_run NAME MAX_S SIPP-ARGS...: one SIPp call to Switchboard 5070, from
# 127.0.0.1:${UAC_PORT:-5060}.
sipp_run() {
  local name=$1 max=$2; shift 2
  sipp_uac "$name" 127.0.0.1:5070 "$max" -m 1 -set domain "$DOMAIN" "$@"
}

# sipp_ok NAME RC: SIPp exited 0 with its one call successful (prints nothing;
# check_calls then says why not).
sipp_ok() {
  [ "$2" -eq 0 ] && [ -s "$WORK/$1.csv" ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'SuccessfulCall(C)')" = 1 ] &&
    [ "$(sipp_stat "$WORK/$1.csv" 'FailedCall(C)')" = 0 ]
}

# contact_in RESPONSE PORT TRANSPORT: the 200's Contact list holds
# sip:...@127.0.0.1:PORT;transport=TRANSPORT with expires > 0 (prints it).
contact_in() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys
msg, port, transport = sys.argv[1], sys.argv[2], sys.argv[3].lower()
values = []
for line in msg.splitlines():
    name, sep, value = line.partition(":")
    if sep and name.strip().lower() in ("contact", "m"):
        values += re.findall(r'<[^>]*>[^,]*', value)
for c in values:
    uri = c[c.index("<") + 1:c.index(">")].lower()
    m = re.search(r";\s*expires\s*=\s*(\d+)", c[c.index(">"):])
    if "@127.0.0.1:%s" % port in uri and "transport=%s" % transport in uri and m and int(m.group(1)) > 0:
        print(c.strip())
        sys.exit(0)
sys.exit(1)
PY
}

# register NAME USER PASSWORD EXPIRES TRANSPORT-ARGS...: reg_auth.xml, 401 then 200.
register() {
  local name=$1 user=$2 pw=$3 expires=$4; shift 4
  sipp_run "$name" 20 -sf "$SCENARIOS/reg_auth.xml" -s "$user" -au "$user" -ap "$pw" \
    -auth_uri "$DOMAIN" -set expires "$expires" "$@"
}

# ---- REGISTER over UDP and TCP: 401 (SHA-256 and MD5), then 200 with Contact;expires
for t in udp tcp; do
  targs=()
  [ $t = tcp ] && targs=(-t t1)
  register "register-$t" alice secret 3600 "${targs[@]}"
  rc=$?
  if sipp_ok "register-$t" "$rc"; then
    ok=$(sipp_last_message "$WORK/register-${t}_messages.log" "SIP/2.0 200")
    if c=$(contact_in "$ok" 5060 "$t"); then
      pass "register-$t" "401 with SHA-256 and MD5 challenges, then 200 binding $c"
    else
      fail "register-$t" "200 does not list <sip:alice@127.0.0.1:5060;transport=$t> with expires: $(echo "$ok" | grep -i '^\(contact\|m\):' | tr '\n' ' ')"
    fi
  else
    check_calls "register-$t" "$WORK/register-$t.csv" 1 "$rc"
  fi
done

# ---- SHA-256 over UDP, and TLS, with a digest client --------------------------
cat >"$WORK/digest.py" <<'PY'
"""REGISTER with digest authentication: sends one without credentials, answers
the 401's challenge for ALGORITHM (RFC 7616, qop=auth), expects a 200 whose
Contact list holds this client's contact with expires > 0 (or, with EXPIRES 0,
no longer holds it). Prints what it saw; exit 0 on success."""
import hashlib, os, re, socket, ssl, sys

transport, host, port, user, password, domain, algorithm, expires = sys.argv[1:9]
cafile = sys.argv[9] if len(sys.argv) > 9 else None
port, expires = int(port), int(expires)
H = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}[algorithm]

if transport == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.connect((host, port))
else:
    s = socket.create_connection((host, port), timeout=5)
    if transport == "tls":
        s = ssl.create_default_context(cafile=cafile).wrap_socket(s, server_hostname=host)
s.settimeout(5)
lport = s.getsockname()[1]
call_id, tag = os.urandom(8).hex(), os.urandom(4).hex()
contact = "sip:%s@127.0.0.1:%d;transport=%s" % (user, lport, transport)
buffer = b""

def receive():
    global buffer
    if transport == "udp":
        return s.recv(65535).decode(errors="replace")
    while b"\r\n\r\n" not in buffer:
        chunk = s.recv(65535)
        if not chunk:
            raise SystemExit("connection closed")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    while len(rest) < length:
        rest += s.recv(65535)
    buffer = rest[length:]
    return (head + b"\r\n\r\n" + rest[:length]).decode(errors="replace")

def send(cseq, authorization=None):
    lines = [
        "REGISTER sip:%s SIP/2.0" % domain,
        "Via: SIP/2.0/%s 127.0.0.1:%d;branch=z9hG4bK%s;rport" % (transport.upper(), lport, os.urandom(6).hex()),
        "From: <sip:%s@%s>;tag=%s" % (user, domain, tag),
        "To: <sip:%s@%s>" % (user, domain),
        "Call-ID: %s" % call_id,
        "CSeq: %d REGISTER" % cseq,
        "Contact: <%s>" % contact,
        "Expires: %d" % expires,
        "Max-Forwards: 70",
        "User-Agent: digest.py",
    ]
    if authorization:
        lines.append("Authorization: " + authorization)
    s.sendall(("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode())
    while True:
        r = receive()
        status = int(r.split(" ", 2)[1])
        if status >= 200:
            return status, r

def headers(msg, *names):
    out = []
    for line in msg.split("\r\n\r\n")[0].split("\r\n")[1:]:
        n, sep, v = line.partition(":")
        if sep and n.strip().lower() in names:
            out.append(v.strip())
    return out

status, r = send(1)
if status != 401:
    raise SystemExit("first REGISTER got %d, expected 401" % status)
challenges = headers(r, "www-authenticate")
offered = [re.search(r'algorithm="?([\w-]+)', c).group(1) if "algorithm" in c else "MD5" for c in challenges]
chosen = [c for c, a in zip(challenges, offered) if a.upper() == algorithm.upper()]
if not chosen:
    raise SystemExit("401 offers %s, not %s" % (offered, algorithm))
p = dict(re.findall(r'([\w-]+)\s*=\s*"?([^",]*)"?', chosen[0]))
uri = "sip:" + domain
ha1 = H(("%s:%s:%s" % (user, p["realm"], password)).encode()).hexdigest()
ha2 = H(("REGISTER:%s" % uri).encode()).hexdigest()
auth = 'Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s' % (user, p["realm"], p["nonce"], uri, algorithm)
if "qop" in p:
    cnonce, nc = os.urandom(8).hex(), "00000001"
    response = H(("%s:%s:%s:%s:auth:%s" % (ha1, p["nonce"], nc, cnonce, ha2)).encode()).hexdigest()
    auth += ', qop=auth, nc=%s, cnonce="%s"' % (nc, cnonce)
else:
    response = H(("%s:%s:%s" % (ha1, p["nonce"], ha2)).encode()).hexdigest()
auth += ', response="%s"' % response
if "opaque" in p:
    auth += ', opaque="%s"' % p["opaque"]
status, r = send(2, auth)
if status != 200:
    raise SystemExit("authenticated REGISTER (%s) got %d, expected 200" % (algorithm, status))
contacts = [c.strip() for v in headers(r, "contact", "m") for c in re.findall(r"<[^>]*>[^,]*", v)]
bound = [c for c in contacts if contact.lower() in c.lower() and re.search(r";\s*expires\s*=\s*[1-9]", c)]
if expires > 0 and not bound:
    raise SystemExit("200 does not list <%s> with expires: %s" % (contact, contacts))
if expires == 0 and bound:
    raise SystemExit("200 to Expires: 0 still lists %s" % bound)
print("401 offers %s; %s answer -> 200 %s" % (",".join(offered), algorithm, bound[0] if bound else "(binding removed)"))
PY

if out=$(timeout 15 python3 "$WORK/digest.py" udp 127.0.0.1 5070 alice secret "$DOMAIN" SHA-256 3600 2>&1); then
  pass register-udp-sha256 "$out"
else
  fail register-udp-sha256 "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
fi
if [ $TLS = 1 ]; then
  if out=$(timeout 15 python3 "$WORK/digest.py" tls 127.0.0.1 5071 alice secret "$DOMAIN" SHA-256 3600 "$WORK/certs/ca.pem" 2>&1); then
    pass register-tls-sha256 "$out (server certificate verified)"
  else
    fail register-tls-sha256 "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
  fi
  if out=$(timeout 15 python3 "$WORK/digest.py" tls 127.0.0.1 5071 alice secret "$DOMAIN" MD5 3600 "$WORK/certs/ca.pem" 2>&1); then
    pass register-tls-md5 "$out"
  else
    fail register-tls-md5 "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
  fi
else
  skip register-tls "$TLS_WHY"
fi
if sipp -v 2>&1 | grep -q TLS; then
  register register-tls-sipp alice secret 3600 -t l1 -tls_cert "$WORK/certs/client.pem" -tls_key "$WORK/certs/client.key"
  check_calls register-tls-sipp "$WORK/register-tls-sipp.csv" 1 $?
else
  skip register-tls-sipp "this SIPp ($(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*')) was built without OpenSSL: -t l1 is unavailable (TLS checked with the digest client)"
fi

# ---- 423 Interval Too Brief ----------------------------------------------------
sipp_run register-423 20 -sf "$SCENARIOS/reg_expires_423.xml" -s alice -au alice -ap secret \
  -auth_uri "$DOMAIN" -set expires 30
rc=$?
if sipp_ok register-423 "$rc"; then
  min=$(sipp_last_message "$WORK/register-423_messages.log" "SIP/2.0 423" | grep -i '^min-expires:' | tr -dc '0-9')
  if [ "$min" = 60 ]; then
    pass register-423 "Expires: 30 -> 423 with Min-Expires: 60"
  else
    fail register-423 "423 carries Min-Expires '$min', expected 60"
  fi
else
  check_calls register-423 "$WORK/register-423.csv" 1 "$rc"
fi

# ---- wrong password ------------------------------------------------------------
UAC_PORT=5062 sipp_run register-wrong-password 20 -sf "$SCENARIOS/reg_wrong_password.xml" -s alice -au alice -ap wrong \
  -auth_uri "$DOMAIN" -set expires 3600
rc=$?
if sipp_ok register-wrong-password "$rc"; then
  final=$(sipp_last_message "$WORK/register-wrong-password_messages.log" "SIP/2.0 40" | head -n 1 | tr -d '\r')
  regs=$(sb_registrations "$CONFIG" "sip:alice@$DOMAIN")
  if echo "$regs" | grep -q '127\.0\.0\.1:5062'; then
    fail register-wrong-password "answered '$final' but the contact on port 5062 is bound: $(echo "$regs" | tr '\n' ' ')"
  else
    pass register-wrong-password "'$final', contact not bound"
  fi
else
  check_calls register-wrong-password "$WORK/register-wrong-password.csv" 1 "$rc"
fi

# ---- ctl registrations, then unregister (Expires: 0) ---------------------------
regs=$(sb_registrations "$CONFIG" "sip:alice@$DOMAIN")
n=$(echo "$regs" | grep -c '127\.0\.0\.1:5060')
if [ "$n" -ge 2 ]; then
  pass ctl-registrations "alice's UDP and TCP contacts listed ($n lines on 127.0.0.1:5060)"
else
  fail ctl-registrations "expected alice's UDP and TCP contacts on 127.0.0.1:5060: $(echo "$regs" | head -n 8 | tr '\n' ' ')"
fi
register unregister-udp alice secret 0
rc1=$?
register unregister-tcp alice secret 0 -t t1
rc2=$?
regs=$(sb_registrations "$CONFIG" "sip:alice@$DOMAIN")
if ! sipp_ok unregister-udp "$rc1" || ! sipp_ok unregister-tcp "$rc2"; then
  check_calls unregister-udp "$WORK/unregister-udp.csv" 1 "$rc1"
  check_calls unregister-tcp "$WORK/unregister-tcp.csv" 1 "$rc2"
elif echo "$regs" | grep -q '127\.0\.0\.1:5060'; then
  fail unregister "Expires: 0 answered 200, but still listed: $(echo "$regs" | grep '127\.0\.0\.1:5060' | tr '\n' ' ')"
else
  pass unregister "Expires: 0 over UDP and TCP -> 200, contacts gone from ctl registrations"
fi

# ---- calls: bob registers from 5090, then answers ------------------------------
UAC_PORT=5090 register register-bob bob bobpass 3600
check_calls register-bob "$WORK/register-bob.csv" 1 $?

# call NAME CALLEE [SCENARIO]: the UAC (alice, 5060) calls CALLEE@sb.test.
call() {
  local name=$1 callee=$2 scenario=${3:-uac_auth.xml}
  sipp_run "$name" 30 -sf "$SCENARIOS/$scenario" -s "$callee" -au alice -ap secret \
    -auth_uri "$callee@$DOMAIN" -set caller alice
}

# call_bob NAME: bob's SIPp answers on 5090 while alice calls him.
call_bob() {
  local name=$1
  sipp_uas "$name-bob" 5090 -sf "$SCENARIOS/uas_rr.xml" || return 1
  local uas=$BG_PID
  call "$name" bob
  local rc=$?
  sipp_uas_stop "$uas"
  if sipp_ok "$name" "$rc" &&
    [ "$(sipp_stat "$WORK/$name-bob.csv" 'SuccessfulCall(C)')" = 1 ]; then
    pass "$name" "407, authenticated INVITE, bob's phone on 5090 answered, BYE completed"
  else
    check_calls "$name" "$WORK/$name.csv" 1 "$rc"
    fail "$name-bob-side" "bob's UAS: successful $(sipp_stat "$WORK/$name-bob.csv" 'SuccessfulCall(C)'), $(head -c 300 "$WORK/$name-bob_errors.log" 2>/dev/null | tr '\n' ' ')"
  fi
}

call_bob call-bob
call call-carol-480 carol uac_auth_480.xml
check_calls call-carol-480 "$WORK/call-carol-480.csv" 1 $?

# ---- bindings survive kill -9 ------------------------------------------------
before=$(sb_registrations "$CONFIG" "sip:bob@$DOMAIN" | grep '127\.0\.0\.1:5090')
sb_kill9
sb_start "$CONFIG" "${starts[@]}" || interop_finish
after=$(sb_registrations "$CONFIG" "sip:bob@$DOMAIN" | grep '127\.0\.0\.1:5090')
if [ -n "$before" ] && [ -n "$after" ]; then
  pass bindings-survive-kill9 "bob's binding listed before and after kill -9 + restart: $(echo "$after" | head -n 1)"
else
  fail bindings-survive-kill9 "bob's binding on 5090 before: '${before:-none}', after: '${after:-none}'"
fi
call_bob call-bob-after-restart

sb_alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
