#!/usr/bin/env bash
# Installs what Switchboard's tests need and runs every test: unit and
# interop tests (swift test), the pcap fixture check, and 60 s of fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "test: building (debug, with tests)"
swift build --build-tests

echo "test: swift test"
swift test --skip-build --parallel

if [ -x pcap-fixtures/check.sh ]; then
  echo "test: pcap-fixtures/check.sh"
  bash pcap-fixtures/check.sh
fi

if [ -f scripts/fuzz.sh ]; then
  echo "test: fuzzing the message and SDP parsers for ${FUZZ_SECONDS:-60} s"
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi

echo "test: all passed"
