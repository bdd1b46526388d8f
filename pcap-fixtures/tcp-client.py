#!/usr/bin/env python3
"""SIP-over-TCP caller that makes the byte stream awkward on purpose.

The INVITE (large headers and SDP) is written in three pieces with pauses and
TCP_NODELAY, so it spans several TCP segments, one split inside a header line
and one inside the body. ACK and BYE are then written with one send() call so
that both messages share one segment. Usage: tcp-client.py LOCAL_IP LOCAL_PORT
REMOTE_IP REMOTE_PORT.
"""
import socket
import sys
import time

local_ip, local_port, remote_ip, remote_port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
deadline = time.monotonic() + 15

sdp_lines = [
    "v=0",
    f"o=alice 2890844526 2890844526 IN IP4 {local_ip}",
    "s=-",
    f"c=IN IP4 {local_ip}",
    "t=0 0",
    "m=audio 26072 RTP/AVP 0 8 9 18 101",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:9 G722/8000",
    "a=rtpmap:18 G729/8000",
    "a=fmtp:18 annexb=no",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-16",
    "a=ptime:20",
    "a=sendrecv",
]
# Candidate-style lines only to make the body long enough to need several reads.
sdp_lines += [f"a=x-fixture-padding:{i:03d} " + "0123456789abcdef" * 4 for i in range(24)]
sdp = ("\r\n".join(sdp_lines) + "\r\n").encode()

call_id = f"tcp-segmented-{int(time.time())}@{local_ip}"
from_tag = "a73kszlfl"
uri = f"sip:bob@{remote_ip}:{remote_port};transport=tcp"


def request(method, cseq, to_tag=None, body=b"", extra=()):
    to = f"<sip:bob@{remote_ip}:{remote_port}>" + (f";tag={to_tag}" if to_tag else "")
    lines = [
        f"{method} {uri} SIP/2.0",
        f"Via: SIP/2.0/TCP {local_ip}:{local_port};branch=z9hG4bK-tcp-{method.lower()}-{cseq}",
        "Max-Forwards: 70",
        f"From: \"Alice\" <sip:alice@{local_ip}:{local_port}>;tag={from_tag}",
        f"To: {to}",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {method}",
        f"Contact: <sip:alice@{local_ip}:{local_port};transport=tcp>",
        *extra,
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Reader:
    """Frames SIP messages out of the received stream by Content-Length."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def message(self):
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                head = self.buf[:end].decode()
                length = 0
                for line in head.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() in ("content-length", "l"):
                        length = int(value.strip())
                total = end + 4 + length
                if len(self.buf) >= total:
                    msg, self.buf = self.buf[:total], self.buf[total:]
                    return msg.decode()
            if time.monotonic() > deadline:
                sys.exit("tcp-client: timed out waiting for a response")
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("tcp-client: connection closed early")
            self.buf += chunk

    def response(self, code, method):
        while True:
            msg = self.message()
            first = msg.split("\r\n", 1)[0]
            if first.startswith(f"SIP/2.0 {code} ") and f" {method}\r\n" in msg:
                return msg


def to_tag_of(msg):
    for line in msg.split("\r\n"):
        if line.lower().startswith("to:") and ";tag=" in line:
            return line.split(";tag=", 1)[1].split(";")[0].strip()
    sys.exit("tcp-client: 200 without To tag")


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sock.bind((local_ip, local_port))
sock.settimeout(5)
sock.connect((remote_ip, remote_port))
reader = Reader(sock)

padding = [f"X-Fixture-Padding-{i}: " + "segmented-stream-" * 6 for i in range(6)]
invite = request("INVITE", 1, body=sdp, extra=["User-Agent: tcp-fixture-client", *padding])
cut1 = invite.index(b"CSeq:") + 3            # inside a header line
cut2 = invite.index(b"\r\n\r\n") + 4 + 100   # inside the SDP body
for piece in (invite[:cut1], invite[cut1:cut2], invite[cut2:]):
    sock.sendall(piece)
    time.sleep(0.2)

ok = reader.response(200, "INVITE")
tag = to_tag_of(ok)
time.sleep(0.3)
# ACK and BYE in one write: one segment carrying two messages.
sock.sendall(request("ACK", 1, to_tag=tag) + request("BYE", 2, to_tag=tag))
reader.response(200, "BYE")
time.sleep(0.2)
sock.close()
