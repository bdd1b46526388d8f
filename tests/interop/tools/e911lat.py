#!/usr/bin/env python3
"""Emergency INVITE forwarding latency from a packet capture (pcap, as
tcpdump -w writes it on lo, kernel timestamps).

  e911lat.py PCAP --pbx-port P --sbc HOST[:PORT] [--service 911] [--sent N]

A-leg: INVITE sip:SERVICE@... from the PBX port (first copy; retransmissions
are ignored). B-leg: the INVITE Switchboard sends to the SBC, first copy.
They are paired by the B-leg's Geolocation <cid:LOCAL@host>: Switchboard
builds LOCAL from the A-leg Call-ID (characters outside RFC 5322 atext
become '-'), so pairing does not depend on order. Answered: a 200 to the
A-leg INVITE reached the PBX. Prints one "key value" line per figure:
sent, reached_sbc, answered, unpaired, p50_ms, p90_ms, p99_ms, max_ms,
mean_ms (latencies of the paired calls).
"""
import argparse
import math
import re
import struct
import sys

ATEXT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
HEADER_RE = re.compile(rb"^([A-Za-z][A-Za-z0-9!%*_+`'~.-]*)[ \t]*:[ \t]*(.*)$")
COMPACT = {b"i": b"call-id"}


def atom(s):
    out = "".join(c if c in ATEXT else "-" for c in s).strip(".")
    return out or "x"


def packets(path):
    """(time, src, sport, dst, dport, payload) of each IPv4 UDP packet."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise SystemExit("%s: not a pcap file (pcapng is not read; use tcpdump -w)" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        frame = data[off:off + incl]
        off += incl
        t = sec + frac / (1e9 if nano else 1e6)
        if linktype == 1:  # Ethernet (lo)
            if len(frame) < 14 or frame[12:14] != b"\x08\x00":
                continue
            ip = frame[14:]
        elif linktype == 113:  # Linux cooked (any)
            if len(frame) < 16 or frame[14:16] != b"\x08\x00":
                continue
            ip = frame[16:]
        elif linktype in (12, 101):  # raw IP
            ip = frame
        else:
            continue
        if len(ip) < 20 or ip[9] != 17:
            continue
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        udp = ip[ihl:total]
        if len(udp) < 8:
            continue
        sport, dport = struct.unpack("!HH", udp[:4])
        src = ".".join(str(b) for b in ip[12:16])
        dst = ".".join(str(b) for b in ip[16:20])
        yield t, src, sport, dst, dport, udp[8:]


def headers(payload):
    """First line and a dict of the first value of each header (lower-case names)."""
    head = payload.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    out = {}
    for line in lines[1:]:
        m = HEADER_RE.match(line)
        if m:
            name = COMPACT.get(m.group(1).lower(), m.group(1).lower())
            out.setdefault(name.decode("latin-1"), m.group(2).strip().decode("latin-1"))
    return lines[0].decode("latin-1"), out


def percentile(values, p):
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    k = max(1, math.ceil(p / 100.0 * len(values)))
    return values[k - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("--pbx-port", type=int, required=True)
    ap.add_argument("--sbc", required=True)
    ap.add_argument("--service", default="911")
    ap.add_argument("--sent", type=int, default=None, help="calls the PBX started (default: A-leg INVITEs seen)")
    a = ap.parse_args()
    sbc_host, _, sbc_port = a.sbc.partition(":")
    sbc_port = int(sbc_port or 5060)

    a_leg = {}      # atom(call-id) -> first INVITE time
    b_leg = {}      # cid local part -> first INVITE time
    answered = set()
    for t, src, sport, dst, dport, payload in packets(a.pcap):
        if not payload:
            continue
        first, h = headers(payload)
        if sport == a.pbx_port and first.startswith("INVITE sip:%s@" % a.service):
            a_leg.setdefault(atom(h.get("call-id", "")), t)
        elif dst == sbc_host and dport == sbc_port and first.startswith("INVITE "):
            m = re.search(r"<cid:([^>]*)>", h.get("geolocation", ""))
            if m:
                b_leg.setdefault(m.group(1).rsplit("@", 1)[0], t)
        elif dport == a.pbx_port and first.startswith("SIP/2.0 200") and h.get("cseq", "").endswith("INVITE"):
            answered.add(atom(h.get("call-id", "")))

    lat = sorted((b_leg[k] - t) * 1000.0 for k, t in a_leg.items() if k in b_leg)
    sent = a.sent if a.sent is not None else len(a_leg)
    out = [
        ("sent", sent),
        ("invites_seen", len(a_leg)),
        ("reached_sbc", sum(1 for k in a_leg if k in b_leg)),
        ("answered", sum(1 for k in a_leg if k in answered)),
        ("unpaired_sbc_invites", sum(1 for k in b_leg if k not in a_leg)),
    ]
    for name, p in (("p50_ms", 50), ("p90_ms", 90), ("p99_ms", 99)):
        out.append((name, "%.3f" % percentile(lat, p)))
    out.append(("max_ms", "%.3f" % (lat[-1] if lat else float("nan"))))
    out.append(("mean_ms", "%.3f" % (sum(lat) / len(lat) if lat else float("nan"))))
    out.append(("over_5ms", sum(1 for x in lat if x > 5.0)))
    for k, v in out:
        print(k, v)


if __name__ == "__main__":
    sys.exit(main())
