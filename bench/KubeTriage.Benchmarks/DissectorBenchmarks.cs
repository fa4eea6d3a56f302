using BenchmarkDotNet.Attributes;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Benchmarks;

/// <summary>
/// The application dissectors on reassembled bytes, per request/response exchange (or per connection where
/// a connection carries one message), with a counting sink. What is allocated is the transaction handed to
/// the sink and, for text that changes from one message to the next (SQL literals, paths), its string;
/// parsing itself allocates nothing.
/// </summary>
public class DissectorBenchmarks
{
    private const int Exchanges = 1024;

    private static readonly WireEndpoint Client = new(NetAddress.Parse("198.18.1.20"), 40000);
    private static readonly WireEndpoint MySqlServer = new(NetAddress.Parse("198.18.2.20"), 3306);
    private static readonly WireEndpoint DnsServer = new(NetAddress.Parse("198.18.2.10"), 53);
    private static readonly WireEndpoint WebServer = new(NetAddress.Parse("198.18.3.10"), 443);

    private readonly CountingSink _sink = new();
    private byte[][] _queries = null!;
    private byte[][] _resultSets = null!;
    private byte[] _greeting = null!;
    private byte[] _login = null!;
    private byte[] _ok = null!;
    private byte[][] _dnsQueries = null!;
    private byte[][] _dnsAnswers = null!;
    private byte[][] _httpRequests = null!;
    private byte[] _httpResponse = null!;
    private byte[] _clientHello = null!;
    private byte[] _serverFlight = null!;
    private byte[] _clientFinished = null!;
    private byte[] _sessionTicket = null!;
    private byte[][] _grpcRequests = null!;
    private byte[][] _grpcResponses = null!;
    private MySqlStreamDissector _mysql = null!;
    private HttpStreamDissector _http = null!;
    private DnsUdpDissector _dns = null!;
    private TextCache _cache = null!;
    private long _timeNs;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20260101);
        _queries = new byte[Exchanges][];
        _resultSets = new byte[Exchanges][];
        _dnsQueries = new byte[Exchanges][];
        _dnsAnswers = new byte[Exchanges][];
        _httpRequests = new byte[Exchanges][];
        _grpcRequests = new byte[Exchanges][];
        _grpcResponses = new byte[Exchanges][];
        for (int i = 0; i < Exchanges; i++)
        {
            _queries[i] = MySqlMessages.Query(random);
            _resultSets[i] = MySqlMessages.ResultSet(random);
            (_dnsQueries[i], _dnsAnswers[i]) = DnsMessages.Exchange(random, (ushort)i);
            _httpRequests[i] = WebMessages.HttpRequest(i);
            _grpcRequests[i] = Http2Messages.Request(i);
            _grpcResponses[i] = Http2Messages.Response(i);
        }

        _greeting = MySqlMessages.Greeting(7);
        _login = MySqlMessages.Login();
        _ok = MySqlMessages.Ok(2);
        _httpResponse = WebMessages.HttpResponse(512);
        _clientHello = WebMessages.ClientHello("objects.storage.example.com");
        _serverFlight = WebMessages.ServerFlight13();
        _clientFinished = WebMessages.ClientFinished13();
        _sessionTicket = WebMessages.SessionTicket13();
        _cache = new TextCache();
        _mysql = new MySqlStreamDissector(Context(MySqlServer), ProtocolOptions.Default, _cache);
        _ = _mysql.OnData(_greeting, false, Next(), 1);
        _ = _mysql.OnData(_login, true, Next(), 2);
        _ = _mysql.OnData(_ok, false, Next(), 3);
        _http = new HttpStreamDissector(Context(new WireEndpoint(WebServer.Address, 80)), ProtocolOptions.Default, _cache);
        _dns = new DnsUdpDissector(_sink, ProtocolOptions.Default, _cache);

        // A benchmark that dissects nothing would measure nothing: each one must report one transaction
        // per exchange and no diagnostic.
        Check(nameof(MySqlQuery), () => MySqlQuery());
        Check(nameof(MySqlLogin), () => MySqlLogin());
        Check(nameof(DnsExchange), () => DnsExchange());
        Check(nameof(HttpExchange), () => HttpExchange());
        Check(nameof(TlsHello), () => TlsHello());
        Check(nameof(TlsHandshake), () => TlsHandshake());
        Check(nameof(GrpcCalls), () => GrpcCalls());
    }

    private void Check(string name, Action run)
    {
        long transactions = _sink.Transactions;
        long diagnostics = _sink.Diagnostics;
        run();
        if (_sink.Transactions - transactions != Exchanges || _sink.Diagnostics != diagnostics)
        {
            throw new InvalidOperationException(
                $"{name}: {_sink.Transactions - transactions} transactions and {_sink.Diagnostics - diagnostics} diagnostics for {Exchanges} exchanges");
        }
    }

    [Benchmark(Description = "MySQL COM_QUERY + 3-column result set", OperationsPerInvoke = Exchanges)]
    public long MySqlQuery()
    {
        long consumed = 0;
        for (int i = 0; i < Exchanges; i++)
        {
            consumed += _mysql.OnData(_queries[i], true, Next(), i);
            consumed += _mysql.OnData(_resultSets[i], false, Next(), i);
        }

        return consumed;
    }

    [Benchmark(Description = "MySQL connection: greeting, login, OK, end", OperationsPerInvoke = Exchanges)]
    public long MySqlLogin()
    {
        long consumed = 0;
        var context = Context(MySqlServer);
        for (int i = 0; i < Exchanges; i++)
        {
            var dissector = new MySqlStreamDissector(context, ProtocolOptions.Default, _cache);
            consumed += dissector.OnData(_greeting, false, Next(), 1);
            consumed += dissector.OnData(_login, true, Next(), 2);
            consumed += dissector.OnData(_ok, false, Next(), 3);
            dissector.OnEnd(Next());
        }

        return consumed;
    }

    [Benchmark(Description = "DNS over UDP query + answer", OperationsPerInvoke = Exchanges)]
    public long DnsExchange()
    {
        for (int i = 0; i < Exchanges; i++)
        {
            var port = (ushort)(32768 + i);
            var client = new WireEndpoint(Client.Address, port);
            _dns.OnDatagram(_dnsQueries[i], client, DnsServer, Next(), i, "bench");
            _dns.OnDatagram(_dnsAnswers[i], DnsServer, client, Next(), i, "bench");
        }

        return _sink.Transactions;
    }

    [Benchmark(Description = "HTTP/1.1 GET + 200 with 512-byte body", OperationsPerInvoke = Exchanges)]
    public long HttpExchange()
    {
        long consumed = 0;
        for (int i = 0; i < Exchanges; i++)
        {
            consumed += _http.OnData(_httpRequests[i], true, Next(), i);
            consumed += _http.OnData(_httpResponse, false, Next(), i);
        }

        return consumed;
    }

    [Benchmark(Description = "TLS connection: ClientHello SNI", OperationsPerInvoke = Exchanges)]
    public long TlsHello()
    {
        long consumed = 0;
        var context = Context(WebServer);
        for (int i = 0; i < Exchanges; i++)
        {
            var dissector = new TlsStreamDissector(context, _cache);
            consumed += dissector.OnData(_clientHello, true, Next(), i);
            dissector.OnEnd(Next());
        }

        return consumed;
    }

    [Benchmark(Description = "TLS 1.3 handshake: hello, server flight, Finished, ticket", OperationsPerInvoke = Exchanges)]
    public long TlsHandshake()
    {
        long consumed = 0;
        var context = Context(WebServer);
        for (int i = 0; i < Exchanges; i++)
        {
            var dissector = new TlsStreamDissector(context, _cache);
            consumed += dissector.OnData(_clientHello, true, Next(), i);
            consumed += dissector.OnData(_serverFlight, false, Next(), i);
            consumed += dissector.OnData(_clientFinished, true, Next(), i);
            consumed += dissector.OnData(_sessionTicket, false, Next(), i);
            dissector.OnEnd(Next());
        }

        return consumed;
    }

    [Benchmark(Description = "gRPC unary call over HTTP/2 (HPACK, one connection)", OperationsPerInvoke = Exchanges)]
    public long GrpcCalls()
    {
        var dissector = new Http2StreamDissector(Context(new WireEndpoint(WebServer.Address, 50051)), ProtocolOptions.Default, _cache);
        long consumed = dissector.OnData(Http2Messages.ClientPreface(), true, Next(), 0);
        consumed += dissector.OnData(Http2Messages.ServerSettings(), false, Next(), 0);
        for (int i = 0; i < Exchanges; i++)
        {
            consumed += dissector.OnData(_grpcRequests[i], true, Next(), i);
            consumed += dissector.OnData(_grpcResponses[i], false, Next(), i);
        }

        dissector.OnEnd(Next());
        return consumed;
    }

    private TcpStreamContext Context(WireEndpoint server) => new(Client, server, midStream: false, "bench", _sink);

    private long Next() => _timeNs += 1_000_000;
}
