#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (as root, from Debian's packages):
# MariaDB, dnsmasq, tcpdump, tshark, libpcap, nftables, iproute2, ping, python3, curl, openssl (the lab's servers,
# app and test certificates). Lab tests skip with a reason when not root. Extra arguments go to `dotnet test`
# (e.g. ./test.sh --filter FullyQualifiedName~Dns).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

packages=(mariadb-server mariadb-client dnsmasq-base tcpdump tshark libpcap0.8 nftables iproute2 iputils-ping python3 python3-h2 curl openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: not root, cannot install ${missing[*]}; tests that need them will skip" >&2
  fi
fi

if [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: the lab tests (network namespaces from tests/lab/lab.sh) will be skipped; run as root to include them" >&2
fi

dotnet test KubeTriage.slnx -c Release --nologo "$@"
