#!/usr/bin/env bash
# Switchboard's registrar against Kamailio's, in one run and one private
# network namespace (only lo up), then Switchboard with a million bindings:
#   1. REGISTER ladder through Kamailio (../shared/bench/kamailio-registrar.cfg,
#      usrloc in memory, no authentication) with ../shared/bench/reg.sh
#   2. a ladder through Switchboard with digest authentication: every
#      REGISTER is challenged (401) and sent again with MD5 credentials for
#      its own user, by scripts/bench-registrar-load.py (SIPp 3.6's
#      [authentication] takes one username per process, so it cannot:
#      `[authentication username=[field0]]` sends the keyword's text); the
#      binding is in SQLite (synchronous = FULL) before the 200. The same
#      loader is run against Kamailio too, to show its own ceiling.
#   3. 1 000 000 bindings bulk-inserted into the SQLite file with the SQL the
#      store writes, then `switchboard run` started on it: the time until it
#      answers (restart load time) and its RSS beside the RSS with no binding
# Before each ladder, one run at a fixed rate both pass (CPU_RATE for CPU_S
# seconds) measures CPU seconds per 1000 registrations of the server
# (utime + stime of its process tree from /proc, scripts/bench-lib.sh), a
# figure that holds on a noisy shared machine where the ladders do not;
# each loader line also shows the loader's own CPU (loader_cpu_s).
# A step passes with every REGISTER answered 200 (reg.sh's rule: no failed or
# unexpected message) and at least 95 % of the offered rate achieved; each
# ladder stops at its first failure and bisects once. Every SIPp run is
# bounded (reg.sh, ≤ 55 s; steps are STEP_S = 5 s), every process started
# here is stopped by PID. Needs root (unshare -n), SIPp, Kamailio, python3.
#
#   scripts/bench-registrar.sh [BENCH_DIR]     default ../shared/bench
# Environment: SWITCHBOARD=path (else a release build is made), STEP_S=5,
#   KAM_RATES, SB_RATES (ladders), CPU_RATE=2000, CPU_S=10, BINDINGS=1000000,
#   OUT=/tmp/switchboard-bench-registrar
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=${1:-$ROOT/../shared/bench}
BENCH=$(cd "$BENCH" && pwd)
if [ "${BENCH_IN_NETNS:-}" != 1 ]; then
  if [ -z "${SWITCHBOARD:-}" ]; then
    swift build -c release --product switchboard >/dev/null || exit 1
    SWITCHBOARD=$ROOT/.build/release/switchboard
  fi
  exec unshare -n env BENCH_IN_NETNS=1 SWITCHBOARD="$SWITCHBOARD" bash "$0" "$@"
fi
ip link set lo up
. "$ROOT/scripts/bench-lib.sh"
SB=$SWITCHBOARD
OUT=${OUT:-/tmp/switchboard-bench-registrar}
STEP_S=${STEP_S:-5}
KAM_RATES=${KAM_RATES:-"4000 8000 16000 24000"}
SB_RATES=${SB_RATES:-"1000 2000 3000 4000 6000 8000 12000 16000"}
PY_RATES=${PY_RATES:-"2000 4000 6000 8000 12000"}
BINDINGS=${BINDINGS:-1000000}
CPU_RATE=${CPU_RATE:-2000}
CPU_S=${CPU_S:-10}
rm -rf "$OUT"; mkdir -p "$OUT" /tmp/kbench
T=127.0.0.1:5070
PASSWORD=bench-pw

wait_port() { for _ in $(seq 1 "${2:-100}"); do ss -lunH | grep -q "127.0.0.1:5070\b" && return 0; sleep "${1:-0.1}"; done; return 1; }
stop_pid() {
  kill "$1" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ladder NAME LOADER RATES...: one run per rate until the first failure, then
# one bisection step; prints each step, sets MAX. LOADER is "sipp" (reg.sh,
# reg.xml, no authentication) or "digest" (bench-registrar-load.py).
ladder() {
  local name=$1 loader=$2; shift 2
  local ok=0 bad=0 rate line
  for rate in "$@"; do
    if step "$name" "$loader" "$rate"; then ok=$rate; else bad=$rate; break; fi
  done
  if [ "$bad" -gt 0 ] && [ "$ok" -gt 0 ]; then
    rate=$(( (ok + bad) / 2 / 100 * 100 ))
    if [ "$rate" -gt "$ok" ] && step "$name" "$loader" "$rate"; then ok=$rate; fi
  fi
  MAX=$ok
}
step() {
  local name=$1 loader=$2 rate=$3 count line verdict
  count=$(( rate * STEP_S ))
  if [ "$loader" = sipp ]; then
    line=$(MAX_S=$(( STEP_S + 20 )) bash "$BENCH/reg.sh" "$T" "$rate" "$count" 2>&1 | tail -n 1)
  else
    line=$(timeout $(( STEP_S + 30 )) python3 "$ROOT/scripts/bench-registrar-load.py" "$T" "$rate" "$count" "$PASSWORD" 2>&1 | tail -n 1)
  fi
  verdict=$(python3 - "$rate" "$line" <<'PY'
import sys
rate, line = int(sys.argv[1]), sys.argv[2]
f = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
try:
    ok = int(f["failed"]) == 0 and int(f["unexpected"]) == 0 and float(f["achieved_rps"]) >= 0.95 * rate
except (KeyError, ValueError):
    ok = False
print("PASS" if ok else "FAIL")
PY
)
  echo "$name step: rate=$rate $verdict | $line"
  [ "$verdict" = PASS ]
}

# cpu_run NAME LOADER PID: one step at CPU_RATE for CPU_S seconds; prints the
# CPU seconds per 1000 registrations of PID's process tree, sets CPU.
cpu_run() {
  local name=$1 loader=$2 pids t0 t1
  pids=$(tree "$3")
  t0=$(ticks $pids)
  STEP_S=$CPU_S step "$name-cpu" "$loader" "$CPU_RATE" >/dev/null
  t1=$(ticks $pids)
  CPU=$(cpu_per_1000 $(( t1 - t0 )) $(( CPU_RATE * CPU_S )))
  echo "$name cpu: $CPU s per 1000 registrations at $CPU_RATE/s (${CPU_S} s, $(( t1 - t0 )) ticks)"
}

echo "# $(date -u +%FT%TZ)  $(kamailio -v | head -1)  $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*')  nproc=$(nproc)  step=${STEP_S}s"

# ---- 1. Kamailio -----------------------------------------------------------------
kamailio -f "$BENCH/kamailio-registrar.cfg" -DD -m 1024 -M 16 -Y /tmp/kbench >"$OUT/kamailio.log" 2>&1 &
KPID=$!
wait_port || { echo "kamailio did not start"; tail "$OUT/kamailio.log"; exit 1; }
cpu_run kamailio sipp "$KPID"; KCPU=$CPU
cpu_run kamailio-pyloader digest "$KPID"; KPCPU=$CPU
MAX=0; [ -n "$KAM_RATES" ] && ladder kamailio sipp $KAM_RATES
KMAX=$MAX
# The digest loader against Kamailio too (Kamailio answers the first
# REGISTER 200, so it measures the Python loader's own ceiling).
MAX=0; [ -n "$PY_RATES" ] && ladder kamailio-pyloader digest $PY_RATES
KPMAX=$MAX
stop_pid "$KPID"
echo "kamailio max_rps: $KMAX with SIPp reg.sh, $KPMAX with the Python loader (no authentication, usrloc in memory)"

# ---- 2. Switchboard with digest authentication ------------------------------------
write_config() {
  cat >"$1" <<TOML
[server]
data_dir = "$2"
drain_timeout = 0
[log]
level = "info"
[control]
socket = "$2/switchboard.ctl"
[admin]
listen = ""
[sip]
listen = ["udp://127.0.0.1:5070"]
[registrar]
max_expires = 7200
[auth]
realm = "bench"
algorithms = ["MD5"]
TOML
}
start_sb() {
  "$SB" run --config "$1" >>"$OUT/switchboard.log" 2>&1 &
  SPID=$!
}
mkdir -p "$OUT/data"
write_config "$OUT/sb.toml" "$OUT/data"
T0=$(date +%s.%N)
start_sb "$OUT/sb.toml"
wait_port 0.01 3000 || { echo "switchboard did not start"; tail "$OUT/switchboard.log"; exit 1; }
T1=$(date +%s.%N)
sleep 1
RSS0=$(rss_kb "$SPID")
EMPTY_START=$(python3 -c "print('%.2f' % ($T1 - $T0))")
stop_pid "$SPID"
# Users user1 … userN with password bench-pw for realm "bench", as
# `switchboard user add` stores them (HA1 only).
max_rate=1; for r in $SB_RATES; do [ "$r" -gt "$max_rate" ] && max_rate=$r; done
USERS=$(( max_rate * STEP_S ))
[ $(( CPU_RATE * CPU_S )) -gt "$USERS" ] && USERS=$(( CPU_RATE * CPU_S ))
python3 - "$OUT/data/registrar.sqlite" "$USERS" "$PASSWORD" <<'PY'
import hashlib, sqlite3, sys
db, n, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
with c:
    c.executemany("INSERT OR REPLACE INTO user (username, realm, note) VALUES (?, 'bench', 'bench')",
                  (("user%d" % i,) for i in range(1, n + 1)))
    c.executemany("INSERT OR REPLACE INTO user_ha1 (username, realm, algorithm, ha1) VALUES (?, 'bench', 'MD5', ?)",
                  (("user%d" % i, hashlib.md5(("user%d:bench:%s" % (i, pw)).encode()).hexdigest()) for i in range(1, n + 1)))
c.close()
PY
echo "# $USERS users stored (HA1 MD5, realm bench)"
start_sb "$OUT/sb.toml"
wait_port || { echo "switchboard did not start"; tail "$OUT/switchboard.log"; exit 1; }
cpu_run switchboard digest "$SPID"; SCPU=$CPU
MAX=0; [ -n "$SB_RATES" ] && ladder switchboard digest $SB_RATES
SMAX=$MAX
RSS_LOADED=$(rss_kb "$SPID")
stop_pid "$SPID"
echo "switchboard max_rps: $SMAX (digest: 401 + authenticated REGISTER per binding, SQLite synchronous=FULL)"

# ---- 3. a million bindings: restart load time and memory --------------------------
rm -rf "$OUT/data1m"; mkdir -p "$OUT/data1m"
write_config "$OUT/sb1m.toml" "$OUT/data1m"
start_sb "$OUT/sb1m.toml"
wait_port || { echo "switchboard did not start"; exit 1; }
stop_pid "$SPID"
I0=$(date +%s.%N)
python3 - "$OUT/data1m/registrar.sqlite" "$BINDINGS" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
now = time.time()
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=OFF")
def rows():
    for i in range(1, n + 1):
        aor = "sip:user%d@127.0.0.1" % i
        uri = "sip:user%d@192.0.2.%d:%d" % (i, i % 250 + 1, 5060 + i % 1000)
        yield (aor, "uri:" + uri, uri, "<%s>" % uri, now + 3600 + i % 3600, None, "%x@bench" % i, 1, "[]", None, None,
               "udp", "192.0.2.%d:%d" % (i % 250 + 1, 5060 + i % 1000), None, "bench-phone/1.0", now - i % 3600, None)
with c:
    c.executemany("""INSERT INTO binding (aor, key, contact_uri, contact_text, expires_at, q, call_id, cseq, path,
        instance_id, reg_id, source_transport, source_address, flow_token, user_agent, registered_at, temp_gruu)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
PY
I1=$(date +%s.%N)
echo "# $BINDINGS bindings inserted in $(python3 -c "print('%.1f' % ($I1 - $I0))") s ($(du -h "$OUT/data1m/registrar.sqlite" | cut -f1))"
sync
T0=$(date +%s.%N)
start_sb "$OUT/sb1m.toml"
wait_port 0.01 6000 || { echo "switchboard did not start with $BINDINGS bindings"; tail "$OUT/switchboard.log"; exit 1; }
T1=$(date +%s.%N)
sleep 1
RSS1M=$(rss_kb "$SPID")
LOAD_S=$(python3 -c "print('%.2f' % ($T1 - $T0))")
loaded=$(timeout 20 "$SB" ctl status --config "$OUT/sb1m.toml" 2>/dev/null | awk -F': ' '$1 == "registrar_bindings" {print $2}')
stop_pid "$SPID"
PER=$(python3 -c "print('%.0f' % (($RSS1M - $RSS0) * 1024 / $BINDINGS))")

echo
echo "## summary"
printf '%-44s %14s %14s\n' "" "Kamailio 5.6" "Switchboard"
printf '%-44s %14s %14s\n' "max REGISTER/s, SIPp reg.sh (no auth)" "$KMAX" "-"
printf '%-44s %14s %14s\n' "max REGISTER/s, Python loader" "$KPMAX" "$SMAX"
printf '%-44s %14s %14s\n' "authentication" "none" "digest MD5"
printf '%-44s %14s %14s\n' "CPU s / 1000 registrations at $CPU_RATE/s, SIPp" "$KCPU" "-"
printf '%-44s %14s %14s\n' "CPU s / 1000 registrations, Python loader" "$KPCPU" "$SCPU"
printf '%-44s %14s %14s\n' "Switchboard CPU / Kamailio CPU (same loader)" "1" "$(python3 -c "print('%.1f' % ($SCPU / $KPCPU if float('$KPCPU') else 0))")"
printf '%-44s %14s %14s\n' "Switchboard / Kamailio (SIPp number)" "1" "$(python3 -c "print('%.2f' % ($SMAX / $KMAX if $KMAX else 0))")"
printf '%-44s %14s %14s\n' "Switchboard / Kamailio (same loader)" "1" "$(python3 -c "print('%.2f' % ($SMAX / $KPMAX if $KPMAX else 0))")"
echo "switchboard start, empty store: ${EMPTY_START} s, RSS $((RSS0 / 1024)) MiB; after the ladder: RSS $((RSS_LOADED / 1024)) MiB"
echo "switchboard start with $BINDINGS bindings: ${LOAD_S} s to answering (goal <= 5 s), ${loaded:-?} bindings loaded"
echo "  $(grep 'registrar loaded' "$OUT/switchboard.log" | tail -n 1)"
echo "switchboard RSS with $BINDINGS bindings: $((RSS1M / 1024)) MiB => ${PER} bytes per binding"
echo "# output in $OUT"
