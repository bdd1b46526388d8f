# Shell functions shared by the benchmark scripts (bench-proxy.sh,
# bench-b2bua.sh); sourced, not run: a process tree's CPU ticks (utime +
# stime from /proc/PID/stat) and RSS.

HZ=$(getconf CLK_TCK)

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
