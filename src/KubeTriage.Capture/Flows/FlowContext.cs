using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>What every flow needs from the run: the sink, the registry, the options and the current file.</summary>
internal sealed class FlowContext(ICaptureSink sink, IProtocolRegistry registry, CaptureOptions options)
{
    public ICaptureSink Sink { get; } = sink;

    public IProtocolRegistry Registry { get; } = registry;

    public CaptureOptions Options { get; } = options;

    public long DuplicateWindowNs { get; } = options.DuplicateWindow.Ticks * 100;

    /// <summary>False for the null registry: then no dissector is asked for and no stream state is kept.</summary>
    public bool Dissecting { get; } = registry is not NullProtocolRegistry;

    /// <summary>
    /// True once a packet could be seen twice: the run has more than one interface, or a cooked v2 capture
    /// whose interfaces appear as packets arrive. Until then the copy check is skipped.
    /// </summary>
    public bool MayHaveCopies { get; set; }

    /// <summary>The file the packet being processed came from.</summary>
    public string File { get; set; } = string.Empty;

    public void Report(WireError reason, long frame, string? flow, long offset, ReadOnlySpan<byte> snippet, string message) =>
        Sink.OnDiagnostic(new WireDiagnostic(reason, File, frame, flow, offset, WireDiagnostic.HexSnippet(snippet), message));

    /// <summary>The boundary catch: an exception escaping a dissector becomes a diagnostic.</summary>
    public void ReportException(Exception exception, long frame, string flow, string protocol) =>
        Report(WireError.InternalError, frame, flow, 0, default,
            $"{protocol} dissector failed ({exception.GetType().Name}: {exception.Message}); this flow is no longer dissected");
}
