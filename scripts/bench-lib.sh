# Shell functions shared by the benchmark scripts (bench-proxy.sh,
# bench-b2bua.sh); sourced, not run: a process tree's CPU ticks (utime +
# stime from /proc/PID/stat) and RSS, and the two measurements on the SIPp
# harness of ../shared/bench (find_max.sh, then a fixed-rate cps.sh run).
# The measuring functions read $BENCH (the harness), $OUT (logs) and $T
# (the proxy's HOST:PORT), and leave results in these arrays, by name.

HZ=$(getconf CLK_TCK)
declare -A MAX CPS LAT CPU RSS

# bench_netns SCRIPT [BENCH_DIR]: sets BENCH, the SIPp harness (default
# $ROOT/../shared/bench). Outside the namespace: builds the release
# switchboard unless $SB names a binary, then runs SCRIPT again in a private
# network namespace and does not return. Inside: brings lo up; $SB is the
# switchboard binary.
bench_netns() {
  local script=$1
  shift
  BENCH=${1:-$ROOT/../shared/bench}
  BENCH=$(cd "$BENCH" && pwd)
  if [ "${BENCH_IN_NETNS:-}" != 1 ]; then
    if [ -z "${SB:-}" ]; then
      swift build -c release --product switchboard >/dev/null || exit 1
    fi
    exec unshare -n env BENCH_IN_NETNS=1 SB="${SB:-$ROOT/.build/release/switchboard}" bash "$script" "$@"
  fi
  ip link set lo up
}

# wait_port [HOST:PORT]: until something listens on UDP there (10 s).
wait_port() {
  local at=${1:-127.0.0.1:5070}
  for _ in $(seq 1 100); do ss -lunH | awk '{print $4}' | grep -qx "$at" && return 0; sleep 0.1; done
  return 1
}

# stop_pid PID: TERM, up to 5 s, then KILL.
stop_pid() {
  kill "$1" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
}

# tree PID: the PID and every descendant of it.
tree() {
  local pids=$1 frontier=$1 next
  while [ -n "$frontier" ]; do
    next=""
    for p in $frontier; do
      for c in $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v pp="$p" '$4 == pp {print $1}'); do next="$next $c"; done
    done
    pids="$pids $next"; frontier=$next
  done
  echo $pids
}

# ticks PID...: CPU ticks (utime + stime) of the processes given.
ticks() { local sum=0; for p in "$@"; do [ -r /proc/$p/stat ] && sum=$(( sum + $(awk '{print $14 + $15}' /proc/$p/stat) )); done; echo $sum; }

# rss_kb PID...: resident memory of the processes given.
rss_kb() { local sum=0; for p in "$@"; do [ -r /proc/$p/status ] && sum=$(( sum + $(awk '/^VmRSS/ {print $2}' /proc/$p/status) )); done; echo $sum; }

# cpu_per_1000 TICKS CALLS: CPU seconds per 1000 calls.
cpu_per_1000() { awk -v t="$1" -v hz="$HZ" -v n="$2" 'BEGIN { printf "%.3f", t / hz / n * 1000 }'; }

# find_max NAME START...: runs START... (which starts the proxy, its PID in
# $PID), find_max.sh against it, stops it; MAX[NAME] is its maximum calls/s.
find_max() {
  local name=$1
  shift
  "$@"
  "$BENCH/find_max.sh" $T >"$OUT/$name-find_max.txt" 2>&1
  MAX[$name]=$(tail -1 "$OUT/$name-find_max.txt" | awk '{print $2}')
  echo "$name: max_cps ${MAX[$name]}"
  stop_pid "$PID"
}

# fixed_rate_from A B: RATE, half the lower of MAX[A] and MAX[B] (at least
# 10 calls/s), and CALLS, 20 s of it.
fixed_rate_from() {
  LOW=${MAX[$1]}; [ "${MAX[$2]:-0}" -lt "$LOW" ] && LOW=${MAX[$2]}
  RATE=$(( LOW / 2 )); [ "$RATE" -lt 10 ] && RATE=10
  CALLS=$(( RATE * 20 ))
}

# fixed_rate NAME: one cps.sh run of $CALLS calls at $RATE against the proxy
# just started ($PID), which stays up. Sets CPS[NAME] (cps.sh's summary),
# LAT[NAME] (its LATPROBE line, when LATPROBE=1), CPU[NAME] (CPU seconds per
# 1000 calls), RSS[NAME] (kB after the run) and IDLE_RSS (kB before it).
fixed_rate() {
  local name=$1 pids before after
  sleep 0.5
  pids=$(tree "$PID")
  IDLE_RSS=$(rss_kb $pids)
  before=$(ticks $pids)
  "$BENCH/cps.sh" $T "$RATE" "$CALLS" >"$OUT/$name-cps.txt" 2>&1
  pids=$(tree "$PID")
  after=$(ticks $pids)
  RSS[$name]=$(rss_kb $pids)
  CPS[$name]=$(grep '^cps:' "$OUT/$name-cps.txt" | tail -1)
  LAT[$name]=$(grep -i 'latprobe' "$OUT/$name-cps.txt" | tail -1)
  CPU[$name]=$(cpu_per_1000 $(( after - before )) "$CALLS")
}
