using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

/// <summary>
/// A scripted DNS server on 127.0.0.1, UDP and TCP on the same free port (RFC 1035 §4.2): each test says
/// what to answer per question. Records every question it received and over which transport.
/// </summary>
internal sealed class LoopbackDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeCname = 5;
    private const ushort TypeAaaa = 28;

    private readonly Func<LoopbackQuestion, LoopbackReply> _script;
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private LoopbackDnsServer(Func<LoopbackQuestion, LoopbackReply> script, UdpClient udp, TcpListener tcp)
    {
        _script = script;
        _udp = udp;
        _tcp = tcp;
        Port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public ConcurrentQueue<LoopbackQuestion> Received { get; } = new();

    public static LoopbackDnsServer Start(Func<LoopbackQuestion, LoopbackReply> script)
    {
        // UDP takes a free port first; TCP must get the same number, which another process may hold: try again.
        for (var attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                tcp.Start();
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                continue;
            }

            var server = new LoopbackDnsServer(script, udp, tcp);
            server._loops.Add(Task.Run(server.ServeUdpAsync));
            server._loops.Add(Task.Run(server.ServeTcpAsync));
            return server;
        }
    }

    /// <summary>Answers every A question with <paramref name="address"/>, AAAA with nothing (NODATA).</summary>
    public static LoopbackDnsServer Answering(string address) =>
        Start(q => q.Type == "A" ? LoopbackReply.Address(q.Name, address) : LoopbackReply.NoData());

    public DnsResolver Resolver(ResolverRole role = ResolverRole.Given) =>
        new("127.0.0.1", Port, role, "test");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping closes the sockets under the loops.
        }

        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var reply = Respond(datagram.Buffer, overTcp: false);
            if (reply is not null)
            {
                await _udp.SendAsync(reply, datagram.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var lengthBytes = new byte[2];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await stream.ReadExactlyAsync(lengthBytes, _stop.Token);
                    var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
                    await stream.ReadExactlyAsync(message, _stop.Token);
                    var reply = Respond(message, overTcp: true);
                    if (reply is null)
                    {
                        continue;
                    }

                    var framed = new byte[2 + reply.Length];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client closed the connection or the server stopped.
            }
        }
    }

    /// <summary>Parses the question (RFC 1035 §4.1.2) and builds the scripted response, or null to stay silent.</summary>
    private byte[]? Respond(byte[] query, bool overTcp)
    {
        if (query.Length < 12)
        {
            return null;
        }

        var offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            var length = query[offset];
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, length));
            offset += 1 + length;
        }

        var questionEnd = offset + 1 + 4;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset + 1));
        var question = new LoopbackQuestion(string.Join('.', labels).ToLowerInvariant(), TypeName(type), overTcp);
        Received.Enqueue(question);
        var reply = _script(question);
        if (reply.Silent || (reply.SilentOverTcp && overTcp))
        {
            return null;
        }

        var truncate = reply.TruncateOverUdp && !overTcp;
        var answers = truncate ? [] : reply.Answers;
        var response = new List<byte>();
        var header = new byte[12];
        header[0] = query[0];
        header[1] = query[1];
        var flags = 0x8000 | 0x0400 | (query[2] & 0x01) << 8 | 0x0080 | reply.Rcode;
        if (truncate)
        {
            flags |= 0x0200;
        }

        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Count);
        response.AddRange(header);
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var record in answers)
        {
            response.AddRange(EncodeName(record.Owner));
            var rdata = record.Type switch
            {
                "A" or "AAAA" => IPAddress.Parse(record.Data).GetAddressBytes(),
                "CNAME" => EncodeName(record.Data),
                _ => throw new ArgumentException($"record type {record.Type} is not scripted"),
            };
            var fixedPart = new byte[10];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, record.Type switch { "A" => TypeA, "AAAA" => TypeAaaa, _ => TypeCname });
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 1);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), 30);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)rdata.Length);
            response.AddRange(fixedPart);
            response.AddRange(rdata);
        }

        return response.ToArray();
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return bytes.ToArray();
    }

    private static string TypeName(ushort type) => type switch
    {
        TypeA => "A",
        TypeAaaa => "AAAA",
        TypeCname => "CNAME",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A question the loopback server received: the name (lower case, no trailing dot), the type and the transport.</summary>
internal sealed record LoopbackQuestion(string Name, string Type, bool OverTcp);

/// <summary>One scripted answer record: <c>A</c>/<c>AAAA</c> data is an address, <c>CNAME</c> data a name.</summary>
internal sealed record LoopbackRecord(string Owner, string Type, string Data);

/// <summary>What the loopback server does with one question.</summary>
internal sealed record LoopbackReply(int Rcode, IReadOnlyList<LoopbackRecord> Answers)
{
    public bool Silent { get; init; }

    public bool SilentOverTcp { get; init; }

    public bool TruncateOverUdp { get; init; }

    public static LoopbackReply NoData() => new(0, []);

    public static LoopbackReply NxDomain() => new(3, []);

    public static LoopbackReply ServFail() => new(2, []);

    public static LoopbackReply Refused() => new(5, []);

    public static LoopbackReply Never() => new(0, []) { Silent = true };

    public static LoopbackReply Address(string owner, params string[] addresses) =>
        new(0, addresses.Select(a => new LoopbackRecord(owner, a.Contains(':', StringComparison.Ordinal) ? "AAAA" : "A", a)).ToList());
}
