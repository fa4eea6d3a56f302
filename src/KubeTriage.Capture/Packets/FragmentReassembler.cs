using System.Buffers;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Puts IPv4 and IPv6 fragments of a datagram back together (RFC 791 section 3.2, RFC 8200 section 4.5)
/// so that, for example, a large DNS answer split over three fragments reaches the DNS dissector whole.
/// Bounded: at most <see cref="MaxPending"/> datagrams in progress, each at most 64 KiB, each forgotten
/// after <see cref="TimeoutNs"/> of capture time. Coverage is tracked in 8-byte blocks, the unit of
/// fragment offsets, so overlapping or repeated fragments are counted once.
/// </summary>
internal sealed class FragmentReassembler
{
    public const int MaxPending = 256;
    public const int MaxDatagram = 65535;
    public const long TimeoutNs = 30_000_000_000;

    private readonly Dictionary<Key, Pending> _pending = [];

    public int PendingCount => _pending.Count;

    /// <summary>
    /// Adds one fragment. When it completes its datagram, returns the pooled buffer holding the transport
    /// header and payload and its length; the caller gives it back with <see cref="Release"/>.
    /// </summary>
    public byte[]? Add(in DecodedPacket packet, ReadOnlySpan<byte> frame, long timeNs, out int length)
    {
        length = 0;
        int offset = packet.FragmentOffset;
        int size = packet.FragmentDataLength;
        if (size < packet.FragmentWireLength || offset + size > MaxDatagram || (packet.MoreFragments && size % 8 != 0))
        {
            // Cut by the snap length, too large, or a middle fragment that is not a multiple of 8: cannot be rebuilt.
            return null;
        }

        var key = new Key(packet.Source, packet.Destination, packet.FragmentId, packet.FragmentProtocol);
        if (!_pending.TryGetValue(key, out var pending))
        {
            Evict(timeNs);
            pending = new Pending(ArrayPool<byte>.Shared.Rent(MaxDatagram), timeNs);
            _pending[key] = pending;
        }

        frame.Slice(packet.FragmentDataOffset, size).CopyTo(pending.Buffer.AsSpan(offset));
        pending.Cover(offset, size);
        if (!packet.MoreFragments)
        {
            pending.Total = offset + size;
        }

        if (pending.Total < 0 || !pending.IsComplete)
        {
            return null;
        }

        _ = _pending.Remove(key);
        length = pending.Total;
        return pending.Buffer;
    }

    public static void Release(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    private void Evict(long timeNs)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        Key? oldest = null;
        long oldestTime = long.MaxValue;
        List<Key>? expired = null;
        foreach (var (key, pending) in _pending)
        {
            if (timeNs - pending.FirstTimeNs > TimeoutNs)
            {
                (expired ??= []).Add(key);
            }
            else if (pending.FirstTimeNs < oldestTime)
            {
                oldestTime = pending.FirstTimeNs;
                oldest = key;
            }
        }

        if (expired is null && _pending.Count >= MaxPending && oldest is { } key1)
        {
            expired = [key1];
        }

        foreach (var key in expired ?? [])
        {
            Release(_pending[key].Buffer);
            _ = _pending.Remove(key);
        }
    }

    private readonly record struct Key(NetAddress Source, NetAddress Destination, uint Id, byte Protocol);

    private sealed class Pending(byte[] buffer, long firstTimeNs)
    {
        private readonly ulong[] _blocks = new ulong[(MaxDatagram / 8 / 64) + 1];
        private int _covered;

        public byte[] Buffer { get; } = buffer;

        public long FirstTimeNs { get; } = firstTimeNs;

        public int Total { get; set; } = -1;

        public bool IsComplete => _covered >= (Total + 7) / 8;

        public void Cover(int offset, int size)
        {
            int end = (offset + size + 7) / 8;
            for (int block = offset / 8; block < end; block++)
            {
                ulong bit = 1UL << (block & 63);
                if ((_blocks[block >> 6] & bit) == 0)
                {
                    _blocks[block >> 6] |= bit;
                    _covered++;
                }
            }
        }
    }
}
