namespace KubeTriage.Node.Live;

/// <summary>A live capture that cannot start: libpcap missing, no permission, an unknown interface, a bad filter.</summary>
public sealed class LiveCaptureException(string message, Exception? inner = null) : Exception(message, inner);
