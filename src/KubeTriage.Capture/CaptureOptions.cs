namespace KubeTriage.Capture;

/// <summary>Tuning of the capture engine. The defaults suit node-side captures of pod traffic.</summary>
public sealed record CaptureOptions
{
    public static CaptureOptions Default { get; } = new();

    /// <summary>
    /// Names of the node's interfaces by interface index (from <c>ip -j link</c> of the node the capture was taken
    /// on), for link types that record only the index: Linux cooked v2, what <c>tcpdump -i any</c> writes. Such an
    /// interface is then named <c>&lt;file&gt;#&lt;name&gt;</c> (<c>any#eth0</c>), one without a name here
    /// <c>&lt;file&gt;#if&lt;index&gt;</c>.
    /// </summary>
    public IReadOnlyDictionary<int, string>? InterfaceNames { get; init; }

    /// <summary>Read buffer per file; records are handed out as spans into it.</summary>
    public int ReadBufferBytes { get; init; } = 4 << 20;

    /// <summary>An open TCP connection with no packet for this long (capture time) is reported and forgotten.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A TCP connection that saw FIN or RST is reported this long (capture time) after its last packet. Long enough
    /// for the last ACK and retransmitted FINs (Zeek's <c>tcp_close_delay</c> is also 5 s); short, because a busy
    /// node closes thousands of connections a second and every one kept is memory and garbage-collection work.
    /// </summary>
    public TimeSpan TcpClosedTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A UDP flow with no datagram for this long (capture time) is reported and forgotten.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Two copies of one packet on different interfaces within this window are one packet seen twice
    /// (e.g. on a pod's veth and on the node's NIC), not a retransmission.
    /// </summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes a stream dissector may leave unconsumed per direction before the engine drops them as a gap.</summary>
    public int MaxStreamBufferBytes { get; init; } = 256 << 10;

    /// <summary>Segments held per direction while waiting for a missing one; beyond this the hole is a gap.</summary>
    public int MaxOutOfOrderSegments { get; init; } = 16;

    /// <summary>Bytes held per direction while waiting for a missing segment.</summary>
    public int MaxOutOfOrderBytes { get; init; } = 128 << 10;

    /// <summary>Payload-carrying segments offered to the protocol registry before the engine stops asking.</summary>
    public int MaxDissectorAttempts { get; init; } = 4;

    /// <summary>SYN times kept per connection (all attempts are counted).</summary>
    public int MaxSynTimes { get; init; } = 32;

    /// <summary>Packet decode diagnostics reported per file and reason; the rest are counted in the file's problems.</summary>
    public int MaxDiagnosticsPerReason { get; init; } = 5;

    /// <summary>Capture time between <see cref="Flows.IUdpDissector.OnTime"/> calls.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Capture time between sweeps for idle flows; a flow is reported at most this long after its timeout.</summary>
    public TimeSpan ExpirySweepInterval { get; init; } = TimeSpan.FromSeconds(1);
}
