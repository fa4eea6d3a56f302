#!/usr/bin/env bash
# Writes the TCP and UDP payloads of a capture as a transcript the protocol tests replay:
#   FRAME EPOCH_NS udp|tcp SRC SPORT DST DPORT TCP_FLAGS TCP_SEQ HEX
# (TCP_FLAGS, TCP_SEQ are "-" for UDP; HEX is "-" for a TCP segment without payload.)
# Usage: extract-transcript.sh CAPTURE [DECODE_AS_PORT...] > Transcripts/NAME.txt
# Requires tshark. IP fragments are reassembled by tshark; ICMP errors quoting a datagram are left out.
set -euo pipefail
capture="$1"
shift
echo "# source: $(basename "$capture") (see README.md in this folder)"
tshark -r "$capture" -Y '(tcp or udp) and not icmp and not icmpv6' -T fields -E separator='|' \
  -e frame.number -e frame.time_epoch -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
  -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e tcp.flags -e tcp.seq_raw \
  -e tcp.payload -e udp.payload 2>/dev/null |
python3 -c '
import sys
for line in sys.stdin:
    f = line.rstrip("\n").split("|")
    frame, epoch, ip4s, ip6s, ip4d, ip6d, tsp, tdp, usp, udp_, flags, seq, tpay, upay = f
    sec, _, frac = epoch.partition(".")
    ns = int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])
    src = (ip6s or ip4s).split(",")[-1]
    dst = (ip6d or ip4d).split(",")[-1]
    if tsp:
        print(frame, ns, "tcp", src, tsp, dst, tdp, flags, seq, tpay or "-")
    elif usp and upay:
        print(frame, ns, "udp", src, usp, dst, udp_, "-", "-", upay)
'
