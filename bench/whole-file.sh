#!/usr/bin/env bash
# Whole-file throughput: kubetriage against tshark on one generated capture, in one run.
#
#   bench/whole-file.sh [SIZE_MB] [--no-tshark] [--runs N]
#
# Generates (once, deterministically) bench/out/traffic-SIZE_MB.pcap: node-side pod traffic with many small
# packets (MySQL connections with queries and result sets, DNS lookups, unanswered SYNs), then times
#   1. kubetriage: `./kubetriage capture FILE --format json -o /dev/null` (dissectors, analyzers, report),
#      the engine with the DNS/MySQL/HTTP/TLS dissectors into a counting sink (`whole-file FILE --dissect`),
#      and the engine alone with a counting sink and no dissectors (`KubeTriage.Benchmarks whole-file FILE`),
#      cold (one process, one run) and in steady state (best of 5 more runs in the same process);
#   2. `tshark -q -z conv,tcp -r FILE` (the TCP conversation table);
#   3. `tshark -r FILE -T fields -e mysql.query -e dns.qry.name` (MySQL/DNS field extraction);
# each under /usr/bin/time -v for elapsed time and peak RSS, and prints a table. Needs tshark (Debian package).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
size_mb=520
with_tshark=1
runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-tshark) with_tshark=0 ;;
    --runs) runs="$2"; shift ;;
    *) size_mb="$1" ;;
  esac
  shift
done
out="$root/bench/out"
mkdir -p "$out"
file="$out/traffic-${size_mb}.pcap"

echo "building benchmarks (Release)..." >&2
dotnet build "$root/bench/KubeTriage.Benchmarks/KubeTriage.Benchmarks.csproj" -c Release -nologo -v q -tl:off >&2
bench_dll="$root/artifacts/bin/KubeTriage.Benchmarks/release/KubeTriage.Benchmarks.dll"

if [ ! -f "$file" ]; then
  echo "generating $file..." >&2
  dotnet "$bench_dll" generate "$file" "$size_mb" >&2
fi

bytes=$(stat -c %s "$file")
# Packet count from the engine itself (one quick pass), used for packets/s of every tool.
packets=$(dotnet "$bench_dll" whole-file "$file" | sed -n 's/.* packets=\([0-9]*\).*/\1/p')

have_cli=0
if ( "$root/kubetriage" capture --help ) >/dev/null 2>&1; then
  have_cli=1
fi

# run NAME CMD...: runs CMD --runs times and prints the fastest run as "NAME|seconds|cpu seconds|peak RSS kB"
# (a shared machine's neighbours only ever slow a run down, so the fastest is the steadiest figure).
run() {
  local best="" row
  for _ in $(seq "$runs"); do
    row=$(run_once "$@")
    if [ -z "$best" ] || awk -v a="$(echo "$row" | cut -d'|' -f2)" -v b="$(echo "$best" | cut -d'|' -f2)" 'BEGIN { exit !(a < b) }'; then
      best="$row"
    fi
  done
  echo "$best"
}

# run_once NAME CMD...: times CMD with /usr/bin/time -v, prints "NAME|seconds|cpu seconds|peak RSS kB"
run_once() {
  local name="$1"; shift
  local log="$out/time-$$.txt"
  local status=0
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$out/stderr-$$.txt" || status=$?
  # kubetriage exits 1 when it has findings: that is a result, not a failure.
  if [ "$status" -gt 1 ]; then
    echo "$name failed (exit $status):" >&2
    tail -5 "$out/stderr-$$.txt" >&2
    exit 1
  fi
  local elapsed rss cpu
  elapsed=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { sum += $2 } END { print sum }' "$log")
  rm -f "$log" "$out/stderr-$$.txt"
  echo "$name|$elapsed|$cpu|$rss"
}

results=()
if [ "$have_cli" = 1 ]; then
  results+=("$(run "kubetriage capture --format json" "$root/kubetriage" capture "$file" --format json -o /dev/null)")
fi
results+=("$(run "capture engine + dissectors (counting sink)" dotnet "$bench_dll" whole-file "$file" --dissect)")
results+=("$(run "capture engine only (counting sink)" dotnet "$bench_dll" whole-file "$file")")
if [ "$with_tshark" = 1 ]; then
  results+=("$(run "tshark -q -z conv,tcp" tshark -q -z conv,tcp -r "$file")")
  results+=("$(run "tshark -T fields mysql.query dns.qry.name" tshark -r "$file" -T fields -e mysql.query -e dns.qry.name)")
fi

base=$(echo "${results[0]}" | cut -d'|' -f2)
echo
echo "file: $(basename "$file"), $((bytes / 1000000)) MB, $packets packets; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); fastest of $runs run(s) each"
echo
base_cpu=$(echo "${results[0]}" | cut -d'|' -f3)
printf "| %-44s | %8s | %8s | %8s | %10s | %9s | %12s | %12s |\n" "tool" "wall s" "CPU s" "MB/s" "packets/s" "peak MB" "x (wall)" "x (CPU)"
printf "|%s|%s|%s|%s|%s|%s|%s|%s|\n" "----------------------------------------------" "---------:" "---------:" "---------:" "-----------:" "----------:" "-------------:" "-------------:"
for row in "${results[@]}"; do
  IFS='|' read -r name seconds cpu rss <<<"$row"
  awk -v n="$name" -v s="$seconds" -v c="$cpu" -v r="$rss" -v b="$bytes" -v p="$packets" -v k="$base" -v kc="$base_cpu" 'BEGIN {
    if (s <= 0) s = 0.01; if (c <= 0) c = 0.01;
    printf "| %-44s | %8.2f | %8.2f | %8.0f | %10.0f | %9.0f | %11.1fx | %11.1fx |\n", n, s, c, b / s / 1e6, p / s, r / 1024, s / k, c / kc }'
done
echo
echo "MB/s and packets/s are per wall-clock second; x = how many times longer the tool took than the first row."
# Steady state: the engine's hot path once compiled, best of 5 more runs in one process (the file is in the page cache).
warm=$(dotnet "$bench_dll" whole-file "$file" --warm 5 | sed -n 's/^warm runs=\([0-9]*\) bestSeconds=\([0-9.]*\) MBps=\([0-9]*\) pps=\([0-9]*\)$/\2 s, \3 MB\/s, \4 packets\/s (best of \1)/p')
echo "capture engine only, steady state: $warm"
warm=$(dotnet "$bench_dll" whole-file "$file" --dissect --warm 5 | sed -n 's/^warm runs=\([0-9]*\) bestSeconds=\([0-9.]*\) MBps=\([0-9]*\) pps=\([0-9]*\)$/\2 s, \3 MB\/s, \4 packets\/s (best of \1)/p')
echo "capture engine + dissectors, steady state: $warm"
