"""Reads what the E911 peers of e911-sipp.sh received and checks it.

    e911.py invites LOG                      one line per distinct INVITE received: time call-id request-uri
    e911.py check-invite LOG RURI CALLBACK K=V...
                                             the first INVITE for RURI is a complete E911 INVITE (RFC 6442,
                                             RFC 4119, RFC 5139): one P-Asserted-Identity and From with
                                             CALLBACK, Geolocation <cid:X> naming the PIDF-LO part of a
                                             multipart/mixed body, civic elements K=V, SDP with G.711 only
    e911.py message LOG                      the text body of the first MESSAGE received
    e911.py webhook FILE CALLBACK LOCATION-WORD...
                                             the first JSON document POSTed (one per line in FILE) has
                                             caller, callbackNumber = CALLBACK, a location naming each
                                             word, and an ISO 8601 time
    e911.py cdr FILE                         rows of `switchboard cdr export` (CSV or JSON lines) whose
                                             class is emergency, as `call-id dialled carrier status` lines

LOG is a SIPp message log (-trace_msg). Each command prints what it found;
exit status 1 (with the reasons) when a check fails.
"""
import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

PIDF = "urn:ietf:params:xml:ns:pidf"
GEOPRIV = "urn:ietf:params:xml:ns:pidf:geopriv10"
CIVIC = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"

SEPARATOR = re.compile(r"^-{20,}\s*(\S+[ \t]+\S+)?\s*$", re.M)


def messages(path, direction="received"):
    """(time, text) of each message SIPp logged as received (or sent)."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return []
    out = []
    pieces = SEPARATOR.split(text)
    # split() with one group: [before, stamp, block, stamp, block, ...]
    for i in range(1, len(pieces) - 1, 2):
        stamp, block = pieces[i], pieces[i + 1]
        head, _, body = block.lstrip("\n").partition("\n")
        if direction not in head:
            continue
        t = None
        if stamp:
            for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d\t%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S:%f"):
                try:
                    t = datetime.strptime(stamp.strip(), fmt).timestamp()
                    break
                except ValueError:
                    pass
        out.append((t, body.strip("\n").replace("\r\n", "\n").replace("\n", "\r\n")))
    return out


def split(msg):
    head, _, body = msg.partition("\r\n\r\n")
    lines = head.split("\r\n")
    fields = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + " " + line.strip())
            continue
        name, sep, value = line.partition(":")
        if sep:
            fields.append((name.strip().lower(), value.strip()))
    return lines[0], fields, body


def values(fields, *names):
    return [v for n, v in fields if n in names]


def header_list(fields, *names):
    """Comma-separated header values, split outside <> and quotes."""
    out = []
    for v in values(fields, *names):
        depth, quoted, cur = 0, False, ""
        for c in v:
            if c == '"':
                quoted = not quoted
            elif c == "<" and not quoted:
                depth += 1
            elif c == ">" and not quoted:
                depth -= 1
            if c == "," and depth == 0 and not quoted:
                out.append(cur.strip())
                cur = ""
            else:
                cur += c
        if cur.strip():
            out.append(cur.strip())
    return out


def invites(path):
    seen, out = set(), []
    for t, msg in messages(path):
        start, fields, _ = split(msg)
        if not start.startswith("INVITE "):
            continue
        call_id = (values(fields, "call-id", "i") or [""])[0]
        if call_id in seen:
            continue
        seen.add(call_id)
        out.append((t, call_id, start.split(" ")[1], msg))
    return out


def uri_matches(uri, wanted):
    """sip:911@127.0.0.2 matches itself, with :5060 and with ;transport=udp."""
    m = re.fullmatch(r"(sips?:[^@;>]+@[^:;>]+)(:5060)?(;transport=udp)?", uri, re.I)
    return bool(m) and m.group(1).lower() == wanted.lower()


def cmd_invites(path):
    for t, call_id, uri, _ in invites(path):
        print("%s %s %s" % ("%.3f" % t if t is not None else "-", call_id, uri))


def parts(content_type, body):
    m = re.search(r'boundary\s*=\s*"?([^";]+)"?', content_type, re.I)
    if not m:
        raise ValueError("multipart Content-Type without boundary: %s" % content_type)
    delimiter = "--" + m.group(1)
    chunks = body.split(delimiter)
    out = []
    for chunk in chunks[1:]:
        if chunk.startswith("--"):
            break
        chunk = chunk[2:] if chunk.startswith("\r\n") else chunk
        head, _, content = chunk.partition("\r\n\r\n")
        headers = {}
        for line in head.split("\r\n"):
            n, sep, v = line.partition(":")
            if sep:
                headers[n.strip().lower()] = v.strip()
        out.append((headers, content[:-2] if content.endswith("\r\n") else content))
    return out


def cmd_check_invite(path, ruri, callback, elements):
    problems, found = [], []
    matching = [i for i in invites(path) if uri_matches(i[2], ruri)]
    if not matching:
        seen = [i[2] for i in invites(path)]
        raise SystemExit("no INVITE for %s received (INVITEs seen: %s)" % (ruri, seen or "none"))
    _, _, uri, msg = matching[0]
    found.append("INVITE %s" % uri)
    _, fields, body = split(msg)

    pai = header_list(fields, "p-asserted-identity")
    if len(pai) != 1:
        problems.append("%d P-Asserted-Identity values (%s), expected exactly one" % (len(pai), pai))
    elif not re.search(r"<sips?:%s@" % re.escape(callback), pai[0]):
        problems.append("P-Asserted-Identity %s is not the callback number %s" % (pai[0], callback))
    else:
        found.append("one PAI %s" % pai[0])
    frm = (values(fields, "from", "f") or [""])[0]
    if not re.search(r"sips?:%s@" % re.escape(callback), frm):
        problems.append("From %s does not carry the callback number %s" % (frm, callback))

    geo = values(fields, "geolocation")
    routing = values(fields, "geolocation-routing")
    cid = None
    if len(geo) != 1 or not re.fullmatch(r"<cid:([^>]+)>.*", geo[0]):
        problems.append("Geolocation %s, expected one <cid:...>" % geo)
    else:
        cid = re.fullmatch(r"<cid:([^>]+)>.*", geo[0]).group(1)
    if [r.lower() for r in routing] != ["yes"]:
        problems.append("Geolocation-Routing %s, expected yes" % routing)

    ctype = (values(fields, "content-type", "c") or [""])[0]
    if not ctype.lower().startswith("multipart/mixed"):
        problems.append("Content-Type %s, expected multipart/mixed" % ctype)
        print("; ".join(problems))
        sys.exit(1)
    try:
        body_parts = parts(ctype, body)
    except ValueError as e:
        raise SystemExit(str(e))
    sdp = [c for h, c in body_parts if h.get("content-type", "").lower().startswith("application/sdp")]
    pidf = [(h, c) for h, c in body_parts if h.get("content-type", "").lower().startswith("application/pidf+xml")]
    if len(sdp) != 1 or len(pidf) != 1:
        problems.append("body parts %s, expected one application/sdp and one application/pidf+xml"
                        % [h.get("content-type") for h, _ in body_parts])
    if pidf:
        h, xml = pidf[0]
        content_id = h.get("content-id", "")
        if cid is None or content_id.strip("<>") != cid:
            problems.append("Geolocation cid %s does not name the PIDF-LO part (Content-ID %s)" % (cid, content_id))
        else:
            found.append("Geolocation cid:%s = Content-ID" % cid)
        try:
            root = ET.fromstring(xml.encode())
        except ET.ParseError as e:
            problems.append("PIDF-LO is not well-formed XML: %s" % e)
            root = None
        if root is not None:
            if root.tag != "{%s}presence" % PIDF:
                problems.append("PIDF-LO root %s, expected {%s}presence" % (root.tag, PIDF))
            geopriv = root.findall(".//{%s}geopriv" % GEOPRIV)
            civic = root.findall(".//{%s}geopriv/{%s}location-info/{%s}civicAddress" % (GEOPRIV, GEOPRIV, CIVIC))
            if len(geopriv) != 1:
                problems.append("%d gp:geopriv elements in the %s namespace" % (len(geopriv), GEOPRIV))
            if len(civic) != 1:
                problems.append("%d ca:civicAddress in gp:location-info (namespace %s)" % (len(civic), CIVIC))
            else:
                got = {}
                for k, v in elements.items():
                    e = civic[0].find("{%s}%s" % (CIVIC, k))
                    got[k] = e.text if e is not None else None
                    if got[k] != v:
                        problems.append("civic %s is %r, expected %r" % (k, got[k], v))
                found.append("PIDF-LO civic %s" % ",".join("%s=%s" % kv for kv in got.items()))
            if root.find(".//{%s}geopriv/{%s}usage-rules" % (GEOPRIV, GEOPRIV)) is None:
                problems.append("gp:usage-rules missing (RFC 4119 2.2.2)")
    if sdp:
        text = sdp[0].replace("\r\n", "\n")
        m = re.search(r"^m=audio \d+ RTP/AVP ([\d ]+)$", text, re.M)
        rtpmap = dict(re.findall(r"^a=rtpmap:(\d+) ([^/\s]+)", text, re.M))
        if not m:
            problems.append("SDP without an m=audio line: %r" % sdp[0][:200])
        else:
            pts = m.group(1).split()
            names = [rtpmap.get(p, {"0": "PCMU", "8": "PCMA", "18": "G729"}.get(p, p)) for p in pts]
            audio = [n for n in names if n.lower() != "telephone-event"]
            if not audio or any(n.upper() not in ("PCMU", "PCMA") for n in audio):
                problems.append("SDP offers %s, expected G.711 only (PCMU/PCMA)" % names)
            else:
                found.append("SDP offers %s" % " ".join(names))
    if problems:
        print("; ".join(problems))
        sys.exit(1)
    print(", ".join(found))


def cmd_message(path):
    for _, msg in messages(path):
        start, fields, body = split(msg)
        if start.startswith("MESSAGE "):
            ctype = (values(fields, "content-type", "c") or [""])[0]
            print("Content-Type: %s" % ctype)
            print(body.strip("\r\n"))
            return
    raise SystemExit("no MESSAGE received")


def cmd_webhook(path, callback, words):
    try:
        line = open(path).readline()
    except OSError:
        line = ""
    if not line.strip():
        raise SystemExit("no POST received")
    doc = json.loads(line)
    problems = []
    body = doc.get("body")
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        raise SystemExit("POST body is not JSON: %r (Content-Type %s)" % (body, doc.get("content_type")))
    if not (doc.get("content_type") or "").lower().startswith("application/json"):
        problems.append("Content-Type %s, expected application/json" % doc.get("content_type"))
    if not isinstance(data.get("caller"), str) or not data["caller"]:
        problems.append("caller %r" % data.get("caller"))
    if data.get("callbackNumber") != callback:
        problems.append("callbackNumber %r, expected %s" % (data.get("callbackNumber"), callback))
    loc = data.get("location")
    if not isinstance(loc, str) or any(w not in loc for w in words):
        problems.append("location %r does not name %s" % (loc, " ".join(words)))
    t = data.get("time")
    try:
        datetime.fromisoformat(str(t).replace("Z", "+00:00"))
    except ValueError:
        problems.append("time %r is not ISO 8601" % t)
    if problems:
        print("; ".join(problems) + "; JSON: " + json.dumps(data, sort_keys=True))
        sys.exit(1)
    print("POST %s: %s" % (doc.get("path"), json.dumps({k: data.get(k) for k in ("caller", "callbackNumber", "location", "time", "dialled")}, sort_keys=True)))


def cmd_cdr(path):
    text = open(path, errors="replace").read()
    rows = []
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        try:
            data = json.loads(stripped)
            rows = data if isinstance(data, list) else [data]
        except ValueError:
            rows = [json.loads(l) for l in stripped.splitlines() if l.strip()]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        low = {str(k).lower().replace("_", ""): v for k, v in r.items()}
        if str(low.get("class", low.get("callclass", ""))).lower() != "emergency":
            continue
        print("%s %s %s %s" % (low.get("callid", "-"), low.get("dialled", low.get("callee", "-")) or "-",
                               low.get("carrier", "-") or "-", low.get("status", "-")))


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "invites":
        cmd_invites(args[0])
    elif cmd == "check-invite":
        cmd_check_invite(args[0], args[1], args[2], dict(a.split("=", 1) for a in args[3:]))
    elif cmd == "message":
        cmd_message(args[0])
    elif cmd == "webhook":
        cmd_webhook(args[0], args[1], args[2:])
    elif cmd == "cdr":
        cmd_cdr(args[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
