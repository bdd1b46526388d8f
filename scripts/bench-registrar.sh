#!/usr/bin/env bash
# Switchboard's registrar against Kamailio's, in one run and one private
# network namespace (only lo up), then Switchboard with a million bindings:
#   1. Kamailio without authentication (../shared/bench/kamailio-registrar.cfg,
#      usrloc in memory): the issue's reference figure, with SIPp
#      (../shared/bench/reg.sh), and with scripts/tools/reg_load.c --auth none
#      to show that loader measures what SIPp measures
#   2. Kamailio with digest authentication (scripts/kamailio-registrar-auth.cfg:
#      the same file plus the auth module, qop=auth, nonce_count replay check)
#   3. Switchboard with digest authentication (users in SQLite as HA1, the
#      binding in SQLite, the WAL synced with fdatasync before the 200)
#   4. 1 000 000 bindings bulk-inserted into the SQLite file with the SQL the
#      store writes, then `switchboard run` started on it: the time until it
#      answers (restart load time) and its RSS beside the RSS with no binding
# Both servers with authentication get the same two loads from reg_load (C,
# built here with cc and libcrypto; SIPp 3.6's [authentication] takes one
# username per process, so it cannot send per-user credentials):
#   challenge  registration N is user<N>'s first: REGISTER -> 401 ->
#              REGISTER with MD5 credentials (qop=auth) -> 200
#   reuse      phones refreshing: `--users RATE` users register in turn, so
#              each refreshes once a second; a user's first REGISTER in a run
#              is challenged, its later ones carry the nonce it holds with
#              nc + 1 and get 200 directly. In a ladder step every user first
#              registers once at WARMUP_RPS (reg_load --warmup, not measured:
#              the phones were registered before), so the measured step is
#              refreshes only. The CPU run has no warm-up: 1/10 of its
#              registrations are challenged.
# Before the ladders (after an overloaded step a server keeps working off
# its backlog for seconds), one run at a fixed rate every setup passes
# (CPU_RATE for CPU_S seconds) per load measures CPU seconds per 1000
# registrations of the server (utime + stime of its process tree from /proc,
# scripts/bench-lib.sh), a figure that holds on a noisy shared machine where
# the ladders do not; each loader line also shows the loader's own CPU
# (loader_cpu_s).
# A step passes with every registration answered 200 (reg.sh's rule: no failed
# or unexpected message) and at least 95 % of the offered rate achieved; each
# ladder stops at its first failure and bisects once. Every run is bounded
# (reg.sh ≤ STEP_S + 20 s, reg_load ≤ its count/rate + 15 s, plus its
# warm-up), every process
# started here is stopped by PID. Needs root (unshare -n), SIPp, Kamailio,
# python3, cc and libcrypto (libssl-dev).
#
#   scripts/bench-registrar.sh [BENCH_DIR]     default ../shared/bench
# Environment: SWITCHBOARD=path (else a release build is made), STEP_S=5,
#   RATES="4000 8000 12000 16000 24000 32000 40000" (every ladder), or per ladder
#   KAM_RATES (SIPp), KAM_NONE_RATES (reg_load, no auth; "" skips it),
#   KAM_AUTH_RATES, SB_RATES; CPU_RATE=2000, HIGH_CPU_RATE=12000 (a second
#   CPU run with authentication, at a rate where batching pays), CPU_S=10, SETTLE_S=5,
#   WARMUP_RPS=8000 (reuse steps' warm-up rate, below every setup's maximum),
#   SB_THREADS=1 and SB_SHARDS=0 (Switchboard's udp_receive_threads and shards),
#   BINDINGS=1000000, OUT=/tmp/switchboard-bench-registrar
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
RATES=${RATES:-"4000 8000 12000 16000 24000 32000 40000"}
KAM_RATES=${KAM_RATES-$RATES}
KAM_NONE_RATES=${KAM_NONE_RATES-$RATES}
KAM_AUTH_RATES=${KAM_AUTH_RATES-$RATES}
SB_RATES=${SB_RATES-$RATES}
BINDINGS=${BINDINGS:-1000000}
CPU_RATE=${CPU_RATE:-2000}
HIGH_CPU_RATE=${HIGH_CPU_RATE:-12000}
CPU_S=${CPU_S:-10}
SETTLE_S=${SETTLE_S:-5}
WARMUP_RPS=${WARMUP_RPS:-8000}
# Switchboard's UDP receive threads and shards (0: one per core). Kamailio
# runs children=2; one receiver passed a higher ladder step here than two
# with eight shards, and cost less CPU at 2000/s.
SB_THREADS=${SB_THREADS:-1}
SB_SHARDS=${SB_SHARDS:-0}
# The issue's figure: Kamailio's registrar without authentication, on this machine.
ISSUE_RPS=24000
rm -rf "$OUT"; mkdir -p "$OUT" /tmp/kbench
T=127.0.0.1:5070
PASSWORD=bench-pw

REG_LOAD=$OUT/reg_load
command -v cc >/dev/null || { echo "bench-registrar: no C compiler (cc) to build scripts/tools/reg_load.c"; exit 1; }
if ! cc -std=c11 -O2 -o "$REG_LOAD" "$ROOT/scripts/tools/reg_load.c" -lcrypto 2>"$OUT/reg_load-cc.log"; then
  echo "bench-registrar: building scripts/tools/reg_load.c failed (it needs libcrypto: apt-get install libssl-dev):"
  cat "$OUT/reg_load-cc.log"
  exit 1
fi

wait_port() { for _ in $(seq 1 "${2:-100}"); do ss -lunH | grep -q "127.0.0.1:5070\b" && return 0; sleep "${1:-0.1}"; done; return 1; }
stop_pid() {
  kill "$1" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
ratio() { python3 -c "import sys; a, b = (float(x.rstrip('!')) for x in sys.argv[1:]); print('%.2f' % (a / b) if a and b else '-')" "$1" "$2"; }

# ladder NAME LOADER RATES...: one run per rate until the first failure, then
# one bisection step; prints each step, sets BEST (0: none passed). LOADER is
# "sipp" (reg.sh, reg.xml, no authentication) or a reg_load --auth mode
# (none, challenge, reuse). A ladder, and the bisection after an overloaded
# step, start SETTLE_S seconds after the last run, so the server has worked
# off that run's backlog.
ladder() {
  local name=$1 loader=$2; shift 2
  local ok=0 bad=0 rate
  sleep "$SETTLE_S"
  for rate in "$@"; do
    if WARMUP=$WARMUP_RPS step "$name" "$loader" "$rate"; then ok=$rate; else bad=$rate; break; fi
  done
  if [ "$bad" -gt 0 ] && [ "$ok" -gt 0 ]; then
    sleep "$SETTLE_S"
    rate=$(( (ok + bad) / 2 / 100 * 100 ))
    if [ "$rate" -gt "$ok" ] && WARMUP=$WARMUP_RPS step "$name" "$loader" "$rate"; then ok=$rate; fi
  fi
  BEST=$ok
}
# step NAME LOADER RATE: one run of STEP_S seconds; prints the loader's line
# (and reg_load's count of each final status), returns whether it passed.
step() {
  local name=$1 loader=$2 rate=$3 count out line verdict users="" warmup_s=0
  count=$(( rate * STEP_S ))
  sleep 1  # what the last run left in flight settles first
  if [ "$loader" = sipp ]; then
    out=$(MAX_S=$(( STEP_S + 20 )) bash "$BENCH/reg.sh" "$T" "$rate" "$count" 2>&1)
  else
    # reuse: as many users as registrations per second, each refreshing once a
    # second; in a ladder step (WARMUP set) each registers once first, unmeasured
    if [ "$loader" = reuse ]; then
      users="--users $rate"
      if [ "${WARMUP:-0}" -gt 0 ]; then
        users="$users --warmup $WARMUP"
        warmup_s=$(( rate / WARMUP + 15 ))
      fi
    fi
    out=$(timeout $(( STEP_S + 30 + warmup_s )) "$REG_LOAD" "$T" "$rate" "$count" --auth "$loader" $users 2>&1)
  fi
  line=$(tail -n 1 <<<"$out")
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
  grep '^# reg_load' <<<"$out" | sed 's/^/    /'
  [ "$verdict" = PASS ]
}

# cpu_run NAME LOADER PID [RATE]: one step at RATE (CPU_RATE) for CPU_S
# seconds; prints the CPU seconds per 1000 registrations of PID's process
# tree, sets CPU1000 (with a "!" when that step did not pass: the figure then
# includes retransmissions, from a stall of the shared machine or of the server).
cpu_run() {
  local name=$1 loader=$2 rate=${4:-$CPU_RATE} pids t0 t1 out passed=0
  pids=$(tree "$3")
  t0=$(ticks $pids)
  out=$(STEP_S=$CPU_S step "$name-cpu" "$loader" "$rate") && passed=1
  t1=$(ticks $pids)
  sed 's/^/  /' <<<"$out"
  CPU1000=$(cpu_per_1000 $(( t1 - t0 )) $(( rate * CPU_S )))
  [ "$passed" = 1 ] || CPU1000="$CPU1000!"
  echo "$name cpu: $CPU1000 s per 1000 registrations at $rate/s (${CPU_S} s, $(( t1 - t0 )) ticks)"
}

echo "# $(date -u +%FT%TZ)  $(kamailio -v | head -1)  $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*')  nproc=$(nproc)  step=${STEP_S}s  loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. Kamailio without authentication ----------------------------------------
# start_kamailio CFG LOG SHM_MB
start_kamailio() {
  kamailio -f "$1" -DD -m "$3" -M 16 -Y /tmp/kbench >"$OUT/$2.log" 2>&1 &
  KPID=$!
  wait_port || { echo "kamailio did not start"; tail "$OUT/$2.log"; exit 1; }
}
start_kamailio "$BENCH/kamailio-registrar.cfg" kamailio 1024
cpu_run kamailio sipp "$KPID"; K_CPU=$CPU1000
cpu_run kamailio-reg_load none "$KPID"; KN_CPU=$CPU1000
BEST=0; [ -n "$KAM_RATES" ] && ladder kamailio sipp $KAM_RATES
K_MAX=$BEST
BEST=0; [ -n "$KAM_NONE_RATES" ] && ladder kamailio-reg_load none $KAM_NONE_RATES
KN_MAX=$BEST
stop_pid "$KPID"
echo "kamailio max_rps (no authentication, usrloc in memory): $K_MAX with SIPp reg.sh, $KN_MAX with reg_load --auth none"

# ---- 2. Kamailio with digest authentication ------------------------------------
# 3 GiB of shared memory: tm holds every REGISTER transaction (two per
# challenged registration) for wt_timer after its reply, and with 1 GiB
# t_newtran ran out of memory at 16 000 registrations/s (answering 500).
start_kamailio "$ROOT/scripts/kamailio-registrar-auth.cfg" kamailio-auth 3072
cpu_run kamailio-auth-challenge challenge "$KPID"; KC_CPU=$CPU1000
cpu_run kamailio-auth-reuse reuse "$KPID"; KR_CPU=$CPU1000
cpu_run kamailio-auth-challenge challenge "$KPID" "$HIGH_CPU_RATE"; KC_HCPU=$CPU1000
cpu_run kamailio-auth-reuse reuse "$KPID" "$HIGH_CPU_RATE"; KR_HCPU=$CPU1000
BEST=0; [ -n "$KAM_AUTH_RATES" ] && ladder kamailio-auth-challenge challenge $KAM_AUTH_RATES
KC_MAX=$BEST
BEST=0; [ -n "$KAM_AUTH_RATES" ] && ladder kamailio-auth-reuse reuse $KAM_AUTH_RATES
KR_MAX=$BEST
stop_pid "$KPID"
echo "kamailio max_rps with digest: $KC_MAX challenged every time, $KR_MAX reusing nonces"

# ---- 3. Switchboard with digest authentication ---------------------------------
write_config() {
  cat >"$1" <<TOML
[server]
data_dir = "$2"
drain_timeout = 0
shards = $SB_SHARDS
[log]
level = "info"
[control]
socket = "$2/switchboard.ctl"
[admin]
listen = ""
[sip]
listen = ["udp://127.0.0.1:5070"]
udp_receive_threads = $SB_THREADS
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
# `switchboard user add` stores them (HA1 only): N covers the largest step
# (challenge: user<N> for registration N; reuse: RATE users).
max_rate=1; for r in $SB_RATES; do [ "$r" -gt "$max_rate" ] && max_rate=$r; done
USERS=$(( max_rate * STEP_S ))
[ $(( CPU_RATE * CPU_S )) -gt "$USERS" ] && USERS=$(( CPU_RATE * CPU_S ))
[ $(( HIGH_CPU_RATE * CPU_S )) -gt "$USERS" ] && USERS=$(( HIGH_CPU_RATE * CPU_S ))
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
cpu_run switchboard-challenge challenge "$SPID"; SC_CPU=$CPU1000
cpu_run switchboard-reuse reuse "$SPID"; SR_CPU=$CPU1000
cpu_run switchboard-challenge challenge "$SPID" "$HIGH_CPU_RATE"; SC_HCPU=$CPU1000
cpu_run switchboard-reuse reuse "$SPID" "$HIGH_CPU_RATE"; SR_HCPU=$CPU1000
BEST=0; [ -n "$SB_RATES" ] && ladder switchboard-challenge challenge $SB_RATES
SC_MAX=$BEST
BEST=0; [ -n "$SB_RATES" ] && ladder switchboard-reuse reuse $SB_RATES
SR_MAX=$BEST
RSS_LOADED=$(rss_kb "$SPID")
stop_pid "$SPID"
echo "switchboard max_rps with digest: $SC_MAX challenged every time, $SR_MAX reusing nonces (each 200 after an fdatasync of the SQLite WAL)"

# ---- 4. a million bindings: restart load time and memory --------------------------
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
echo "## summary (REGISTER/s: highest passing ladder step; CPU: server s per 1000 registrations at $CPU_RATE/s)"
row() { printf '%-52s %12s %12s %8s\n' "$@"; }
row "" "Kamailio 5.6" "Switchboard" "SB/Kam"
row "max REGISTER/s, no auth, SIPp reg.sh" "$K_MAX" "-" "-"
row "max REGISTER/s, no auth, reg_load" "$KN_MAX" "-" "-"
row "max REGISTER/s, digest, challenge every REGISTER" "$KC_MAX" "$SC_MAX" "$(ratio "$SC_MAX" "$KC_MAX")"
row "max REGISTER/s, digest, nonce reuse (refresh)" "$KR_MAX" "$SR_MAX" "$(ratio "$SR_MAX" "$KR_MAX")"
row "CPU s / 1000, no auth, SIPp reg.sh" "$K_CPU" "-" "-"
row "CPU s / 1000, no auth, reg_load" "$KN_CPU" "-" "-"
row "CPU s / 1000, digest, challenge every REGISTER" "$KC_CPU" "$SC_CPU" "$(ratio "$SC_CPU" "$KC_CPU")"
row "CPU s / 1000, digest, nonce reuse (refresh)" "$KR_CPU" "$SR_CPU" "$(ratio "$SR_CPU" "$KR_CPU")"
row "CPU s / 1000 at $HIGH_CPU_RATE/s, digest, challenge" "$KC_HCPU" "$SC_HCPU" "$(ratio "$SC_HCPU" "$KC_HCPU")"
row "CPU s / 1000 at $HIGH_CPU_RATE/s, digest, refresh" "$KR_HCPU" "$SR_HCPU" "$(ratio "$SR_HCPU" "$KR_HCPU")"
row "Switchboard digest max / Kamailio no auth (SIPp)" "" "" ""
row "  challenge every REGISTER" "$K_MAX" "$SC_MAX" "$(ratio "$SC_MAX" "$K_MAX")"
row "  nonce reuse (refresh)" "$K_MAX" "$SR_MAX" "$(ratio "$SR_MAX" "$K_MAX")"
row "Switchboard digest max / $ISSUE_RPS (the issue's figure)" "" "" ""
row "  challenge every REGISTER" "$ISSUE_RPS" "$SC_MAX" "$(ratio "$SC_MAX" "$ISSUE_RPS")"
row "  nonce reuse (refresh)" "$ISSUE_RPS" "$SR_MAX" "$(ratio "$SR_MAX" "$ISSUE_RPS")"
case "$K_CPU $KN_CPU $KC_CPU $KR_CPU $SC_CPU $SR_CPU $KC_HCPU $KR_HCPU $SC_HCPU $SR_HCPU" in
  *!*) echo "! that CPU run did not pass (a stall of the shared machine or of the server): its figure includes retransmissions" ;;
esac
echo "switchboard start, empty store: ${EMPTY_START} s, RSS $((RSS0 / 1024)) MiB; after the ladders: RSS $((RSS_LOADED / 1024)) MiB"
echo "switchboard start with $BINDINGS bindings: ${LOAD_S} s to answering (goal <= 5 s), ${loaded:-?} bindings loaded"
echo "  $(grep 'registrar loaded' "$OUT/switchboard.log" | tail -n 1)"
echo "switchboard RSS with $BINDINGS bindings: $((RSS1M / 1024)) MiB => ${PER} bytes per binding"
echo "# output in $OUT"
