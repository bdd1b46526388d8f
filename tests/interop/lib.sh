# Helpers for the interop scripts in this folder; sourced, not run.
#
# Each script calls `interop_init "$@"` first: it re-executes itself inside a
# private network namespace (unshare -n, loopback only, so fixed ports cannot
# collide with anything on the machine) under a hard wall-clock bound, then
# brings lo up and makes a work directory. Results are printed as
#   PASS name
#   FAIL name: reason
#   SKIP name: reason
# and `interop_finish` exits 1 if anything failed.
#
# Environment:
#   SWITCHBOARD     the switchboard binary (default: <repo>/.build/debug/switchboard)
#   INTEROP_MAX_S   hard bound for the whole script in seconds (default 90)
#   KEEP=1          keep the work directory (it is kept anyway on failure)

PATH=$PATH:/usr/sbin:/sbin
export PATH
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=${REPO_ROOT:-$(cd "$INTEROP_DIR/../.." && pwd)}
SCENARIOS=$INTEROP_DIR/scenarios
TOOLS=$INTEROP_DIR/tools
SWITCHBOARD=${SWITCHBOARD:-$REPO_ROOT/.build/debug/switchboard}
FAILED=0
PIDS=()
SB_PID=
SB_LOG=

# interop_init "$@": enter the namespace (re-exec), check tools, make $WORK.
interop_init() {
  if [ "${INTEROP_IN_NETNS:-}" != 1 ]; then
    local need
    for need in unshare setsid timeout ip ss python3; do
      if ! command -v "$need" >/dev/null 2>&1; then
        echo "FAIL setup: '$need' not found (scripts/install-deps.sh installs the test tools)"
        exit 2
      fi
    done
    local userns=()
    [ "$(id -u)" -ne 0 ] && userns=(-r)
    # A parent may hand down blocked signals (Foundation's Process does:
    # SIGTERM, SIGINT, SIGUSR1 ... all blocked), and every peer started
    # here would inherit them: SIPp could not be soft-stopped, Kamailio's
    # workers would outlive it. Unblock and reset them, then go on.
    exec python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE, signal.SIGXFSZ):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])
' timeout --kill-after=5 "${INTEROP_MAX_S:-90}" \
      unshare "${userns[@]}" -n env INTEROP_IN_NETNS=1 SWITCHBOARD="$SWITCHBOARD" REPO_ROOT="$REPO_ROOT" \
      bash "$0" "$@"
  fi
  ip link set lo up || { echo "FAIL setup: cannot bring lo up in the network namespace"; exit 2; }
  if [ ! -x "$SWITCHBOARD" ]; then
    echo "FAIL setup: switchboard binary not found at '$SWITCHBOARD' (set SWITCHBOARD)"
    exit 2
  fi
  WORK=$(mktemp -d "/tmp/sb-interop-$(basename "$0" .sh).XXXXXX")
  trap interop_cleanup EXIT
  trap 'exit 1' INT TERM
  echo "# $(basename "$0") in a private netns; work dir $WORK; $(date -u +%FT%TZ)"
  echo "# signals: $(grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\n\t' '  ')"
}

# require TOOL...: fail the script at once when a tool is missing.
require() {
  local t
  for t in "$@"; do
    if ! command -v "$t" >/dev/null 2>&1; then
      echo "FAIL setup: '$t' not found (scripts/install-deps.sh installs it)"
      FAILED=1
      exit 2
    fi
  done
}

pass() { echo "PASS $1${2:+ ($2)}"; }
fail() { echo "FAIL $1: $2"; FAILED=1; }
skip() { echo "SKIP $1: $2"; }
note() { echo "# $*"; }

interop_finish() {
  if [ "$FAILED" -ne 0 ]; then
    echo "# result: FAILED (work dir kept: $WORK)"
    exit 1
  fi
  echo "# result: all passed"
  exit 0
}

interop_cleanup() {
  local rc=$?
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  [ -n "$SB_PID" ] && sb_stop
  if [ "$FAILED" -ne 0 ] || [ "$rc" -ne 0 ]; then
    if [ -n "$SB_LOG" ] && [ -s "$SB_LOG" ]; then
      echo "# last lines of $SB_LOG:"
      tail -n 30 "$SB_LOG" | sed 's/^/#   /'
    fi
  elif [ -z "${KEEP:-}" ] && [ -n "${WORK:-}" ]; then
    rm -rf "$WORK"
  fi
}

# start_bg NAME CMD...: run CMD in the background in its own session and
# process group (setsid: its PID is the group's id, so stop_pid reaches the
# children it forks, as Kamailio does), output in $WORK/NAME.out; its PID is
# in $BG_PID and is stopped at exit.
start_bg() {
  local name=$1; shift
  setsid "$@" >"$WORK/$name.out" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
}

# stop_pid PID [SIGNAL]: signal (default TERM) the process and its group,
# wait up to 3 s, then KILL both.
stop_pid() {
  local pid=$1 sig=${2:-TERM}
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null
    local _
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill -9 -- "-$pid" 2>/dev/null
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# wait_port udp|tcp HOST PORT [SECONDS [PID]]: until something listens there
# (gives up early when PID has exited).
wait_port() {
  local proto=$1 host=$2 port=$3 max=${4:-10} pid=${5:-} flag
  [ "$proto" = udp ] && flag=-lunH || flag=-ltnH
  local i
  for i in $(seq 1 $((max * 10))); do
    ss "$flag" 2>/dev/null | awk '{print $4}' | grep -qx "$host:$port" && return 0
    [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}

# sb_config FILE: writes a configuration from standard input, prefixed with
# the settings every interop run shares (data in $WORK, no admin port,
# warnings only, no drain wait unless SB_DRAIN_TIMEOUT gives one).
sb_config() {
  local file=$1
  {
    cat <<EOF
[server]
data_dir = "$WORK/data"
drain_timeout = ${SB_DRAIN_TIMEOUT:-0}

[log]
level = "${SB_LOG_LEVEL:-warning}"

[control]
socket = "$WORK/data/switchboard.ctl"

[admin]
listen = ""

EOF
    cat
  } >"$file"
}

# sb_start CONFIG PROTO:HOST:PORT...: starts switchboard, waits for each listener.
sb_start() {
  local config=$1; shift
  mkdir -p "$WORK/data"
  SB_LOG=$WORK/switchboard.log
  setsid "$SWITCHBOARD" run --config "$config" >>"$SB_LOG" 2>&1 &
  SB_PID=$!
  local l proto rest host port
  for l in "$@"; do
    proto=${l%%:*}; rest=${l#*:}; host=${rest%:*}; port=${rest##*:}
    if ! wait_port "$proto" "$host" "$port" 15 "$SB_PID"; then
      fail "switchboard-start" "no $proto listener on $host:$port (process gone or 15 s passed)"
      tail -n 20 "$SB_LOG" | sed 's/^/#   /'
      return 1
    fi
  done
  return 0
}

sb_alive() { [ -n "$SB_PID" ] && kill -0 "$SB_PID" 2>/dev/null; }

sb_stop() {
  [ -n "$SB_PID" ] || return 0
  stop_pid "$SB_PID" TERM
  SB_PID=
}

# sipp_uas NAME PORT SCENARIO-ARGS...: a SIPp UAS on 127.0.0.1:PORT in the
# background (stats in $WORK/NAME.csv, messages in $WORK/NAME_messages.log);
# PID in $BG_PID. Extra SIPp arguments go in the remaining arguments.
sipp_uas() {
  local name=$1 port=$2; shift 2
  sipp_uas_at "$name" 127.0.0.1 "$port" "$@"
}

# sipp_uas_at NAME IP PORT SCENARIO-ARGS...: sipp_uas on IP:PORT (any address
# of 127.0.0.0/8 binds on the namespace's lo, e.g. one per carrier).
sipp_uas_at() {
  local name=$1 ip=$2 port=$3; shift 3
  start_bg "$name" bash -c 'cd "$1" && shift && exec "$@"' _ "$WORK" \
    sipp -i "$ip" -p "$port" -nostdin -trace_stat -stf "$WORK/$name.csv" -fd 1 \
    -trace_msg -message_file "$WORK/${name}_messages.log" \
    -trace_err -error_file "$WORK/${name}_errors.log" "$@"
  local proto=udp a
  for a in "$@"; do case "$a" in t1|tn|l1|ln) proto=tcp ;; esac; done
  if ! wait_port "$proto" "$ip" "$port" 10 "$BG_PID"; then
    fail "$name" "SIPp UAS did not start: $(tail -n 3 "$WORK/$name.out" | tr '\n' ' ')"
    return 1
  fi
}

# sipp_uas_stop PID: soft quit (final statistics), then TERM/KILL.
sipp_uas_stop() {
  local pid=$1
  kill -USR1 "$pid" 2>/dev/null
  local _
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  stop_pid "$pid"
}

# sipp_uac NAME TARGET MAX_S SIPP-ARGS...: runs a SIPp UAC to completion
# (bounded by MAX_S), from ${UAC_IP:-127.0.0.1}:${UAC_PORT:-5060}. Returns SIPp's exit
# status; stats in $WORK/NAME.csv.
sipp_uac() {
  local name=$1 target=$2 max=$3; shift 3
  (cd "$WORK" && timeout --kill-after=3 "$max" sipp "$target" -i "${UAC_IP:-127.0.0.1}" -p "${UAC_PORT:-5060}" -nostdin \
    -recv_timeout 10000 -timeout "${max}s" -timeout_error \
    -trace_stat -stf "$WORK/$name.csv" -fd 1 \
    -trace_msg -message_file "$WORK/${name}_messages.log" \
    -trace_err -error_file "$WORK/${name}_errors.log" "$@" >"$WORK/$name.out" 2>&1)
}

# sipp_stat CSV COLUMN: the column's value in SIPp's last (cumulative) row.
sipp_stat() {
  python3 "$TOOLS/sippstat.py" "$1" "$2"
}

# check_calls NAME CSV EXPECTED RC: PASS when SIPp's cumulative statistics
# show EXPECTED successful calls, no failed call and no unexpected message.
check_calls() {
  local name=$1 csv=$2 expected=$3 rc=$4
  if [ ! -s "$csv" ]; then
    fail "$name" "no SIPp statistics (exit $rc): $(tail -n 3 "${csv%.csv}.out" 2>/dev/null | tr '\n' ' ')"
    return 1
  fi
  local ok failed unexp
  ok=$(sipp_stat "$csv" 'SuccessfulCall(C)')
  failed=$(sipp_stat "$csv" 'FailedCall(C)')
  unexp=$(sipp_stat "$csv" 'FailedUnexpectedMessage(C)')
  if [ "$rc" -eq 0 ] && [ "$ok" = "$expected" ] && [ "$failed" = 0 ]; then
    pass "$name" "$ok/$expected calls"
    return 0
  fi
  local why
  why=$(head -c 600 "${csv%.csv}_errors.log" 2>/dev/null | tr '\n' ' ')
  fail "$name" "sipp exit $rc, successful $ok/$expected, failed $failed, unexpected $unexp; ${why:-no SIPp error log}"
  return 1
}

# sniff_start FILE: record every UDP/TCP packet on lo (tools/wire.py) as JSON lines.
sniff_start() {
  local file=$1
  start_bg sniff python3 "$TOOLS/wire.py" sniff "$file"
  SNIFF_PID=$BG_PID
  local _
  for _ in $(seq 1 50); do [ -s "$file.ready" ] && return 0; sleep 0.1; done
  fail "sniff" "packet recorder on lo did not start: $(tail -n 3 "$WORK/sniff.out" | tr '\n' ' ')"
  return 1
}

sniff_stop() { [ -n "${SNIFF_PID:-}" ] && stop_pid "$SNIFF_PID" INT; SNIFF_PID=; }

# sb_registrations CONFIG [AOR]: `switchboard ctl registrations`, bounded
# (10 s); the bindings as text lines on standard output.
sb_registrations() {
  local config=$1; shift
  timeout --kill-after=2 10 "$SWITCHBOARD" ctl registrations "$@" --config "$config" 2>&1
}

# sb_kill9: SIGKILL to switchboard (no drain, no flush), waited for.
sb_kill9() {
  [ -n "$SB_PID" ] || return 0
  kill -9 -- "-$SB_PID" 2>/dev/null || kill -9 "$SB_PID" 2>/dev/null
  wait "$SB_PID" 2>/dev/null
  SB_PID=
}

# sipp_last_message LOG START: the last message in a SIPp message log
# (-trace_msg) that SIPp received and whose first line starts with START,
# e.g. "SIP/2.0 200"; empty output when there is none.
sipp_last_message() {
  python3 - "$1" "$2" <<'PY'
import re, sys
try:
    text = open(sys.argv[1], errors="replace").read()
except OSError:
    sys.exit(0)
last = ""
for block in re.split(r"\n-{10,}[^\n]*\n", "\n" + text):
    head, _, body = block.strip("\n").partition("\n")
    if "message received" in head and body.lstrip("\n").startswith(sys.argv[2]):
        last = body.strip("\n")
try:
    print(last)
except BrokenPipeError:
    pass
PY
}

# sb_check_config CONFIG WHAT: `switchboard check-config`; on a refusal, FAIL
# config (naming WHAT, e.g. "the E911 configuration") and finish the script.
sb_check_config() {
  "$SWITCHBOARD" check-config "$1" >"$WORK/check.out" 2>&1 && return 0
  fail config "check-config rejects $2: $(head -n 3 "$WORK/check.out" | tr '\n' ' ')"
  interop_finish
}

# sb_add_users CONFIG NAME:PASSWORD...: `switchboard user add` for each (data
# in $WORK/data); on a refusal, FAIL user-add-NAME and finish the script.
sb_add_users() {
  local config=$1 u
  shift
  mkdir -p "$WORK/data"
  for u in "$@"; do
    if ! timeout 20 "$SWITCHBOARD" user add "${u%%:*}" --password "${u#*:}" --config "$config" >>"$WORK/users.out" 2>&1; then
      fail "user-add-${u%%:*}" "$(tail -n 2 "$WORK/users.out" | tr '\n' ' ')"
      interop_finish
    fi
  done
}

# e911_location_toml CALLBACK: the dispatchable location "hq-3" (100 Congress,
# floor 3, room 301, Austin TX 78701) with CALLBACK as its callback number,
# assigned to the user alice; TOML on standard output.
e911_location_toml() {
  cat <<TOML
[[emergency.location]]
id = "hq-3"
country = "US"
A1 = "TX"
A3 = "Austin"
RD = "Congress"
HNO = "100"
FLR = "3"
ROOM = "301"
PC = "78701"
callback_number = "$1"

[[emergency.assign]]
user = "alice"
location = "hq-3"
TOML
}

# baresip_config NAME SIP-PORT CTRL-PORT RTP-PORT TONE-HZ ACCOUNT-LINE MODULE...:
# $WORK/NAME/{config,accounts,contacts} for baresip NAME on 127.0.0.1: the
# ausine tone TONE-HZ as its microphone, aubridge as its speaker, ctrl_tcp on
# CTRL-PORT, and the media modules MODULE... in that order (e.g. g711 ausine
# aubridge); with sndfile, what it hears is recorded in $WORK/NAME/rec.
baresip_config() {
  local name=$1 sip=$2 ctrl=$3 rtp=$4 tone=$5 account=$6 dir=$WORK/$1 module
  shift 6
  mkdir -p "$dir"
  {
    cat <<CONF
poll_method		epoll
sip_listen		127.0.0.1:$sip
net_interface		127.0.0.1
dns_server		127.0.0.1:53
audio_player		aubridge,$name-out
audio_source		ausine,$tone
audio_alert		aubridge,$name-alert
ausrc_srate		48000
auplay_srate		48000
ausrc_channels		2
auplay_channels		2
rtp_ports		$rtp-$((rtp + 9))
module_path		${BARESIP_MODULES:-/usr/lib/baresip/modules}
CONF
    for module in "$@"; do
      printf 'module\t\t\t%s.so\n' "$module"
      if [ "$module" = sndfile ]; then
        mkdir -p "$dir/rec"
        printf 'snd_path\t\t%s\n' "$dir/rec"
      fi
    done
    cat <<CONF
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctrl
CONF
  } >"$dir/config"
  echo "$account" >"$dir/accounts"
  : >"$dir/contacts"
}

# baresip_start NAME CTRL-PORT: baresip NAME (configured by baresip_config) in
# the background, output in $WORK/NAME.out, PID in $BG_PID; FAIL NAME-start
# when its ctrl_tcp port does not open within 10 s.
baresip_start() {
  start_bg "$1" stdbuf -oL -eL baresip -4 -f "$WORK/$1"
  if ! wait_port tcp 127.0.0.1 "$2" 10 "$BG_PID"; then
    fail "$1-start" "baresip did not open ctrl_tcp on $2: $(tail -n 5 "$WORK/$1.out" | tr '\n' ' ')"
    return 1
  fi
}

# baresip_cmd CTRL-PORT COMMAND [PARAMS]: one ctrl_tcp command; prints the
# response's data, exit 0 when it says ok.
baresip_cmd() {
  python3 "$TOOLS/baresipctl.py" "$1" "$2" "${3:-}"
}

# wait_line NAME REGEX SECONDS: until $WORK/NAME.out has a line matching REGEX.
wait_line() {
  local _
  for _ in $(seq 1 $(($3 * 10))); do
    grep -Eq "$2" "$WORK/$1.out" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
