#!/usr/bin/env bash
# Counts instructions per SIP message with callgrind (deterministic, unlike
# wall clock on a shared machine).
#
#   scripts/callgrind.sh [N1 N2]    default 1000 2000
#
# Runs Benchmarks' ParseLoop (release) under callgrind for N1 and N2
# iterations of each workload and prints (Ir(N2) - Ir(N1)) / (N2 - N1):
# process startup cancels out. Then lists the top functions of the typed
# INVITE parse, collected only inside the workload.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../Benchmarks"

n1=${1:-1000}
n2=${2:-2000}
top=${TOP:-15}
swift build -c release --product ParseLoop >/dev/null
bin="$(swift build -c release --show-bin-path)/ParseLoop"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Total instructions (Ir) of one callgrind run.
instructions() {
    local out="$work/$1.$2.out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" "$2" >/dev/null 2>"$work/valgrind.log" ||
        { cat "$work/valgrind.log" >&2; exit 1; }
    sed -n 's/^totals: *//p; s/^summary: *//p' "$out" | head -1
}

printf '%-10s %14s %14s %14s\n' workload "Ir(N=$n1)" "Ir(N=$n2)" "Ir/message"
for w in core typed index proxy response; do
    a=$(instructions "$w" "$n1")
    b=$(instructions "$w" "$n2")
    printf '%-10s %14s %14s %14s\n' "$w" "$a" "$b" "$(( (b - a) / (n2 - n1) ))"
done
echo
echo "core = INVITE parse + the headers a proxy reads (Request-URI, top Via, From, To, Call-ID, CSeq,"
echo "       Max-Forwards, Content-Type, Contact); typed = INVITE parse + every typed header; index = parse only;"
echo "proxy = parse, prepend Via and Record-Route, decrement Max-Forwards, serialize;"
echo "response = 200 OK parse, remove top Via, serialize."

# Where the typed parse spends its instructions: collect inside parseTyped only.
out="$work/typed.profile.out"
valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*parseTyped*' \
    "$bin" typed "$n2" >/dev/null 2>"$work/valgrind.log"
# callgrind_annotate lists file:function pairs; one function can appear under
# several files (inlined code), so merge per function before ranking.
rank() {
    callgrind_annotate --inclusive="$1" --auto=no --threshold=100 "$out" 2>/dev/null |
        awk -f "$here/callgrind-rank.awk" -v top="$top" -v inclusive="$1" -v msgs="$n2" -v skip=1 -v keep="parseTyped" |
        demangle | cut -c1-200
}
demangle() { swift demangle --simplified; }
echo
echo "Top $top functions of the typed INVITE parse by self cost (share, instructions per message, function):"
rank no
echo
echo "By inclusive cost (callees included; callgrind attributes by symbol, so functions the"
echo "optimizer merged or tail-calls between may share a figure: read these as hints):"
rank yes
