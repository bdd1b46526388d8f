#!/usr/bin/env python3
"""wavcheck.py FILE FREQ [OTHER_FREQ]: is FREQ (Hz) the tone recorded in FILE?

Reads a 16-bit PCM WAV (any rate, channels averaged), skips the first
0.5 s, and measures in 100 ms blocks the signal level (RMS, dBFS) and,
with the Goertzel algorithm, the share of the signal's power at FREQ (1.0
for a pure tone) and at OTHER_FREQ (the tone sent the other way, which
must not be what came back). Prints one line; exit 0 when the level is
above -40 dBFS, FREQ holds at least half the power and OTHER_FREQ less
than a tenth of it, 1 otherwise (2 when the file cannot be read)."""
import math
import struct
import sys
import wave


def goertzel_power(samples, rate, freq):
    """Power of the `freq` component (mean square of a sine of that amplitude)."""
    n = len(samples)
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + coeff * s1 - s2
        s2, s1 = s1, s0
    magnitude2 = s1 * s1 + s2 * s2 - coeff * s1 * s2
    amplitude = 2 * math.sqrt(max(magnitude2, 0)) / n
    return amplitude * amplitude / 2


def main():
    path, freq = sys.argv[1], float(sys.argv[2])
    other = float(sys.argv[3]) if len(sys.argv) > 3 else None
    try:
        w = wave.open(path, "rb")
    except (OSError, EOFError, wave.Error) as error:
        print("%s: unreadable (%s)" % (path, error))
        return 2
    rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
    frames = w.readframes(w.getnframes())
    if width != 2:
        print("%s: %d-byte samples, expected 16-bit PCM" % (path, width))
        return 2
    values = struct.unpack("<%dh" % (len(frames) // 2), frames[: len(frames) // 2 * 2])
    mono = [sum(values[i:i + channels]) / (channels * 32768.0) for i in range(0, len(values) - channels + 1, channels)]
    mono = mono[rate // 2:]
    block = rate // 10
    if len(mono) < block:
        print("%s: %.2f s of audio, too short" % (path, len(mono) / rate + 0.5))
        return 1
    total = at_freq = at_other = 0.0
    blocks = 0
    for start in range(0, len(mono) - block + 1, block):
        chunk = mono[start:start + block]
        mean = sum(chunk) / block
        chunk = [x - mean for x in chunk]
        total += sum(x * x for x in chunk) / block
        at_freq += goertzel_power(chunk, rate, freq)
        if other:
            at_other += goertzel_power(chunk, rate, other)
        blocks += 1
    ms = total / blocks
    rms_db = 10 * math.log10(ms) if ms > 0 else -200.0
    share = at_freq / total if total > 0 else 0.0
    share_other = at_other / total if total > 0 else 0.0
    ok = rms_db > -40 and share >= 0.5 and share_other < 0.1
    print("%s: %.1f s at %d Hz, level %.1f dBFS, %.0f Hz holds %.0f%% of the power%s" % (
        path.rsplit("/", 1)[-1], blocks / 10, rate, rms_db, freq, share * 100,
        ", %.0f Hz %.1f%%" % (other, share_other * 100) if other else ""))
    return 0 if ok else 1


sys.exit(main())
