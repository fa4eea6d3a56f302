#!/usr/bin/env bash
# Regenerates every lab recording (as root), each from a real run of the lab:
#   tests/testdata/pcap/lab/<case>/      tcpdump on the node: any (Linux cooked v2), eth0, eth1, the pod veth
#   tests/testdata/node/lab-<state>/     the node's ip -j outputs and resolv.conf (healthy, nic, route)
#   samples/seed-incident/               the full incident as a bundle (captures/, nodes/, expect.yaml)
# Usage: sudo tests/lab/record.sh [CASE...]   (cases: healthy nic route cluster-dns slow-db wrong-dns incident
#                                               node; default: all)
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
lab="$root/tests/lab/lab.sh"
pcaps="$root/tests/testdata/pcap/lab"
nodes="$root/tests/testdata/node"
seed="$root/samples/seed-incident"
queries=13
slow_case_seconds=1.5      # slow-db case: every call 1.5 s (above the 1000 ms slow-query threshold)
slow_incident_seconds=2    # the incident: 13 calls x 2 s

[ "$(id -u)" = 0 ] || { echo "record.sh: needs root (ip netns)" >&2; exit 1; }
KT_LAB_PREFIX=$(printf 'kr%04x' $(( $$ & 0xffff )))
export KT_LAB_PREFIX KT_LAB_OWNER=$$
cap_pids=()
cleanup() {
  local p
  for p in "${cap_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  "$lab" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$lab" up >/dev/null
node="$KT_LAB_PREFIX-node"
veth=$(ip -n "$node" -o link | awk -F': ' '$2 ~ /^eni/ {sub(/@.*/, "", $2); print $2}')
lab_cmd() { echo "tests/lab/lab.sh $*"; "$lab" "$@" 2>/dev/null; }

# Starts tcpdump on each interface into DIR/<iface>.pcap and waits until all listen.
start_captures() {
  local dir=$1 ifc; shift
  mkdir -p "$dir"
  cap_pids=()
  for ifc in "$@"; do
    local extra=()
    [ "$ifc" = any ] && extra=(-y LINUX_SLL2)
    rm -f "$dir/$ifc.pcap"
    ip netns exec "$node" tcpdump -i "$ifc" -n -U --immediate-mode -B 16384 -Z root "${extra[@]}" -w "$dir/$ifc.pcap" \
      </dev/null >/dev/null 2>"$dir/.$ifc.log" &
    cap_pids+=($!)
  done
  for ifc in "$@"; do
    for _ in $(seq 100); do grep -q 'listening on' "$dir/.$ifc.log" && break; sleep 0.05; done
    grep -q 'listening on' "$dir/.$ifc.log" || { cat "$dir/.$ifc.log" >&2; exit 1; }
  done
}

# Stops the captures with SIGINT (tcpdump flushes and closes the file) and prints what each saw.
stop_captures() {
  local dir=$1 p f
  sleep 0.5   # trailing FINs and ACKs
  for p in "${cap_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${cap_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  cap_pids=()
  for f in "$dir"/.*.log; do
    printf '%s: %s, %s\n' "$(basename "$f" .log | cut -c2-)" "$(grep -o '[0-9]* packets captured' "$f")" \
      "$(grep -o '[0-9]* packets dropped by kernel' "$f")"
    rm -f "$f"
  done
}

# One capture case: inject faults, capture around one app run, heal. Writes DIR/README.md.
record_case() { # CASE DESCRIPTION INTERFACES -- LAB-ARGS-TO-INJECT...
  local name=$1 what=$2 ifaces=$3; shift 4
  local dir="$pcaps/$name" log
  echo "record.sh: $name" >&2
  log=$(mktemp)
  {
    "$lab" heal all >/dev/null 2>&1
    while [ $# -gt 0 ]; do
      if [ "$1" = slow-db ]; then lab_cmd inject slow-db "$2"; shift 2; else lab_cmd inject "$1"; shift; fi
    done
    # shellcheck disable=SC2086
    start_captures "$dir" $ifaces
    echo "tests/lab/lab.sh app $queries"
    "$lab" app "$queries" 2>&1 || true
    stop_captures "$dir"
    "$lab" heal all >/dev/null 2>&1
  } >"$log"
  write_case_readme "$dir" "$name" "$what" "$ifaces" "$log"
  rm -f "$log"
}

write_case_readme() { # DIR CASE DESCRIPTION INTERFACES LOG
  local dir=$1 name=$2 what=$3 ifaces=$4 log=$5 f
  {
    echo "# Lab recording: $name"
    echo
    echo "$what"
    echo
    echo "Recorded by \`tests/lab/record.sh\` on $(date -u +%Y-%m-%d) in the network-namespace lab"
    echo "(\`tests/lab/lab.sh\`, addresses in the README's lab section), with tcpdump $(tcpdump --version | awk 'NR==1 {print $3}')"
    echo "inside the node namespace, one tcpdump per interface, all started before the app and stopped with SIGINT"
    echo "after it: \`tcpdump -i IFACE -n -U --immediate-mode -B 16384 -Z root -w IFACE.pcap\` (plus \`-y LINUX_SLL2\`"
    echo "for \`any\`), no filter, full packets (the node's veths use GRO/GSO, so TCP segments can exceed the MTU)."
    echo "The pod is 198.18.1.20; its node-side veth is \`$veth\`."
    echo
    echo "| file | interface | link type | packets |"
    echo "|---|---|---|---|"
    for f in $ifaces; do
      [ -f "$dir/$f.pcap" ] || continue
      printf '| `%s.pcap` | %s | %s | %s |\n' "$f" "$f" \
        "$(capinfos -T -E "$dir/$f.pcap" 2>/dev/null | awk -F'\t' 'NR==2 {print $2}')" \
        "$(capinfos -T -c "$dir/$f.pcap" 2>/dev/null | awk -F'\t' 'NR==2 {print $2}')"
    done
    echo
    echo "Commands and the app's output during the recording:"
    echo
    echo '```'
    grep -v ' packets captured, ' "$log" | grep -v '^$' || true
    echo '```'
    echo
    echo "tcpdump's counts:"
    echo
    echo '```'
    grep ' packets captured, ' "$log" || true
    echo '```'
    echo
    echo "Licence: recorded for this project from its own lab; no third-party traffic."
  } >"$dir/README.md"
}

# The node's state as the node checks read it (file names as in the bundle layout of contract.md).
snapshot_node() { # DIR
  local dir=$1
  mkdir -p "$dir"
  ip -n "$node" -j addr >"$dir/ip-addr.json"
  ip -n "$node" -j link >"$dir/ip-link.json"
  ip -n "$node" -j rule >"$dir/ip-rule.json"
  ip -n "$node" -j route show table all >"$dir/ip-route.json"
  ip -n "$node" -j route get 198.18.2.20 from 198.18.1.20 iif "$veth" >"$dir/route-get-198.18.2.20.json"
  cp "/etc/netns/$node/resolv.conf" "$dir/resolv.conf"
  # ip prints no newline after its JSON; keep files text-friendly.
  for f in "$dir"/*.json; do [ -z "$(tail -c1 "$f")" ] || echo >>"$f"; done
}

record_node_state() { # STATE DESCRIPTION LAB-ARGS-TO-INJECT...
  local state=$1 what=$2 dir="$nodes/lab-$1"; shift 2
  echo "record.sh: node $state" >&2
  "$lab" heal all >/dev/null 2>&1
  local cmds=()
  while [ $# -gt 0 ]; do lab_cmd inject "$1" >/dev/null; cmds+=("tests/lab/lab.sh inject $1"); shift; done
  snapshot_node "$dir"
  "$lab" heal all >/dev/null 2>&1
  {
    echo "# Lab node state: $state"
    echo
    echo "$what"
    echo
    echo "Recorded by \`tests/lab/record.sh\` on $(date -u +%Y-%m-%d) in the lab's node namespace (iproute2 $(ip -V | grep -o 'iproute2-[0-9.]*' | cut -d- -f2))."
    echo "The node has \`eth0\` 198.18.0.10/24 (node subnet), \`eth1\` 198.18.1.10/24 (pod subnet, the elastic NIC,"
    echo "policy table 2) and the pod veth \`$veth\` to the pod 198.18.1.20."
    echo
    echo '```'
    [ ${#cmds[@]} -gt 0 ] && printf '%s\n' "${cmds[@]}"
    echo "ip -j addr > ip-addr.json"
    echo "ip -j link > ip-link.json"
    echo "ip -j rule > ip-rule.json"
    echo "ip -j route show table all > ip-route.json"
    echo "ip -j route get 198.18.2.20 from 198.18.1.20 iif $veth > route-get-198.18.2.20.json"
    echo "cp /etc/resolv.conf resolv.conf    # the node's, pointing at the upstream DNS servers"
    echo '```'
  } >"$dir/README.md"
}

record_incident() {
  local dir="$seed/captures" log
  echo "record.sh: incident" >&2
  log=$(mktemp)
  {
    "$lab" heal all >/dev/null 2>&1
    echo "# all four twists at once"
    lab_cmd inject cluster-dns
    lab_cmd inject route
    lab_cmd inject slow-db "$slow_incident_seconds"
    lab_cmd inject wrong-dns
    start_captures "$dir" any eth0 eth1 "$veth"
    echo "tests/lab/lab.sh app $queries"
    "$lab" app "$queries" 2>&1 || true
    echo "# the fixes of twists 1 and 2 (cluster DNS back, table 2 re-programmed); twists 3 and 4 remain"
    lab_cmd heal cluster-dns
    lab_cmd heal route
    echo "tests/lab/lab.sh app $queries"
    "$lab" app "$queries" 2>&1 || true
    stop_captures "$dir"
    "$lab" heal all >/dev/null 2>&1
  } >"$log"
  # The node as a collector would have found it during the outage: eth1 gone and table 2 empty.
  rm -rf "$seed/nodes"
  "$lab" inject nic 2>/dev/null
  "$lab" inject route 2>/dev/null
  snapshot_node "$seed/nodes/ip-198-18-0-10"
  "$lab" heal all >/dev/null 2>&1
  cp "$root/tests/lab/expect.yaml" "$seed/expect.yaml"
  # The same recording as a test case.
  mkdir -p "$pcaps/incident"
  cp "$dir"/*.pcap "$pcaps/incident/"
  write_case_readme "$pcaps/incident" incident \
    "The full incident: cluster DNS stopped, table 2 emptied, business_query() at ${slow_incident_seconds} s, the upstreams answering oss.example.com with the public-path address; then cluster DNS and table 2 healed while the slow database and the wrong DNS answer remain. Also shipped as samples/seed-incident." \
    "any eth0 eth1 $veth" "$log"
  write_seed_readme "$log"
  rm -f "$log" "$seed/.recording.log"
}

write_seed_readme() { # LOG
  local log=$1 c="samples/seed-incident/captures" f
  {
    echo "# seed-incident: the whole incident, recorded in the lab"
    echo
    echo '```bash'
    echo "./kubetriage capture $c/any.pcap $c/eth0.pcap $c/eth1.pcap $c/$veth.pcap --expect samples/seed-incident/expect.yaml"
    echo '```'
    echo
    echo "A bundle (the layout of the contract's \"Bundle layout\") recorded from the network-namespace lab by"
    echo "\`sudo tests/lab/record.sh incident\` on $(date -u +%Y-%m-%d). It reproduces, with real servers, the outage kubetriage"
    echo "exists for (one wave, four root causes found one after another): the app pod 198.18.1.20 on node 198.18.0.10 resolves example-api.com through cluster DNS"
    echo "198.18.2.10, runs $queries \`CALL business_query()\` on one MariaDB connection to 198.18.2.20:3306 and fetches"
    echo "http://oss.example.com/object.bin ($(( 204800 / 1024 )) KiB), whose name should resolve into the dedicated line 198.18.3.0/24."
    echo
    echo "| path | what |"
    echo "|---|---|"
    for f in any eth0 eth1 "$veth"; do
      printf '| `captures/%s.pcap` | tcpdump on the node, %s (%s, %s packets) |\n' "$f" \
        "$(case $f in any) echo 'all interfaces, Linux cooked v2';; eth0) echo 'eth0, the node subnet NIC';; eth1) echo 'eth1, the pod subnet NIC (table 2)';; *) echo 'the pod veth';; esac)" \
        "$(capinfos -T -E "$seed/captures/$f.pcap" 2>/dev/null | awk -F'\t' 'NR==2 {print $2}')" \
        "$(capinfos -T -c "$seed/captures/$f.pcap" 2>/dev/null | awk -F'\t' 'NR==2 {print $2}')"
    done
    echo "| \`nodes/ip-198-18-0-10/\` | the node during the outage: \`ip -j addr/link/rule/route show table all\`, \`ip -j route get 198.18.2.20 from 198.18.1.20 iif $veth\`, resolv.conf |"
    echo "| \`expect.yaml\` | what normal looks like (tests/lab/expect.yaml): the app's four peers, oss.example.com in 198.18.3.0/24 |"
    echo
    echo "## The four twists in this recording"
    echo
    echo "The capture spans two app runs. First, all four faults at once; then the fixes of twists 1 and 2 while"
    echo "twists 3 and 4 remain, the way the support team peeled the incident (but here in one recording):"
    echo
    echo "| twist | fault in the lab | what the captures show | findings to expect |"
    echo "|---|---|---|---|"
    echo "| 1 | cluster DNS stopped | queries from the pod to 198.18.2.10:53 without answers | \`dns.no-response\` |"
    echo "| 2 | table 2 emptied | pod-sourced packets leave through eth0 (eth1 has none), SYNs to 198.18.2.20:3306 without SYN-ACK; the node's route get says \`dev eth0\` | \`tcp.connect-no-reply\`, \`node.policy-route-missing\`, \`node.pod-egress-wrong-interface\` |"
    echo "| 3 | \`business_query()\` sleeps ${slow_incident_seconds} s | $queries queries of about ${slow_incident_seconds} s each on one connection | \`mysql.slow-query\` |"
    echo "| 4 | upstreams answer oss.example.com with 198.19.249.132 | the answer outside 198.18.3.0/24; the object over the slow public path | \`dns.unexpected-answer\`, \`dependency.slow\` |"
    echo
    echo "The node snapshot was taken with the \`nic\` fault as well (eth1 absent from the node, as on the cluster DNS"
    echo "node of twist 1), so it also shows \`node.nic-missing\`. There is no \`cluster/\` directory: the lab has no"
    echo "Kubernetes API server, and no \`sysfs/\`: the lab's NICs are veths, not PCI devices."
    echo
    echo "## How it was recorded"
    echo
    echo '```'
    grep -v ' packets captured, ' "$log" | grep -v '^$' || true
    echo '```'
    echo
    echo "tcpdump ran in the node namespace for the whole sequence (\`tcpdump -i IFACE -n -U --immediate-mode -B 16384 -Z root -w IFACE.pcap\`,"
    echo "\`-y LINUX_SLL2\` for \`any\`), and reported:"
    echo
    echo '```'
    grep ' packets captured, ' "$log" || true
    echo '```'
    echo
    echo "Regenerate with \`sudo tests/lab/record.sh incident\` (the same recording also lands in tests/testdata/pcap/lab/incident/)."
  } >"$seed/README.md"
}

want() { [ ${#cases[@]} = 0 ] || printf '%s\n' "${cases[@]}" | grep -qx "$1"; }
cases=("$@")
want healthy && record_case healthy "No fault: the app resolves example-api.com, runs $queries business_query() calls on one MariaDB connection and fetches oss.example.com/object.bin over the dedicated line." "any eth0 eth1 $veth" --
want nic && record_case nic "Fault nic: eth1 has vanished from the node (so table 2 is empty too); pod traffic leaves through eth0 and the VPC drops its TCP/UDP. eth1 cannot be captured: it is absent." "any eth0 $veth" -- nic
want route && record_case route "Fault route: table 2 is empty; pod traffic leaves through eth0 (eth1 sees none of it) and the VPC drops its TCP/UDP: DNS times out, SYNs to 198.18.2.20:3306 get no reply." "any eth0 eth1 $veth" -- route
want cluster-dns && record_case cluster-dns "Fault cluster-dns: the cluster DNS server 198.18.2.10 is stopped; the pod's queries are answered with ICMP port unreachable; the database works (by address)." "any eth0 eth1 $veth" -- cluster-dns
want slow-db && record_case slow-db "Fault slow-db: business_query() takes ${slow_case_seconds} s on the server; $queries calls on one connection." "any eth0 eth1 $veth" -- slow-db "$slow_case_seconds"
want wrong-dns && record_case wrong-dns "Fault wrong-dns: the upstreams answer oss.example.com with the public-path address 198.19.249.132; the object comes over the bandwidth-limited path." "any eth0 eth1 $veth" -- wrong-dns
if want node; then
  record_node_state healthy "No fault: eth1 present, table 2 holds the pod subnet's default route; pod egress resolves to eth1."
  record_node_state nic "Fault nic: eth1 is absent from the node (moved out of its namespace), so table 2 is empty and pod egress resolves to eth0." nic
  record_node_state route "Fault route: eth1 is present but table 2 is empty; pod egress resolves to eth0 through the main table." route
fi
want incident && record_incident
echo "record.sh: done" >&2
