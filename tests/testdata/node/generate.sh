#!/usr/bin/env bash
# Regenerates the ip -j fixtures of this folder from throw-away network namespaces (needs root).
# Every namespace is named ktfx<pid>-… and removed on exit; addresses only from 198.18.0.0/15.
#
#   eni-healthy/ eni-route/ eni-nic/   a node with a secondary "elastic NIC" eth1 (pod subnet) and VPC CNI
#                                      policy routing (rules 512/1024/1536/32765, table 2); a second pod on
#                                      the primary NIC's subnet; then table 2 emptied; then eth1 gone
#   bridge-single-nic/                 one NIC, pods behind a Linux bridge (cni0), no policy rules
#   calico-single-nic/                 one NIC, pods on /32 host routes to cali* veths, no policy rules
#   rules-variety/                     rule and route shapes for the parsers (not, iif/oif, fwmark,
#                                      suppress_prefixlength, unreachable/blackhole/prohibit/throw, goto)
#
# Each case dir holds ip-addr.json ip-link.json ip-rule.json ip-route.json (the bundle's names) and
# route-get-<podIP>.json: `ip -j route get 192.0.2.1 from <podIP> iif <host side>` (192.0.2.1, TEST-NET-1,
# is only looked up, never sent to).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "generate.sh: needs root" >&2; exit 1; }
p="ktfx$$"
made=()
cleanup() { for n in "${made[@]}"; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
mkns() { ip netns add "$1"; made+=("$1"); ip -n "$1" link set lo up; ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1; }
PROBE=192.0.2.1

record() { # NS DIR POD_IP:HOSTSIDE...
  local ns=$1 dir=$2; shift 2
  mkdir -p "$dir"
  ip -n "$ns" -j addr show >"$dir/ip-addr.json"
  ip -n "$ns" -j link show >"$dir/ip-link.json"
  ip -n "$ns" -j rule show >"$dir/ip-rule.json"
  ip -n "$ns" -j route show table all >"$dir/ip-route.json"
  local pair
  for pair in "$@"; do
    ip -n "$ns" -j route get "$PROBE" from "${pair%%:*}" iif "${pair##*:}" >"$dir/route-get-${pair%%:*}.json"
  done
  for f in "$dir"/*.json; do [ -z "$(tail -c1 "$f")" ] || echo >>"$f"; done
}

pod() { # NODE_NS POD_NS HOSTSIDE POD_IP
  ip -n "$1" link add "$3" type veth peer name eth0 netns "$2"
  ip -n "$1" link set "$3" up
  ip -n "$2" link set eth0 up
  ip netns exec "$1" sysctl -qw "net.ipv4.conf.$3.proxy_arp=1"
  ip -n "$2" addr add "$4/32" dev eth0
  ip -n "$2" route add 169.254.1.1 dev eth0 scope link
  ip -n "$2" route add default via 169.254.1.1 dev eth0 onlink
  ip -n "$1" route add "$4" dev "$3" scope link
}

eni() {
  local node=$p-en vpc=$p-ev pa=$p-ea pb=$p-eb
  for n in $node $vpc $pa $pb; do mkns $n; done
  ip netns exec $node sysctl -qw net.ipv4.ip_forward=1
  ip -n $node link add eth0 address 02:00:c6:12:00:0a type veth peer name node0 netns $vpc
  ip -n $node link add eth1 address 02:00:c6:12:01:0a type veth peer name node1 netns $vpc
  ip -n $node link set eth0 up; ip -n $node link set eth1 up
  ip -n $vpc link set node0 up; ip -n $vpc link set node1 up
  ip -n $vpc addr add 198.18.0.1/24 dev node0; ip -n $vpc addr add 198.18.1.1/24 dev node1
  ip -n $node addr add 198.18.0.10/24 dev eth0
  ip -n $node addr add 198.18.1.10/24 dev eth1
  ip -n $node route add default via 198.18.0.1 dev eth0
  pod $node $pa eni5d0e6b3c9a1 198.18.1.20
  pod $node $pb eni7c1d2e8f04b 198.18.0.30
  ip -n $node rule add from all to 198.18.1.20 lookup main prio 512
  ip -n $node rule add from all to 198.18.0.30 lookup main prio 512
  ip -n $node rule add from all fwmark 0x80/0x80 lookup main prio 1024
  ip -n $node rule add from 198.18.1.20 lookup 2 prio 1536
  ip -n $node rule add from 198.18.1.10 lookup 2 prio 32765
  ip -n $node route add 198.18.1.1 dev eth1 scope link table 2
  ip -n $node route add default via 198.18.1.1 dev eth1 table 2
  local pods=(198.18.1.20:eni5d0e6b3c9a1 198.18.0.30:eni7c1d2e8f04b)
  record $node "$here/eni-healthy" "${pods[@]}"
  ip -n $node route flush table 2
  record $node "$here/eni-route" "${pods[@]}"
  ip -n $node route add 198.18.1.1 dev eth1 scope link table 2
  ip -n $node route add default via 198.18.1.1 dev eth1 table 2
  ip -n $node link set eth1 netns $vpc
  record $node "$here/eni-nic" "${pods[@]}"
}

bridge() {
  local node=$p-bn vpc=$p-bv pa=$p-ba
  for n in $node $vpc $pa; do mkns $n; done
  ip netns exec $node sysctl -qw net.ipv4.ip_forward=1
  ip -n $node link add eth0 type veth peer name node0 netns $vpc
  ip -n $node link set eth0 up; ip -n $vpc link set node0 up
  ip -n $node addr add 198.18.0.10/24 dev eth0
  ip -n $node route add default via 198.18.0.1 dev eth0
  ip -n $node link add cni0 type bridge
  ip -n $node addr add 198.18.64.1/24 dev cni0
  ip -n $node link set cni0 up
  ip -n $node link add veth3a9c0d21 type veth peer name eth0 netns $pa
  ip -n $node link set veth3a9c0d21 master cni0 up
  ip -n $pa link set eth0 up
  ip -n $pa addr add 198.18.64.2/24 dev eth0
  ip -n $pa route add default via 198.18.64.1
  record $node "$here/bridge-single-nic" 198.18.64.2:cni0
}

calico() {
  local node=$p-cn vpc=$p-cv pa=$p-ca
  for n in $node $vpc $pa; do mkns $n; done
  ip netns exec $node sysctl -qw net.ipv4.ip_forward=1
  ip -n $node link add eth0 type veth peer name node0 netns $vpc
  ip -n $node link set eth0 up; ip -n $vpc link set node0 up
  ip -n $node addr add 198.18.0.10/24 dev eth0
  ip -n $node route add default via 198.18.0.1 dev eth0
  pod $node $pa cali5b2e1f0a9c3 198.18.128.5
  record $node "$here/calico-single-nic" 198.18.128.5:cali5b2e1f0a9c3
}

variety() {
  local n=$p-rv v=$p-rw
  mkns $n; mkns $v
  ip -n $n link add d0 type veth peer name d0 netns $v
  ip -n $n link set d0 up; ip -n $v link set d0 up
  ip -n $n link add d1 type veth peer name d1 netns $v
  ip -n $n link set d1 up   # its peer stays down: NO-CARRIER, routes flagged linkdown
  ip -n $n addr add 198.18.9.1/24 dev d0
  ip -n $n rule add not from 198.18.9.0/24 to 198.18.10.0/24 iif d0 lookup 100 prio 100
  ip -n $n rule add from all oif d0 fwmark 0x10/0xff lookup 101 prio 101
  ip -n $n rule add from all lookup main suppress_prefixlength 0 prio 102
  ip -n $n rule add to 198.18.11.0/24 unreachable prio 103
  ip -n $n rule add to 198.18.12.0/24 blackhole prio 104
  ip -n $n rule add to 198.18.13.0/24 prohibit prio 105
  ip -n $n rule add from 198.18.14.5 goto 32766 prio 106
  ip -n $n rule add ipproto tcp dport 3306 lookup 102 prio 107
  ip -n $n rule add iif d9 lookup 103 prio 108
  ip -n $n route add 198.18.20.0/24 via 198.18.9.254 dev d0 table 100 metric 50 proto static
  ip -n $n route add unreachable 198.18.21.0/24 table 100
  ip -n $n route add throw 198.18.22.0/24 table 100
  ip -n $n route add blackhole 198.18.23.0/24
  ip -n $n route add prohibit 198.18.24.0/24
  ip -n $n route add default via 198.18.9.254 dev d0 metric 100
  ip -n $n route add 198.18.25.0/24 dev d0 table 200 scope link src 198.18.9.1
  ip -n $n route add 198.18.26.0/24 dev d1 table 300
  ip -n $n route add 198.18.27.0/24 via 198.18.9.253 dev d0 onlink table 300
  record $n "$here/rules-variety"
}

eni
bridge
calico
variety
echo "generate.sh: wrote eni-healthy eni-route eni-nic bridge-single-nic calico-single-nic rules-variety"
