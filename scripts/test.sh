#!/usr/bin/env bash
# Installs what Switchboard's tests need and runs every test: unit and
# interop tests (swift test), the benchmarks' build, the pcap fixture check,
# and 60 s of fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "test: building (debug, with tests)"
swift build --build-tests

# The benchmarks implement the product's protocols too (an in-memory
# registrar store): built here, so that a change to them cannot leave the
# benchmarks uncompilable.
echo "test: building the benchmarks (debug)"
swift build --package-path Benchmarks

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
