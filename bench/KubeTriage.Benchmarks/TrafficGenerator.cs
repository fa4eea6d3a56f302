namespace KubeTriage.Benchmarks;

/// <summary>
/// Writes a deterministic pcap of node-side pod traffic with many small packets: MySQL connections
/// (handshake, greeting, login, a few queries with result sets, quit, close), DNS lookups over UDP,
/// and a few connection attempts that get no answer. Two hundred sessions run interleaved, so the
/// flow table sees realistic concurrency. The same seed always gives the same bytes.
/// </summary>
public static class TrafficGenerator
{
    private const int Concurrent = 200;
    private const uint DatabaseAddress = (198u << 24) | (18u << 16) | (2u << 8) | 20;
    private const uint ClusterDnsAddress = (198u << 24) | (18u << 16) | (2u << 8) | 10;
    private const uint ApiAddress = (198u << 24) | (18u << 16) | (4u << 8) | 10;

    public static string Write(string path, long targetBytes, int seed = 20260101)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var writer = Write(file, targetBytes, seed);
        return $"wrote {path}: {writer.Bytes + 24} bytes, {writer.Packets} packets";
    }

    public static FrameWriter Write(Stream stream, long targetBytes, int seed = 20260101)
    {
        FrameWriter.WriteFileHeader(stream);
        var writer = new FrameWriter(stream);
        var random = new Random(seed);
        var sessions = new Session[Concurrent];
        int created = 0;
        for (int i = 0; i < sessions.Length; i++)
        {
            sessions[i] = NewSession(random, created++);
        }

        long timeNs = 1_767_225_600_000_000_000;
        while (writer.Bytes < targetBytes)
        {
            int pick = random.Next(sessions.Length);
            var session = sessions[pick];
            timeNs += random.Next(2_000, 30_000);
            session.EmitNext(writer, timeNs);
            if (session.Done)
            {
                sessions[pick] = NewSession(random, created++);
            }
        }

        return writer;
    }

    private static Session NewSession(Random random, int number)
    {
        uint client = (198u << 24) | (18u << 16) | (1u << 8) | (uint)(20 + (number % 50));
        ushort clientPort = (ushort)(32768 + ((number / 50) % 28000));
        int kind = random.Next(100);
        if (kind < 40)
        {
            var (query, answer) = DnsMessages.Exchange(random, (ushort)random.Next(65536));
            return Session.Udp(client, clientPort, ClusterDnsAddress, 53, query, answer);
        }

        if (kind < 41)
        {
            return Session.Unanswered(client, clientPort, ApiAddress, 443, (uint)random.Next());
        }

        return Session.MySql(client, clientPort, DatabaseAddress, 3306, random);
    }

    private sealed class Session
    {
        private readonly List<Step> _steps = [];
        private readonly uint _client;
        private readonly ushort _clientPort;
        private readonly uint _server;
        private readonly ushort _serverPort;
        private readonly bool _udp;
        private int _next;

        private Session(uint client, ushort clientPort, uint server, ushort serverPort, bool udp)
        {
            _client = client;
            _clientPort = clientPort;
            _server = server;
            _serverPort = serverPort;
            _udp = udp;
        }

        public bool Done => _next >= _steps.Count;

        public static Session Udp(uint client, ushort clientPort, uint server, ushort serverPort, byte[] request, byte[] response)
        {
            var session = new Session(client, clientPort, server, serverPort, udp: true);
            session._steps.Add(new Step(true, 0, 0, 0, request));
            session._steps.Add(new Step(false, 0, 0, 0, response));
            return session;
        }

        public static Session Unanswered(uint client, ushort clientPort, uint server, ushort serverPort, uint isn)
        {
            var session = new Session(client, clientPort, server, serverPort, udp: false);
            for (int i = 0; i < 3; i++)
            {
                session._steps.Add(new Step(true, Syn, isn, 0, []));
            }

            return session;
        }

        public static Session MySql(uint client, ushort clientPort, uint server, ushort serverPort, Random random)
        {
            var session = new Session(client, clientPort, server, serverPort, udp: false);
            uint c = (uint)random.Next();
            uint s = (uint)random.Next();
            session._steps.Add(new Step(true, Syn, c, 0, []));
            session._steps.Add(new Step(false, Syn | Ack, s, c + 1, []));
            c++;
            s++;
            session._steps.Add(new Step(true, Ack, c, s, []));
            void Send(bool fromClient, byte[] payload)
            {
                if (fromClient)
                {
                    session._steps.Add(new Step(true, Ack | Psh, c, s, payload));
                    c += (uint)payload.Length;
                    session._steps.Add(new Step(false, Ack, s, c, []));
                }
                else
                {
                    session._steps.Add(new Step(false, Ack | Psh, s, c, payload));
                    s += (uint)payload.Length;
                    session._steps.Add(new Step(true, Ack, c, s, []));
                }
            }

            Send(false, MySqlMessages.Greeting((uint)random.Next()));
            Send(true, MySqlMessages.Login());
            Send(false, MySqlMessages.Ok(2));
            int queries = random.Next(1, 7);
            for (int i = 0; i < queries; i++)
            {
                Send(true, MySqlMessages.Query(random));
                Send(false, MySqlMessages.ResultSet(random));
            }

            session._steps.Add(new Step(true, Ack | Psh, c, s, MySqlMessages.Quit()));
            c += 5;
            session._steps.Add(new Step(true, Fin | Ack, c, s, []));
            session._steps.Add(new Step(false, Fin | Ack, s, c + 1, []));
            session._steps.Add(new Step(true, Ack, c + 1, s + 1, []));
            return session;
        }

        public void EmitNext(FrameWriter writer, long timeNs)
        {
            var step = _steps[_next++];
            uint source = step.FromClient ? _client : _server;
            uint destination = step.FromClient ? _server : _client;
            ushort sourcePort = step.FromClient ? _clientPort : _serverPort;
            ushort destinationPort = step.FromClient ? _serverPort : _clientPort;
            if (_udp)
            {
                writer.Udp(timeNs, source, sourcePort, destination, destinationPort, step.Payload);
            }
            else
            {
                writer.Tcp(timeNs, source, sourcePort, destination, destinationPort, step.Flags, step.Sequence, step.Acknowledgment, step.Payload);
            }
        }

        private const byte Fin = 0x01;
        private const byte Syn = 0x02;
        private const byte Psh = 0x08;
        private const byte Ack = 0x10;

        private readonly record struct Step(bool FromClient, byte Flags, uint Sequence, uint Acknowledgment, byte[] Payload);
    }
}
