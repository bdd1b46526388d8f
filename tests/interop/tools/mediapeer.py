#!/usr/bin/env python3
"""mediapeer.py IP PORT SIPP-MESSAGE-LOG COUNT [options]: the media side of a
SIPp caller whose far end echoes RTP (SIPp -rtp_echo), with bad input
thrown at the relay half-way through.

Binds IP:PORT (the address the caller's SDP offers), waits up to 10 s for
the 200 answering the INVITE in the caller's SIPp message log, and sends
COUNT PCMU packets, 20 ms apart, to the relay address and port of that
200's SDP, counting the packets that come back with payloads it sent.

Options (any mix), all at the half-way point:
  --srtp KEY        SRTP (AES_CM_128_HMAC_SHA1_80, RFC 3711) with KEY, the
                    base64 inline key the caller's SDP offered; echoes are
                    decrypted with the key of the 200's a=crypto
  --wrong-key N     N SRTP packets protected with another key (dropped by
                    the relay: they must not come back)
  --stranger N      N RTP packets to the relay port from 127.0.0.99 (an
                    address the stream is not latched to): nothing may go
                    back to it, and the echo must keep reaching this peer
  --garbage PORTS   junk datagrams that are not RTP/RTCP version 2 (empty,
                    1 byte, versions 0 and 1, 8000 bytes) from this peer's
                    own (latched) socket to the relay port, and anything
                    (a bare RTP header, random bytes) from another socket
                    to every port of PORTS (LOW-HIGH, the relay's range)

Prints one line; exit 0 when at least half the packets came back, none of
the bad ones did, and no packet came from anywhere but the relay port."""
import argparse
import base64
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left next to the tools
from rtpecho import Echo, await_answer, packet, payload

try:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
except ImportError:  # SRTP options need it; plain RTP does not
    Cipher = None


class SRTP:
    """One direction of AES_CM_128_HMAC_SHA1_80 (RFC 3711 4.1.1, 4.2, 4.3), ROC 0 (fewer than 65536 packets)."""

    def __init__(self, inline):
        material = base64.b64decode(inline)
        master_key, master_salt = material[:16], material[16:30]
        self.key = self.derive(master_key, master_salt, 0, 16)
        self.auth = self.derive(master_key, master_salt, 1, 20)
        self.salt = self.derive(master_key, master_salt, 2, 14)

    @staticmethod
    def ctr(key, iv, data):
        return Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor().update(data)

    @classmethod
    def derive(cls, key, salt, label, length):
        x = bytearray(salt)
        x[7] ^= label
        return cls.ctr(key, bytes(x) + b"\0\0", b"\0" * length)

    def iv(self, ssrc, seq):
        iv = bytearray(self.salt + b"\0\0")
        for i, b in enumerate(struct.pack("!I", ssrc)):
            iv[4 + i] ^= b
        for i, b in enumerate(struct.pack("!Q", seq)[2:]):
            iv[8 + i] ^= b
        return bytes(iv)

    def protect(self, packet):
        seq, ssrc = struct.unpack("!H", packet[2:4])[0], struct.unpack("!I", packet[8:12])[0]
        body = packet[:12] + self.ctr(self.key, self.iv(ssrc, seq), packet[12:])
        return body + hmac.new(self.auth, body + b"\0\0\0\0", hashlib.sha1).digest()[:10]

    def unprotect(self, packet):
        if len(packet) < 22:
            return None
        body, tag = packet[:-10], packet[-10:]
        if not hmac.compare_digest(hmac.new(self.auth, body + b"\0\0\0\0", hashlib.sha1).digest()[:10], tag):
            return None
        seq, ssrc = struct.unpack("!H", body[2:4])[0], struct.unpack("!I", body[8:12])[0]
        return body[:12] + self.ctr(self.key, self.iv(ssrc, seq), body[12:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ip")
    p.add_argument("port", type=int)
    p.add_argument("log")
    p.add_argument("count", type=int)
    p.add_argument("--srtp")
    p.add_argument("--wrong-key", type=int, default=0)
    p.add_argument("--stranger", type=int, default=0)
    p.add_argument("--garbage")
    a = p.parse_args()
    if (a.srtp or a.wrong_key) and Cipher is None:
        print("python3-cryptography is needed for SRTP")
        return 2
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.ip, a.port))
    s.setblocking(False)
    found = await_answer(a.log)
    if found is None:
        print("no 200 with SDP in %s within 10 s" % a.log)
        return 1
    relay_ip, relay_port, their_key = found
    target = (relay_ip, relay_port)
    ours = theirs = None
    if a.srtp:
        if their_key is None:
            print("the 200 has no AES_CM_128_HMAC_SHA1_80 a=crypto for the SRTP leg")
            return 1
        ours, theirs = SRTP(a.srtp), SRTP(their_key)

    ssrc = struct.unpack("!I", os.urandom(4))[0]
    echo = Echo(s, target, theirs.unprotect if theirs else None)

    injected = []
    stranger = None

    def inject():
        nonlocal stranger
        if a.wrong_key:
            wrong = SRTP(base64.b64encode(os.urandom(30)).decode())
            for j in range(a.wrong_key):
                body = b"W" * 4 + os.urandom(156)
                echo.bad.add(body)
                s.sendto(wrong.protect(packet(10000 + j, body, ssrc)), target)
            injected.append("%d SRTP packets with a wrong key" % a.wrong_key)
        if a.stranger:
            stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            stranger.bind(("127.0.0.99", 0))
            stranger.setblocking(False)
            for j in range(a.stranger):
                body = b"S" * 4 + os.urandom(156)
                echo.bad.add(body)
                stranger.sendto(packet(20000 + j, body, ssrc ^ 0x5A5A5A5A), target)
                time.sleep(0.005)
            injected.append("%d RTP packets from stranger %s:%d" % (a.stranger, *stranger.getsockname()))
        if a.garbage:
            low, high = (int(x) for x in a.garbage.split("-"))
            # From the latched source: nothing RTP or RTCP version 2 can read (those it relays, by design).
            junk = [b"", b"\x01", b"\x00" * 12 + b"junk", b"\x40" + os.urandom(171), b"\x00" + os.urandom(1499), os.urandom(8000)]
            for blob in junk:
                s.sendto(blob, target)
            # From elsewhere: anything, to every port (unlatched sources are dropped whatever they send).
            junk = [b"", b"\x01", b"\x80" + b"\x00" * 11, os.urandom(172), os.urandom(1500), os.urandom(8000)]
            g = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            g.bind(("127.0.0.98", 0))
            for port in range(low, high + 1):
                for blob in junk:
                    try:
                        g.sendto(blob, (relay_ip, port))
                    except OSError:
                        pass
            injected.append("%d junk datagrams to the stream and %d to ports %d-%d" % (len(junk), len(junk) * (high - low + 1), low, high))

    def send(i):
        if i == a.count // 2:
            inject()
        echo.sent.add(payload(i))
        rtp = packet(i, payload(i), ssrc)
        s.sendto(ours.protect(rtp) if ours else rtp, target)

    echo.pace(a.count, send)
    stranger_got = 0
    if stranger is not None:
        try:
            while True:
                stranger.recvfrom(9000)
                stranger_got += 1
        except BlockingIOError:
            pass
    problems = []
    if echo.back * 2 < a.count:
        problems.append("only %d/%d came back" % (echo.back, a.count))
    if echo.bad_back:
        problems.append("%d injected packets were relayed" % echo.bad_back)
    if stranger_got:
        problems.append("the stranger got %d packets" % stranger_got)
    if echo.foreign or echo.undecryptable or echo.strangers:
        problems.append("unexpected: %d foreign payloads, %d failed SRTP checks, sources %s" % (
            echo.foreign, echo.undecryptable, sorted(echo.strangers)))
    print("%s %d packets to relay %s:%d, %d came back%s%s" % (
        "SRTP" if ours else "RTP", a.count, relay_ip, relay_port, echo.back,
        "; injected " + ", ".join(injected) if injected else "", "; " + "; ".join(problems) if problems else ""))
    return 1 if problems else 0


sys.exit(main())
