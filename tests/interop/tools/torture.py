#!/usr/bin/env python3
"""Sends every RFC 4475 / RFC 5118 torture message to a running proxy over
UDP and checks what the proxy puts on the wire (tests/interop/torture-wire.sh).

  torture.py --manifest M --fixtures DIR [--proxy 127.0.0.1:5070]
             [--responder-port 5090] [--client-port 5060] [--window 0.4]

- A responder on 127.0.0.1:RESPONDER_PORT (where the proxy routes every
  request) answers each request but ACK with 200 OK.
- Every packet the proxy sends on lo is recorded (packet socket, tools/wire.py).
- Each message is sent from 127.0.0.1:CLIENT_PORT; what the proxy sent for it
  (matched by Call-ID, or by time when the Call-ID is unreadable) is judged
  against what RFC 4475 / RFC 5118 ask of a proxy (EXPECT below, else the
  manifest): forwarded to the responder ("fwd"), a final status sent back,
  or nothing ("drop").
- After each message an OPTIONS with a fresh Call-ID must come back 200
  (routed to the responder): the proxy is still alive and serving.

Prints PASS/FAIL lines; exits 1 if any failed.
"""
import argparse
import json
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402

# What a stateful proxy routing everything to one next hop must do, where the
# manifest's status is an endpoint's (or a registrar's) answer.
# "fwd": forwarded to the next hop; numbers: final status sent back; "drop": nothing.
EXPECT = {
    "rfc4475/intmeth.sip": {"fwd", 404},        # a proxy forwards an unknown method
    "rfc4475/esc02.sip": {"fwd"},               # RE%47IST%45R is an unknown method, forwarded
    "rfc4475/badbranch.sip": {400, "fwd"},      # or RFC 2543 fallback and process it
    "rfc4475/unksm2.sip": {"fwd", 400},         # proxies treat it as any request for this URI
    "rfc4475/invut.sip": {"fwd"},               # 415 is the UAS's answer; a proxy forwards
    "rfc4475/sdp01.sip": {"fwd"},               # 406 is the UAS's answer; a proxy forwards
    "rfc4475/regaut01.sip": {"fwd"},            # REGISTER for another domain: forwarded
    "rfc4475/cparam01.sip": {"fwd"},            # 200 is the registrar's answer
    "rfc4475/cparam02.sip": {"fwd"},
    "rfc4475/regescrt.sip": {"fwd"},
    "rfc4475/zeromf.sip": {483},                # Max-Forwards: 0 at a proxy
    "rfc4475/bcast.sip": {"drop"},              # a response: never forwarded to the broadcast address
    # Via "192.0.2.15;;,;,," cannot be parsed: no Via to send a 400 to (18.2.2), dropping is allowed
    "rfc4475/badinv01.sip": {400, "drop"},
    # No Call-ID, From or To: a 400 could only copy Via and CSeq, itself a response missing
    # mandatory fields (RFC 3261 8.2.6.2, 20); the transport drops such requests on purpose.
    # RFC 4475 3.3.1 says "should respond with 400": 400 is preferred, a drop is tolerated.
    "rfc4475/insuf.sip": {400, "drop"},
    # Route: <sip:127.0.0.1:5080> without lr is a strict router (16.6 steps 6-7): the request goes
    # to 127.0.0.1:5080 with that URI as Request-URI; nothing listens there, so any failure status follows
    "rfc4475/mpart01.sip": {"fwd-5080"} | {404, 408, 480, 500, 502, 503, 504},
}
# Outcomes that must be seen (not only allowed).
REQUIRED = {
    "rfc4475/mpart01.sip": "fwd-5080",
}
# Statuses a proxy may give a valid in-dialog request whose Request-URI host
# cannot be reached from the test's loopback-only namespace (no DNS, no route).
ROUTING_FAILURE = {404, 408, 480, 500, 502, 503, 504}

HDR = re.compile(rb"^([A-Za-z][A-Za-z0-9!%*_+`'~.-]*)[ \t]*:[ \t]*(.*)$")


def headers(raw):
    """[(lower-case name, value)] of the header section, folded lines joined."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    out = []
    for line in head.split(b"\r\n")[1:]:
        if line[:1] in (b" ", b"\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + b" " + line.strip())
            continue
        m = HDR.match(line)
        if m:
            out.append((m.group(1).lower(), m.group(2).strip()))
    return out


def header(raw, *names):
    for n, v in headers(raw):
        if n in names:
            return v
    return None


def txn_key(raw):
    """RFC 3261 17.2.3 server transaction key (branch, sent-by, method) or None."""
    first = raw.split(b"\r\n", 1)[0]
    if first.startswith(b"SIP/"):
        return None
    method = first.split(b" ", 1)[0]
    if method == b"ACK":
        method = b"INVITE"
    via = header(raw, b"via", b"v")
    if via is None:
        return None
    via = via.split(b",")[0]
    m = re.match(rb"SIP\s*/\s*2\.0\s*/\s*\S+\s+([^;\s]+)", via)
    b = re.search(rb";\s*branch\s*=\s*([^;,\s]+)", via)
    if not m or not b or not b.group(1).startswith(b"z9hG4bK"):
        return None
    return (b.group(1), m.group(1).lower(), method)


class Recorder(threading.Thread):
    """Records the proxy's outgoing packets (UDP from the proxy port, TCP SYNs)."""

    def __init__(self, proxy_port):
        super().__init__(daemon=True)
        self.proxy_port = proxy_port
        self.lock = threading.Lock()
        self.packets = []
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(wire.ETH_P_ALL))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("lo", 0))
        self.sock.settimeout(0.1)

    def run(self):
        while True:
            try:
                frame, address = self.sock.recvfrom(262144)
            except socket.timeout:
                continue
            if address[2] != wire.PACKET_OUTGOING:
                continue
            d = wire.decode(frame)
            if d is None:
                continue
            proto, src, sport, dst, dport, flags, payload = d
            rec = None
            if proto == "udp" and sport == self.proxy_port:
                rec = {"t": time.time(), "proto": "udp", "dst": dst, "dport": dport, "raw": payload}
                rec.update(wire.parse_sip(payload))
            elif proto == "tcp" and flags is not None and flags & 0x02 and not flags & 0x10:
                rec = {"t": time.time(), "proto": "tcp-syn", "dst": dst, "dport": dport}
            if rec:
                with self.lock:
                    self.packets.append(rec)

    def since(self, t0):
        with self.lock:
            return [p for p in self.packets if p["t"] >= t0]


class Responder(threading.Thread):
    """Answers every request but ACK with 200 OK (Via, From, To+tag, Call-ID, CSeq copied)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))

    def run(self):
        while True:
            data, peer = self.sock.recvfrom(65535)
            first = data.split(b"\r\n", 1)[0]
            if first.startswith(b"SIP/") or first.startswith(b"ACK "):
                continue
            out = [b"SIP/2.0 200 OK"]
            head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]
            keep = False
            for line in head:
                if line[:1] in (b" ", b"\t"):
                    if keep:
                        out.append(line)
                    continue
                m = HDR.match(line)
                name = m.group(1).lower() if m else b""
                keep = name in (b"via", b"v", b"from", b"f", b"call-id", b"i", b"cseq", b"to", b"t")
                if keep:
                    if name in (b"to", b"t") and b"tag=" not in line.lower():
                        line += b";tag=responder"
                    out.append(line)
            out.append(b"Content-Length: 0")
            self.sock.sendto(b"\r\n".join(out) + b"\r\n\r\n", peer)


def probe_message(n, client_port):
    return ("OPTIONS sip:probe@example.net SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-probe-%d;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:interop@example.net>;tag=probe%d\r\n"
            "To: <sip:probe@example.net>\r\n"
            "Call-ID: probe-%d@interop.test\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n" % (client_port, n, n, n)).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--proxy", default="127.0.0.1:5070")
    ap.add_argument("--responder-port", type=int, default=5090)
    ap.add_argument("--client-port", type=int, default=5060)
    ap.add_argument("--window", type=float, default=0.4)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    host, port = args.proxy.rsplit(":", 1)
    proxy = (host, int(port))

    recorder = Recorder(proxy[1])
    recorder.start()
    Responder(args.responder_port).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.0.1", args.client_port))
    client.settimeout(0.05)

    manifest = json.load(open(args.manifest))
    failures = 0
    callids = {}        # Call-ID -> index of the latest message that carried it
    txn_seen = {}       # transaction key -> (time, final statuses)
    for index, entry in enumerate(manifest):
        name = entry["file"]
        if args.only and args.only not in name:
            continue
        raw = open(os.path.join(args.fixtures, name), "rb").read()
        is_response = raw.startswith(b"SIP/")
        cid = header(raw, b"call-id", b"i")
        cid = cid.decode("latin-1") if cid is not None else None
        if cid:
            callids[cid] = index
        to = header(raw, b"to", b"t") or b""
        in_dialog = b";tag=" in to.lower().replace(b" ", b"") or header(raw, b"route") is not None
        key = txn_key(raw)

        # expectation
        if name in EXPECT:
            expected = set(EXPECT[name])
        elif is_response:
            expected = {"drop"}
        elif entry["verdict"] == "valid":
            expected = {"fwd"} | set(s for s in entry["statuses"] if s in (404, 483))
            if in_dialog:
                expected |= ROUTING_FAILURE
        else:
            expected = set(entry["statuses"]) or {"drop"}
        absorbed_from = None
        if key is not None and key in txn_seen and time.time() - txn_seen[key][0] < 5:
            # Same branch, sent-by and method as an earlier message: a
            # retransmission for the transaction layer (17.2.3), answered
            # with that transaction's final response.
            absorbed_from = txn_seen[key]
            expected |= absorbed_from[1]

        t0 = time.time()
        client.sendto(raw, proxy)
        deadline = t0 + args.window
        final_seen_at = None
        while time.time() < deadline:
            time.sleep(0.02)
            mine = [p for p in recorder.since(t0) if belongs(p, cid, index, callids)]
            if final_seen_at is None and any(p.get("status", 0) >= 200 and p["dport"] != args.responder_port for p in mine):
                final_seen_at = time.time()
                deadline = min(deadline, final_seen_at + 0.05)
        mine = [p for p in recorder.since(t0) if belongs(p, cid, index, callids)]

        forwarded = [p for p in mine if p["proto"] == "udp" and "method" in p and p["dport"] == args.responder_port]
        elsewhere = [p for p in mine if p["proto"] == "udp" and "method" in p and p["dport"] != args.responder_port]
        finals = [p["status"] for p in mine if p.get("status", 0) >= 200 and p["dport"] != args.responder_port]
        syns = [p for p in mine if p["proto"] == "tcp-syn"]
        outcome = set()
        if forwarded:
            outcome.add("fwd")
        outcome |= set("fwd-%d" % p["dport"] for p in elsewhere)
        outcome |= set(finals)
        if not outcome:
            outcome.add("drop")
        if key is not None and finals:
            txn_seen[key] = (t0, set(finals))
        elif key is not None and key not in txn_seen:
            txn_seen[key] = (t0, set())

        # judge: every final sent must be acceptable, forwarding must be acceptable,
        # and "drop" only if allowed
        problems = []
        if forwarded and "fwd" not in expected:
            problems.append("forwarded to the next hop (%s)" % forwarded[0].get("line", "?"))
        bad_finals = sorted(set(f for f in finals if f not in expected and not (f == 200 and forwarded)))
        if bad_finals:
            problems.append("answered %s" % bad_finals)
        if outcome == {"drop"} and "drop" not in expected:
            problems.append("no response and not forwarded")
        if name in REQUIRED and REQUIRED[name] not in outcome:
            problems.append("expected %s" % REQUIRED[name])
        if [p for p in elsewhere if "fwd-%d" % p["dport"] not in expected]:
            problems.append("sent a request elsewhere: %s to %s:%d" % (elsewhere[0].get("line", "?"), elsewhere[0]["dst"], elsewhere[0]["dport"]))
        if syns and "drop" not in expected and not finals and not forwarded:
            problems.append("tried TCP to %s:%d instead" % (syns[0]["dst"], syns[0]["dport"]))
        got = []
        if forwarded:
            got.append("forwarded")
        for p in elsewhere:
            got.append("%s sent to %s:%d" % (p.get("method", "?"), p["dst"], p["dport"]))
        for p in mine:
            if p.get("status", 0) >= 200 and p["dport"] != args.responder_port:
                got.append("%s to %s:%d" % (p.get("line", "?")[:60], p["dst"], p["dport"]))
                break
        if syns:
            got.append("TCP SYN to %s:%d" % (syns[0]["dst"], syns[0]["dport"]))
        if not got:
            got.append("dropped")
        desc = "%s %s; got %s; allowed %s%s" % (
            entry["verdict"], entry.get("section", ""), ", ".join(got),
            sorted(str(e) for e in expected),
            "; same transaction as an earlier message" if absorbed_from else "")

        # liveness probe
        probe = probe_message(index, args.client_port)
        alive = False
        pt = time.time()
        client.sendto(probe, proxy)
        while time.time() < pt + 2.0 and not alive:
            try:
                data, _ = client.recvfrom(65535)
            except socket.timeout:
                continue
            if data.startswith(b"SIP/2.0 200") and (b"probe-%d@interop.test" % index) in data:
                alive = True
        if not alive:
            problems.append("no 200 for the OPTIONS probe after it")
        if problems:
            failures += 1
            print("FAIL torture %s: %s (%s)" % (name, "; ".join(problems), desc), flush=True)
        else:
            print("PASS torture %s (%s)" % (name, desc), flush=True)
    sys.exit(1 if failures else 0)


def belongs(p, cid, index, callids):
    """A packet belongs to the current message if it carries its Call-ID, or
    carries no Call-ID of an earlier message nor of a probe."""
    pc = p.get("callid")
    if pc is None:
        return p["proto"] == "tcp-syn" or "line" in p
    if cid is not None and pc == cid:
        return callids.get(pc) == index
    if pc.startswith("probe-"):
        return False
    return pc not in callids


if __name__ == "__main__":
    main()
