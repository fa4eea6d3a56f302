using System.Globalization;
using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// A registry whose dissectors record what the engine hands them. <see cref="TcpRecognises"/> decides
/// per first payload whether a TCP dissector is created; <see cref="Consume"/> decides how much of each
/// offer a TCP dissector takes (all by default).
/// </summary>
public sealed class TestRegistry : IProtocolRegistry
{
    public Func<ReadOnlySpan<byte>, bool> TcpRecognises { get; init; } = _ => true;

    public Func<ReadOnlySpan<byte>, int> Consume { get; init; } = data => data.Length;

    public bool ThrowOnData { get; init; }

    /// <summary>Makes the dissectors follow a direction past a snap-length cut, as HTTP does.</summary>
    public bool FollowSnapCuts { get; init; }

    public int CreateTcpCalls { get; private set; }

    public List<RecordingTcpDissector> TcpDissectors { get; } = [];

    public RecordingUdpDissector Udp { get; } = new();

    public IEnumerable<IUdpDissector> UdpDissectors => [Udp];

    public ITcpStreamDissector? CreateTcp(TcpStreamContext context, ReadOnlySpan<byte> firstPayload, bool fromClient)
    {
        CreateTcpCalls++;
        if (!TcpRecognises(firstPayload))
        {
            return null;
        }

        var dissector = new RecordingTcpDissector(context, Consume, ThrowOnData) { FollowsSnapCuts = FollowSnapCuts };
        TcpDissectors.Add(dissector);
        return dissector;
    }

    public IUdpDissector? ForUdp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload) =>
        sourcePort == 53 || destinationPort == 53 ? Udp : null;
}

/// <summary>Records the bytes (as text), gaps and end of one TCP connection.</summary>
public sealed class RecordingTcpDissector(TcpStreamContext context, Func<ReadOnlySpan<byte>, int> consume, bool throwOnData) : ITcpStreamDissector
{
    public string Protocol => "test";

    public TcpStreamContext Context { get; } = context;

    public StringBuilder ClientBytes { get; } = new();

    public StringBuilder ServerBytes { get; } = new();

    public List<string> Events { get; } = [];

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        if (throwOnData)
        {
            throw new InvalidOperationException("dissector bug");
        }

        int used = consume(data);
        (fromClient ? ClientBytes : ServerBytes).Append(Encoding.ASCII.GetString(data[..used]));
        return used;
    }

    public bool FollowsSnapCuts { get; init; }

    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut) =>
        Events.Add($"gap {(fromClient ? "client" : "server")} {(missingBytes < 0 ? "?" : missingBytes.ToString(CultureInfo.InvariantCulture))}{(snapCut ? " cut" : string.Empty)}");

    public void OnEnd(long timeNs) => Events.Add("end");
}

/// <summary>Records the datagrams, ticks and end of the UDP protocol.</summary>
public sealed class RecordingUdpDissector : IUdpDissector
{
    public string Protocol => "dns";

    public List<string> Datagrams { get; } = [];

    public int Ticks { get; private set; }

    public bool Ended { get; private set; }

    public void OnDatagram(ReadOnlySpan<byte> payload, WireEndpoint source, WireEndpoint destination, long timeNs, long frame, string file) =>
        Datagrams.Add($"{source} > {destination} {Encoding.ASCII.GetString(payload)}");

    public void OnTime(long timeNs) => Ticks++;

    public void OnEnd(long timeNs) => Ended = true;
}
