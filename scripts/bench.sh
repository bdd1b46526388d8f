#!/usr/bin/env bash
# Runs the SIP message layer and least-cost routing benchmarks (Benchmarks/,
# ordo-one/benchmark).
#
#   scripts/bench.sh [benchmark options]   run all, print the tables
#   scripts/bench.sh check                 fail (exit 2) if malloc counts
#                                          regress past Benchmarks/Thresholds
#   scripts/bench.sh update-thresholds     rewrite Benchmarks/Thresholds
#
# Figures marked * are per message (1000 messages per sample). On Swift 6.3
# malloc counts come from the malloc-interposer package: no jemalloc needed.
# Instructions need hardware perf counters; in a VM without a PMU the row is
# absent (use scripts/callgrind.sh instead).
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"

case "${1:-run}" in
check)
    shift
    # Static thresholds hold only malloc counts: wall clock is machine-bound.
    swift package benchmark thresholds check --metric mallocCountTotal --no-progress "$@"
    ;;
update-thresholds)
    shift
    swift package --allow-writing-to-package-directory benchmark thresholds update \
        --metric mallocCountTotal --no-progress "$@"
    ;;
run)
    [ $# -gt 0 ] && shift
    swift package benchmark run --no-progress --time-units nanoseconds "$@"
    ;;
*)
    swift package benchmark run --no-progress --time-units nanoseconds "$@"
    ;;
esac
