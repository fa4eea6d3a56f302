using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>A TLS ClientHello seen on a connection, with its server name indication if it had one.</summary>
public sealed record TlsTransaction(long TimeNs, WireEndpoint Client, WireEndpoint Server, string? Sni, ushort LegacyVersion, long Frame, string File);
