#!/usr/bin/env python3
"""dupinvite.py PROXY_HOST:PORT CALLS: for each call, sends one INVITE twice,
byte for byte (the second copy is a retransmission for the proxy's server
transaction, RFC 3261 17.2.1), waits for the final response, ACKs it if it
is a non-2xx (17.1.1.3: same branch, To with the response's tag). Prints
one line per call: "call N: 1xx=A final=STATUS" and exits 1 if a call got
no final response within 5 s.

SIPp cannot send this: it takes the resent 100 Trying for a retransmission
of the first one and sends the INVITE again, ping-pong.
"""
import re
import socket
import sys
import time


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    proxy = (host, int(port))
    calls = int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 5061))
    s.settimeout(0.1)
    bad = 0
    for n in range(1, calls + 1):
        common = ("Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-dup-%d\r\n"
                  "Max-Forwards: 70\r\n"
                  "From: <sip:dup@127.0.0.1:5061>;tag=dup%d\r\n"
                  "%%s"
                  "Call-ID: dup-%d@interop.test\r\n") % (n, n, n)
        invite = ("INVITE sip:service@%s:%s SIP/2.0\r\n" % proxy + common % "To: <sip:service@127.0.0.1>\r\n"
                  + "CSeq: 1 INVITE\r\nContact: <sip:dup@127.0.0.1:5061>\r\nContent-Length: 0\r\n\r\n").encode()
        s.sendto(invite, proxy)
        s.sendto(invite, proxy)
        provisional = 0
        final = None
        end = time.time() + 5
        while time.time() < end and final is None:
            try:
                data, _ = s.recvfrom(65535)
            except socket.timeout:
                continue
            if ("dup-%d@interop.test" % n).encode() not in data:
                continue
            status = int(data.split(b" ", 2)[1])
            if status < 200:
                provisional += 1
                continue
            final = status
            to = re.search(rb"(?im)^(?:to|t)\s*:\s*(.*)$", data).group(1).decode()
            if status >= 300:
                ack = ("ACK sip:service@%s:%s SIP/2.0\r\n" % proxy + common % ("To: %s\r\n" % to)
                       + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n").encode()
                s.sendto(ack, proxy)
        # late copies of provisional responses
        end = time.time() + 0.2
        while time.time() < end:
            try:
                data, _ = s.recvfrom(65535)
            except socket.timeout:
                continue
        print("call %d: 1xx=%d final=%s" % (n, provisional, final))
        if final is None:
            bad += 1
    sys.exit(1 if bad else 0)


main()
