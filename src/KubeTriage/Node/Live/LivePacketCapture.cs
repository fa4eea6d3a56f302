using System.Buffers;
using System.Threading.Channels;
using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using SharpPcap;
using SharpPcap.LibPcap;

namespace KubeTriage.Node.Live;

/// <summary>
/// Captures with libpcap on several interfaces at once and feeds one consumer: each interface's capture thread
/// copies a packet into a pooled buffer and queues it; one thread puts the packets back in time order (within
/// <see cref="ReorderWindowNs"/>, see <see cref="TimeOrderWindow{T}"/>) and hands them to the capture engine's live
/// feed and to the pcapng writer, then returns the buffers. Nothing blocks a capture
/// thread: when the queue is full the packet is counted as dropped.
/// </summary>
public sealed class LivePacketCapture : IAsyncDisposable
{
    /// <summary>How far (in packet time) one interface's packets may run ahead of another's and still be put back in order.</summary>
    private const long ReorderWindowNs = 200_000_000;

    /// <summary>Packets held at most while they are put back in order (a busy link releases them sooner).</summary>
    private const int MaxReordered = 16_384;

    private readonly List<Device> _devices = [];
    private readonly Channel<Packet> _queue;
    private readonly LiveCapture _feed;
    private readonly PcapNgWriter? _writer;
    private readonly List<string> _problems = [];
    private Task? _consumer;
    private bool _stopped;

    private LivePacketCapture(LiveCapture feed, PcapNgWriter? writer, int capacity)
    {
        _feed = feed;
        _writer = writer;
        _queue = Channel.CreateBounded<Packet>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public IReadOnlyList<string> InterfaceNames => _devices.Select(d => d.Name).ToList();

    /// <summary>
    /// Opens every interface with the filter and declares it to the engine feed and the pcapng file. Throws
    /// <see cref="LiveCaptureException"/> (with everything opened so far closed) when one cannot be opened.
    /// </summary>
    public static LivePacketCapture Open(LiveCaptureOptions options, LiveCapture feed)
    {
        var available = ListDevices();
        PcapNgWriter? writer = null;
        if (options.WritePath is { } path)
        {
            try
            {
                writer = new PcapNgWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), "kubetriage capture --live");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LiveCaptureException($"--write {path}: cannot write: {ex.Message}", ex);
            }
        }

        var capture = new LivePacketCapture(feed, writer, options.QueueCapacity);
        try
        {
            foreach (var name in options.Interfaces.Distinct(StringComparer.Ordinal))
            {
                var device = available.FirstOrDefault(d => d.Name == name)
                    ?? throw new LiveCaptureException(
                        $"-i {name}: no such interface to capture on (libpcap sees: {string.Join(", ", available.Select(d => d.Name))})");
                capture.OpenDevice(device, options);
            }

            writer?.Flush();
            return capture;
        }
        catch
        {
            capture.CloseDevices();
            writer?.Dispose();
            throw;
        }
    }

    /// <summary>The interfaces libpcap can capture on here, with whether each is up (libpcap's PCAP_IF_UP flag).</summary>
    public static IReadOnlyList<(string Name, bool Up)> AvailableInterfaces() =>
        ListDevices().Select(d => (d.Name, (d.Flags & 0x2) != 0)).ToList();

    /// <summary>Starts the consumer and every interface's capture thread.</summary>
    public void Start()
    {
        // Unwrap: the consumer is async, and StopAsync must wait for its end, not for its first await.
        _consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        foreach (var device in _devices)
        {
            device.Pcap.StartCapture();
        }
    }

    /// <summary>A snapshot of the counts, safe to read while capturing.</summary>
    public IReadOnlyList<LiveInterfaceCount> Counts() =>
        _devices.Select(d => new LiveInterfaceCount(d.Name, Interlocked.Read(ref d.Captured), Interlocked.Read(ref d.Analysed),
            Interlocked.Read(ref d.QueueDrops), d.KernelReceived, d.KernelDrops)).ToList();

    /// <summary>
    /// Stops every capture thread, lets the consumer finish what is queued, closes the pcapng file, and returns
    /// the counts and the problems met (drops, capture errors). The engine feed is then ready for Complete.
    /// </summary>
    public async Task<(IReadOnlyList<LiveInterfaceCount> Counts, IReadOnlyList<string> Problems)> StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            foreach (var device in _devices)
            {
                try
                {
                    device.Pcap.StopCapture();
                    var stats = device.Pcap.Statistics;
                    device.KernelReceived = stats.ReceivedPackets;
                    device.KernelDrops = stats.DroppedPackets + stats.InterfaceDroppedPackets;
                }
                catch (PcapException ex)
                {
                    _problems.Add($"{device.Name}: stopping the capture: {ex.Message}");
                }
            }

            _queue.Writer.TryComplete();
            if (_consumer is not null)
            {
                await _consumer.ConfigureAwait(false);
            }

            CloseDevices();
            _writer?.Dispose();
        }

        var counts = Counts();
        lock (_problems)
        {
            return (counts, Problems(counts));
        }
    }

    private List<string> Problems(IReadOnlyList<LiveInterfaceCount> counts)
    {
        foreach (var count in counts)
        {
            if (count.QueueDrops > 0)
            {
                _problems.Add($"{count.Name}: {count.QueueDrops} packets dropped: the analysis fell behind the capture");
            }

            if (count.KernelDrops > 0)
            {
                _problems.Add($"{count.Name}: libpcap reports {count.KernelDrops} packets dropped by the kernel (capture buffer full)");
            }
        }

        return _problems.ToList();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static List<LibPcapLiveDevice> ListDevices()
    {
        try
        {
            return [.. LibPcapLiveDeviceList.New()];
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new LiveCaptureException(
                "libpcap is not installed (apt-get install libpcap0.8, or dnf install libpcap): live capture needs it", ex);
        }
        catch (PcapException ex)
        {
            throw new LiveCaptureException($"libpcap cannot list interfaces: {ex.Message}", ex);
        }
    }

    private void OpenDevice(LibPcapLiveDevice pcap, LiveCaptureOptions options)
    {
        try
        {
            var configuration = new DeviceConfiguration
            {
                Mode = DeviceModes.None,
                ReadTimeout = 100,
                Snaplen = options.SnapLength,
                Immediate = true,
                TimestampResolution = TimestampResolution.Nanosecond,
                // On "any", cooked v2 keeps each packet's interface index (v1 loses it).
                LinkLayerType = pcap.Name == "any" ? PacketDotNet.LinkLayers.LinuxSll2 : default,
            };
            configuration.ConfigurationFailed += (_, e) => _problems.Add($"{pcap.Name}: {e.Property} not applied: {e.Error}");
            pcap.Open(configuration);
            if (options.Filter is { } filter)
            {
                pcap.Filter = filter;
            }
        }
        catch (PcapException ex)
        {
            pcap.Close();
            throw new LiveCaptureException($"-i {pcap.Name}: cannot capture: {ex.Message}", ex);
        }

        var linkType = (LinkType)(ushort)(int)pcap.LinkType;
        if (!Enum.IsDefined(linkType))
        {
            _problems.Add($"{pcap.Name}: link type {(int)pcap.LinkType} is not decoded; its packets are saved but not analysed");
        }

        var device = new Device(pcap, pcap.Name, _feed.AddInterface(pcap.Name, linkType), _writer?.AddInterface(pcap.Name, linkType, options.SnapLength) ?? -1);
        var index = _devices.Count;
        _devices.Add(device);
        pcap.OnPacketArrival += (_, e) => OnPacket(index, e);
    }

    /// <summary>Runs on the interface's capture thread: copy, queue, never block.</summary>
    private void OnPacket(int index, PacketCapture e)
    {
        var device = _devices[index];
        var data = e.Data;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer);
        var original = e.Header is PcapHeader header ? (int)header.PacketLength : data.Length;
        var timeNs = (long)(e.Header.Timeval.Value * 1_000_000_000m);
        Interlocked.Increment(ref device.Captured);
        if (!_queue.Writer.TryWrite(new Packet(index, timeNs, buffer, data.Length, original)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Increment(ref device.QueueDrops);
        }
    }

    private async Task Consume()
    {
        var ordered = new TimeOrderWindow<Packet>(ReorderWindowNs, MaxReordered);
        await foreach (var packet in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            ordered.Add(packet, packet.TimeNs);
            while (ordered.TryRelease(out var next))
            {
                Process(next);
            }
        }

        while (ordered.TryDrain(out var next))
        {
            Process(next);
        }
    }

    private void Process(Packet packet)
    {
        var device = _devices[packet.Index];
        try
        {
            var bytes = packet.Buffer.AsSpan(0, packet.Length);
            _feed.OnPacket(device.FeedHandle, packet.TimeNs, bytes);
            _writer?.WritePacket(device.FileHandle, packet.TimeNs, bytes, packet.OriginalLength);
            Interlocked.Increment(ref device.Analysed);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
        {
            lock (_problems)
            {
                if (_problems.Count < 20)
                {
                    _problems.Add($"{device.Name}: packet at {packet.TimeNs} ns not processed: {ex.Message}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packet.Buffer);
        }
    }

    private void CloseDevices()
    {
        foreach (var device in _devices)
        {
            try
            {
                device.Pcap.Close();
            }
            catch (PcapException)
            {
                // Already closed or never opened: nothing left to release.
            }
        }
    }

    private readonly record struct Packet(int Index, long TimeNs, byte[] Buffer, int Length, int OriginalLength);

    private sealed class Device(LibPcapLiveDevice pcap, string name, int feedHandle, int fileHandle)
    {
        public long Captured;
        public long Analysed;
        public long QueueDrops;

        public LibPcapLiveDevice Pcap { get; } = pcap;

        public string Name { get; } = name;

        public int FeedHandle { get; } = feedHandle;

        public int FileHandle { get; } = fileHandle;

        public long KernelReceived { get; set; }

        public long KernelDrops { get; set; }
    }
}
