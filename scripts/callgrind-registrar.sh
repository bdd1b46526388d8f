#!/usr/bin/env bash
# Counts instructions per authenticated REGISTER refresh with callgrind
# (deterministic, unlike wall clock on a shared machine).
#
#   scripts/callgrind-registrar.sh [N1 N2]    default 1000 2000
#
# Runs Benchmarks' RegisterLoop (release) under callgrind for N1 and N2
# refreshes and prints (Ir(N2) - Ir(N1)) / (N2 - N1), collected only inside
# RegisterWorkload.receive (parse, digest check, binding update, submit to
# the writer) and RegisterWorkload.respond (the 200's bytes): the receive
# thread's part. The writer's commit and building the requests are left
# out; startup cancels out. Then lists the top functions of that part.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../Benchmarks"

n1=${1:-1000}
n2=${2:-2000}
top=${TOP:-25}
swift build -c release --product RegisterLoop >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valgrind 3.19 cannot read the DWARF 5 of a binary this large: run a copy
# without debug info (the symbol table, which names functions, stays).
bin="$work/RegisterLoop"
strip --strip-debug -o "$bin" "$(swift build -c release --show-bin-path)/RegisterLoop"
collect=(--toggle-collect='*RegisterWorkloadC7receive*' --toggle-collect='*RegisterWorkloadC7respond*')

# Total instructions (Ir) collected in one callgrind run.
instructions() {
    local out="$work/$1.out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "${collect[@]}" "$bin" "$1" >/dev/null 2>"$work/valgrind.log" ||
        { cat "$work/valgrind.log" >&2; exit 1; }
    sed -n 's/^totals: *//p; s/^summary: *//p' "$out" | head -1
}

a=$(instructions "$n1")
b=$(instructions "$n2")
printf '%-10s %14s %14s %14s\n' workload "Ir(N=$n1)" "Ir(N=$n2)" "Ir/refresh"
printf '%-10s %14s %14s %14s\n' refresh "$a" "$b" "$(( (b - a) / (n2 - n1) ))"

out="$work/$n2.out"
rank() {
    callgrind_annotate --inclusive="$1" --auto=no --threshold=100 "$out" 2>/dev/null |
        awk -f "$here/callgrind-rank.awk" -v top="$top" -v inclusive="$1" -v msgs="$n2" -v skip=0.99 -v keep="" |
        swift demangle --simplified | cut -c1-200
}
echo
echo "Top $top functions of a refresh by self cost (share, instructions per refresh, function):"
rank no
echo
echo "By inclusive cost (callees included; read these as hints, the optimizer merges functions):"
rank yes
echo
# Calls to malloc per refresh, from the call counts in the profile: (N2 run - N1 run) / (N2 - N1).
mallocs() {
    awk '
        /^c?fn=\([0-9]+\)/ {
            id = $1; sub(/^c?fn=/, "", id); sub(/\).*/, ")", id)
            name = $0; sub(/^c?fn=\([0-9]+\) ?/, "", name)
            if (name != "") names[id] = name
            if ($0 ~ /^cfn=/) callee = names[id]
            next
        }
        /^calls=/ { if (callee == "malloc") { n = $1; sub(/^calls=/, "", n); total += n } }
        END { print total + 0 }' "$1"
}
m1=$(mallocs "$work/$n1.out")
m2=$(mallocs "$work/$n2.out")
echo "malloc calls per refresh (receive thread's part): $(( (m2 - m1) / (n2 - n1) ))"
