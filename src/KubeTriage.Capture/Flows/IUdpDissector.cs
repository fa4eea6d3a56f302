using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Reads UDP datagrams of one protocol across all flows (DNS queries use a new source port
/// each time, so pairing happens across flows inside the dissector).
/// </summary>
public interface IUdpDissector
{
    string Protocol { get; }

    void OnDatagram(ReadOnlySpan<byte> payload, WireEndpoint source, WireEndpoint destination, long timeNs, long frame, string file);

    /// <summary>Called as capture time advances so pending requests can time out and be reported.</summary>
    void OnTime(long timeNs);

    void OnEnd(long timeNs);
}
