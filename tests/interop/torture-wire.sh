#!/bin/bash
# RFC 4475 / RFC 5118 on the wire: every torture message of
# Tests/SIPCoreTests/Fixtures (torture-manifest.json) is sent over UDP to a
# running Switchboard, which routes every request to a responder that
# answers 200. For each message the answer on the wire must be what the RFC
# asks of a proxy (tools/torture.py has the table): invalid requests get
# their 400/505 (or the status the manifest lists), requests a proxy must
# refuse get 416/420/483, valid requests are forwarded, responses are
# dropped silently. After every message an OPTIONS must come back 200.
set -u
. "$(dirname "$0")/lib.sh"
interop_init "$@"

sb_config "$WORK/sb.toml" <<TOML
[sip]
listen = ["udp://127.0.0.1:5070"]

[sip.limits]
# RFC 4475 3.1.1.7 (longreq) carries 34 Via values and must be accepted;
# the default max_via (32) would answer it 400.
max_via = 64

[sip.timers]
t1_ms = 100

[proxy]
record_route = true

[[proxy.route]]
domain = "*"
to = ["sip:127.0.0.1:5090"]
TOML
sb_start "$WORK/sb.toml" udp:127.0.0.1:5070 || interop_finish

FIX=$REPO_ROOT/Tests/SIPCoreTests/Fixtures
python3 "$TOOLS/torture.py" --manifest "$FIX/torture-manifest.json" --fixtures "$FIX" \
  --proxy 127.0.0.1:5070 --responder-port 5090 --client-port 5060 --window 0.4 ${ONLY:+--only "$ONLY"}
[ $? -eq 0 ] || FAILED=1
sb_alive && pass switchboard-alive || fail switchboard-alive "switchboard exited: $(tail -n 5 "$SB_LOG" | tr '\n' ' ')"
interop_finish
