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
import socket
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ left next to the tools
from rtpecho import Echo, await_answer, packet, payload

ip, port, log, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((ip, port))

found = await_answer(log)
if found is None:
    print("no 200 with SDP in %s within 10 s" % log)
    sys.exit(1)
target = found[:2]

ssrc = struct.unpack("!I", os.urandom(4))[0]
s.setblocking(False)
echo = Echo(s, target)


def send(i):
    echo.sent.add(payload(i))
    s.sendto(packet(i, payload(i), ssrc), target)


echo.pace(count, send)
print("sent %d RTP packets to the relay %s:%d, %d came back through it%s%s" % (
    count, target[0], target[1], echo.back,
    ", %d with payloads not sent" % echo.foreign if echo.foreign else "",
    ", packets from elsewhere: %s" % sorted(echo.strangers) if echo.strangers else ""))
sys.exit(0 if echo.back * 2 >= count and not echo.foreign else 1)
