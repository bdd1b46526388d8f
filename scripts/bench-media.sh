#!/bin/bash
# Media relay benchmark: Switchboard's relay against rtpengine (userspace),
# same blaster, same rates, one run, inside a private network namespace.
#
# Switchboard: the release binary; N calls are set up through the B2BUA by
# SIPp (a PBX on 127.0.0.1:5060, a carrier on 127.0.0.1:5066, calls held),
# so the relay allocates its ports as for real calls; the calls file for
# rtp_blast is read from SIPp's message logs (PBX port, relay port toward
# the PBX, carrier port, relay port toward the carrier, SRTP keys). For the
# SRTP runs the carrier requires SRTP: leg A plain RTP, leg B SDES
# AES_CM_128_HMAC_SHA1_80, as in rtpengine's SRTP runs.
# rtpengine: ../shared/bench/media/bench_rtpengine.sh's ng client and
# options (`--table=-1`); installed with apt when missing; when it cannot
# run, RESULTS-media.md's figures are printed instead, marked so.
# Opus: opus_pcmu_bench.c (libopus alone, calls per core) and the same work
# through Switchboard's transcoder (swiftc against the build next to SWITCHBOARD).
#
# Kernel forwarding: SB_KERNEL="off auto" runs Switchboard's plain-RTP rates
# with [media] kernel_forwarding = "off" (relay "switchboard") and "auto"
# (relay "switchboard-kernel": the eBPF program forwards latched plain RTP,
# attached to the namespace's lo) one after the other; SRTP runs use the
# first mode. Kernel forwarding's work runs in softirq, charged to whichever
# task sends (the blaster), so beside the relay process's CPU per packet
# each run reports, over the blaster's measured phase: machine_us_per_pkt
# (all CPUs' busy jiffies in /proc/stat: the whole machine, other people's
# work included, meaningful on an idle machine), bench_us_per_pkt (the
# processes of the benchmark's namespace, relay, blaster and SIPp, plus the
# kernel's threads: robust to others' builds), blaster_us_per_pkt, and
# other_us_per_pkt = bench - blaster (the relay, and softirq work that ran
# outside the blaster). Without CONFIG_IRQ_TIME_ACCOUNTING, softirq run on
# the blaster's system calls counts as the blaster's system time: compare
# bench_us_per_pkt between relays at the same rate (same blaster, same
# packets).
#
# Every load run is bounded (DUR <= 60 s). Prints a table and ratios.
#
# Environment: RATES (plain, default "10000 20000 30000 40000 50000"),
# SB_KERNEL (Switchboard's kernel_forwarding modes, default "off auto":
# the userspace relay and kernel forwarding in the same run),
# SRTP_RATES (default "10000 20000"), DUR (10), WARM (1),
# MEDIA_BENCH (../shared/bench/media), SWITCHBOARD (release binary),
# RTPENGINE=0 (Switchboard only), OPUS=0 (no libopus anchor),
# SUMMARY_ONLY="results.txt ..." (summarise earlier runs, medians; with
# OPUS_CALLS and TRANSCODE_CALLS for the transcoding line),
# PERF_DIR (perf record -g of the relay during each Switchboard run, into
# that directory), PERF_STAT=1 (perf stat of the relay: task-clock,
# context switches, recvmmsg/sendmmsg/epoll_wait/epoll_ctl/futex calls).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
# udp_counters: this namespace's UDP counters as key=value (/proc/net/snmp).
# machine_busy: busy jiffies of every CPU (user nice system irq softirq) from /proc/stat.
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# bench_ticks FILE: CPU ticks of this benchmark since `bench_ticks FILE` was first run (which
# wrote the ticks then into FILE): the processes in this network namespace (relay, blaster, SIPp)
# and the kernel's threads (ksoftirqd runs softirq work when it piles up), not other people's
# processes on the machine. Per process (pid and start time), own CPU only.
bench_ticks() {
  python3 - "$1" <<'PY'
import json, os, sys
own = os.readlink("/proc/self/ns/net")
now = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        fields = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
        kernel_thread = int(fields[6]) & 0x00200000  # PF_KTHREAD
        if not kernel_thread and os.readlink("/proc/%s/ns/net" % pid) != own:
            continue
    except OSError:
        continue
    now["%s/%s" % (pid, fields[19])] = int(fields[11]) + int(fields[12])
if not os.path.exists(sys.argv[1]):
    json.dump(now, open(sys.argv[1], "w"))
    print(0)
else:
    before = json.load(open(sys.argv[1]))
    print(sum(ticks - before.get(key, 0) for key, ticks in now.items()))
PY
}
udp_counters() { awk '/^Udp:/ { if (!h) { split($0, k); h = 1 } else { for (i = 2; i <= NF; i++) printf "%s=%s ", k[i], $i } }' /proc/net/snmp; }

# summary RTPE OPUS_CALLS TRANSCODE_CALLS FILE...: the table and the ratios; repeated runs of a
# relay, kind and rate (several files) are summarised by their median.
summary() {
  local rtpe=$1 opus_calls=$2 transcode_calls=$3; shift 3
  echo
  echo "| relay | kind | target pps | offered | delivered | loss % | p50 µs | p99 µs | CPU µs/pkt | relay % core | machine µs/pkt | bench µs/pkt | blaster µs/pkt | bench − blaster µs/pkt |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  local relay kind target line
  cat "$@" | while read -r relay kind target line; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$relay" "$kind" "${target#rate_target=}" \
      "$(kv offered_pps " $line")" "$(kv delivered_pps " $line")" "$(kv loss_pct " $line")" "$(kv p50_us " $line")" \
      "$(kv p99_us " $line")" "$(kv relay_ms_per_1k " $line")" "$(kv relay_core_pct " $line")" \
      "$(kv machine_us_per_pkt " $line")" "$(kv bench_us_per_pkt " $line")" "$(kv blaster_us_per_pkt " $line")" \
      "$(kv other_us_per_pkt " $line")"
  done
  python3 - "$rtpe" "$opus_calls" "$transcode_calls" "$@" <<'PY'
import statistics, sys
rtpe, opus, transcode, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = {}
for path in paths:
    for line in open(path):
        parts = line.split()
        if len(parts) < 3 or "=" not in parts[2]:
            continue
        kv = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
        runs.setdefault((parts[0], parts[1], int(kv["rate_target"])), []).append(kv)
# RESULTS-media.md (rtpengine 10.5 userspace, same VM, mean of 2 runs) when rtpengine did not run here.
reference = {("plain", 10000): 27.95, ("plain", 20000): 26.55, ("plain", 30000): 24.15, ("plain", 40000): 20.9, ("plain", 50000): 19.0,
             ("srtp", 10000): 37.85, ("srtp", 20000): 31.75}
def f(kv, k):
    try:
        return float(kv.get(k, "nan"))
    except ValueError:
        return float("nan")
def med(key, k):
    values = [f(kv, k) for kv in runs.get(key, [])]
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")
def held(relay):
    best = 0
    for (r, kind, rate) in sorted(runs):
        if r == relay and kind == "plain" and med((r, kind, rate), "loss_pct") < 0.1 and med((r, kind, rate), "offered_pps") >= 0.99 * rate:
            best = max(best, rate)
    return best
print()
print("# rtpengine figures: %s" % ("measured in this run" if rtpe == "measured" else "NOT measured here (%s): RESULTS-media.md" % rtpe))
print("# medians over %d result file(s)" % len(paths))
def ratio(a, b):
    return a / b if a == a and b == b and b else float("nan")
for kind in ("plain", "srtp"):
    for (r, k, rate) in sorted(runs):
        if not r.startswith("switchboard") or k != kind:
            continue
        sb = med((r, k, rate), "relay_ms_per_1k")
        other = ("rtpengine", kind, rate) in runs
        re_cost = med(("rtpengine", kind, rate), "relay_ms_per_1k") if other else reference.get((kind, rate), float("nan"))
        print("ratio %s %d pps: %s %.1f µs/pkt, rtpengine %.1f µs/pkt -> %s/rtpengine CPU %.2f; p99 %.0f vs %s µs"
              % (kind, rate, r, sb, re_cost, r, ratio(sb, re_cost),
                 med((r, k, rate), "p99_us"), "%.0f" % med(("rtpengine", kind, rate), "p99_us") if other else "n/a"))
        if other:
            for key, what in (("machine_us_per_pkt", "whole machine"), ("bench_us_per_pkt", "benchmark processes + kernel threads"),
                              ("other_us_per_pkt", "benchmark - blaster")):
                a, b = med((r, k, rate), key), med(("rtpengine", kind, rate), key)
                print("ratio %s %d pps, %s: %s %.1f µs/pkt, rtpengine %.1f µs/pkt -> %.2f" % (kind, rate, what, r, a, b, ratio(a, b)))
for relay in sorted({r for (r, _, _) in runs} | {"rtpengine"}):
    print("max held (< 0.1%% loss, offered >= 99%%) %s: %s pps (of tested rates)" % (relay, held(relay) or ("51500 (RESULTS-media.md)" if relay == "rtpengine" and rtpe != "measured" else 0)))
for relay in ("switchboard", "rtpengine"):
    for (r, k, rate) in sorted(runs):
        if r == relay and k == "srtp" and (relay, "plain", rate) in runs:
            print("srtp/rtp CPU ratio %s at %d pps: %.2f" % (relay, rate, med((r, k, rate), "relay_ms_per_1k") / med((relay, "plain", rate), "relay_ms_per_1k")))
if opus:
    line = "libopus alone (opus_pcmu_bench, complexity 10): %s calls per core" % opus
    if transcode:
        line += "; Switchboard's transcoder (Opus peer without useinbandfec): %s calls per core -> %.2f of libopus alone" % (transcode, float(transcode) / float(opus))
    print(line)
PY
}

# SUMMARY_ONLY="FILE...": the table and ratios of earlier runs' raw results (medians), nothing run.
if [[ -n "${SUMMARY_ONLY:-}" ]]; then
  # shellcheck disable=SC2086
  summary "$(grep -q '^rtpengine ' $SUMMARY_ONLY && echo measured || echo 'not in these files')" "${OPUS_CALLS:-}" "${TRANSCODE_CALLS:-}" $SUMMARY_ONLY
  exit 0
fi
if [[ "${BENCH_IN_NETNS:-}" != 1 ]]; then
  if [[ -z "${SWITCHBOARD:-}" ]]; then
    (cd "$REPO" && swift build -c release --scratch-path .build-mediainterop-rel --product switchboard >&2)
    SWITCHBOARD=$REPO/.build-mediainterop-rel/release/switchboard
  fi
  if ! command -v rtpengine >/dev/null 2>&1 && [[ "${NO_APT:-}" != 1 ]]; then
    echo "# installing rtpengine-daemon (apt)" >&2
    timeout 300 apt-get install -y --no-install-recommends rtpengine-daemon >/dev/null 2>&1 || echo "# apt could not install rtpengine-daemon" >&2
  fi
  exec timeout --kill-after=10 1500 env BENCH_IN_NETNS=1 SWITCHBOARD="$SWITCHBOARD" unshare -n bash "$0" "$@"
fi

MEDIA_BENCH=${MEDIA_BENCH:-$REPO/../shared/bench/media}
RATES=${RATES-"10000 20000 30000 40000 50000"}
SRTP_RATES=${SRTP_RATES-"10000 20000"}
DUR=${DUR:-10}
WARM=${WARM:-1}
(( DUR <= 60 )) || { echo "DUR must be <= 60" >&2; exit 2; }
ip link set lo up
WORK=$(mktemp -d /tmp/bench-media.XXXXXX)
RESULTS=$WORK/results.txt
: >"$RESULTS"
gcc -O2 -Wall -o "$WORK/rtp_blast" "$MEDIA_BENCH/rtp_blast.c" -lsrtp2
gcc -O2 -Wall -o "$WORK/opus_pcmu_bench" "$MEDIA_BENCH/opus_pcmu_bench.c" -lopus -lm

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
# stop PID: TERM to its process group, KILL after 3 s.
stop() {
  local p=$1 _
  kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

MAX_CALLS=0
for r in $RATES $SRTP_RATES; do (( r / 100 > MAX_CALLS )) && MAX_CALLS=$(( r / 100 )); done

# ---- Switchboard ---------------------------------------------------------------
# switchboard_calls N SRTP(0|1) TAG [KERNEL]: Switchboard (kernel_forwarding = KERNEL, default
# "off") + SIPp with N held calls; writes $WORK/calls.txt, SB_PID.
switchboard_calls() {
  local n=$1 srtp=$2 dir=$WORK/sb-$2-$3 kernel=${4:-off}
  mkdir -p "$dir/data"
  printf 'prefix,rate,increment\n1,0.001,60/60\n' >"$dir/deck.csv"
  cat >"$dir/sb.toml" <<TOML
[server]
data_dir = "$dir/data"
${SB_SHARDS:+shards = $SB_SHARDS}
drain_timeout = 0
[log]
level = "error"
[control]
socket = "$dir/data/ctl"
[admin]
listen = ""
[sip]
listen = ["udp://127.0.0.1:5070"]
[media]
port_min = 30000
port_max = 39999
relay_ipv4 = "127.0.0.1"
timeout = 600
kernel_forwarding = "$kernel"
# SIPp carriers do not answer OPTIONS.
[routing]
health_probe_interval = 0
[[carrier]]
name = "bench"
profile = "generic"
primary = "127.0.0.1:5066"
# SIPp's PBX shares 127.0.0.1 with this carrier: its calls are not told apart by address.
inbound_sources = []
codecs = ["PCMU"]
srtp = $([[ $srtp = 1 ]] && echo true || echo false)
cps = 0
rate_deck = "$dir/deck.csv"
TOML
  setsid "$SWITCHBOARD" run --config "$dir/sb.toml" >"$dir/sb.log" 2>&1 &
  SB_PID=$!
  PIDS+=("$SB_PID")
  local _
  for _ in $(seq 100); do ss -lunH | grep -q '127.0.0.1:5070 ' && break; sleep 0.1; done
  python3 - "$dir" "$n" "$srtp" <<'PY'
import base64, os, sys
d, n, srtp = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
with open(d + "/uac.csv", "w") as f:
    f.write("SEQUENTIAL\n")
    for i in range(n):
        f.write("+1212555%04d;%d\n" % (i, 10000 + 2 * i))
with open(d + "/uas.csv", "w") as f:
    f.write("SEQUENTIAL\n")
    for i in range(n):
        f.write("%d;%s\n" % (14000 + 2 * i, base64.b64encode(os.urandom(30)).decode()))
proto, crypto = ("RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[field1]\n") if srtp else ("RTP/AVP", "")
sdp = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio %s %s 0\na=rtpmap:0 PCMU/8000\n%s"
uac = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench_uac">
<send retrans="500"><![CDATA[
INVITE sip:+14155550100@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:+14155550100@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:pbx@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

%s]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: <sip:[field0]@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:+14155550100@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<pause milliseconds="900000"/>
</scenario>
""" % (sdp % ("[field1]", "RTP/AVP", ""))
uas = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench_uas">
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

%s]]></send>
<recv request="ACK"/>
<recv request="BYE" timeout="900000"/>
</scenario>
""" % (sdp % ("[field0]", proto, crypto))
open(d + "/uac.xml", "w").write(uac)
open(d + "/uas.xml", "w").write(uas)
PY
  (cd "$dir" && exec setsid sipp -i 127.0.0.1 -p 5066 -sf uas.xml -inf uas.csv -nostdin -trace_msg -message_file uas_msg.log >uas.out 2>&1) &
  PIDS+=("$!")
  for _ in $(seq 50); do ss -lunH | grep -q '127.0.0.1:5066 ' && break; sleep 0.1; done
  (cd "$dir" && exec setsid sipp 127.0.0.1:5070 -i 127.0.0.1 -p 5060 -sf uac.xml -inf uac.csv -m "$n" -l "$n" -r 200 -nostdin \
    -trace_msg -message_file uac_msg.log >uac.out 2>&1) &
  PIDS+=("$!")
  python3 - "$dir" "$n" "$WORK/calls.txt" <<'PY'
import re, sys, time
d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def blocks(path):
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return []
    res = []
    for block in re.split(r"\n-{10,}[^\n]*\n", "\n" + text):
        head, _, msg = block.strip("\n").partition("\n")
        res.append((head, msg.lstrip("\r\n")))
    return res

def user(msg):
    m = re.search(r"(?mi)^From:.*?<sip:([^@>]+)@", msg)
    return m and m.group(1)

def port(msg):
    m = re.search(r"(?m)^m=audio (\d+)", msg)
    return m and int(m.group(1))

def key(msg, tag="1"):
    m = re.search(r"(?m)^a=crypto:%s AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)" % tag, msg)
    return m and m.group(1)

deadline = time.monotonic() + 60
rows = {}
while time.monotonic() < deadline:
    a, b = {}, {}
    for head, msg in blocks(d + "/uac_msg.log"):
        u = user(msg)
        if "sent" in head and msg.startswith("INVITE"):
            a.setdefault(u, {})["a_port"] = port(msg)
        elif "received" in head and msg.startswith("SIP/2.0 200") and " INVITE" in msg:
            a.setdefault(u, {})["relay_a"] = port(msg)
    cid_user = {}
    for head, msg in blocks(d + "/uas_msg.log"):
        cid = re.search(r"(?mi)^Call-ID:\s*(\S+)", msg)
        cid = cid and cid.group(1)
        if "received" in head and msg.startswith("INVITE"):
            u = user(msg)
            cid_user[cid] = u
            b.setdefault(u, {}).update(relay_b=port(msg), key_to_b=key(msg))
        elif "sent" in head and msg.startswith("SIP/2.0 200") and cid in cid_user:
            b.setdefault(cid_user[cid], {}).update(b_port=port(msg), key_from_b=key(msg))
    rows = {u: {**a[u], **b[u]} for u in a if u in b and "relay_a" in a[u] and "b_port" in b[u]}
    if len(rows) >= n:
        break
    time.sleep(0.5)
with open(out, "w") as f:
    for u in sorted(rows):
        r = rows[u]
        keys = " %s %s" % (r["key_to_b"], r["key_from_b"]) if r.get("key_to_b") and r.get("key_from_b") else ""
        f.write("%s %d %d %d %d%s\n" % (u, r["a_port"], r["relay_a"], r["b_port"], r["relay_b"], keys))
print("# %d of %d calls set up through Switchboard's B2BUA" % (len(rows), n), file=sys.stderr)
sys.exit(0 if len(rows) >= n else 1)
PY
}

# blast LABEL RELAY RATE PID [-s]: one bounded rtp_blast run on the first RATE/100 calls.
blast() {
  local label=$1 relay=$2 rate=$3 pid=$4; shift 4
  head -n $(( rate / 100 )) "$WORK/calls.txt" >"$WORK/calls-$rate.txt"
  local line watcher=()
  if [[ -n "${PERF_DIR:-}" ]]; then
    mkdir -p "$PERF_DIR"
    (sleep "$WARM"; exec perf record -q -g -p "$pid" -o "$PERF_DIR/$relay-$label-$rate.data" -- sleep "$DUR") >/dev/null 2>&1 &
    watcher+=("$!")
  fi
  if [[ "${PERF_STAT:-}" = 1 ]]; then
    (sleep "$WARM"; exec perf stat -x, -o "$WORK/perfstat-$relay-$label-$rate.txt" -p "$pid" \
      -e task-clock,context-switches,cpu-migrations,syscalls:sys_enter_recvmmsg,syscalls:sys_enter_recvfrom,syscalls:sys_enter_recvmsg \
      -e syscalls:sys_enter_sendmmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_epoll_wait \
      -e syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex -- sleep "$DUR") >/dev/null 2>&1 &
    watcher+=("$!")
  fi
  local before after busy=$WORK/busy-$relay-$label-$rate.txt
  # The machine's and the benchmark's CPU over the blaster's measured phase (after its warm-up);
  # bench_ticks runs outside the machine's window and leaves itself out.
  rm -f "$busy.bench"
  (sleep "$WARM"; bench_ticks "$busy.bench" >/dev/null; b=$(machine_busy); sleep "$DUR"
   b=$(( $(machine_busy) - b )); echo "$b $(bench_ticks "$busy.bench")" >"$busy") &
  watcher+=("$!")
  before=$(udp_counters)
  line=$(timeout $(( DUR + WARM + 30 )) "$WORK/rtp_blast" -f "$WORK/calls-$rate.txt" -r "$rate" -d "$DUR" -w "$WARM" -p "$pid" "$@" || true)
  after=$(udp_counters)
  local c udp=
  for c in InErrors RcvbufErrors SndbufErrors; do udp+=" udp_$c=$(( $(kv "$c" " $after") - $(kv "$c" " $before") ))"; done
  line+=$udp
  local w
  for w in "${watcher[@]}"; do wait "$w" 2>/dev/null || true; done
  # shellcheck disable=SC2046
  # shellcheck disable=SC2046
  line+=$(python3 - $(cat "$busy" 2>/dev/null || echo 0 0) "$(getconf CLK_TCK)" "$(kv recv " $line")" "$(kv blaster_cpu_s " $line")" <<'PY'
import sys
machine, bench, hz, recv, blaster = (float(x or "nan") for x in sys.argv[1:])
machine, bench = machine / hz, bench / hz
if recv > 0:
    print(" machine_cpu_s=%.2f bench_cpu_s=%.2f machine_us_per_pkt=%.3f bench_us_per_pkt=%.3f blaster_us_per_pkt=%.3f"
          " other_us_per_pkt=%.3f" % (machine, bench, machine * 1e6 / recv, bench * 1e6 / recv, blaster * 1e6 / recv,
                                      (bench - blaster) * 1e6 / recv))
PY
)
  echo "$relay $label rate_target=$rate $line" | tee -a "$RESULTS"
  if [[ "${PERF_STAT:-}" = 1 && -s "$WORK/perfstat-$relay-$label-$rate.txt" ]]; then
    local delivered
    delivered=$(kv recv " $line")
    awk -F, -v n="${delivered:-0}" -v tag="$relay $label $rate" '$1 ~ /^[0-9.]+$/ && n > 0 {
      printf "# perf %s: %s %.3f per packet\n", tag, $3, $1 / n }' "$WORK/perfstat-$relay-$label-$rate.txt"
  fi
}

SB_KERNEL=${SB_KERNEL:-"off auto"}
# sb_relay MODE: the relay's name in the results for a kernel_forwarding mode.
sb_relay() { [[ $1 = off ]] && echo switchboard || echo switchboard-kernel; }
echo "# switchboard $("$SWITCHBOARD" --version 2>/dev/null | head -1) | kernel $(uname -r) | nproc $(nproc) | DUR=$DUR | SB_KERNEL=$SB_KERNEL"
if [[ -n "$RATES" ]]; then
  for mode in $SB_KERNEL; do
    if switchboard_calls "$MAX_CALLS" 0 "all-$mode" "$mode"; then
      for rate in $RATES; do blast plain "$(sb_relay "$mode")" "$rate" "$SB_PID"; done
      # Whether the kernel took the fast path, and the directions it forwards (two per call once latched).
      "$SWITCHBOARD" ctl status --socket "$WORK/sb-0-all-$mode/data/ctl" 2>/dev/null | grep '^media_kernel' \
        | tr '\n' ' ' | sed 's/^/# kernel_forwarding = "'"$mode"'": /; s/ $/\n/' || true
    else
      echo "# switchboard: call set-up failed (see $WORK/sb-0-all-$mode)"
    fi
    cleanup; PIDS=()
  done
fi
SRTP_KERNEL=${SB_KERNEL%% *}
# SRTP: fresh calls for every rate, as rtpengine gets. The blaster starts every
# run at the same sequence numbers with a fresh SRTP context; on calls that
# carried an earlier run the relay rightly refuses those indexes as replays
# (RFC 3711 3.3.2) and, protecting, as keystream reuse.
for rate in $SRTP_RATES; do
  if switchboard_calls $(( rate / 100 )) 1 "$rate" "$SRTP_KERNEL"; then
    blast srtp "$(sb_relay "$SRTP_KERNEL")" "$rate" "$SB_PID" -s
  else
    echo "# switchboard: SRTP call set-up failed at $rate (see $WORK/sb-1-$rate)"
  fi
  cleanup; PIDS=()
done

# ---- rtpengine -------------------------------------------------------------------
RTPE=measured
if [[ "${RTPENGINE:-1}" = 0 ]]; then
  RTPE=skipped
elif command -v rtpengine >/dev/null 2>&1; then
  for kind in plain srtp; do
    rates=$RATES; sflag=(); bflag=()
    [[ $kind = srtp ]] && { rates=$SRTP_RATES; sflag=(--srtp-b); bflag=(-s); }
    for rate in $rates; do
      setsid rtpengine --config-file=none --table=-1 --interface=127.0.0.1 --listen-ng=127.0.0.1:2223 --foreground \
        --log-stderr --port-min=30000 --port-max=40000 >>"$WORK/rtpengine.log" 2>&1 &
      rp=$!; PIDS+=("$rp")
      sleep 1
      if python3 "$MEDIA_BENCH/rtpengine_ng.py" --ng 127.0.0.1:2223 setup --calls $(( rate / 100 )) "${sflag[@]}" \
        --out "$WORK/calls.txt" 2>>"$WORK/ng.log"; then
        blast "$kind" rtpengine "$rate" "$rp" "${bflag[@]}"
      else
        echo "# rtpengine: ng setup failed at $rate" ; RTPE=failed
      fi
      stop "$rp"
    done
  done
else
  RTPE=missing
fi

# ---- libopus alone ----------------------------------------------------------------------
opus=
[[ "${OPUS:-1}" = 0 ]] || opus=$(timeout 60 "$WORK/opus_pcmu_bench" -c 20 -s 20 2>&1 | tail -n 3)
echo "$opus" | sed 's/^/# opus: /'
opus_calls=$(echo "$opus" | grep -oE "calls_per_core=[0-9.]+" | cut -d= -f2 | head -1 || true)

# ---- Switchboard's transcoder alone --------------------------------------------------------------
# The same work as opus_pcmu_bench (20 calls, 20 s, Opus<->PCMU both ways) through Media.RTPTranscoder
# with the settings the B2BUA uses, packets rewritten in a relay-sized buffer. Built with swiftc against
# the objects next to $SWITCHBOARD (its build directory); skipped when they are not there.
transcode_calls=
BUILD=$(dirname "$SWITCHBOARD")
if [[ "${OPUS:-1}" != 0 && -f "$BUILD/switchboard.product/Objects.LinkFileList" && -d "$BUILD/Modules" ]]; then
  cat >"$WORK/transcode_bench.swift" <<'SWIFT'
import COpus
import CSwitchboardShims
import Foundation
import Media

func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// opus_pcmu_bench.c's test signal: three harmonics of a wandering pitch, a 2 Hz envelope, a little noise.
func signal(samples: Int, rate: Double, seed: UInt32) -> [Int16] {
    srand(seed)
    var phase = 0.0
    return (0..<samples).map { i in
        let t = Double(i) / rate
        phase += 2 * .pi * (140 + 40 * sin(2 * .pi * 0.7 * t)) / rate
        var envelope = sin(2 * .pi * 2.0 * t)
        envelope = envelope > 0 ? envelope : 0.05 * -envelope
        var v = 0.5 * sin(phase) + 0.25 * sin(2 * phase + 0.3) + 0.12 * sin(3 * phase + 1.1)
        v += 0.05 * (Double(rand()) / Double(RAND_MAX) - 0.5)
        return Int16(v * envelope * 12000)
    }
}

let calls = Int(CommandLine.arguments[1])!
let seconds = Int(CommandLine.arguments[2])!
let frames = seconds * 50
var status: Int32 = 0
let source = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &status)!
_ = sb_opus_encoder_set_int(source, OPUS_SET_BITRATE_REQUEST, 32000)
let pcm48 = signal(samples: 960 * frames, rate: 48000, seed: 1)
var scratch = [UInt8](repeating: 0, count: 1500)
let opusPayloads: [[UInt8]] = (0..<frames).map { i in
    let n = pcm48.withUnsafeBufferPointer { opus_encode(source, $0.baseAddress! + 960 * i, 960, &scratch, 1500) }
    return Array(scratch[..<Int(n)])
}
let pcmu8 = G711.encode(signal(samples: 160 * frames, rate: 8000, seed: 2), law: .muLaw)
let capacity = 2048 + 256
let slot = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)

/// CPU seconds per call; `fec`: the Opus peer signalled useinbandfec=1.
func run(fec: Bool) throws -> Double {
    let opus = RTPTranscoder.Endpoint(codec: .opus, payloadType: 111, takesInBandFEC: fec)
    let pcmu = RTPTranscoder.Endpoint(codec: .pcmu, payloadType: 0)
    var cpu = 0.0
    for call in 0..<calls {
        let toPCMU = try RTPTranscoder(from: opus, to: pcmu)
        let toOpus = try RTPTranscoder(from: pcmu, to: opus)
        var packets: [([UInt8], RTPTranscoder)] = []
        for i in 0..<frames {
            let sequence = UInt16(truncatingIfNeeded: i)
            packets.append((RTPPacket.build(
                header: RTPHeader(payloadType: 111, sequenceNumber: sequence, timestamp: UInt32(960 * i), ssrc: UInt32(call)),
                payload: opusPayloads[i]), toPCMU))
            packets.append((RTPPacket.build(
                header: RTPHeader(payloadType: 0, sequenceNumber: sequence, timestamp: UInt32(160 * i), ssrc: UInt32(call + 1000)),
                payload: pcmu8[(160 * i)..<(160 * i + 160)]), toOpus))
        }
        let start = threadCPU()
        for (bytes, transcoder) in packets {
            bytes.withUnsafeBytes { slot.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            var packet = MediaPacketBuffer(base: slot, count: bytes.count, capacity: capacity)
            guard transcoder.transformRTP(&packet) == .forward else { fatalError("packet not transcoded") }
        }
        cpu += threadCPU() - start
    }
    return cpu / Double(calls)
}
let plain = try run(fec: false)
let fec = try run(fec: true)
print(String(format: "transcode: calls=%d audio_s=%d cpu_s_per_call=%.3f calls_per_core=%.0f fec_cpu_s_per_call=%.3f fec_calls_per_core=%.0f",
             calls, seconds, plain, Double(seconds) / plain, fec, Double(seconds) / fec))
SWIFT
  # shellcheck disable=SC2046
  if swiftc -O -o "$WORK/transcode_bench" "$WORK/transcode_bench.swift" -I "$BUILD/Modules" \
    -Xcc -fmodule-map-file="$REPO/Sources/CSRTP/module.modulemap" -Xcc -fmodule-map-file="$REPO/Sources/COpus/module.modulemap" \
    -Xcc -fmodule-map-file="$REPO/Sources/COpenSSL/module.modulemap" -Xcc -fmodule-map-file="$BUILD/CSwitchboardShims.build/module.modulemap" \
    $(grep -E "/(Media|SIPCore|SocketCore|CSwitchboardShims|Logging)\.build/" "$BUILD/switchboard.product/Objects.LinkFileList" | tr -d "'") \
    -lsrtp2 -lopus -lssl -lcrypto >"$WORK/transcode_build.log" 2>&1; then
    transcode=$(timeout 120 "$WORK/transcode_bench" 20 20 2>&1 | tail -n 1)
    echo "# $transcode"
    transcode_calls=$(kv calls_per_core " $transcode")
  else
    echo "# transcoder bench did not build (see $WORK/transcode_build.log)"
  fi
fi

summary "$RTPE" "${opus_calls:-}" "${transcode_calls:-}" "$RESULTS"
echo "# raw results: $RESULTS"
