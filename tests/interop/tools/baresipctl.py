#!/usr/bin/env python3
"""baresipctl.py PORT COMMAND [PARAMS]: one command to a baresip on
127.0.0.1:PORT over its ctrl_tcp module (netstring-framed JSON). Prints the
response's data; exit 0 when the response says ok, 1 otherwise or when no
response comes within 5 s."""
import json
import socket
import sys
import time

port, command, params = int(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
s = socket.create_connection(("127.0.0.1", port), timeout=5)
body = json.dumps({"command": command, "params": params, "token": "interop"}).encode()
s.sendall(b"%d:%s," % (len(body), body))
buffer, deadline = b"", time.time() + 5
while time.time() < deadline:
    while b":" in buffer:
        length, _, rest = buffer.partition(b":")
        if len(rest) < int(length) + 1:
            break
        message, buffer = json.loads(rest[:int(length)]), rest[int(length) + 1:]
        if message.get("response") and message.get("token") == "interop":
            print(message.get("data", ""))
            sys.exit(0 if message.get("ok") else 1)
    s.settimeout(max(0.1, deadline - time.time()))
    chunk = s.recv(65536)
    if not chunk:
        break
    buffer += chunk
print("no response to %s" % command)
sys.exit(1)
