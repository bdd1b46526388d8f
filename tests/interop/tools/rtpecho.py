"""The RTP side of a SIPp caller whose far end echoes RTP (SIPp -rtp_echo),
shared by rtppeer.py and mediapeer.py: the relay address the 200 to the
caller's INVITE names, the packets sent there 20 ms apart, and the count of
those that come back."""
import re
import struct
import time


def answer(log):
    """(relay ip, relay port, inline AES_CM_128_HMAC_SHA1_80 key or None) from
    the 200 to the INVITE in a SIPp message log, or None while there is none."""
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
            k = re.search(r"(?m)^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)", msg)
            if c and m:
                return c.group(1), int(m.group(1)), k.group(1) if k else None
    return None


def await_answer(log, seconds=10):
    """`answer(log)`, waiting up to `seconds` for the 200 to be logged; None if it is not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = answer(log)
        if found is not None:
            return found
        time.sleep(0.05)
    return None


def payload(i):
    """The 160-byte PCMU payload of packet `i`, different from its neighbours'."""
    return bytes([(i * 7 + j) % 256 for j in range(160)])


def packet(seq, body, ssrc):
    """An RTP packet (version 2, PCMU) with sequence number `seq` and timestamp 160 × seq."""
    return struct.pack("!BBHII", 0x80, 0x00, seq & 0xFFFF, 160 * seq & 0xFFFFFFFF, ssrc) + body


class Echo:
    """What comes back on `sock` from `target`: payloads sent (`sent`), bad ones
    injected (`bad`), anything else, and datagrams from other sources."""

    def __init__(self, sock, target, unprotect=None):
        self.sock, self.target, self.unprotect = sock, target, unprotect
        self.sent, self.bad = set(), set()
        self.back = self.bad_back = self.foreign = self.undecryptable = 0
        self.strangers = set()

    def drain(self):
        """Counts every datagram waiting on the (non-blocking) socket."""
        while True:
            try:
                data, source = self.sock.recvfrom(9000)
            except BlockingIOError:
                return
            if source != self.target:
                self.strangers.add(source)
                continue
            if self.unprotect is not None:
                data = self.unprotect(data)
                if data is None:
                    self.undecryptable += 1
                    continue
            body = data[12:]
            if body in self.sent:
                self.back += 1
            elif body in self.bad:
                self.bad_back += 1
            else:
                self.foreign += 1

    def pace(self, count, send):
        """Calls `send(i)` for i < count, 20 ms apart, counting echoes in between;
        then waits up to 1 s more for the rest of them."""
        for i in range(count):
            send(i)
            end = time.monotonic() + 0.02
            while time.monotonic() < end:
                self.drain()
                time.sleep(0.002)
        end = time.monotonic() + 1
        while time.monotonic() < end and self.back < count:
            self.drain()
            time.sleep(0.01)
