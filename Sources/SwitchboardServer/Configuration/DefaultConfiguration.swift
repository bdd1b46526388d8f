/// The default configuration, built into the binary so that `switchboard run`
/// works without a file. It is conf/switchboard.toml byte for byte (copy the
/// file between the delimiters after editing it); the test "embedded default
/// equals conf/switchboard.toml" fails when they differ.
public enum DefaultConfiguration {
    public static let text = #"""
# Switchboard configuration.
#
# Every key below is shown with its default value. A key left out takes its
# default. Unknown keys, values of the wrong type and values out of range are
# errors: `switchboard check-config FILE` lists all of them as
# `FILE:LINE: key.path: reason`, and the server refuses to start with them.
# On SIGHUP the file is read again; if it is invalid, the running
# configuration stays in force and the errors are logged.
#
# Relative paths are resolved against the working directory of the process.

[server]
# Name of this node in logs, metrics and generated Call-IDs. Letters, digits,
# '-', '_' and '.' only. Empty means the machine's host name.
# Default: "". Change on reload: applies to new log lines and new calls.
node = ""

# Directory for the embedded database and the control socket. Created at
# start (with its parents) if missing; if it cannot be created, start fails.
# Default: "./data". Change on reload: takes effect at the next restart.
data_dir = "./data"

# Number of state shards (serial queues owning transactions and dialogs).
# 0 means one per CPU core. Range 0...1024.
# Default: 0. Change on reload: takes effect at the next restart.
shards = 0

# On SIGTERM or SIGINT, how long calls in progress may continue before the
# process exits anyway. Unit: seconds. Range 0...86400 (0 exits at once).
# Default: 30.
drain_timeout = 30

[log]
# Lowest level written: "trace", "debug", "info", "notice", "warning",
# "error" or "critical". Default: "info". Change on reload: immediate.
level = "info"

# "text": one short line per event, `TIME LEVEL LOGGER: message key=value ...`.
# "json": one JSON object per line. Logs go to standard error.
# Default: "text". Change on reload: immediate.
format = "text"

[sip]
# Addresses to receive SIP on, as TRANSPORT://HOST[:PORT]. TRANSPORT is
# udp, tcp or tls; HOST an IPv4 address or a bracketed IPv6 address
# ("[::1]", "[::]" for all); PORT defaults to 5060 (udp, tcp) or 5061 (tls);
# port 0 lets the system pick a free port.
# The same address may not be listed twice, and tcp and tls may not share
# a host and port. `switchboard run --listen URI` replaces this list.
# Default: ["udp://127.0.0.1:5060", "tcp://127.0.0.1:5060"].
# Change on reload: takes effect at the next restart.
listen = ["udp://127.0.0.1:5060", "tcp://127.0.0.1:5060"]

# Domains this node is responsible for: requests whose Request-URI host is
# one of these (or a listen address) are handled here (registrar, local
# routing); others are proxied. Host names, compared case-insensitively.
# The first one is also the digest realm when [auth] realm is empty.
# Empty means only the listen addresses. Default: [].
# This file sets "switchboard.local" so that a softphone can register as
# alice@switchboard.local (or bob@…) right away; the example users in
# [[auth.user]] below are hashed for that realm.
domains = ["switchboard.local"]

# Value of the User-Agent header in requests and the Server header in
# responses that Switchboard generates. Empty omits both headers.
# Default: "Switchboard".
user_agent = "Switchboard"

# DNS server (IP[:PORT], port 53 by default) for finding next hops named by
# host name, as RFC 3263 says: NAPTR, then SRV, then A/AAAA records.
# Lookups run off the shards, and answers are cached for their TTL (names
# and records that do not exist too, RFC 2308). Empty: only numeric hosts
# are routed. Default: "". Change on reload: takes effect at the next restart.
nameserver = ""

# Threads receiving on each UDP listener. Each handles what it receives
# on the shard the message belongs to, so with as many threads as shards
# the shards run in parallel when one core cannot carry the load (a
# registrar at tens of thousands of REGISTERs a second). One thread costs
# the least CPU per message and keeps each peer's datagrams in the order
# they arrived; with more, two datagrams from one peer may be handled out
# of order, as UDP itself allows. Range 1...64. Default: 1.
# Change on reload: takes effect at the next restart.
udp_receive_threads = 1

[sip.limits]
# Largest SIP message accepted, headers and body. Larger messages are
# answered 513 (Message Too Large) over TCP/TLS and dropped over UDP.
# Unit: bytes. Range 1024...1048576. Default: 65535.
max_message_size = 65535

# Most header fields accepted in one message; more is answered 400.
# Range 16...4096. Default: 256.
max_headers = 256

# Most Via header field values accepted in one message (loop and
# amplification guard); more is answered 400. RFC 4475's long request has
# 34 Vias and must be accepted, so keep this above 34. Range 1...256.
# Default: 70 (as many as Max-Forwards allows hops).
max_via = 70

# Most TCP and TLS connections open at once, inbound and outbound together.
# Beyond it, new inbound connections are refused (closed on accept).
# Range 1...1000000. Default: 4096.
max_tcp_connections = 4096

# A TCP or TLS connection that carries nothing for this long is closed (after
# sending what is queued); so is one whose message being received began this
# long ago and is still incomplete (a sender that stalls mid-message).
# Unit: seconds. Range 1...86400. Default: 120.
# Change on reload: applies to connections opened afterwards.
tcp_idle_timeout = 120

# A TLS connection whose handshake has not completed this long after the
# TCP connection opened is closed. Unit: seconds. Range 1...3600. Default: 10.
# Change on reload: applies to connections opened afterwards.
tls_handshake_timeout = 10

[sip.timers]
# RFC 3261 timer T1: round-trip time estimate, the first retransmission
# interval over UDP. Unit: milliseconds. Range 50...10000. Default: 500.
t1_ms = 500

# RFC 3261 timer T2: longest retransmission interval for non-INVITE requests
# and INVITE responses. Must be at least t1_ms. Unit: milliseconds.
# Range 100...60000. Default: 4000.
t2_ms = 4000

# RFC 3261 timer T4: longest time a message stays in the network; how long
# completed transactions absorb retransmissions. Unit: milliseconds.
# Range 100...60000. Default: 5000.
t4_ms = 5000

[sip.tls]
# Certificate for tls:// listeners: a PEM file with our certificate first,
# then its intermediates. Required (with private_key) when sip.listen has a
# tls:// address; also sent to servers that ask for a client certificate.
# Empty means none. Default: "".
# Change on reload: the files are read again on every reload (also when
# this value is unchanged); new connections use the new certificate,
# connections already open keep theirs. If the new files do not load, the
# reload is refused and the old certificate stays in use.
certificate = ""

# PEM private key of the certificate above. Default: "".
private_key = ""

# PEM bundle of CA certificates that peer certificates are verified with
# (carriers' servers, and clients when verify_clients is not "none").
# Empty means the system's trusted roots. Default: "".
ca_file = ""

# For TLS connections Switchboard opens: verify the server's certificate
# chain and that it names the host in the SIP URI (RFC 5922). A server that
# fails verification is treated as unreachable. Default: true.
verify_peer = true

# For connections to tls:// listeners: "none" asks no client certificate;
# "optional" asks for one and verifies it if sent; "required" refuses
# clients without a valid one (mutual TLS). Default: "none".
verify_clients = "none"

# Lowest TLS version accepted and offered: "1.2" or "1.3". TLS 1.3 is the
# highest. Default: "1.2".
min_version = "1.2"

[control]
# Unix-domain socket that `switchboard ctl` talks to. Its parent directory
# must exist or be data_dir. At most 107 bytes (the operating system's
# limit for socket paths). Created at start, removed at exit; a socket left
# by a server that did not exit cleanly is replaced, any other file there
# stops the start. Default: "./data/switchboard.ctl".
# Change on reload: takes effect at the next restart.
socket = "./data/switchboard.ctl"

[admin]
# HOST:PORT of the HTTP endpoint serving /metrics (Prometheus) and /health.
# IPv6 hosts in brackets ("[::1]:9090"). Empty disables the endpoint.
# Default: "127.0.0.1:9090". Change on reload: takes effect at the next restart.
listen = "127.0.0.1:9090"

[proxy]
# Add a Record-Route header to forwarded requests so that the dialog's later
# requests (ACK, BYE, re-INVITE) come back through Switchboard (RFC 3261
# 16.6 step 4). Default: true. Change on reload: applies to new calls.
record_route = true

# Route header values (SIP URIs) put in front of every forwarded
# out-of-dialog request, e.g. an outbound proxy: ["sip:edge.example.net;lr"].
# A URI without ;lr is treated as a strict router (RFC 3261 16.6 step 6).
# Default: []. Change on reload: applies to new requests.
preloaded_routes = []

# Static routes: a request for a host that is not one of ours goes to the
# first [[proxy.route]] whose `domain` matches its Request-URI host
# ("example.com", "*.example.com" or "*") and, if given, whose
# `user_prefix` starts its user part. A route either forwards to `to`
# (SIP URIs, tried at once; with serial = true one after another while
# each fails) or answers `reject` (a status 300...699) with `reason`.
# No matching route: 404 Not Found. None by default. Example:
#
#   [[proxy.route]]
#   domain = "*"
#   to = ["sip:127.0.0.1:5090"]

[registrar]
# Answer REGISTER for the users of [sip] domains and of the listen
# addresses (RFC 3261 section 10) and route requests for those users to
# their registered contacts (480 when none is registered). Bindings are
# kept in the SQLite database in [server] data_dir and survive restarts.
# Default: true. Change on reload: applies to new requests.
enabled = true

# Shortest registration accepted, in seconds; a shorter one gets
# 423 Interval Too Brief with Min-Expires. Range 1...86400. Default: 60.
min_expires = 60

# Registration time when the REGISTER names none, in seconds; between
# min_expires and max_expires. Default: 3600.
default_expires = 3600

# Longer requested registrations are shortened to this, in seconds (up to
# Expires: 4294967295; a larger or non-numeric Expires gets 400).
# Range 1...604800. Default: 7200.
max_expires = 7200

# Most contacts one user (address-of-record) may have registered at once.
# A REGISTER that would leave more gets 403 Too Many Contacts and changes
# nothing (refreshing or removing existing contacts is always allowed).
# 0 means no limit. Range 0...10000. Default: 10.
max_contacts = 10

# Give phones that send +sip.instance a public and a temporary GRUU
# (RFC 5627). Default: true.
gruu = true

# SIP Outbound (RFC 5626): registrations with reg-id keep their flow, and
# requests for them go back over the connection they registered on.
# Default: true.
outbound = true

# Contacts of one user with the same q-value ring at once ("parallel") or
# one after another ("serial"); higher q always rings first.
# Default: "parallel".
equal_priority = "parallel"

[auth]
# Realm of the digest challenges (RFC 7616) and of the users added with
# `switchboard user add`. Empty: the first of [sip] domains, else the node
# name. Changing it invalidates every stored password hash.
# Default: "".
realm = ""

# Digest algorithms offered, one challenge each, in this order of
# preference: "SHA-512-256", "SHA-256", "MD5". Many phones answer only the
# first challenge they understand; put "MD5" first for clients that answer
# only the first one (SIPp). Default: ["SHA-256", "MD5"].
algorithms = ["SHA-256", "MD5"]

# Seconds a nonce may be used; after that the phone is challenged again
# with stale=true and retries without asking its user. Range 10...86400.
# Default: 300.
nonce_lifetime = 300

# Sources (IPv4/IPv6 addresses or CIDR networks) whose calls are not
# challenged, e.g. a PBX by its address. REGISTER is always authenticated.
# Default: ["127.0.0.0/8", "::1"]. Change on reload: applies to new requests.
trusted = ["127.0.0.0/8", "::1"]

# Challenge out-of-dialog requests (INVITE, MESSAGE, SUBSCRIBE, ...) from
# sources that are not trusted, with 407 (RFC 3261 22.3). ACK, CANCEL and
# requests inside a dialog are never challenged. Default: true.
challenge_requests = true

# Clients, by a substring of their User-Agent (case-insensitive), that
# refuse a challenge set naming an algorithm they do not know; they are
# offered MD5 alone. Default: ["baresip"].
md5_only_user_agents = ["baresip"]

# Users defined here, one [[auth.user]] each: the user name and its digest
# hashes (HA1 = H(username:realm:password), RFC 7616) for the realm above,
# never the password. `switchboard user hash NAME` asks for the password
# and prints the block to paste (for the realm of the configuration it
# reads: hashes made for another realm do not work). Keys: username
# (required), ha1_md5, ha1_sha256, ha1_sha512_256 (at least one; a user
# without the hash of an offered algorithm gets 403 when answering it).
# Configured users are loaded at start and on every reload, and win over a
# user of the same name added with `switchboard user add`; `switchboard
# user list` shows them with the note "[[auth.user]] in the configuration".
# Default: none.
#
# Two example users for the realm "switchboard.local", passwords
# alice/alice-secret and bob/bob-secret: change them (or delete these
# blocks) before the node is reachable from anywhere but this machine.
[[auth.user]]
username = "alice"
ha1_md5 = "da869d797fa4b6f5026101e816a26c31"
ha1_sha256 = "163511977e4fb5d9837153c8b86a0ece971ecdf2a4c8f5b86ed502db71da5144"
ha1_sha512_256 = "c4e9aa18b9b21e47426ba286b0058ddf7da518973e0c3c8a6cbbe574ebda16f9"

[[auth.user]]
username = "bob"
ha1_md5 = "13ec4dac7a1cbe3658325cc281f7ef5c"
ha1_sha256 = "5c1055114595788e6198fe848e7a2a1bdac3ac71ff3ea9f3212c3d683d3c071f"
ha1_sha512_256 = "48a615fef490a2e317fe342a6d01920fbc9316205c9784834eced96ac657cf7a"

[media]
# Relay the media of bridged trunk calls (RTP and SRTP, RFC 3550/3711):
# Switchboard rewrites the SDP on both legs to its own address, latches to
# each side's real source (NAT), terminates SRTP where one side needs it
# and transcodes Opus to G.711 when the two sides share no codec.
# false passes SDP bodies unchanged. Default: true.
# Change on reload: takes effect at the next restart.
enabled = true

# UDP ports for relayed streams: each stream takes an even port for RTP
# and the next odd one for RTCP. Range 1024...65535. Defaults: 30000 and
# 39999 (5000 streams). Change on reload: takes effect at the next restart.
port_min = 30000
port_max = 39999

# Addresses the relay binds and writes into SDP. Empty: the address the
# SIP message toward that side leaves from. Default: "".
relay_ipv4 = ""
relay_ipv6 = ""

# Seconds without RTP on any stream of a call before it is ended with BYE
# on both legs. Range 5...86400. Default: 60.
timeout = 60

# When trunk calls are anchored: "always" (media topology hiding too),
# "nat" (only when the caller's SDP address is private or not where its
# INVITE came from, or when transcoding or SRTP needs it) or "never".
# Default: "always". Change on reload: applies to new calls.
relay = "always"

# Calls between registered users: "nat" bridges them through the B2BUA and
# relays their media when either phone looks NATed (the caller's SDP address
# is private or not where its INVITE came from, or the callee's Contact is
# private or not where its REGISTER came from) or SDES-SRTP must be
# terminated; "always" relays every such call (media topology hiding);
# "never" proxies them as any request, media flowing phone to phone. The
# B2BUA tries a user's contacts one after another (no parallel forking).
# Ignored (proxied) when enabled = false. Default: "nat".
# Change on reload: applies to new calls.
local_calls = "nat"

# Forward plain RTP in the kernel (an eBPF program at TC ingress of every
# interface, like rtpengine's kernel module): once both sides of a stream
# are latched, a direction with no SRTP and no transcoding is relayed by
# the kernel and no longer wakes the relay. RTCP, SRTP, transcoded
# directions, IPv6 and packets from other sources stay in user space, so
# latching and its protection are unchanged; the kernel's packets count in
# the call's counters and keep it from the media timeout. Packets for other
# hosts leave by the kernel's route (IP forwarding need not be enabled).
# "auto" tries at start and, when the kernel refuses (no CAP_BPF and
# CAP_NET_ADMIN, Linux before 6.6), logs why once and relays in user
# space; "off" never tries. `switchboard ctl status` shows which.
# Default: "auto". Change on reload: takes effect at the next restart.
kernel_forwarding = "auto"

# Carriers: one [[carrier]] table per trunk that calls to telephone numbers
# can be sent to. None by default: least-cost routing is off until at least
# one enabled carrier is configured. Each carrier's rate deck (CSV) is read
# and compiled with the [routing] rules when the configuration is loaded;
# an unreadable or invalid deck is an error like any other (reported as
# DECK.csv:LINE: column NAME: reason, with the key that names the deck), so
# a reload with a broken deck keeps the running configuration and its rates.
# Change on reload: every key, decks included, applies to new calls.
#
# Keys of a [[carrier]] (defaults in brackets):
#   name       Required. Letters, digits, '-' and '_'; unique. Pins, time
#              rules, logs and `switchboard route` use it.
#   profile    "twilio", "vonage", "plivo", "bandwidth" or "generic": the
#              carrier's documented defaults for the keys below.
#              ["generic": udp, ip auth, "+e164", PCMU/PCMA, no CPS limit]
#   primary    Required. Termination host, HOST[:PORT] (a host name, an IPv4
#              address or a bracketed IPv6 address); without a port, DNS
#              (RFC 3263) or 5060 (5061 for tls) decides.
#   secondary  Host tried when the primary fails over. [""] (none)
#   transport  "udp", "tcp" or "tls". [udp]
#   srtp       Media must be SRTP (SDES). [false]
#   auth       "ip" (the carrier knows our addresses) or "digest" (with
#              username and password; answered to 407 for twilio, 401 for
#              plivo, either otherwise). ["digest" for vonage, else "ip"]
#   username, password   Digest credentials; only with auth = "digest". [""]
#   number_format        "+e164" (+14155550123), "e164" (14155550123) or
#              "national" (national_country_code, national_trunk_prefix
#              and international_prefix then say how).
#              ["e164" for vonage, else "+e164"]
#   codecs     SDP encoding names the carrier takes, preferred first.
#              [vonage: PCMA, PCMU, G729, G722, iLBC, telephone-event;
#               others: PCMU, PCMA, telephone-event]
#   cps        Calls per second the carrier accepts; Switchboard paces below
#              it. 0: no limit. [twilio 1, vonage 3, plivo 2, others 0]
#   channels   Concurrent calls the trunk allows. 0: no limit. [0]
#   extensions SIP extensions the carrier supports: "PRACK", "UPDATE",
#              "INFO", "REFER", "timer", "replaces".
#              [vonage: PRACK, UPDATE, timer; others: UPDATE, timer]
#   failover_on        Final statuses after which the call moves on to the
#              next carrier: "503" or a class "5xx". ["5xx", "408"]
#   never_failover_on  Statuses that never fail over, since every carrier
#              would answer the same. ["404", "484", "486", "603"]
#   failover_on_timeout  No final response (RFC 3261 Timer B) fails over. [true]
#   preference Among carriers of equal cost, lower goes first. 0...1000. [0]
#   weight     Among equal cost and preference, a random order in which
#              weight 3 goes first three times as often as weight 1; 0 goes
#              last. 0...1000. [1]
#   enabled    false keeps the carrier declared (pins may name it) but sends
#              it no calls; its deck is still checked. [true]
#   rate_deck  Path of the carrier's rate deck, relative to the working
#              directory like every path in this file. "" prices nothing: the
#              carrier is used only where a pin names it. [""]
#              CSV with a header row naming the columns, in any order:
#              prefix (E.164 digits), rate (per minute, up to 6 decimals),
#              increment ("60/60", "6/6", "1/1", "60/6"), connection_fee
#              (optional), effective_date (optional, YYYY-MM-DD, UTC; the
#              latest date not after the call's day is in force). Other
#              columns are ignored; lines starting with '#' are comments.
#   inbound_sources  Networks (addresses or CIDR) the carrier's calls come
#              from. Calls from them are not challenged (trusted by address)
#              and go only to the [[did]] tables: 404 for a number no DID
#              holds, never back out to a carrier.
#              [the primary and secondary hosts given as addresses, else none;
#              a host given by name gets a warning until this or
#              inbound_users is set]
#   inbound_users  Authenticated users whose calls are the carrier's (a
#              carrier that authenticates instead). [] (none)
#   owned_numbers  Numbers the account owns or verified with the carrier: a
#              number "+14155550100", a range "+14155550100-+14155550199"
#              or a prefix "+1415555*". Only these pass as From and
#              P-Asserted-Identity towards the carrier; others become
#              default_caller_id. [] (any number passes)
#   default_caller_id  E.164 number sent instead of one not owned; "" refuses
#              such calls on this carrier (403 when no carrier is left). [""]
#   identity_trusted  The carrier is inside our trust domain (RFC 3325): with
#              `Privacy: id` From is anonymous and P-Asserted-Identity is
#              still sent (with Privacy: id); false leaves it out. [true]
#
# A complete example with the four carriers and the decks in conf/rates/:
#
#   [[carrier]]
#   name = "twilio"
#   profile = "twilio"
#   primary = "example.pstn.twilio.com"
#   secondary = "example.pstn.ashburn.twilio.com"
#   rate_deck = "conf/rates/twilio.csv"
#   # The carrier's published signalling networks (documentation ranges here):
#   # its hosts are names, so its calls are recognised only by these.
#   inbound_sources = ["198.51.100.0/28", "198.51.100.16/28"]
#
#   [[carrier]]
#   name = "vonage"
#   profile = "vonage"
#   primary = "example.sip-us.vonage.com"
#   username = "example"
#   password = "secret"
#   rate_deck = "conf/rates/vonage.csv"
#   inbound_sources = ["198.51.100.32/28"]
#
#   [[carrier]]
#   name = "plivo"
#   profile = "plivo"
#   primary = "12345678901234567.zt.plivo.com"
#   auth = "digest"
#   username = "example"
#   password = "secret"
#   rate_deck = "conf/rates/plivo.csv"
#   inbound_sources = ["198.51.100.48/28"]
#
#   [[carrier]]
#   name = "bandwidth"
#   profile = "bandwidth"
#   primary = "192.0.2.10"
#   secondary = "192.0.2.11"
#   cps = 10
#   channels = 200
#   rate_deck = "conf/rates/bandwidth.csv"
#
#   [[routing.block]]
#   prefix = "1900"
#   reason = "premium rate"
#
#   [[routing.pin]]
#   range = ["+14155550100", "+14155550199"]
#   carriers = ["bandwidth"]
#   exclusive = true

# DIDs: where calls from carriers go. `number` is a number, a range
# ("+14155550100-+14155550199") or a prefix ("+1415555*"), E.164 after the
# delivering carrier's number_format is undone; a single number wins over a
# range, a narrower range over a wider one, a longer prefix over a shorter
# one. `target` is the user of one of [sip] domains (its registered
# contacts; 480 when none) or a PBX's SIP URI (without a user part the
# number becomes it: sip:+14155550100@pbx.example.com). Calls are bridged
# like outbound ones (topology hiding, media per [media]). None by default.
#
#   [[did]]
#   number = "+14155550100"
#   target = "sip:alice@sb.example.com"
#
#   [[did]]
#   number = "+14155550200-+14155550299"
#   target = "sip:pbx.example.com:5060"

[routing]
# How callers' numbers become E.164, and the operator's rules around the
# rate decks. Calls go to the carriers whose decks price the number's
# longest prefix, cheapest first (per-minute rate, then connection fee, then
# the finer increment), after blocks, pins and time rules.
# `switchboard route NUMBER` shows the result. Change on reload: applies to
# new calls.

# Seconds between OPTIONS probes of every carrier's termination hosts. A
# carrier whose host stops answering (3 probes in a row) is marked down and
# skipped by calls until it answers twice; a carrier with repeated call
# failures (5xx, timeouts) is also skipped for a cool-down by its circuit
# breaker. 0 sends no probes. Range 0...3600. Default: 30.
health_probe_interval = 30

[routing.default_dial_plan]
# Dial plan of callers that no [[routing.dial_plan]] matches.
# "us" (country code 1, national prefix 1, international 011, 10-digit
# numbers, service codes 911 and 933) or "uk" (44, 0, 00, 9 or 10 digits,
# 999 and 112); the keys below override single values of the preset.
# Default: "us".
preset = "us"

# Country code of the callers. Default: the preset's.
# country_code = "1"

# Trunk prefix dialled before a national number. Default: the preset's.
# national_prefix = "1"

# Prefixes dialled before an international number. Default: the preset's.
# international_prefixes = ["011"]

# Shortest and longest national number, without the national prefix.
# Range 1...14. Default: the preset's.
# min_national_length = 10
# max_national_length = 10

# Outside-line code a PBX may leave in front of every number (e.g. "9"),
# stripped when the number does not read as a number with it. Default: "".
access_prefix = ""

# Short codes that are not E.164 (emergency and service numbers): the
# emergency policy routes them, never the rate decks; `switchboard route`
# rejects them. Default: the preset's.
# service_codes = ["911", "933"]

# Per-source dial plans: the first [[routing.dial_plan]] whose `sources`
# (IPv4/IPv6 addresses or CIDR networks) contain the caller's address, or
# whose `users` contain the user part of its From ("alice"; a trailing "*"
# matches by prefix, "+4420*"), normalizes its numbers. Other keys as in
# [routing.default_dial_plan]; `name` names it in `switchboard route`
# (default: its key path). None by default. Example:
#
#   [[routing.dial_plan]]
#   name = "london-office"
#   sources = ["10.20.0.0/16"]
#   users = ["+4420*"]
#   preset = "uk"
#   access_prefix = "9"

# Blocked destinations: numbers starting with `prefix` (E.164 digits) are
# refused with 403 Forbidden, whatever pins and decks say; `reason` goes to
# logs and `switchboard route`. None by default. Example:
#
#   [[routing.block]]
#   prefix = "1900"
#   reason = "premium rate"

# Pins: numbers starting with `prefix`, or within `range` (two E.164 numbers
# of equal length, first and last), go to `carriers` first, in that order,
# whatever they cost; with exclusive = true only to them (default false).
# The most specific pin wins: a range before any prefix, a longer prefix
# before a shorter one. Carriers must be [[carrier]] names. None by default.
# Example:
#
#   [[routing.pin]]
#   prefix = "44"
#   carriers = ["vonage"]

# Time rules: on `days` ("mon" ... "sun", default all) from `start_hour`
# (0...23, default 0) until `end_hour` (1...24, default 24; not after
# start_hour wraps past midnight), in the local time `utc_offset_minutes`
# from UTC (-720...840, default 0), numbers starting with `prefix` (default
# all) either go to the `prefer` carriers first (after pins) or are refused
# with 403 and the `block` reason. None by default. Example:
#
#   [[routing.time_rule]]
#   prefix = "44"
#   days = ["sat", "sun"]
#   prefer = ["plivo"]

# Customers: concurrent bridged calls of a PBX or group of users, found by
# `sources` (addresses or CIDR) and/or `users` (authenticated user, "pbx-*"
# by prefix), first match wins. A call over `channels` (0: no limit) gets
# 503 with Retry-After `retry_after` seconds (default 5); emergency calls
# are exempt and not counted; 80 % in use is logged as a warning.
# None by default. Example:
#
#   [[routing.customer]]
#   name = "acme"
#   sources = ["203.0.113.0/24"]
#   channels = 30

[emergency]
# E911: how emergency calls are recognised, sent to Bandwidth's E911
# service, located and announced. Shipped unconfigured: until
# [emergency.primary] or last_resort is set, 911 calls have no route and
# `check-config` says so. A complete example follows the keys.
#
# Gaps never stop a load (an emergency call must always go out); they are
# printed by `check-config` as "warning: FILE:LINE: key: text" and logged at
# start and on reload: no E911 SBC, no secondary, no last resort, no
# fallback callback number, no notification target, no default location,
# and per location a missing floor/room (RAY BAUM'S Act), street or house
# number, or callback number. Malformed values are errors as everywhere.
# Change on reload: applies to new calls.

# Number plan preset: "us" (911; test 933; access prefixes 9 and 8;
# long-distance 1), "ca" (911; 9, 8; 1), "gb" (999, 112; 9), "de" (112,
# 110; 0), "au" (000, 112; 0). 911, 9-911, 9 1 911 and +1911 all count as
# 911; a bare emergency number always works without a prefix (Kari's Law).
# Default: "us".
country = "us"

# Emergency numbers added to the preset's (digits). Default: [].
emergency_numbers = []

# Test numbers added to the preset's: calls that go to the E911 SBCs but
# reach a read-back service instead of a PSAP (the "us" preset has 933).
# Default: [].
test_numbers = []

# PBX outside-line prefixes tried once before an emergency number. When
# given, they replace the preset's. Default: the preset's (us: ["9", "8"]).
# access_prefixes = ["9", "8"]

# The [sip] listen address emergency INVITEs leave from, e.g.
# "udp://203.0.113.10:5060": Bandwidth accepts calls only from the static
# IPs on file. Must be one of [sip] listen, with the SBCs' transport.
# Empty: the first listen address of that transport (a warning if it is a
# loopback or wildcard address). Default: "".
source = ""

# Host of the From and P-Asserted-Identity URIs
# (<sip:+15125550100@HOST>). Empty: the source address. Default: "".
identity_host = ""

# Seconds an attempt may go without a response beyond 100 Trying before
# the next SBC is tried. Range 1...60. Default: 4.
attempt_timeout = 4

# Final statuses that, besides every 5xx, move on to the next SBC (no
# answer, timeouts and transport failures always do). Range 300...699.
# Default: [408].
failover_statuses = [408]

# Route tried after both SBCs fail, as a SIP URI whose user part is the
# number to dial there: "sip:911@sip.carrier.example.net;transport=udp" or
# a PSAP's ten-digit line "sip:+15125550199@...". Sent without the PIDF-LO
# body. Test calls (933) never use it: an ordinary trunk cannot read back
# Bandwidth's record. Empty: none. Default: "".
last_resort = ""

# How the callback number is written in P-Asserted-Identity and From:
# "e164" (+15125550100) or "national" (5125550100), as the Bandwidth
# account was provisioned. Default: "e164".
pai_form = "e164"

# Callback number (+1NXXNXXXXXX, e.g. the site's main number) sent when
# neither the caller's location nor the caller has a NANP number; exactly
# one P-Asserted-Identity always carries a number then. Empty: none (such a
# call goes out without P-Asserted-Identity). Default: "".
fallback_callback_number = ""

# Send the caller's civic address as a PIDF-LO body (RFC 6442:
# Geolocation header, multipart/mixed with the SDP) when a location is
# known; Bandwidth Dynamic Location Routing reads it. Default: true.
pidf_lo = true

# Minutes after an emergency call during which a call to its callback
# number goes straight to the caller's device (a PSAP calling back).
# Range 0...1440. Default: 30.
callback_window = 30

# Front desks / security told by SIP MESSAGE when 911 (or 933, marked as a
# test) is dialled, as sip: or sips: URIs (Kari's Law). Default: [].
notify_sip = []

# http:// URLs the notification is POSTed to as JSON (callID, caller,
# dialled, isTest, callbackNumber, location, locationSource,
# locationGaps, time). https is not supported: use a local relay.
# Default: [].
notify_webhooks = []

# Emergency call records kept in memory for `switchboard ctl`.
# Range 1...100000. Default: 1000.
cdr_ring_size = 1000

# The id of the [[emergency.location]] used when no assignment matches.
# Empty: none (such a call is sent without a location). Default: "".
default_location = ""

# Bandwidth's two geo-redundant E911 SBCs, tried in order: host (name or
# IP), port (default 5060), transport ("udp", "tcp" or "tls"; default
# "udp", which Bandwidth expects). Not set by default. Example:
#
#   [emergency.primary]
#   host = "e911-a.bandwidth.example"
#   port = 5060
#   transport = "udp"
#
#   [emergency.secondary]
#   host = "e911-b.bandwidth.example"
#
# Locations: one [[emergency.location]] per dispatchable location. Keys:
# id (required; letters, digits, '-', '_', '.'), the RFC 5139 civic
# address elements by name - country (ISO code, "US"), A1 (state), A2
# (county), A3 (city), A4, A5, A6, PRM, PRD (leading direction), RD
# (street), STS (suffix, "Ave"), POD, POM, RDSEC, RDBR, RDSUBBR, HNO (house
# number), HNS (house number suffix), LMK (landmark), LOC (additional
# information), FLR (floor), NAM (occupant), PC (postal code), BLD
# (building), UNIT, ROOM, SEAT, PLC, PCN, POBOX, ADDCODE -, callback_number
# (E.164, the number registered with this address at Bandwidth) and
# endpoint_id (Bandwidth Dynamic Location Routing endpoint id, sent as the
# From user). None by default. Example:
#
#   [[emergency.location]]
#   id = "hq-3"
#   country = "US"
#   A1 = "TX"
#   A3 = "Austin"
#   RD = "Congress"
#   STS = "Ave"
#   HNO = "100"
#   FLR = "3"
#   ROOM = "301"
#   PC = "78701"
#   NAM = "Example Corp"
#   callback_number = "+15125550100"
#
# Assignments: each [[emergency.assign]] puts one subject at a location
# (location = an id above) and names exactly one of: user (an AOR user
# part, "alice"), instance (a +sip.instance, "urn:uuid:..."), mac (a
# phone's MAC address), user_agent (an identifier in its User-Agent) or
# network (a CIDR of caller source addresses, "10.1.3.0/24"). A device
# beats a user beats a network beats default_location; the longest
# network prefix wins. None by default. Example:
#
#   [[emergency.assign]]
#   user = "alice"
#   location = "hq-3"
#
#   [[emergency.assign]]
#   network = "10.1.3.0/24"
#   location = "hq-3"

"""#
}
