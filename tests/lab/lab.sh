#!/usr/bin/env bash
# The kubetriage network-namespace lab: the incident's topology with real servers, and its faults.
#
#   lab.sh up                       build a lab (prints its prefix; later commands reuse it)
#   lab.sh down                     remove it: processes, namespaces, /etc/netns dirs, state dir
#   lab.sh inject FAULT [SECONDS]   nic | route | cluster-dns | slow-db SECONDS | wrong-dns
#   lab.sh heal FAULT|all           undo one fault (or all); idempotent like inject
#   lab.sh app [N]                  run the app in the pod: resolve, N database calls, fetch an object
#   lab.sh status                   namespaces, interfaces, processes and active faults
#   lab.sh exec NS CMD...           run CMD in one of the lab namespaces (node, pod, vpc, svc, oss, park)
#   lab.sh sweep                    remove labs whose owner process is gone
#   lab.sh list                     list the labs on this machine
#
# Every lab has a prefix (KT_LAB_PREFIX, at most 6 characters; default kt + 4 hex digits of this
# shell's pid) that names its namespaces <prefix>-node, -pod, -vpc, -svc, -oss and -park. Several labs
# run side by side: they share addresses but not namespaces. State (pidfiles, logs, the database,
# the served object) lives in $KT_LAB_STATE_ROOT/<prefix> (default /run/kubetriage-lab).
# When KT_LAB_OWNER=PID is set at `up`, the lab belongs to that process: a watchdog removes it when the
# process ends, and `sweep` removes it if the watchdog is gone too. Without an owner the lab stays until
# `down`. Needs root, iproute2, nftables, tc, dnsmasq, MariaDB, python3, curl, tcpdump.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

LAB_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
SELF="$LAB_DIR/lab.sh"
STATE_ROOT="${KT_LAB_STATE_ROOT:-/run/kubetriage-lab}"
PY=/usr/bin/python3

# Addresses (COMMON.md "Lab topology"; the C# LabAddresses mirrors these).
NODE_ETH0=198.18.0.10 NODE_GW=198.18.0.1
NODE_ETH1=198.18.1.10 POD_GW=198.18.1.1
POD_IP=198.18.1.20
CLUSTER_DNS=198.18.2.10 UPSTREAM1=198.18.2.11 UPSTREAM2=198.18.2.12 DB_IP=198.18.2.20 SVC_GW=198.18.2.1
OSS_DEDICATED=198.18.3.2 OSS_DEDICATED_GW=198.18.3.1
OSS_PUBLIC=198.19.249.132 OSS_PUBLIC_GW=198.19.249.1
API_IP=198.18.4.10
LAB_RANGE=198.18.0.0/15
POD_TABLE=2
OBJECT_BYTES=204800            # the object the app fetches
PUBLIC_RATE=800kbit            # public path: ~2 s for the object; the dedicated line is unshaped

# Exit codes callers (the C# fixture) rely on.
EXIT_NO_NETNS=3                # network namespaces cannot be created here (no privilege)
EXIT_PREFIX_TAKEN=4            # a lab with this prefix already exists

die() { echo "lab: $*" >&2; exit 1; }
log() { echo "lab[$P]: $*" >&2; }

valid_prefix() { [[ "$1" =~ ^[a-z][a-z0-9]{1,5}$ ]]; }

# Picks the prefix: KT_LAB_PREFIX, else (for `up`) a new kt<hex>, else the lab made by the last `up`.
resolve_prefix() {
  local cmd=$1
  if [ -n "${KT_LAB_PREFIX:-}" ]; then
    P=$KT_LAB_PREFIX
    valid_prefix "$P" || die "KT_LAB_PREFIX '$P' must be 2-6 characters [a-z0-9], starting with a letter"
  elif [ "$cmd" = up ]; then
    P=$(printf 'kt%04x' $(( $$ & 0xffff )))
    while [ -e "$STATE_ROOT/$P" ] || [ -e "/run/netns/$P-node" ]; do
      P=$(printf 'kt%04x' $(( RANDOM & 0xffff )))
    done
    REMEMBER_PREFIX=1
  elif [ -f "$STATE_ROOT/last" ]; then
    P=$(cat "$STATE_ROOT/last")
  else
    die "no lab: run 'lab.sh up' first or set KT_LAB_PREFIX"
  fi
  S="$STATE_ROOT/$P"
  NODE="$P-node" POD="$P-pod" VPC="$P-vpc" SVC="$P-svc" OSS="$P-oss" PARK="$P-park"
  ALL_NS=("$NODE" "$POD" "$VPC" "$SVC" "$OSS" "$PARK")
  # The pod's host-side veth, named like the VPC CNI names it: "eni" + 11 hex digits of a hash of the
  # pod's namespace and name. It lives inside the node namespace, so every lab can use the same name.
  VETH="eni$(printf '%s' "default.example-app" | sha1sum | cut -c1-11)"
}

need_root() { [ "$(id -u)" = 0 ] || die "needs root (ip netns); try: sudo $0 $*"; }

# One lock per lab, kept outside the state dir (down removes that). Children never inherit it.
lock_lab() { mkdir -p "$STATE_ROOT"; exec 9>"$STATE_ROOT/$P.lock"; flock 9; }

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
sysctl_ns() { in_ns "$1" sysctl -qw "$2=$3" >/dev/null; }

# Starts a long-running server in a namespace, detached, its output in logs/NAME.log, pid in pids/.
start_bg() {
  local name=$1 ns=$2; shift 2
  setsid ip netns exec "$ns" "$@" </dev/null >>"$S/logs/$name.log" 2>&1 9>&- &
  echo $! >"$S/pids/$name.pid"
}

# A zombie counts as gone: whoever inherits our daemons may reap them late.
pid_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Stops one pidfile's process: TERM, up to 5 s, then KILL.
stop_pidfile() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null || true)
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

wait_until() { # TIMEOUT_S DESCRIPTION CMD...
  local t=$1 what=$2; shift 2
  local end=$(( $(date +%s%N) + t * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$end" ] || { log "timed out waiting for $what"; return 1; }
    sleep 0.05
  done
}

tcp_open() { in_ns "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------- up

veth() { # NS_A IF_A NS_B IF_B [MAC_A]
  ip -n "$1" link add "$2" ${5:+address "$5"} type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

build_namespaces() {
  local ns
  for ns in "${ALL_NS[@]}"; do
    if ! ip netns add "$ns" 2>"$S/logs/netns.err"; then
      cat "$S/logs/netns.err" >&2
      return $EXIT_NO_NETNS
    fi
    ip -n "$ns" link set lo up
    sysctl_ns "$ns" net.ipv4.conf.all.rp_filter 0
    sysctl_ns "$ns" net.ipv4.conf.default.rp_filter 0
    sysctl_ns "$ns" net.ipv6.conf.all.disable_ipv6 1
    sysctl_ns "$ns" net.ipv6.conf.default.disable_ipv6 1
  done
}

build_vpc() {
  # Node links: eth0 in the node subnet, eth1 (the elastic NIC) in the pod subnet.
  veth "$NODE" eth0 "$VPC" node0 02:00:c6:12:00:0a
  veth "$NODE" eth1 "$VPC" node1 02:00:c6:12:01:0a
  veth "$VPC" svc0 "$SVC" eth0
  veth "$VPC" oss0 "$OSS" eth0
  veth "$VPC" oss1 "$OSS" eth1
  ip -n "$VPC" addr add "$NODE_GW/24" dev node0
  ip -n "$VPC" addr add "$POD_GW/24" dev node1
  ip -n "$VPC" addr add "$SVC_GW/24" dev svc0
  ip -n "$VPC" addr add "$OSS_DEDICATED_GW/24" dev oss0
  ip -n "$VPC" addr add "$OSS_PUBLIC_GW/24" dev oss1
  # The VPC knows the pod address lives on the node's elastic NIC.
  ip -n "$VPC" route add "$POD_IP/32" via "$NODE_ETH1" dev node1
  ip -n "$VPC" route add "$API_IP/32" via "$OSS_DEDICATED" dev oss0
  sysctl_ns "$VPC" net.ipv4.ip_forward 1
  # The SDN's path check: TCP/UDP from a pod-subnet source entering through the node-subnet link is
  # dropped; ICMP passes (the SDN answers it), which is why ping works while TCP does not.
  in_ns "$VPC" nft -f - <<EOF
table inet vpc {
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "node0" ip saddr 198.18.1.0/24 meta l4proto { tcp, udp } counter drop comment "source/path mismatch"
  }
}
EOF
}

program_table2() {
  ip -n "$NODE" route replace "$POD_GW" dev eth1 scope link table "$POD_TABLE"
  ip -n "$NODE" route replace default via "$POD_GW" dev eth1 table "$POD_TABLE"
}

configure_eth1() {
  ip -n "$NODE" addr replace "$NODE_ETH1/24" dev eth1
  ip -n "$NODE" link set eth1 up
}

build_node_and_pod() {
  ip -n "$NODE" addr add "$NODE_ETH0/24" dev eth0
  configure_eth1
  ip -n "$NODE" route add default via "$NODE_GW" dev eth0
  sysctl_ns "$NODE" net.ipv4.ip_forward 1
  # Pod veth, as the VPC CNI plumbs it.
  ip -n "$NODE" link add "$VETH" type veth peer name eth0 netns "$POD"
  ip -n "$NODE" link set "$VETH" up
  ip -n "$POD" link set eth0 up
  sysctl_ns "$NODE" "net.ipv4.conf.$VETH.proxy_arp" 1
  sysctl_ns "$NODE" "net.ipv4.neigh.$VETH.proxy_delay" 0
  sysctl_ns "$NODE" "net.ipv4.conf.$VETH.rp_filter" 0
  ip -n "$NODE" route add "$POD_IP" dev "$VETH" scope link
  ip -n "$NODE" rule add from all to "$POD_IP" lookup main prio 512
  ip -n "$NODE" rule add from "$POD_IP" lookup "$POD_TABLE" prio 1536
  program_table2
  ip -n "$POD" addr add "$POD_IP/32" dev eth0
  ip -n "$POD" route add 169.254.1.1 dev eth0 scope link
  ip -n "$POD" route add default via 169.254.1.1 dev eth0 onlink
  # Like the CNI, a permanent neighbour entry for the gateway (the veth's MAC) so the first packet does not
  # wait for (randomly delayed) proxy ARP.
  local mac; mac=$(ip -n "$NODE" -o link show "$VETH" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
  ip -n "$POD" neigh replace 169.254.1.1 dev eth0 lladdr "$mac" nud permanent
  mkdir -p "/etc/netns/$POD" "/etc/netns/$NODE"
  printf 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver %s\noptions ndots:5\n' \
    "$CLUSTER_DNS" >"/etc/netns/$POD/resolv.conf"
  printf 'nameserver %s\nnameserver %s\n' "$UPSTREAM1" "$UPSTREAM2" >"/etc/netns/$NODE/resolv.conf"
}

build_services() {
  local a
  ip -n "$SVC" addr add "$CLUSTER_DNS/24" dev eth0
  for a in "$UPSTREAM1" "$UPSTREAM2" "$DB_IP"; do ip -n "$SVC" addr add "$a/24" dev eth0; done
  ip -n "$SVC" route add "$LAB_RANGE" via "$SVC_GW" dev eth0
  ip -n "$OSS" addr add "$OSS_DEDICATED/24" dev eth0
  ip -n "$OSS" addr add "$OSS_PUBLIC/24" dev eth1
  ip -n "$OSS" addr add "$API_IP/32" dev lo
  ip -n "$OSS" route add "$LAB_RANGE" via "$OSS_DEDICATED_GW" dev eth0
  # Answers from the public address go back over the public path.
  ip -n "$OSS" rule add from "$OSS_PUBLIC" lookup 10 prio 100
  ip -n "$OSS" route add "$LAB_RANGE" via "$OSS_PUBLIC_GW" dev eth1 table 10
  in_ns "$OSS" tc qdisc add dev eth1 root tbf rate "$PUBLIC_RATE" burst 16kb latency 300ms
}

# ------------------------------------------------------------------------------------------- DNS

write_upstream_hosts() { # OSS_ADDRESS
  printf '%s example-api.com\n%s oss.example.com\n' "$API_IP" "$1" >"$S/dns/upstream.hosts.new"
  mv "$S/dns/upstream.hosts.new" "$S/dns/upstream.hosts"
}

start_upstream() { # N ADDRESS
  in_ns "$SVC" dnsmasq --conf-file=/dev/null --user=root --group=root \
    --pid-file="$S/pids/dns-upstream$1.pid" --log-facility="$S/logs/dns-upstream$1.log" --log-queries \
    --bind-interfaces --listen-address="$2" --port=53 \
    --no-resolv --no-hosts --addn-hosts="$S/dns/upstream.hosts" --local-ttl=30 \
    --local=/example.com/ --local=/example-api.com/ \
    </dev/null >>"$S/logs/dns-upstream$1.out" 2>&1 9>&-
}

cluster_dns_running() { pid_alive "$(cat "$S/pids/dns-cluster.pid" 2>/dev/null || true)"; }

start_cluster_dns() {
  cluster_dns_running && return 0
  # Stands in for CoreDNS: answers cluster.local itself, forwards the rest to both upstreams.
  in_ns "$SVC" dnsmasq --conf-file=/dev/null --user=root --group=root \
    --pid-file="$S/pids/dns-cluster.pid" --log-facility="$S/logs/dns-cluster.log" --log-queries \
    --bind-interfaces --listen-address="$CLUSTER_DNS" --port=53 \
    --no-resolv --no-hosts --server="$UPSTREAM1" --server="$UPSTREAM2" --all-servers \
    --cache-size=0 --local=/cluster.local/ \
    --host-record="kube-dns.kube-system.svc.cluster.local,$CLUSTER_DNS" \
    </dev/null >>"$S/logs/dns-cluster.out" 2>&1 9>&-
}

dns_answers() { # RESOLVER NAME  (asked inside the services namespace: never seen by captures on the node)
  in_ns "$SVC" "$PY" - "$1" "$2" <<'EOF'
import socket, struct, sys
server, name = sys.argv[1], sys.argv[2]
q = struct.pack(">HHHHHH", 0x6b74, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1); s.sendto(q, (server, 53))
r = s.recv(512)
sys.exit(0 if struct.unpack(">H", r[6:8])[0] > 0 else 1)
EOF
}

# ------------------------------------------------------------------------------------------ MariaDB

db_sql() { mariadb --no-defaults --socket="$S/mysql.sock" -u root "$@"; }

business_query_sql() { # [SLEEP_SECONDS]
  local sleep=${1:-}
  cat <<EOF
CREATE OR REPLACE DEFINER='root'@'localhost' PROCEDURE shop.business_query()
  SQL SECURITY DEFINER
BEGIN
  ${sleep:+DO SLEEP($sleep);}
  SELECT c.city, COUNT(*) AS orders, SUM(o.amount) AS revenue
    FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id
   WHERE o.created >= DATE '2024-06-01'
   GROUP BY c.city ORDER BY revenue DESC LIMIT 5;
END
EOF
}

mariadb_opts=(--no-defaults --user=root --innodb-buffer-pool-size=16M --innodb-log-file-size=8M
  --skip-log-bin --performance-schema=0 --skip-name-resolve)

# The database's files. mariadb-install-db takes seconds on a busy machine, so its output is kept once per
# MariaDB version and options in $STATE_ROOT/.template-<hash>/ and copied (needs no network: runs while the
# namespaces are wired).
init_mariadb() {
  local key tpl tmp
  key=$(printf '%s %s' "$(mariadbd --version)" "${mariadb_opts[*]}" | sha1sum | cut -c1-12)
  tpl="$STATE_ROOT/.template-$key"
  if [ ! -d "$tpl/db" ]; then
    tmp=$(mktemp -d "$STATE_ROOT/.template-tmp.XXXXXX")
    mariadb-install-db "${mariadb_opts[@]}" --datadir="$tmp/db" --auth-root-authentication-method=socket \
      --skip-test-db >"$S/logs/mariadb-install.log" 2>&1 9>&- \
      || { cat "$S/logs/mariadb-install.log" >&2; rm -rf "$tmp"; return 1; }
    mv -T "$tmp" "$tpl" 2>/dev/null || rm -rf "$tmp"   # another lab may have won the race: theirs is as good
  fi
  cp -a "$tpl/db" "$S/db"
}

start_mariadb() {
  start_bg mariadb "$SVC" mariadbd "${mariadb_opts[@]}" --datadir="$S/db" --socket="$S/mysql.sock" \
    --pid-file="$S/mariadbd.pid" --bind-address="$DB_IP" --port=3306 --skip-ssl \
    --log-error="$S/logs/mariadb.err" --slow-query-log=1 --slow-query-log-file="$S/logs/mariadb-slow.log" \
    --long-query-time=1 --max-connections=50
  wait_until 30 "MariaDB" db_sql -e "SELECT 1" || { tail -20 "$S/logs/mariadb.err" >&2; return 1; }
  db_sql <<EOF
CREATE DATABASE shop;
USE shop;
CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, city VARCHAR(40) NOT NULL);
CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL,
  amount DECIMAL(10,2) NOT NULL, created DATE NOT NULL, INDEX (customer_id), INDEX (created));
INSERT INTO shop.customers
  SELECT seq, CONCAT('customer-', seq), ELT(1 + seq % 6, 'Hangzhou', 'Beijing', 'Shanghai', 'Shenzhen', 'Chengdu', 'Wuhan')
  FROM seq_1_to_40;
INSERT INTO shop.orders (customer_id, amount, created)
  SELECT 1 + seq % 40, (seq * 37) % 500 + 0.99, DATE '2024-01-01' + INTERVAL seq % 366 DAY FROM seq_1_to_5000;
CREATE USER 'app'@'%' IDENTIFIED BY 'app';
GRANT SELECT, EXECUTE ON shop.* TO 'app'@'%';
EOF
  set_business_query
}

set_business_query() { # [SLEEP_SECONDS]
  printf 'DELIMITER //\n%s\n//\n' "$(business_query_sql "${1:-}")" | db_sql
}

# ------------------------------------------------------------------------------------- object store

start_object_store() {
  mkdir -p "$S/www"
  "$PY" -c "import sys; b = b''.join(b'kubetriage lab object %08d\n' % i for i in range($OBJECT_BYTES // 31 + 1)); sys.stdout.buffer.write(b[:$OBJECT_BYTES])" >"$S/www/object.bin"
  printf '{"status":"ok"}\n' >"$S/www/health"
  start_bg http "$OSS" "$PY" -I -S -m http.server 80 --bind 0.0.0.0 --directory "$S/www"
  wait_until 15 "the object store" tcp_open "$OSS" "$OSS_DEDICATED" 80
}

# ------------------------------------------------------------------------------------------ owner

proc_start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }

owner_alive() { # reads $S/owner: "PID STARTTIME" (PID 0: no owner, kept until down)
  local pid start
  read -r pid start <"$S/owner" 2>/dev/null || return 1
  [ "$pid" = 0 ] && return 0
  [ -n "$start" ] && pid_alive "$pid" && [ "$(proc_start_time "$pid")" = "$start" ]
}

watchdog() {
  while owner_alive; do sleep 1; done
  KT_LAB_IN_WATCHDOG=1 "$SELF" down >>"$STATE_ROOT/$P.watchdog.log" 2>&1 || true
}

cmd_up() {
  need_root up
  cmd_sweep >/dev/null 2>&1 || true
  mkdir -p "$STATE_ROOT"
  mkdir "$S" 2>/dev/null || { echo "lab: a lab named $P already exists ($S)" >&2; exit $EXIT_PREFIX_TAKEN; }
  lock_lab
  local owner=${KT_LAB_OWNER:-0} start=""
  [ "$owner" != 0 ] && start=$(proc_start_time "$owner")
  echo "$owner $start" >"$S/owner"
  mkdir -p "$S/pids" "$S/logs" "$S/dns" "$S/faults"
  local t0; t0=$(date +%s%N)
  trap 'rc=$?; if [ $rc != 0 ]; then log "up failed, removing the lab"; exec 9>&-; KT_LAB_PREFIX=$P "$SELF" down >&2 || true; fi; exit $rc' EXIT
  local rc=0
  build_namespaces || rc=$?
  if [ $rc != 0 ]; then echo "lab: cannot create network namespaces (root with CAP_SYS_ADMIN needed)" >&2; exit $rc; fi
  # The slow starts (the database's files, python) overlap with the wiring.
  init_mariadb &
  local db_init=$!
  build_vpc
  build_services
  start_object_store &
  local oss_start=$!
  build_node_and_pod
  write_upstream_hosts "$OSS_DEDICATED"
  start_upstream 1 "$UPSTREAM1"
  start_upstream 2 "$UPSTREAM2"
  start_cluster_dns
  wait $db_init
  start_mariadb
  wait $oss_start
  wait_until 10 "cluster DNS" dns_answers "$CLUSTER_DNS" oss.example.com
  if [ "$owner" != 0 ]; then
    setsid "$SELF" _watchdog </dev/null >/dev/null 2>&1 9>&- &
    echo $! >"$S/pids/watchdog.pid"
  fi
  [ "${REMEMBER_PREFIX:-0}" = 1 ] && echo "$P" >"$STATE_ROOT/last"
  trap - EXIT
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "up in ${ms} ms: namespaces ${ALL_NS[*]}; use it with: export KT_LAB_PREFIX=$P"
  printf 'prefix=%s\nveth=%s\nstate=%s\n' "$P" "$VETH" "$S"
}

# -------------------------------------------------------------------------------------------- down

cmd_down() {
  need_root down
  lock_lab
  local f ns pid
  if [ -z "${KT_LAB_IN_WATCHDOG:-}" ]; then stop_pidfile "$S/pids/watchdog.pid"; fi
  for f in "$S"/pids/*.pid; do
    [ -e "$f" ] || continue
    case "$f" in */watchdog.pid) continue ;; esac
    stop_pidfile "$f"
  done
  # Anything else still running inside the lab's namespaces (a tcpdump, an app run).
  for ns in "${ALL_NS[@]}"; do
    [ -e "/run/netns/$ns" ] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
  done
  for ns in "${ALL_NS[@]}"; do
    [ -e "/run/netns/$ns" ] || continue
    for _ in $(seq 30); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  for ns in "${ALL_NS[@]}"; do rm -rf "/etc/netns/${ns:?}"; done
  rm -rf "${S:?}"
  rm -f "$STATE_ROOT/$P.lock" "$STATE_ROOT/$P.watchdog.log"
  if [ -f "$STATE_ROOT/last" ] && [ "$(cat "$STATE_ROOT/last")" = "$P" ]; then rm -f "$STATE_ROOT/last"; fi
  log "down"
}

cmd_sweep() {
  need_root sweep
  local d
  [ -d "$STATE_ROOT" ] || return 0
  for d in "$STATE_ROOT"/*/; do
    [ -d "$d" ] || continue
    local p; p=$(basename "$d")
    valid_prefix "$p" || continue
    ( KT_LAB_PREFIX=$p; resolve_prefix sweep
      if ! owner_alive; then
        # A lab whose owner pid file is still being written is less than a second old: leave it.
        [ -f "$S/owner" ] || [ "$(( $(date +%s) - $(stat -c %Y "$S") ))" -gt 60 ] || exit 0
        echo "lab: sweeping stale lab $P"
        KT_LAB_PREFIX=$P "$SELF" down
      fi )
  done
}

cmd_list() {
  local d
  for d in "$STATE_ROOT"/*/; do
    [ -d "$d" ] || continue
    local p; p=$(basename "$d")
    ( KT_LAB_PREFIX=$p; resolve_prefix list
      local state=stale; owner_alive && state=live
      echo "$P $state owner=$(cut -d' ' -f1 "$S/owner" 2>/dev/null) faults=$(ls "$S/faults" 2>/dev/null | tr '\n' ' ')" )
  done
}

# ------------------------------------------------------------------------------------------ faults

fault_on() { : >"$S/faults/$1"; }
fault_off() { rm -f "$S/faults/$1"; }
fault_active() { [ -e "$S/faults/$1" ]; }

eth1_present() { ip -n "$NODE" link show eth1 >/dev/null 2>&1; }

reload_dns() {
  local f pid
  for f in dns-upstream1 dns-upstream2 dns-cluster; do
    pid=$(cat "$S/pids/$f.pid" 2>/dev/null || true)
    pid_alive "$pid" && kill -HUP "$pid"
  done
  return 0
}

inject() {
  local fault=$1 arg=${2:-}
  case "$fault" in
    nic)
      # eth1 leaves the node's OS (parked in another namespace): its addresses and routes go with it.
      if eth1_present; then ip -n "$NODE" link set eth1 netns "$PARK"; fi
      fault_on nic ;;
    route)
      ip -n "$NODE" route flush table "$POD_TABLE" 2>/dev/null || true
      fault_on route ;;
    cluster-dns)
      stop_pidfile "$S/pids/dns-cluster.pid"
      fault_on cluster-dns ;;
    slow-db)
      [[ "$arg" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "slow-db needs SECONDS (e.g. slow-db 4)"
      set_business_query "$arg"
      echo "$arg" >"$S/faults/slow-db" ;;
    wrong-dns)
      write_upstream_hosts "$OSS_PUBLIC"
      reload_dns
      fault_on wrong-dns ;;
    *) die "unknown fault '$fault' (nic, route, cluster-dns, slow-db SECONDS, wrong-dns)" ;;
  esac
}

heal() {
  case "$1" in
    nic)
      if ! eth1_present; then ip -n "$PARK" link set eth1 netns "$NODE"; fi
      configure_eth1
      fault_off nic
      fault_active route || program_table2 ;;
    route)
      fault_off route
      eth1_present && program_table2
      true ;;
    cluster-dns)
      start_cluster_dns
      wait_until 10 "cluster DNS" dns_answers "$CLUSTER_DNS" oss.example.com
      fault_off cluster-dns ;;
    slow-db)
      set_business_query
      fault_off slow-db ;;
    wrong-dns)
      write_upstream_hosts "$OSS_DEDICATED"
      reload_dns
      fault_off wrong-dns ;;
    all)
      local f
      for f in wrong-dns slow-db cluster-dns nic route; do heal "$f"; done ;;
    *) die "unknown fault '$1' (nic, route, cluster-dns, slow-db, wrong-dns, all)" ;;
  esac
}

require_lab() { [ -d "$S" ] && [ -e "/run/netns/$NODE" ] || die "lab $P is not up"; }

# --------------------------------------------------------------------------------------------- app

# Runs inside the pod's namespace (its resolv.conf is the ClusterFirst one).
app() {
  local n=${1:-13} failed=() t0 t out rc ip
  [[ "$n" =~ ^[0-9]+$ ]] || die "app needs a query count"
  # Seconds since a $EPOCHREALTIME reading, with millisecond precision, in pure bash.
  elapsed() { local us=$(( ${EPOCHREALTIME/./} - ${1/./} )); printf '%d.%03d' $(( us / 1000000 )) $(( us / 1000 % 1000 )); }
  local start=$EPOCHREALTIME

  t0=$EPOCHREALTIME
  if out=$(timeout 4 getent ahostsv4 example-api.com 2>&1); then
    ip=$(awk 'NR==1 {print $1}' <<<"$out")
    echo "api-dns: ok example-api.com -> $ip ($(elapsed "$t0") s)"
  else
    echo "api-dns: FAIL example-api.com did not resolve through $(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf) ($(elapsed "$t0") s)"
    failed+=(api-dns)
  fi

  t0=$EPOCHREALTIME
  local sql="" i
  for ((i = 0; i < n; i++)); do sql+="CALL business_query();"$'\n'; done
  rc=0
  out=$(MYSQL_PWD=app timeout $(( 10 + n * 120 )) mariadb --no-defaults --protocol=TCP -h "$DB_IP" -P 3306 \
        -u app --connect-timeout=3 --skip-ssl -D shop --batch -vvv <<<"$sql" 2>&1) || rc=$?
  local done_q times
  done_q=$(grep -c 'rows\? in set' <<<"$out" || true)
  times=$(grep -o 'rows\? in set ([0-9.]* sec)' <<<"$out" | grep -o '[0-9.]* sec' | cut -d' ' -f1 | tr '\n' ' ' || true)
  if [ "$rc" = 0 ] && [ "$done_q" = "$n" ]; then
    echo "db: ok $done_q/$n queries to $DB_IP:3306 on one connection ($(elapsed "$t0") s) times: ${times% }"
  else
    echo "db: FAIL $done_q/$n queries to $DB_IP:3306 ($(elapsed "$t0") s): $(grep -m1 -i 'error' <<<"$out" || echo "exit $rc")"
    failed+=(db)
  fi

  t0=$EPOCHREALTIME
  rc=0
  out=$(timeout 30 curl -sS -o /dev/null --connect-timeout 4 --max-time 25 \
        -w '%{http_code} %{size_download} %{remote_ip}' http://oss.example.com/object.bin 2>&1) || rc=$?
  if [ "$rc" = 0 ] && [ "${out%% *}" = 200 ]; then
    read -r code bytes ip <<<"$out"
    echo "oss: ok GET http://oss.example.com/object.bin from $ip: $code, $bytes bytes ($(elapsed "$t0") s)"
  else
    echo "oss: FAIL GET http://oss.example.com/object.bin: $(grep -m1 '^curl:' <<<"$out" || echo "HTTP ${out%% *}") ($(elapsed "$t0") s)"
    failed+=(oss)
  fi

  if [ ${#failed[@]} = 0 ]; then
    echo "app: ok ($(elapsed "$start") s)"
  else
    echo "app: FAILED ${failed[*]} ($(elapsed "$start") s)"
    return 1
  fi
}

# ------------------------------------------------------------------------------------------ status

cmd_status() {
  require_lab
  echo "lab $P (state $S, owner $(cat "$S/owner"))"
  echo "faults: $(for f in "$S"/faults/*; do [ -e "$f" ] && printf '%s%s ' "$(basename "$f")" "$([ -s "$f" ] && printf '=%s' "$(cat "$f")")"; done)"
  local f pid
  for f in "$S"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); printf 'process %-14s pid %-7s %s\n' "$(basename "$f" .pid)" "$pid" "$(pid_alive "$pid" && echo running || echo dead)"
  done
  echo "--- $NODE: links"; ip -n "$NODE" -br link
  echo "--- $NODE: addresses"; ip -n "$NODE" -br -4 addr
  echo "--- $NODE: rules"; ip -n "$NODE" rule
  echo "--- $NODE: table $POD_TABLE"; ip -n "$NODE" route show table "$POD_TABLE"
  echo "--- $NODE: main"; ip -n "$NODE" route
  echo "--- $VPC: nft drops"; in_ns "$VPC" nft list chain inet vpc forward | grep -o 'counter packets [0-9]* bytes [0-9]*' || true
}

# -------------------------------------------------------------------------------------------- main

main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || { sed -n '2,20p' "$SELF" | sed 's/^# \{0,1\}//'; exit 2; }
  shift
  case "$cmd" in
    -h|--help|help) sed -n '2,20p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
  if [ "$cmd" = sweep ] || [ "$cmd" = list ]; then
    if [ "$cmd" = sweep ]; then cmd_sweep; else cmd_list; fi
    exit 0
  fi
  resolve_prefix "$cmd"
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    inject) need_root inject; require_lab; lock_lab; [ $# -ge 1 ] || die "inject FAULT [SECONDS]"; inject "$@"; log "injected $*" ;;
    heal) need_root heal; require_lab; lock_lab; [ $# -ge 1 ] || die "heal FAULT|all"; heal "$1"; log "healed $1" ;;
    app) need_root app; require_lab; export KT_LAB_PREFIX=$P; exec ip netns exec "$POD" "$SELF" _app "${1:-13}" 9>&- ;;
    _app) app "$@" ;;
    _watchdog) watchdog ;;
    status) need_root status; cmd_status ;;
    exec) need_root exec; require_lab; [ $# -ge 2 ] || die "exec NS CMD..."
          local ns=$1; shift; exec ip netns exec "$P-$ns" "$@" ;;
    env) echo "export KT_LAB_PREFIX=$P" ;;
    *) die "unknown command '$cmd' (up, down, inject, heal, app, status, exec, sweep, list)" ;;
  esac
}

main "$@"
