"""REGISTER load with digest authentication, for scripts/bench-registrar.sh.

    bench-registrar-load.py TARGET_HOST:PORT RATE COUNT [PASSWORD]

COUNT REGISTERs at RATE per second from 127.0.0.1, each for its own AOR
user<N>@<target host> with its own Contact, as reg.xml sends them. A 401 is
answered once with MD5 credentials for user<N> (qop=auth, nc=00000001), as
a phone does; a 200 completes the registration. SIPp 3.6 cannot do this:
its [authentication] keyword takes one username per process.

Retransmits after 500 ms (RFC 3261 17.1.2.2 Timer E, doubling), gives up
after 10 s. Last line, in reg.sh's form, plus the loader's own CPU seconds
(to tell when the loader, not the server, is the limit):
  reg: rate=R count=N ok=S failed=F retrans=X avg_response_ms=M unexpected=U achieved_rps=A elapsed_s=E p99_response_ms=P loader_cpu_s=C
where the response time is from the first REGISTER of a registration to its 200.
"""
import hashlib, os, re, select, socket, sys, time

target, rate, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
password = sys.argv[4] if len(sys.argv) > 4 else "bench-pw"
host, port = target.rsplit(":", 1)
port = int(port)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for opt in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
    try:
        s.setsockopt(socket.SOL_SOCKET, opt, 16 << 20)
        break
    except OSError:
        pass
s.bind(("127.0.0.1", int(os.environ.get("UAC_PORT", "5080"))))
s.connect((host, port))
s.setblocking(False)
lport = s.getsockname()[1]
tag = os.urandom(3).hex()
uri = "sip:%s:%d" % (host, port)
ha2 = hashlib.md5(("REGISTER:%s" % uri).encode()).hexdigest()
STATUS = re.compile(rb"^SIP/2\.0 (\d{3})")
CALLID = re.compile(rb"\r\n(?:Call-ID|i)\s*:\s*([^\r\n]+)", re.I)
CHALLENGE = re.compile(rb'\r\nWWW-Authenticate\s*:\s*Digest ([^\r\n]+)', re.I)
NONCE = re.compile(rb'nonce="([^"]+)"')
REALM = re.compile(rb'realm="([^"]+)"')


def message(n, cseq, authorization=None):
    lines = [
        "REGISTER %s SIP/2.0" % uri,
        "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s-%d-%d" % (lport, tag, n, cseq),
        "From: <sip:user%d@%s>;tag=%sR%d" % (n, host, tag, n),
        "To: <sip:user%d@%s>" % (n, host),
        "Call-ID: %d-%s@127.0.0.1" % (n, tag),
        "CSeq: %d REGISTER" % cseq,
        "Contact: <sip:user%d@127.0.0.1:%d>" % (n, lport),
        "Max-Forwards: 70",
        "Expires: 3600",
        "User-Agent: bench-registrar-load",
    ]
    if authorization:
        lines.append("Authorization: " + authorization)
    return ("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode()


def credentials(n, challenge):
    nonce = NONCE.search(challenge).group(1).decode()
    realm = REALM.search(challenge).group(1).decode()
    user = "user%d" % n
    ha1 = hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode()).hexdigest()
    cnonce = "%08x" % n
    response = hashlib.md5(("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, ha2)).encode()).hexdigest()
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5, qop=auth, nc=00000001, '
            'cnonce="%s", response="%s"' % (user, realm, nonce, uri, cnonce, response))


pending = {}  # call-id -> [n, data, next_retransmit, interval, deadline]
started = {}  # call-id -> when its first REGISTER left
latencies = []
ok = failed = retrans = unexpected = sent_calls = 0
t0 = time.monotonic()
last_ok = t0
interval = 1.0 / rate
next_send = t0
hard_stop = t0 + count / rate + 15


def send(n, data, now, cid):
    s.send(data)
    pending[cid] = [n, data, now + 0.5, 0.5, now + 10]


while (sent_calls < count or pending) and time.monotonic() < hard_stop:
    now = time.monotonic()
    while sent_calls < count and next_send <= now:
        sent_calls += 1
        n = sent_calls
        cid = ("%d-%s@127.0.0.1" % (n, tag)).encode()
        try:
            send(n, message(n, 1), now, cid)
            started[cid] = now
        except BlockingIOError:
            sent_calls -= 1
            break
        next_send += interval
    timeout = max(0.0, min(next_send - time.monotonic(), 0.01)) if sent_calls < count else 0.01
    r, _, _ = select.select([s], [], [], timeout)
    if r:
        for _ in range(256):
            try:
                data = s.recv(65535)
            except BlockingIOError:
                break
            m = STATUS.match(data)
            c = CALLID.search(data)
            if not m or not c:
                unexpected += 1
                continue
            cid, status = c.group(1).strip(), int(m.group(1))
            call = pending.get(cid)
            if call is None or status < 200:
                if call is None:
                    unexpected += 1
                continue
            if status == 401 and b"CSeq: 1 " in data:
                ch = CHALLENGE.search(data)
                send(call[0], message(call[0], 2, credentials(call[0], ch.group(1))), time.monotonic(), cid)
            elif status == 200:
                ok += 1
                last_ok = time.monotonic()
                latencies.append(last_ok - started.pop(cid, last_ok))
                del pending[cid]
            else:
                failed += 1
                del pending[cid]
    now = time.monotonic()
    for cid, call in list(pending.items()):
        if call[4] <= now:
            failed += 1
            del pending[cid]
        elif call[2] <= now:
            try:
                s.send(call[1])
                retrans += 1
            except BlockingIOError:
                pass
            call[3] = min(call[3] * 2, 4.0)
            call[2] = now + call[3]

elapsed = time.monotonic() - t0
failed += len(pending) + (count - sent_calls)
# Registrations per second from the first REGISTER to the last 200.
achieved = ok / max(last_ok - t0, 1e-9)
latencies.sort()
avg_ms = 1000 * sum(latencies) / len(latencies) if latencies else 0.0
p99_ms = 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
print("reg: rate=%d count=%d ok=%d failed=%d retrans=%d avg_response_ms=%.1f unexpected=%d achieved_rps=%.1f elapsed_s=%d "
      "p99_response_ms=%.1f loader_cpu_s=%.2f"
      % (rate, count, ok, failed, retrans, avg_ms, unexpected, achieved, round(elapsed), p99_ms, time.process_time()))
sys.exit(0 if failed == 0 and unexpected == 0 else 1)
