#!/usr/bin/env bash
# Installs every Debian package Switchboard needs to build, run and test.
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  # linked C libraries
  pkg-config libssl-dev libsrtp2-dev libopus-dev libsqlite3-dev sqlite3
  # real SIP peers and capture tools for interop tests and pcap fixtures
  sip-tester baresip kamailio tshark tcpdump
  # measurement and fuzzing
  valgrind libclang-rt-14-dev
  # network namespaces for socket tests; helpers of the interop scripts and test certificates
  iproute2 util-linux procps python3 openssl
  # a local DNS server for the RFC 3263 resolver test
  dnsmasq-base
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install-deps: apt-get update"
$SUDO apt-get update -qq
echo "install-deps: installing ${#packages[@]} packages"
# wireshark-common asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps: done"
