namespace KubeTriage.Capture.Flows;

/// <summary>
/// Recognises the second copy of a packet captured on two interfaces of one node (<c>tcpdump -i any</c>
/// on a forwarding node sees it on the pod's veth and again on the NIC): same signature, a different
/// interface, within a short window. A repeat on the same interface is not a copy: it is a retransmission.
/// Keeps the last few signatures of one flow direction in a ring. A struct held inline in a TCP
/// connection's halves (one packet touches one object, nothing allocated per connection); a UDP flow
/// boxes it only when the run can contain copies (more than one interface).
/// </summary>
internal struct DuplicateFilter
{
    private const int Size = 4;
    private Entry _e0;
    private Entry _e1;
    private Entry _e2;
    private Entry _e3;
    private int _next;

    /// <summary>True when this packet is a copy of one just seen on another interface; otherwise remembers it.</summary>
    public bool IsCopy(ulong signature, uint extra, int interfaceId, long timeNs, long windowNs)
    {
        if (Matches(in _e0, signature, extra, interfaceId, timeNs, windowNs)
            || Matches(in _e1, signature, extra, interfaceId, timeNs, windowNs)
            || Matches(in _e2, signature, extra, interfaceId, timeNs, windowNs)
            || Matches(in _e3, signature, extra, interfaceId, timeNs, windowNs))
        {
            return true;
        }

        var entry = new Entry(signature, extra, interfaceId + 1, timeNs);
        switch (_next)
        {
            case 0: _e0 = entry; break;
            case 1: _e1 = entry; break;
            case 2: _e2 = entry; break;
            default: _e3 = entry; break;
        }

        _next = (_next + 1) % Size;
        return false;
    }

    public void Clear()
    {
        _e0 = default;
        _e1 = default;
        _e2 = default;
        _e3 = default;
        _next = 0;
    }

    private static bool Matches(in Entry entry, ulong signature, uint extra, int interfaceId, long timeNs, long windowNs) =>
        entry.Signature == signature && entry.Extra == extra && entry.InterfaceIdPlusOne != 0 && entry.InterfaceIdPlusOne != interfaceId + 1
        && Distance(timeNs, entry.TimeNs) <= (ulong)windowNs;

    /// <summary>|a − b| without overflow: a damaged file can put packets at the two ends of time.</summary>
    private static ulong Distance(long a, long b) => a >= b ? unchecked((ulong)a - (ulong)b) : unchecked((ulong)b - (ulong)a);

    /// <summary>One remembered packet; <see cref="InterfaceIdPlusOne"/> is 0 in an unused entry.</summary>
    private readonly record struct Entry(ulong Signature, uint Extra, int InterfaceIdPlusOne, long TimeNs);
}
