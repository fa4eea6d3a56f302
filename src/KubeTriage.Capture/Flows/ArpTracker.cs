using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Counts ARP requests and replies per interface and address asked for, and reports them (<see cref="ArpResolution"/>)
/// when the capture ends. At most <see cref="MaxAddresses"/> addresses are followed; announcements (gratuitous ARP,
/// address probes) are not questions and are skipped.
/// </summary>
internal sealed class ArpTracker
{
    public const int MaxAddresses = 4096;

    private readonly Dictionary<(int Interface, NetAddress Target), Entry> _entries = [];

    public void OnArp(in ArpMessage message, int interfaceId, long timeNs, long frame, string file)
    {
        if (message.IsAnnouncement)
        {
            return;
        }

        // A reply answers the request for its sender's address.
        var key = (interfaceId, message.Operation == ArpMessage.Request ? message.Target : message.Sender);
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (message.Operation != ArpMessage.Request || _entries.Count >= MaxAddresses)
            {
                return;
            }

            entry = new Entry { Requester = message.Sender, FirstRequestNs = timeNs, FirstRequestFrame = frame, File = file };
            _entries[key] = entry;
        }

        if (message.Operation == ArpMessage.Request)
        {
            entry.Requests++;
            entry.LastRequestNs = timeNs;
        }
        else
        {
            entry.Replies++;
            entry.FirstReplyNs ??= timeNs;
        }
    }

    public void Finish(ICaptureSink sink)
    {
        foreach (var ((interfaceId, target), entry) in _entries.OrderBy(e => e.Value.FirstRequestNs))
        {
            sink.OnArp(new ArpResolution(interfaceId, target, entry.Requester, entry.Requests, entry.Replies, entry.FirstRequestNs,
                entry.FirstRequestFrame, entry.LastRequestNs, entry.File) { FirstReplyNs = entry.FirstReplyNs });
        }

        _entries.Clear();
    }

    private sealed class Entry
    {
        public NetAddress Requester;
        public long Requests;
        public long Replies;
        public long FirstRequestNs;
        public long FirstRequestFrame;
        public long LastRequestNs;
        public long? FirstReplyNs;
        public string File = string.Empty;
    }
}
