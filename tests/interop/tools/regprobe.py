"""Bad REGISTERs on the wire for tests/interop/registrar-bad-input.sh.

    regprobe.py CHECK HOST PORT DOMAIN USER PASSWORD

Each CHECK sends its REGISTERs over UDP from its own port, prints one line
saying what it saw and exits 0 when the registrar answered as the RFC says:

  ok          401 then 200 (RFC 3261 10.3, RFC 7616 3.4)
  wrong       wrong password: 401, then 403 (RFC 3261 22.4 / 21.4.4)
  replay      the authenticated REGISTER sent again with the same nonce,
              nc and cnonce: 200, then 401 with stale=true (RFC 7616 3.4, 3.3)
  forged      credentials with a nonce the server never issued (signature
              bytes changed): a fresh 401 without stale=true (RFC 7616 3.3)
  contacts    one Contact header with 1000 addresses: 403, nothing bound
              (then a query REGISTER without Contact lists none of them)
  expires=V   Expires: V (e.g. 99999999): 200 listing expires=<max> where
              max is the EXPECT environment variable, or 400 when EXPECT=400
  flood=N     N unauthenticated REGISTERs for N users from one port as fast
              as the socket takes them (bounded: N <= 5000), while a second
              client registers USER; prints how many the flood got answered
              and whether the other client's 401 + 200 came within 5 s.
"""
import hashlib, os, re, socket, sys, threading, time

check, host, port, domain, user, password = sys.argv[1:7]
port = int(port)
H = hashlib.md5
ALG = "MD5"


class Phone:
    def __init__(self, user, timeout=3.0):
        self.user = user
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.connect((host, port))
        self.s.settimeout(timeout)
        self.lport = self.s.getsockname()[1]
        self.call_id = os.urandom(8).hex()
        self.tag = os.urandom(4).hex()
        self.cseq = 0
        self.contact = "<sip:%s@127.0.0.1:%d>" % (user, self.lport)

    def request(self, authorization=None, contact=None, expires="3600", cseq=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        lines = [
            "REGISTER sip:%s SIP/2.0" % domain,
            "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s;rport" % (self.lport, os.urandom(6).hex()),
            "From: <sip:%s@%s>;tag=%s" % (self.user, domain, self.tag),
            "To: <sip:%s@%s>" % (self.user, domain),
            "Call-ID: %s" % self.call_id,
            "CSeq: %d REGISTER" % cseq,
            "Max-Forwards: 70",
            "User-Agent: regprobe",
        ]
        if contact is not False:
            lines.append("Contact: %s" % (contact or self.contact))
        if expires is not None:
            lines.append("Expires: %s" % expires)
        if authorization:
            lines.append("Authorization: " + authorization)
        return ("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode()

    def send(self, data):
        self.s.send(data)
        while True:
            r = self.s.recv(65535).decode(errors="replace")
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


def challenge(r):
    for c in headers(r, "www-authenticate"):
        alg = re.search(r'algorithm="?([\w-]+)', c)
        if (alg.group(1) if alg else "MD5").upper() == ALG:
            return dict(re.findall(r'([\w-]+)\s*=\s*"?([^",]*)"?', c)), c
    raise SystemExit("401 offers no %s challenge: %s" % (ALG, headers(r, "www-authenticate")))


def authorization(p, pw, nonce=None, nc="00000001", cnonce=None):
    uri = "sip:" + domain
    nonce = nonce or p["nonce"]
    cnonce = cnonce or os.urandom(8).hex()
    ha1 = H(("%s:%s:%s" % (USER, p["realm"], pw)).encode()).hexdigest()
    ha2 = H(("REGISTER:%s" % uri).encode()).hexdigest()
    response = H(("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2)).encode()).hexdigest()
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, qop=auth, nc=%s, cnonce="%s", response="%s"'
            % (USER, p["realm"], nonce, uri, ALG, nc, cnonce, response))


def contacts_of(r):
    return [c.strip() for v in headers(r, "contact", "m") for c in re.findall(r"<[^>]*>[^,]*", v)]


USER = user


def first_challenge(phone, **kw):
    status, r = phone.send(phone.request(**kw))
    if status != 401:
        raise SystemExit("REGISTER without credentials got %d, expected 401" % status)
    return challenge(r)


def register_ok(phone, pw=password, **kw):
    p, _ = first_challenge(phone, **kw)
    return phone.send(phone.request(authorization(p, pw), **kw))


if check == "ok":
    phone = Phone(user)
    status, r = register_ok(phone)
    if status != 200:
        raise SystemExit("authenticated REGISTER got %d" % status)
    print("401, then 200 listing %s" % [c for c in contacts_of(r) if str(phone.lport) in c])

elif check == "wrong":
    phone = Phone(user)
    status, r = register_ok(phone, pw=password + "-wrong")
    if status not in (401, 403):
        raise SystemExit("wrong password got %d, expected 403 (or 401)" % status)
    print("wrong password: %d %s" % (status, r.split("\r\n", 1)[0].split(" ", 2)[2]))

elif check == "replay":
    phone = Phone(user)
    p, _ = first_challenge(phone)
    auth = authorization(p, password, cnonce="c0ffee00c0ffee00")
    status, r = phone.send(phone.request(auth))
    if status != 200:
        raise SystemExit("authenticated REGISTER got %d, expected 200" % status)
    status, r = phone.send(phone.request(auth))
    if status != 401:
        raise SystemExit("replayed nc=00000001 got %d, expected 401" % status)
    stale = [c for c in headers(r, "www-authenticate") if re.search(r"stale\s*=\s*\"?true", c, re.I)]
    if not stale:
        raise SystemExit("401 to the replay lacks stale=true: %s" % headers(r, "www-authenticate"))
    fresh, _ = challenge(r)
    if fresh["nonce"] == p["nonce"]:
        raise SystemExit("401 to the replay repeats the used nonce")
    print("first use 200; same nonce and nc again -> 401 stale=true with a new nonce")

elif check == "forged":
    phone = Phone(user)
    p, _ = first_challenge(phone)
    n = p["nonce"]
    forged = n[:-6] + ("A" if n[-6] != "A" else "B") + n[-5:]
    status, r = phone.send(phone.request(authorization(p, password, nonce=forged)))
    if status != 401:
        raise SystemExit("forged nonce got %d, expected 401" % status)
    if any(re.search(r"stale\s*=\s*\"?true", c, re.I) for c in headers(r, "www-authenticate")):
        raise SystemExit("401 to a forged nonce says stale=true")
    fresh, _ = challenge(r)
    if fresh["nonce"] in (n, forged):
        raise SystemExit("401 to a forged nonce does not carry a fresh nonce")
    print("forged nonce -> 401 with a fresh nonce, no stale")

elif check == "contacts":
    phone = Phone(user)
    many = ", ".join("<sip:%s@127.0.0.1:%d>" % (user, 20000 + i) for i in range(1000))
    status, r = register_ok(phone, contact=many)
    if status != 403:
        raise SystemExit("1000 contacts got %d, expected 403" % status)
    reason = r.split("\r\n", 1)[0].split(" ", 2)[2]
    status, q = register_ok(Phone(user), contact=False, expires=None)
    if status != 200:
        raise SystemExit("query REGISTER got %d" % status)
    bound = [c for c in contacts_of(q) if re.search(r"127\.0\.0\.1:2\d{4}>", c)]
    if bound:
        raise SystemExit("after the 403, %d of the 1000 contacts are bound" % len(bound))
    print("1000 contacts (%d bytes) -> 403 %s; query lists none of them" % (len(many), reason))

elif check.startswith("expires="):
    value = check.split("=", 1)[1]
    expect = os.environ.get("EXPECT", "")
    phone = Phone(user)
    if expect == "400":
        status, r = phone.send(phone.request(expires=value))
        if status != 400:
            raise SystemExit("Expires: %s got %d, expected 400" % (value, status))
        print("Expires: %s -> 400 %s" % (value, r.split("\r\n", 1)[0].split(" ", 2)[2]))
    else:
        status, r = register_ok(phone, expires=value)
        mine = [c for c in contacts_of(r) if ":%d>" % phone.lport in c]
        got = [re.search(r"expires=(\d+)", c).group(1) for c in mine]
        if status != 200 or got != [expect]:
            raise SystemExit("Expires: %s got %d with expires %s, expected 200 with %s" % (value, status, got, expect))
        print("Expires: %s -> 200, binding expires=%s" % (value, got[0]))

elif check.startswith("flood="):
    n = min(int(check.split("=", 1)[1]), 5000)
    flood = Phone("flood")
    for opt in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
        try:
            flood.s.setsockopt(socket.SOL_SOCKET, opt, 8 << 20)
            break
        except OSError:
            pass
    flood.s.setblocking(False)
    answered = [0]
    done = threading.Event()

    def drain():
        while not done.is_set():
            try:
                flood.s.recv(65535)
                answered[0] += 1
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                time.sleep(0.001)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    other = {}

    def victim():
        time.sleep(0.2)
        t0 = time.time()
        try:
            phone = Phone(user, timeout=5.0)
            status, r = register_ok(phone)
            other["status"] = status
        except Exception as e:  # noqa: BLE001 - reported below
            other["error"] = str(e)
        other["seconds"] = time.time() - t0

    v = threading.Thread(target=victim)
    v.start()
    t0 = time.time()
    sent = 0
    for i in range(n):
        flood.user = "flood%d" % i
        flood.call_id = os.urandom(8).hex()
        data = flood.request()
        while True:
            try:
                flood.s.send(data)
                break
            except BlockingIOError:
                time.sleep(0.0005)
        sent += 1
    elapsed = time.time() - t0
    v.join(10)
    deadline = time.time() + 5
    while answered[0] < sent and time.time() < deadline:
        time.sleep(0.05)
    done.set()
    print("flood: %d REGISTERs in %.2f s from one port, %d answered; other client: %s in %.2f s"
          % (sent, elapsed, answered[0], other.get("status", other.get("error")), other.get("seconds", -1)))
    if other.get("status") != 200 or other.get("seconds", 99) > 5:
        raise SystemExit(1)
    if answered[0] < sent * 0.5:
        raise SystemExit("fewer than half of the flood's REGISTERs answered")

else:
    raise SystemExit("unknown check " + check)
