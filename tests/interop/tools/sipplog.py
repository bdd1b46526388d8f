#!/usr/bin/env python3
"""sipplog.py: reads SIPp message logs (-trace_msg) for the trunk scripts.

  count LOG sent|received START     how many messages went that way whose
                                    first line starts with START
                                    (retransmissions, same Call-ID, CSeq and
                                    first line, counted once)
  show LOG sent|received START [N]  the Nth (1-based, default 1) such message
  hiding PBX-LOG CARRIER-LOG RELAY-IP PORT-MIN PORT-MAX SB-HOSTPORT
                                    topology hiding of the first INVITE the
                                    PBX sent, as the carrier received it:
                                    prints what it saw, exit 1 with the
                                    reasons when something leaked
  digest LOG USER PASSWORD
                                    the carrier's second INVITE answers the
                                    401/407 challenge the carrier sent
                                    (RFC 3261 22, RFC 2617 MD5): same Call-ID
                                    and From tag, CSeq one higher, username,
                                    realm, nonce, uri and response right;
                                    prints what it saw, exit 1 with reasons
  direction LOG sent|received START N
                                    the SDP direction attribute of the Nth
                                    such message, retransmissions counted
                                    once (sendrecv when none, "none" when
                                    there is no Nth)
"""
import hashlib
import re
import sys


def messages(path, direction):
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return []
    out = []
    for block in re.split(r"\n-{10,}[^\n]*\n", "\n" + text):
        head, _, body = block.strip("\n").partition("\n")
        if ("message %s" % direction) in head:
            out.append(body.strip("\n").replace("\r\n", "\n"))
    return out


def matching(path, direction, start):
    return [m for m in messages(path, direction) if m.lstrip("\n").startswith(start)]


def distinct(found):
    seen, out = set(), []
    for m in found:
        key = (m.split("\n", 1)[0], tuple(headers(m, "call-id", "i")), tuple(headers(m, "cseq")))
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def headers(msg, *names):
    values = []
    for line in msg.split("\n\n")[0].split("\n")[1:]:
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() in names:
            values.append(value.strip())
    return values


def body(msg):
    return msg.partition("\n\n")[2]


def direction(msg):
    found = re.findall(r"(?m)^a=(sendrecv|sendonly|recvonly|inactive)\s*$", body(msg))
    return found[-1] if found else "sendrecv"


def hiding(pbx_log, carrier_log, relay_ip, port_min, port_max, sb):
    sent = matching(pbx_log, "sent", "INVITE ")
    got = matching(carrier_log, "received", "INVITE ")
    if not sent or not got:
        print("no INVITE: PBX sent %d, carrier received %d" % (len(sent), len(got)))
        return 1
    pbx, carrier = sent[0], got[0]
    problems = []
    pbx_call_id = headers(pbx, "call-id", "i")[0]
    call_id = headers(carrier, "call-id", "i")
    if not call_id or call_id[0] == pbx_call_id:
        problems.append("Call-ID %s is the PBX's" % call_id)
    pbx_tag = re.search(r";\s*tag=([^;>\s]+)", headers(pbx, "from", "f")[0]).group(1)
    from_ = " ".join(headers(carrier, "from", "f"))
    if pbx_tag in from_:
        problems.append("From carries the PBX's tag %s" % pbx_tag)
    vias = headers(carrier, "via", "v")
    if any("127.0.0.1:5060" in v for v in vias):
        problems.append("a Via names the PBX (127.0.0.1:5060): %s" % vias)
    contact = " ".join(headers(carrier, "contact", "m"))
    if sb not in contact or "127.0.0.1:5060" in contact:
        problems.append("Contact %r is not Switchboard's (%s)" % (contact, sb))
    for name in ("record-route", "route"):
        for v in headers(carrier, name):
            if "127.0.0.1:5060" in v:
                problems.append("%s names the PBX: %s" % (name, v))
    if pbx_call_id in carrier:
        problems.append("the PBX's Call-ID appears in the message")
    sdp = body(carrier)
    c = re.findall(r"(?m)^c=IN IP4 (\S+)", sdp)
    m = re.search(r"(?m)^m=audio (\d+) ", sdp)
    pbx_c = re.findall(r"(?m)^c=IN IP4 (\S+)", body(pbx))
    if not c or any(x != relay_ip for x in c):
        problems.append("SDP c= %s, not the relay's %s (PBX offered %s)" % (c, relay_ip, pbx_c))
    if not m or not (int(port_min) <= int(m.group(1)) <= int(port_max)):
        problems.append("SDP m= port %s outside the relay range %s-%s" % (m.group(1) if m else None, port_min, port_max))
    if problems:
        print("; ".join(problems))
        return 1
    print("Call-ID %s (PBX %s), Via %s, Contact %s, c=%s m=audio %s" % (
        call_id[0], pbx_call_id, vias, contact, c[0], m.group(1)))
    return 0


def params(value):
    """The name=value pairs of a digest challenge or credentials, names lowercased."""
    return {k.lower(): (a or b) for k, a, b in re.findall(r'([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', value)}


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest(log, user, password):
    challenges = [m for m in messages(log, "sent") if re.match(r"SIP/2.0 40[17] ", m)]
    invites = distinct(matching(log, "received", "INVITE "))
    if not challenges:
        print("the carrier sent no 401/407 (received %d INVITEs)" % len(invites))
        return 1
    if len(invites) < 2:
        print("no INVITE after the %s challenge (received %d INVITEs)" % (challenges[0].split(" ")[1], len(invites)))
        return 1
    challenge, first, second = challenges[0], invites[0], invites[1]
    status = challenge.split(" ")[1]
    ask, answer = ("proxy-authenticate", "proxy-authorization") if status == "407" else ("www-authenticate", "authorization")
    offered = params(headers(challenge, ask)[0])
    creds = headers(second, answer)
    if not creds:
        print("second INVITE has no %s header (answering %s)" % (answer, status))
        return 1
    got = params(creds[0])
    problems = []
    if headers(first, "call-id", "i") != headers(second, "call-id", "i"):
        problems.append("Call-ID changed")
    tag = lambda m: re.findall(r";\s*tag=([^;>\s]+)", " ".join(headers(m, "from", "f")))
    if tag(first) != tag(second):
        problems.append("From tag changed")
    seq = lambda m: int(headers(m, "cseq")[0].split()[0])
    if seq(second) != seq(first) + 1:
        problems.append("CSeq %d after %d" % (seq(second), seq(first)))
    for key in ("realm", "nonce"):
        if got.get(key) != offered.get(key):
            problems.append("%s %r, challenge had %r" % (key, got.get(key), offered.get(key)))
    if got.get("username") != user:
        problems.append("username %r, expected %r" % (got.get("username"), user))
    ruri = second.split("\n", 1)[0].split(" ")[1]
    if got.get("uri") != ruri:
        problems.append("uri %r, Request-URI %r" % (got.get("uri"), ruri))
    ha1 = md5("%s:%s:%s" % (user, offered.get("realm"), password))
    ha2 = md5("INVITE:%s" % got.get("uri"))
    if got.get("qop"):
        expected = md5("%s:%s:%s:%s:%s:%s" % (ha1, got.get("nonce"), got.get("nc"), got.get("cnonce"), got.get("qop"), ha2))
    else:
        expected = md5("%s:%s:%s" % (ha1, got.get("nonce"), ha2))
    if got.get("response") != expected:
        problems.append("response does not verify with the configured password")
    if problems:
        print("%s answered with %s: %s" % (status, answer, "; ".join(problems)))
        return 1
    print("%s challenge answered: %s username=%s realm=%s uri=%s, response verifies; CSeq %d -> %d, same Call-ID and From tag" % (
        status, answer, user, got.get("realm"), got.get("uri"), seq(first), seq(second)))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == "count":
        print(len(distinct(matching(sys.argv[2], sys.argv[3], sys.argv[4]))))
    elif cmd == "show":
        found = distinct(matching(sys.argv[2], sys.argv[3], sys.argv[4]))
        n = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        if len(found) >= n:
            print(found[n - 1])
    elif cmd == "direction":
        found = distinct(matching(sys.argv[2], sys.argv[3], sys.argv[4]))
        n = int(sys.argv[5])
        print(direction(found[n - 1]) if len(found) >= n else "none")
    elif cmd == "digest":
        sys.exit(digest(*sys.argv[2:5]))
    elif cmd == "hiding":
        sys.exit(hiding(*sys.argv[2:8]))
    else:
        sys.exit("unknown command %s" % cmd)


main()
