# Ranks the functions of a `callgrind_annotate --auto=no` listing, for
# scripts/callgrind.sh and scripts/callgrind-registrar.sh.
#   -v inclusive=yes|no   the listing's cost kind
#   -v top=N              how many to print
#   -v msgs=N             messages in the profiled run: figures are per message
#   -v skip=F             inclusive listings: leave out functions at or above
#                         F of the total (main, the loop around the workload)...
#   -v keep=RE            ...unless their line matches RE (the workload itself)
/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1; next }
/^ *[0-9,]+ \( *[0-9.]+%\) +[^ ]/ {
    ir = $1; gsub(",", "", ir); ir += 0
    if (inclusive == "yes" && ir >= skip * total && (keep == "" || $0 !~ keep)) next
    name = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\) +/, "", name); sub(/^[^:]*:/, "", name); sub(/ \[[^]]*\]$/, "", name)
    # Self cost adds up across files; inclusive cost is the same total seen from each file.
    if (inclusive == "yes") { if (ir > sum[name]) sum[name] = ir } else sum[name] += ir
}
END {
    n = 0
    for (f in sum) order[n++] = f
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (sum[order[j]] > sum[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
    for (i = 0; i < n && i < top; i++) printf "%6.2f%% %9d  %s\n", 100 * sum[order[i]] / total, sum[order[i]] / msgs, order[i]
}
