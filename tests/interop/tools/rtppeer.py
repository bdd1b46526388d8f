#!/usr/bin/env python3
"""rtppeer.py IP PORT SIPP-MESSAGE-LOG COUNT: the RTP side of a SIPp caller.

Binds IP:PORT (the address the caller's SDP offers), waits up to 10 s for
the 200 answering the INVITE to appear in the caller's SIPp message log,
sends COUNT PCMU packets (20 ms apart, each with its own payload) to the
address and port that 200's SDP names, and counts the packets that come
back (the far end echoes them, SIPp -rtp_echo). Prints what it saw; exit 0
when at least half came back from the answer's address with payloads it
sent, 1 otherwise."""
import os
import re
import socket
import struct
import sys
import time

ip, port, log, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((ip, port))


def answer():
    try:
        text = open(log, errors="replace").read()
    except OSError:
        return None
    for block in re.split(r"\n-{10,}[^\n]*\n", "\n" + text):
        head, _, msg = block.strip("\n").partition("\n")
        msg = msg.lstrip("\r\n")
        if "message received" in head and msg.startswith("SIP/2.0 200") and re.search(r"(?m)^CSeq:\s*\d+\s+INVITE", msg):
            c = re.search(r"(?m)^c=IN IP4 (\S+)", msg)
            m = re.search(r"(?m)^m=audio (\d+) ", msg)
            if c and m:
                return c.group(1), int(m.group(1))
    return None


deadline = time.monotonic() + 10
target = None
while target is None and time.monotonic() < deadline:
    target = answer()
    if target is None:
        time.sleep(0.05)
if target is None:
    print("no 200 with SDP in %s within 10 s" % log)
    sys.exit(1)

ssrc = struct.unpack("!I", os.urandom(4))[0]
sent = {}
back, strangers, foreign = 0, set(), 0
s.setblocking(False)


def drain():
    global back, foreign
    while True:
        try:
            data, source = s.recvfrom(2048)
        except BlockingIOError:
            return
        if source != target:
            strangers.add(source)
            continue
        if data[12:] in sent.values():
            back += 1
        else:
            foreign += 1


for i in range(count):
    payload = bytes([(i * 7 + j) % 256 for j in range(160)])
    sent[i] = payload
    header = struct.pack("!BBHII", 0x80, 0x00, i, 160 * i, ssrc)
    s.sendto(header + payload, target)
    end = time.monotonic() + 0.02
    while time.monotonic() < end:
        drain()
        time.sleep(0.002)
end = time.monotonic() + 1
while time.monotonic() < end and back < count:
    drain()
    time.sleep(0.01)
print("sent %d RTP packets to the relay %s:%d, %d came back through it%s%s" % (
    count, target[0], target[1], back,
    ", %d with payloads not sent" % foreign if foreign else "",
    ", packets from elsewhere: %s" % sorted(strangers) if strangers else ""))
sys.exit(0 if back * 2 >= count and not foreign else 1)
