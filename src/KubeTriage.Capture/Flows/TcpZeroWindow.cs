namespace KubeTriage.Capture.Flows;

/// <summary>
/// The zero receive windows one side of a TCP connection advertised (tshark's "TCP ZeroWindow"): while its
/// window is zero the peer may not send, so a stall here means the application behind that socket stopped
/// reading. A stall runs from the first zero-window segment until the same side advertises a non-zero window
/// again; one that never ends runs to the connection's reset or last packet and is <see cref="LongestStallUnresolved"/>.
/// </summary>
public readonly record struct TcpZeroWindow
{
    /// <summary>Segments this side sent with a zero window (SYN, FIN and RST segments do not count).</summary>
    public int Segments { get; init; }

    /// <summary>Separate stalls: a zero window, then a non-zero one (or the end).</summary>
    public int Stalls { get; init; }

    /// <summary>Window probes the peer sent while this side's window was zero (zero-length at the last byte acked, or one byte).</summary>
    public int Probes { get; init; }

    /// <summary>The stalls' durations added up.</summary>
    public long StalledNs { get; init; }

    public long LongestStallNs { get; init; }

    /// <summary>When the longest stall began: the time of its first zero-window segment.</summary>
    public long LongestStallStartNs { get; init; }

    /// <summary>The frame of the longest stall's first zero-window segment.</summary>
    public long LongestStallFrame { get; init; }

    /// <summary>True when the longest stall never ended: the window was still zero when the connection was reset or at its last packet.</summary>
    public bool LongestStallUnresolved { get; init; }

    /// <summary>True when the last stall never ended (the window was still zero at the end).</summary>
    public bool OpenAtEnd { get; init; }
}
