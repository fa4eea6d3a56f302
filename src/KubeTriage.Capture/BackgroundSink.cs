using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Capture;

/// <summary>
/// Runs a consumer's <see cref="ICaptureSink"/> on a thread of its own, so that the engine (reading,
/// decoding, flows, dissectors) and the consumer's work per packet and per transaction use two cores.
/// Calls are recorded in order into a few reused batches (packets and turns are copied by value,
/// everything else is an immutable record passed by reference) and replayed on the consumer thread in exactly that
/// order; nothing is allocated per packet. <see cref="Complete"/> waits for the consumer to finish and
/// rethrows what it threw. Give the engine and its protocol registry this sink, not the inner one.
/// </summary>
public sealed class BackgroundSink : ICaptureSink, IDisposable
{
    public const int DefaultBatchSize = 4096;

    private readonly ICaptureSink _inner;
    private readonly BlockingCollection<Batch> _full;
    private readonly BlockingCollection<Batch> _free;
    private readonly Thread _thread;
    private Batch _current;
    private ExceptionDispatchInfo? _failure;
    private bool _completed;

    public BackgroundSink(ICaptureSink inner, int batchSize = DefaultBatchSize, int batches = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 2);
        _inner = inner;
        _full = new BlockingCollection<Batch>(batches);
        _free = new BlockingCollection<Batch>(batches);
        for (int i = 1; i < batches; i++)
        {
            _free.Add(new Batch(batchSize));
        }

        _current = new Batch(batchSize);
        _thread = new Thread(Consume) { IsBackground = true, Name = "kubetriage sink" };
        _thread.Start();
    }

    public void OnFileStart(CaptureFileInfo file) => Add(EventKind.FileStart, file);

    public void OnInterface(CaptureInterface captureInterface) => Add(EventKind.Interface, captureInterface);

    public void OnPacket(in PacketMeta packet)
    {
        var batch = _current;
        batch.Packets[batch.PacketCount++] = packet;
        Record(batch, EventKind.Packet);
    }

    public void OnTcpTurn(in TcpTurn turn)
    {
        var batch = _current;
        batch.Turns[batch.TurnCount++] = turn;
        Record(batch, EventKind.TcpTurn);
    }

    public void OnTcpConnection(TcpConnection connection) => Add(EventKind.TcpConnection, connection);

    public void OnUdpFlow(UdpFlow flow) => Add(EventKind.UdpFlow, flow);

    public void OnDns(DnsTransaction transaction) => Add(EventKind.Dns, transaction);

    public void OnMySql(MySqlTransaction transaction) => Add(EventKind.MySql, transaction);

    public void OnHttp(HttpTransaction transaction) => Add(EventKind.Http, transaction);

    public void OnTls(TlsTransaction transaction) => Add(EventKind.Tls, transaction);

    public void OnArp(ArpResolution resolution) => Add(EventKind.Arp, resolution);

    public void OnDiagnostic(WireDiagnostic diagnostic) => Add(EventKind.Diagnostic, diagnostic);

    public void OnFileEnd(CaptureFileSummary summary) => Add(EventKind.FileEnd, summary);

    /// <summary>
    /// Hands over what is left, waits until the inner sink has seen every call, and rethrows the first
    /// exception the inner sink threw. Call it once the engine has returned (or thrown); later calls return at once.
    /// </summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            if (_current.Count > 0)
            {
                _full.Add(_current);
            }

            _full.CompleteAdding();
            _thread.Join();
        }

        _failure?.Throw();
    }

    /// <summary>Stops the consumer thread without rethrowing (for a run abandoned by an exception).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _full.CompleteAdding();
            _thread.Join();
        }

        _full.Dispose();
        _free.Dispose();
    }

    private void Add(EventKind kind, object item)
    {
        var batch = _current;
        batch.Items[batch.ItemCount++] = item;
        Record(batch, kind);
    }

    /// <summary>Notes the call's kind after its argument went into the batch; a full batch goes to the consumer.</summary>
    private void Record(Batch batch, EventKind kind)
    {
        batch.Kinds[batch.Count++] = kind;
        if (batch.Count == batch.Kinds.Length)
        {
            Hand();
        }
    }

    private void Hand()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _full.Add(_current);
        _current = _free.Take();
    }

    private void Consume()
    {
        foreach (var batch in _full.GetConsumingEnumerable())
        {
            if (_failure is null)
            {
                try
                {
                    Replay(batch);
                }
                catch (Exception e)
                {
                    // Keep taking batches so that the engine never blocks; Complete rethrows this.
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }

            batch.Clear();
            _free.Add(batch);
        }
    }

    private void Replay(Batch batch)
    {
        var sink = _inner;
        int packet = 0;
        int turn = 0;
        int item = 0;
        var kinds = batch.Kinds;
        var items = batch.Items;
        for (int i = 0; i < batch.Count; i++)
        {
            switch (kinds[i])
            {
                case EventKind.Packet:
                    sink.OnPacket(in batch.Packets[packet++]);
                    break;
                case EventKind.FileStart:
                    sink.OnFileStart((CaptureFileInfo)items[item++]!);
                    break;
                case EventKind.Interface:
                    sink.OnInterface((CaptureInterface)items[item++]!);
                    break;
                case EventKind.TcpTurn:
                    sink.OnTcpTurn(in batch.Turns[turn++]);
                    break;
                case EventKind.TcpConnection:
                    sink.OnTcpConnection((TcpConnection)items[item++]!);
                    break;
                case EventKind.UdpFlow:
                    sink.OnUdpFlow((UdpFlow)items[item++]!);
                    break;
                case EventKind.Dns:
                    sink.OnDns((DnsTransaction)items[item++]!);
                    break;
                case EventKind.MySql:
                    sink.OnMySql((MySqlTransaction)items[item++]!);
                    break;
                case EventKind.Http:
                    sink.OnHttp((HttpTransaction)items[item++]!);
                    break;
                case EventKind.Tls:
                    sink.OnTls((TlsTransaction)items[item++]!);
                    break;
                case EventKind.Arp:
                    sink.OnArp((ArpResolution)items[item++]!);
                    break;
                case EventKind.Diagnostic:
                    sink.OnDiagnostic((WireDiagnostic)items[item++]!);
                    break;
                case EventKind.FileEnd:
                    sink.OnFileEnd((CaptureFileSummary)items[item++]!);
                    break;
            }
        }
    }

    private enum EventKind : byte
    {
        Packet,
        TcpTurn,
        FileStart,
        Interface,
        TcpConnection,
        UdpFlow,
        Dns,
        MySql,
        Http,
        Tls,
        Arp,
        Diagnostic,
        FileEnd,
    }

    /// <summary>Calls in order: a kind per call; packets, turns and other arguments in their own arrays.</summary>
    private sealed class Batch(int size)
    {
        public readonly EventKind[] Kinds = new EventKind[size];
        public readonly PacketMeta[] Packets = new PacketMeta[size];
        public readonly TcpTurn[] Turns = new TcpTurn[size];
        public readonly object?[] Items = new object?[size];
        public int Count;
        public int PacketCount;
        public int TurnCount;
        public int ItemCount;

        public void Clear()
        {
            Array.Clear(Items, 0, ItemCount);
            Count = 0;
            PacketCount = 0;
            TurnCount = 0;
            ItemCount = 0;
        }
    }
}
