#!/usr/bin/env bash
# Records the HTTP/2 and gRPC lab captures (as root): tests/testdata/pcap/h2c/grpc-h2c.pcap and grpc-h2c-late.pcap.
# Two network namespaces on one veth link, the client (the pod) 198.19.226.2 and the server 198.19.226.3;
# the server is tests/lab/h2/server.py (python3-h2) on port 50051; tcpdump runs on the client's NIC while
#   1. tests/lab/h2/grpc-client.py makes eight gRPC calls on one connection, all at once, with a 0.5 s deadline
#      (Get, Pay, Get, Track, Pay, Gone, Get, Slow: OK, UNAVAILABLE, OK, UNIMPLEMENTED, UNAVAILABLE, reset, OK,
#      cancelled: the server never answers Slow);
#   2. curl --http2-prior-knowledge asks for /health (503), then /ok (200);
# and, in grpc-h2c-late.pcap, a capture that joins a connection late: the client's first calls (Get, Pay) fill both
# sides' HPACK tables before tcpdump starts, then it makes four more on the same connection (Get, Pay, Track, Slow).
# Needs ip, tcpdump, curl and python3-h2. Addresses exist only in the namespaces this script makes and removes.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
out="$root/tests/testdata/pcap/h2c"
[ "$(id -u)" = 0 ] || { echo "record-h2.sh: needs root (ip netns)" >&2; exit 1; }
python=/usr/bin/python3
"$python" -c 'import h2.connection' 2>/dev/null || python=python3
client=198.19.226.2 server=198.19.226.3 authority=orders.shop.svc.cluster.local:50051
c="krh2c$$" s="krh2s$$"
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$c" 2>/dev/null || true
  ip netns del "$s" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$c"
ip netns add "$s"
ip -n "$c" link set lo up
ip -n "$s" link set lo up
ip link add c0 netns "$c" type veth peer name s0 netns "$s"
ip -n "$c" addr add "$client/24" dev c0
ip -n "$s" addr add "$server/24" dev s0
ip -n "$c" link set c0 up
ip -n "$s" link set s0 up

ip netns exec "$s" "$python" "$root/tests/lab/h2/server.py" "$server" & pids+=($!)
for _ in $(seq 50); do
  ip netns exec "$c" curl -sS -o /dev/null --http2-prior-knowledge --max-time 2 "http://$server:50051/ok" 2>/dev/null && break
  sleep 0.2
done

ip netns exec "$c" tcpdump -Z root --immediate-mode -i c0 -U -w "$work/grpc-h2c.pcap" 2>"$work/tcpdump.txt" & tcpdump=$!
pids+=("$tcpdump")
for _ in $(seq 50); do grep -q "listening on" "$work/tcpdump.txt" && break; sleep 0.1; done
statuses=$(ip netns exec "$c" "$python" "$root/tests/lab/h2/grpc-client.py" "$server" "$authority" 0.5 \
  /shop.Orders/Get /shop.Orders/Pay /shop.Orders/Get /shop.Orders/Track /shop.Orders/Pay /shop.Orders/Gone /shop.Orders/Get /shop.Orders/Slow)
health=$(ip netns exec "$c" curl -sS -o /dev/null -w '%{http_code}' --http2-prior-knowledge --max-time 5 "http://$server:50051/health")
ok=$(ip netns exec "$c" curl -sS -o /dev/null -w '%{http_code}' --http2-prior-knowledge --max-time 5 "http://$server:50051/ok")
sleep 0.5
kill -INT "$tcpdump"
wait "$tcpdump" 2>/dev/null || true

# The late join: the client waits (connection open) for the go file after its first two calls.
ip netns exec "$c" "$python" "$root/tests/lab/h2/grpc-client.py" "$server" "$authority" 0.5 /shop.Orders/Get /shop.Orders/Pay \
  --then "$work/go" /shop.Orders/Get /shop.Orders/Pay /shop.Orders/Track /shop.Orders/Slow >"$work/late.txt" & late=$!
pids+=("$late")
for _ in $(seq 200); do [ -e "$work/go.waiting" ] && break; sleep 0.05; done
ip netns exec "$c" tcpdump -Z root --immediate-mode -i c0 -U -w "$work/grpc-h2c-late.pcap" 2>"$work/tcpdump-late.txt" & tcpdump=$!
pids+=("$tcpdump")
for _ in $(seq 50); do grep -q "listening on" "$work/tcpdump-late.txt" && break; sleep 0.1; done
touch "$work/go"
wait "$late"
sleep 0.5
kill -INT "$tcpdump"
wait "$tcpdump" 2>/dev/null || true

mkdir -p "$out"
cp "$work/grpc-h2c.pcap" "$out/grpc-h2c.pcap"
cp "$work/grpc-h2c-late.pcap" "$out/grpc-h2c-late.pcap"
echo "gRPC statuses: $statuses; /health: $health; /ok: $ok"
tail -n 3 "$work/tcpdump.txt"
echo "late join, gRPC statuses: $(cat "$work/late.txt")"
tail -n 3 "$work/tcpdump-late.txt"
