#!/usr/bin/env python3
"""Bad input on the wire for tests/interop/bad-input.sh. Subcommands:

  responder PORT                answer every UDP request but ACK with 200 OK
  ping HOST:PORT udp|tcp        OPTIONS sip:ping@ping.test; exit 0 on a 200
  garbage HOST:PORT COUNT       COUNT random datagrams (1..1500 bytes, fixed seed),
                                some starting like SIP
  bigdgram HOST:PORT            a 65507-byte random datagram, then a 65507-byte
                                OPTIONS; prints what came back for each
  headers-forever HOST:PORT MAX_BYTES SECONDS
                                a request whose header section never ends;
                                exit 0 when the peer closes (prints the
                                response's first line, if any), 1 if not
  mid-body HOST:PORT SECONDS    an INVITE that stops in the middle of its
                                body; prints when (if) the peer closed it
  stuck-tls HOST:PORT SECONDS   a TLS ClientHello cut in half, then silence;
                                prints when (if) the peer closed it
  tls-ping HOST:PORT CAFILE     OPTIONS sip:ping@ping.test over TLS (the server's
                                certificate verified against CAFILE); exit 0 on a 200
  tls-responder PORT CERT KEY   a TLS server answering every request but ACK with 200 OK
  idle-conns HOST:PORT COUNT STATUS_FILE [LIMIT]
                                open COUNT TCP connections and send nothing;
                                write "accepted=A refused=R" to STATUS_FILE
                                once settled; hold them until SIGTERM
"""
import os
import random
import select
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def addr(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def options(host, port, transport, n=0, body=b""):
    return ("OPTIONS sip:ping@ping.test SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s:%d;branch=z9hG4bK-bad-%d-%d;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:interop@ping.test>;tag=bad%d\r\n"
            "To: <sip:ping@ping.test>\r\n"
            "Call-ID: bad-%d-%d@interop.test\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Content-Length: %d\r\n\r\n" % (transport, host, port, os.getpid(), n, n, os.getpid(), n, len(body))
            ).encode() + body


def responder(port):
    from torture import Responder
    r = Responder(int(port))
    r.run()


def ping(target, transport):
    host, port = addr(target)
    if transport == "udp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(0.5)
        for attempt in range(6):
            s.sendto(options("127.0.0.1", s.getsockname()[1], "UDP", attempt), (host, port))
            try:
                data, _ = s.recvfrom(65535)
                while not data.startswith(b"SIP/2.0 2"):
                    data, _ = s.recvfrom(65535)
                print(data.split(b"\r\n", 1)[0].decode("latin-1"))
                return 0
            except socket.timeout:
                continue
        print("no answer")
        return 1
    try:
        s = socket.create_connection((host, port), timeout=3)
        s.settimeout(3)
        s.sendall(options("127.0.0.1", s.getsockname()[1], "TCP"))
    except OSError as e:
        print("connection failed: %s" % e)
        return 1
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65535)
            if not chunk:
                break
            data += chunk
            if data.startswith(b"SIP/2.0 1") and b"\r\n\r\n" in data:
                data = data.split(b"\r\n\r\n", 1)[1]
    except socket.timeout:
        pass
    except OSError as e:
        print("connection closed: %s" % e)
        return 1
    first = data.split(b"\r\n", 1)[0].decode("latin-1")
    print(first or "no answer")
    return 0 if first.startswith("SIP/2.0 2") else 1


def garbage(target, count):
    host, port = addr(target)
    rng = random.Random(4475)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    prefixes = [b"", b"INVITE sip:x@y SIP/2.0\r\n", b"SIP/2.0 200 OK\r\n", b"OPTIONS sip:ping@ping.test SIP/2.0\r\nVia: ",
                b"\r\n\r\n", b"REGISTER sip:\x00\xff SIP/2.0\r\nContent-Length: 99999999999999999999\r\n\r\n"]
    for i in range(int(count)):
        data = rng.choice(prefixes) + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 1500)))
        s.sendto(data[:65507] or b"\x00", (host, port))
        if i % 200 == 0:
            time.sleep(0.01)
    print("sent %s datagrams" % count)
    return 0


def collect(s, seconds):
    got = []
    end = time.time() + seconds
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            data, _ = s.recvfrom(65535)
            got.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        except socket.timeout:
            break
    return got


def bigdgram(target):
    host, port = addr(target)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    rng = random.Random(5118)
    s.sendto(bytes(rng.getrandbits(8) for _ in range(65507)), (host, port))
    print("random: %s" % (collect(s, 1.0) or ["nothing"]))
    me = s.getsockname()[1]
    size = 65507 - len(options("127.0.0.1", me, "UDP", 1))
    while len(options("127.0.0.1", me, "UDP", 1, b"x" * size)) > 65507:
        size -= 1
    msg = options("127.0.0.1", me, "UDP", 1, b"x" * size)
    s.sendto(msg, (host, port))
    print("options %d bytes: %s" % (len(msg), collect(s, 2.0) or ["nothing"]))
    return 0


def wait_closed(s, seconds):
    """Seconds until the peer closed s, or None; data received on the way."""
    start = time.time()
    data = b""
    while time.time() - start < seconds:
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            try:
                chunk = s.recv(65535)
            except (ConnectionResetError, OSError):
                return time.time() - start, data
            if not chunk:
                return time.time() - start, data
            data += chunk
    return None, data


def headers_forever(target, max_bytes, seconds):
    host, port = addr(target)
    s = socket.create_connection((host, port), timeout=3)
    s.setblocking(False)
    # Via, From, To, Call-ID and CSeq first, so that a 513 can be built from the start of the message
    head = ("OPTIONS sip:ping@ping.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:%d;branch=z9hG4bK-forever\r\n"
            "From: <sip:interop@ping.test>;tag=forever\r\nTo: <sip:ping@ping.test>\r\n"
            "Call-ID: forever@interop.test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
            % s.getsockname()[1]).encode()
    sent = 0
    data = b""
    closed = False
    start = time.time()
    pending = head
    n = 0
    while sent < int(max_bytes) and time.time() - start < float(seconds) and not closed:
        if not pending:
            n += 1
            pending = b"X-Filler-%d: %s\r\n" % (n, b"a" * 90)
        r, w, _ = select.select([s], [s], [], 0.1)
        if r:
            try:
                chunk = s.recv(65535)
                if not chunk:
                    closed = True
                data += chunk
            except (ConnectionResetError, OSError):
                closed = True
        if w and not closed:
            try:
                k = s.send(pending)
                sent += k
                pending = pending[k:]
            except (BrokenPipeError, ConnectionResetError):
                closed = True
            except BlockingIOError:
                pass
    if not closed:
        t, more = wait_closed(s, 3)
        data += more
        closed = t is not None
    first = data.split(b"\r\n", 1)[0].decode("latin-1") if data else "no response"
    print("closed=%s after %d header bytes sent (%d header lines); response: %s" % (closed, sent, n, first))
    return 0 if closed else 1


def mid_body(target, seconds):
    host, port = addr(target)
    s = socket.create_connection((host, port), timeout=3)
    body = b"v=0\r\n" + b"a" * 95
    msg = ("INVITE sip:ping@ping.test SIP/2.0\r\n"
           "Via: SIP/2.0/TCP 127.0.0.1:%d;branch=z9hG4bK-midbody\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:a@ping.test>;tag=1\r\nTo: <sip:ping@ping.test>\r\n"
           "Call-ID: midbody@interop.test\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1>\r\n"
           "Content-Type: application/sdp\r\nContent-Length: 1000\r\n\r\n" % s.getsockname()[1]).encode()
    s.sendall(msg + body)
    t, data = wait_closed(s, float(seconds))
    first = data.split(b"\r\n", 1)[0].decode("latin-1") if data else "nothing"
    if t is None:
        print("open after %ss (received: %s)" % (seconds, first))
    else:
        print("closed after %.1fs (received: %s)" % (t, first))
    return 0


def read_message(conn, buf):
    """One SIP message from a stream (Content-Length framing); (message, rest) or (None, buf) at EOF."""
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(65535)
        if not chunk:
            return None, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    import re
    m = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    while len(rest) < length:
        chunk = conn.recv(65535)
        if not chunk:
            return None, buf
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def tls_ping(target, cafile):
    import ssl
    host, port = addr(target)
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        raw = socket.create_connection((host, port), timeout=3)
        conn = ctx.wrap_socket(raw, server_hostname=host)
        conn.settimeout(3)
        conn.sendall(options("127.0.0.1", conn.getsockname()[1], "TLS"))
        buf = b""
        while True:
            msg, buf = read_message(conn, buf)
            if msg is None:
                print("connection closed without a final response")
                return 1
            first = msg.split(b"\r\n", 1)[0].decode("latin-1")
            if not first.startswith("SIP/2.0 1"):
                print(first)
                return 0 if first.startswith("SIP/2.0 2") else 1
    except (OSError, ssl.SSLError) as e:
        print("TLS failed: %s" % e)
        return 1


def tls_responder(port, cert, key):
    import ssl
    import threading
    from torture import HDR
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(port)))
    srv.listen(16)

    def serve(raw):
        try:
            conn = ctx.wrap_socket(raw, server_side=True)
            buf = b""
            while True:
                msg, buf = read_message(conn, buf)
                if msg is None:
                    return
                first = msg.split(b"\r\n", 1)[0]
                if first.startswith(b"SIP/") or first.startswith(b"ACK "):
                    continue
                out = [b"SIP/2.0 200 OK"]
                for line in msg.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
                    m = HDR.match(line)
                    name = m.group(1).lower() if m else b""
                    if name in (b"via", b"v", b"from", b"f", b"call-id", b"i", b"cseq", b"to", b"t"):
                        if name in (b"to", b"t") and b"tag=" not in line.lower():
                            line += b";tag=tlsresponder"
                        out.append(line)
                out.append(b"Content-Length: 0")
                conn.sendall(b"\r\n".join(out) + b"\r\n\r\n")
        except (OSError, ssl.SSLError):
            return

    while True:
        raw, _ = srv.accept()
        threading.Thread(target=serve, args=(raw,), daemon=True).start()


CLIENT_HELLO_HEAD = bytes.fromhex(
    "16030100c8010000c40303") + bytes(32) + bytes.fromhex("00")


def stuck_tls(target, seconds):
    host, port = addr(target)
    s = socket.create_connection((host, port), timeout=3)
    s.sendall(CLIENT_HELLO_HEAD)
    t, data = wait_closed(s, float(seconds))
    if t is None:
        print("open after %ss" % seconds)
    else:
        print("closed after %.1fs (%d bytes received)" % (t, len(data)))
    return 0


def idle_conns(target, count, status_file, limit=None):
    # A connection the client sees as established may still wait in the
    # server's full accept queue (the server's SYN-ACK retransmissions
    # complete it later), so with a limit given the count is taken once the
    # open connections have come down to it, not at the first quiet moment.
    host, port = addr(target)
    count = int(count)
    limit = int(limit) if limit is not None else None
    ep = select.epoll()
    socks = {}
    connecting = set()
    start = time.time()
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        socks[s.fileno()] = s
        connecting.add(s.fileno())
        ep.register(s.fileno(), select.EPOLLOUT | select.EPOLLIN | select.EPOLLRDHUP)
    closed = set()
    failed = set()
    probed = False
    last_change = time.time()
    while time.time() - start < 40:
        events = ep.poll(0.2)
        changed = False
        for fd, ev in events:
            s = socks[fd]
            if fd in connecting and ev & select.EPOLLOUT:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                connecting.discard(fd)
                if err:
                    failed.add(fd)
                    ep.unregister(fd)
                    changed = True
                    continue
                ep.modify(fd, select.EPOLLIN | select.EPOLLRDHUP)
                changed = True
            if ev & (select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLHUP | select.EPOLLERR) and fd not in closed:
                try:
                    chunk = s.recv(4096)
                except (ConnectionResetError, OSError):
                    chunk = b""
                if not chunk:
                    closed.add(fd)
                    ep.unregister(fd)
                    changed = True
        if changed:
            last_change = time.time()
        if not connecting and time.time() - last_change > 2:
            open_now = count - len(closed) - len(failed)
            if limit is None or open_now <= limit:
                break
            if not probed and time.time() - start > 20:
                # A connection the server's full queue dropped while half-open
                # (its SYN-ACK retransmissions ran out) still looks established
                # here and is never closed: a CRLF keep-alive (RFC 5626 4.4.1)
                # on it draws a reset, while an accepted one answers or stays.
                probed = True
                for fd, s in socks.items():
                    if fd not in closed and fd not in failed:
                        try:
                            s.send(b"\r\n\r\n")
                        except OSError:
                            pass
                last_change = time.time()
    accepted = count - len(closed) - len(failed) - len(connecting)
    line = "accepted=%d refused=%d failed=%d pending=%d seconds=%.1f" % (
        accepted, len(closed), len(failed), len(connecting), time.time() - start)
    with open(status_file + ".tmp", "w") as f:
        f.write(line + "\n")
    os.rename(status_file + ".tmp", status_file)
    print(line, flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.1)
    for s in socks.values():
        s.close()
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    table = {"responder": responder, "ping": ping, "garbage": garbage, "bigdgram": bigdgram,
             "headers-forever": headers_forever, "mid-body": mid_body, "stuck-tls": stuck_tls,
             "idle-conns": idle_conns, "tls-ping": tls_ping, "tls-responder": tls_responder}
    if cmd not in table:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(table[cmd](*args) or 0)


if __name__ == "__main__":
    main()
