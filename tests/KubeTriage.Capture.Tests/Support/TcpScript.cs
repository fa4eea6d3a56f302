using System.Text;
using KubeTriage.Capture.Packets;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// Writes a TCP conversation between a client and a server as Ethernet frames with times, tracking
/// sequence numbers, so flow tests read like the exchange they describe.
/// </summary>
public sealed class TcpScript(string client = "198.18.1.20", ushort clientPort = 40000, string server = "198.18.2.20", ushort serverPort = 3306)
{
    public const uint ClientIsn = 1000;
    public const uint ServerIsn = 5000;

    private readonly List<(int Interface, long TimeNs, byte[] Frame)> _packets = [];
    private uint _clientNext = ClientIsn + 1;
    private uint _serverNext = ServerIsn + 1;
    private long _timeNs = 1_700_000_000_000_000_000;

    public (int Interface, long TimeNs, byte[] Frame)[] Packets => [.. _packets];

    /// <summary>Moves the clock forward.</summary>
    public TcpScript Wait(TimeSpan time)
    {
        _timeNs += time.Ticks * 100;
        return this;
    }

    public TcpScript Handshake() => Syn().SynAck().ClientAck();

    public TcpScript Syn(int interfaceId = 0) => FromClient(TcpFlags.Syn, ClientIsn, 0, [], interfaceId);

    public TcpScript SynAck() => FromServer(TcpFlags.Syn | TcpFlags.Ack, ServerIsn, ClientIsn + 1, []);

    public TcpScript ClientAck() => FromClient(TcpFlags.Ack, _clientNext, _serverNext, []);

    public TcpScript ServerReset() => FromServer(TcpFlags.Rst | TcpFlags.Ack, 0, ClientIsn + 1, []);

    /// <summary>The server aborts the established connection: RST at its next sequence.</summary>
    public TcpScript ServerAborts() => FromServer(TcpFlags.Rst | TcpFlags.Ack, _serverNext, _clientNext, []);

    /// <summary>The client aborts the established connection: RST at its next sequence.</summary>
    public TcpScript ClientAborts() => FromClient(TcpFlags.Rst | TcpFlags.Ack, _clientNext, _serverNext, []);

    /// <summary>The server closes its half (FIN); the client acknowledges it.</summary>
    public TcpScript ServerCloses()
    {
        FromServer(TcpFlags.Fin | TcpFlags.Ack, _serverNext, _clientNext, []);
        _serverNext++;
        return FromClient(TcpFlags.Ack, _clientNext, _serverNext, []);
    }

    public TcpScript ClientSends(string text, int interfaceId = 0) => ClientSends(Encoding.ASCII.GetBytes(text), interfaceId);

    public TcpScript ClientSends(byte[] bytes, int interfaceId = 0)
    {
        FromClient(TcpFlags.Ack | TcpFlags.Psh, _clientNext, _serverNext, bytes, interfaceId);
        _clientNext += (uint)bytes.Length;
        return this;
    }

    public TcpScript ServerSends(string text, int interfaceId = 0)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        FromServer(TcpFlags.Ack | TcpFlags.Psh, _serverNext, _clientNext, bytes, interfaceId);
        _serverNext += (uint)bytes.Length;
        return this;
    }

    /// <summary>The client sends bytes the capture never sees (a lost segment): only its sequence moves on.</summary>
    public TcpScript ClientLoses(string text)
    {
        _clientNext += (uint)Encoding.ASCII.GetByteCount(text);
        return this;
    }

    /// <summary>The server sends bytes the capture never sees (a lost segment): only its sequence moves on.</summary>
    public TcpScript ServerLoses(string text)
    {
        _serverNext += (uint)Encoding.ASCII.GetByteCount(text);
        return this;
    }

    /// <summary>Client data at an explicit offset from the client's first data byte (for reordering tests).</summary>
    public TcpScript ClientSegmentAt(int offset, string text) =>
        FromClient(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1 + (uint)offset, _serverNext, Encoding.ASCII.GetBytes(text));

    public TcpScript Close()
    {
        FromClient(TcpFlags.Fin | TcpFlags.Ack, _clientNext, _serverNext, []);
        _clientNext++;
        FromServer(TcpFlags.Fin | TcpFlags.Ack, _serverNext, _clientNext, []);
        _serverNext++;
        return FromClient(TcpFlags.Ack, _clientNext, _serverNext, []);
    }

    /// <summary>Repeats the last packet on another interface a few microseconds later (veth, then NIC).</summary>
    public TcpScript AlsoOn(int interfaceId, long delayNs = 20_000)
    {
        var last = _packets[^1];
        _packets.Add((interfaceId, last.TimeNs + delayNs, last.Frame));
        return this;
    }

    /// <summary>Repeats the last packet on the same interface later: a retransmission.</summary>
    public TcpScript Again(TimeSpan after)
    {
        var last = _packets[^1];
        _timeNs += after.Ticks * 100;
        _packets.Add((last.Interface, _timeNs, last.Frame));
        return this;
    }

    /// <summary>The server acknowledges everything so far and advertises <paramref name="window"/> (0: stop sending).</summary>
    public TcpScript ServerWindow(ushort window) => FromServer(TcpFlags.Ack, _serverNext, _clientNext, [], window: window);

    /// <summary>The client acknowledges everything so far and advertises <paramref name="window"/> (0: stop sending).</summary>
    public TcpScript ClientWindow(ushort window) => FromClient(TcpFlags.Ack, _clientNext, _serverNext, [], window: window);

    /// <summary>A zero-window probe of one byte at the client's next sequence (Windows, BSD); the sequence does not move on.</summary>
    public TcpScript ClientProbe(char next) => FromClient(TcpFlags.Ack, _clientNext, _serverNext, [(byte)next]);

    /// <summary>A zero-window probe as Linux sends it: no data, one below the client's next sequence.</summary>
    public TcpScript ClientEmptyProbe() => FromClient(TcpFlags.Ack, _clientNext - 1, _serverNext, []);

    public TcpScript FromClient(TcpFlags flags, uint sequence, uint acknowledgment, byte[] payload, int interfaceId = 0, ushort window = 65535) =>
        Add(interfaceId, FrameBuilder.Tcp(client, clientPort, server, serverPort, flags, sequence, acknowledgment, payload, window));

    public TcpScript FromServer(TcpFlags flags, uint sequence, uint acknowledgment, byte[] payload, int interfaceId = 0, ushort window = 65535) =>
        Add(interfaceId, FrameBuilder.Tcp(server, serverPort, client, clientPort, flags, sequence, acknowledgment, payload, window));

    private TcpScript Add(int interfaceId, byte[] frame)
    {
        _timeNs += 1_000_000;
        _packets.Add((interfaceId, _timeNs, frame));
        return this;
    }
}
