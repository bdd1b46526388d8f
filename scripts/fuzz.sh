#!/usr/bin/env bash
# Fuzzes the SIP message layer with libFuzzer (Swift's toolchain ships it).
#
#   scripts/fuzz.sh [SECONDS]     fuzz for SECONDS (default 60); exit 1 on a crash
#   scripts/fuzz.sh repro FILE... run the fuzz entry once on each FILE
#
# The entry (fuzz/FuzzEntry.swift) is compiled together with the SIPCore
# sources: a SwiftPM executable cannot hold LLVMFuzzerTestOneInput. When
# Sources/SIPCore/SDP exists the entry also fuzzes the SDP parser
# (-D FUZZ_SDP). The corpus grows in .build-fuzz/corpus (kept between runs,
# seeded from the test fixtures and fuzz/seeds); crashes, timeouts and leaks
# land in fuzz-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build-fuzz
bin=$out/sipfuzz
corpus=$out/corpus
artifacts=fuzz-artifacts
mkdir -p "$out" "$corpus" "$artifacts"

# FUZZ_BOUNDS checks every unchecked byte-view index, not only those ASan sees.
flags=(-swift-version 6 -O -g -sanitize=fuzzer,address -parse-as-library -use-ld=lld -D FUZZ_BOUNDS)
if [ -d Sources/SIPCore/SDP ]; then
    flags+=(-D FUZZ_SDP)
    echo "fuzz: SDP parser included (FUZZ_SDP)"
fi
mapfile -t sources < <(find Sources/SIPCore -name '*.swift' | sort)
echo "fuzz: compiling ${#sources[@]} SIPCore sources + fuzz/FuzzEntry.swift"
swiftc "${flags[@]}" fuzz/FuzzEntry.swift "${sources[@]}" -o "$bin"

export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}

if [ "${1:-}" = repro ]; then
    shift
    exec "$bin" -runs=1 "$@"
fi

seconds=${1:-60}
# Seeds: every .sip file of the tests (RFC 4475/5118 torture messages and
# any capture fixtures) and the hand-written ones. Copies are named by
# content, so re-seeding adds nothing twice.
while IFS= read -r -d '' f; do
    cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"
done < <(find Tests fuzz/seeds -type f -name '*.sip' -print0)

# And every UDP payload and TCP segment of the pcap fixtures (real SIPp,
# Kamailio and baresip traffic), extracted with tshark.
if command -v tshark >/dev/null; then
    for f in pcap-fixtures/*.pcap; do
        tshark -r "$f" -T fields -e udp.payload -e tcp.payload 2>/dev/null | tr -d '\t' | python3 -c '
import sys, hashlib, os
out = sys.argv[1]
for line in sys.stdin:
    line = line.strip().replace(":", "")
    if not line:
        continue
    data = bytes.fromhex(line)
    with open(os.path.join(out, "pcap-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)
' "$corpus"
    done
fi

before=$(find "$artifacts" -type f | wc -l)
log=$out/fuzz.log
echo "fuzz: ${seconds}s, corpus $(find "$corpus" -type f | wc -l) inputs, log $log"
set +e
"$bin" "$corpus" \
    -dict=fuzz/sip.dict \
    -max_total_time="$seconds" \
    -max_len=8192 \
    -timeout=10 \
    -rss_limit_mb=4096 \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/" \
    2>&1 | tee "$log" | grep -E --line-buffered '^#[0-9]+.*(INITED|DONE|pulse)|ERROR|SUMMARY|Fatal error|artifact|^stat::'
status=${PIPESTATUS[0]}
set -e
after=$(find "$artifacts" -type f | wc -l)

executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
echo "fuzz: executed units: ${executed:-unknown}, corpus $(find "$corpus" -type f | wc -l) inputs"
if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz: CRASH (exit $status); new artifacts:"
    find "$artifacts" -type f -newer "$bin" -print
    exit 1
fi
echo "fuzz: no crash"
