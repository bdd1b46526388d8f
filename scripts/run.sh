#!/usr/bin/env bash
# Installs what Switchboard needs, builds it in release mode and starts it on
# conf/switchboard.toml (SQLite data directory and listeners on loopback).
# Extra arguments go to `switchboard run`, e.g. --listen udp://127.0.0.1:5070.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
echo "run: building (release)"
swift build -c release --product switchboard
exec .build/release/switchboard run --config conf/switchboard.toml "$@"
