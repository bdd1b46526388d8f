#!/usr/bin/env python3
"""Packets on the loopback interface, for counting SIP messages on the wire.

  wire.py sniff FILE     record every UDP and TCP packet on lo as one JSON
                         object per line (FILE.ready appears once recording);
                         stops on SIGINT/SIGTERM
  wire.py count FILE [--sport P] [--dport P] [--method M] [--status S]
                [--callid-prefix X] [--cseq-method M] [--proto udp|tcp]
                [--times] [--branches]
                         how many recorded SIP messages match (with --times
                         also their times in ms after the first match, with
                         --branches the distinct top Via branches)

Linux shows each loopback packet twice to a packet socket (leaving and
arriving); only the leaving copy is kept. Needs CAP_NET_RAW, which root has
inside the scripts' network namespace.
"""
import json
import re
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

HEADER_RE = re.compile(rb"^([A-Za-z][A-Za-z0-9!%*_+`'~.-]*)[ \t]*:[ \t]*(.*)$")
COMPACT = {b"i": b"call-id", b"v": b"via"}


def parse_sip(payload):
    """First line, status/method, Call-ID, CSeq and top Via branch of a SIP message (best effort)."""
    info = {}
    head = payload.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    if not lines or not lines[0]:
        return info
    first = lines[0]
    info["line"] = first[:120].decode("latin-1")
    if first.startswith(b"SIP/2.0 "):
        parts = first.split(b" ", 2)
        try:
            info["status"] = int(parts[1])
        except (ValueError, IndexError):
            pass
    else:
        info["method"] = first.split(b" ", 1)[0][:40].decode("latin-1")
    for line in lines[1:]:
        m = HEADER_RE.match(line)
        if not m:
            continue
        name = m.group(1).lower()
        name = COMPACT.get(name, name)
        value = m.group(2).strip()
        if name == b"call-id" and "callid" not in info:
            info["callid"] = value.decode("latin-1")
        elif name == b"cseq" and "cseq" not in info:
            info["cseq"] = value.decode("latin-1")
        elif name == b"via" and "branch" not in info:
            b = re.search(rb"branch=([^;,\s]+)", value)
            info["branch"] = b.group(1).decode("latin-1") if b else ""
    return info


def decode(frame):
    """(proto, src, sport, dst, dport, tcp_flags, payload) or None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack("!H", frame[12:14])[0]
    data = frame[14:]
    if ethertype == 0x0800 and len(data) >= 20:
        ihl = (data[0] & 0x0F) * 4
        total = struct.unpack("!H", data[2:4])[0]
        proto = data[9]
        src = socket.inet_ntop(socket.AF_INET, data[12:16])
        dst = socket.inet_ntop(socket.AF_INET, data[16:20])
        body = data[ihl:total]
    elif ethertype == 0x86DD and len(data) >= 40:
        proto = data[6]
        src = socket.inet_ntop(socket.AF_INET6, data[8:24])
        dst = socket.inet_ntop(socket.AF_INET6, data[24:40])
        body = data[40:40 + struct.unpack("!H", data[4:6])[0]]
    else:
        return None
    if proto == 17 and len(body) >= 8:
        sport, dport = struct.unpack("!HH", body[:4])
        return ("udp", src, sport, dst, dport, None, body[8:])
    if proto == 6 and len(body) >= 20:
        sport, dport = struct.unpack("!HH", body[:4])
        offset = (body[12] >> 4) * 4
        flags = body[13]
        return ("tcp", src, sport, dst, dport, flags, body[offset:])
    return None


def sniff(path):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("lo", 0))
    s.settimeout(0.2)
    out = open(path, "w", buffering=1)
    stop = []
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(path + ".ready", "w") as ready:
        ready.write("1\n")
    while not stop:
        try:
            frame, address = s.recvfrom(262144)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if address[2] != PACKET_OUTGOING:
            continue
        d = decode(frame)
        if d is None:
            continue
        proto, src, sport, dst, dport, flags, payload = d
        record = {"t": time.time(), "proto": proto, "src": src, "sport": sport, "dst": dst, "dport": dport,
                  "len": len(payload)}
        if flags is not None:
            record["flags"] = flags
        if payload:
            record.update(parse_sip(payload))
        out.write(json.dumps(record) + "\n")
    out.close()


def load(path):
    records = []
    with open(path) as f:
        for line in f:
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    return records


def select(records, sport=None, dport=None, method=None, status=None, callid_prefix=None, proto=None,
           cseq_method=None):
    out = []
    for r in records:
        if "line" not in r:
            continue
        if sport is not None and r["sport"] != sport:
            continue
        if dport is not None and r["dport"] != dport:
            continue
        if proto is not None and r["proto"] != proto:
            continue
        if method is not None and r.get("method") != method:
            continue
        if status is not None and r.get("status") != status:
            continue
        if callid_prefix is not None and not r.get("callid", "").startswith(callid_prefix):
            continue
        if cseq_method is not None and r.get("cseq", "").split()[-1:] != [cseq_method]:
            continue
        out.append(r)
    return out


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "sniff":
        sniff(sys.argv[2])
        return
    if len(sys.argv) >= 3 and sys.argv[1] == "count":
        args = sys.argv[3:]
        opts = {}
        flags = set()
        i = 0
        while i < len(args):
            if args[i] in ("--times", "--branches"):
                flags.add(args[i])
                i += 1
                continue
            opts[args[i].lstrip("-").replace("-", "_")] = args[i + 1]
            i += 2
        for k in ("sport", "dport", "status"):
            if k in opts:
                opts[k] = int(opts[k])
        matched = select(load(sys.argv[2]), **opts)
        out = [str(len(matched))]
        if "--times" in flags and matched:
            t0 = matched[0]["t"]
            out.append(",".join("%d" % round((r["t"] - t0) * 1000) for r in matched))
        if "--branches" in flags:
            out.append(str(len({r.get("branch", "") for r in matched})))
        print(" ".join(out))
        return
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
