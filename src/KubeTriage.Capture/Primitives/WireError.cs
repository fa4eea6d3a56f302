namespace KubeTriage.Capture.Primitives;

/// <summary>
/// Every reason the capture engine rejects bytes, named for what is wrong. A closed set:
/// add a member rather than a free-text reason.
/// </summary>
public enum WireError
{
    None = 0,

    // Files
    FileEmpty,
    FileNotACapture,
    FileTruncatedHeader,
    FileTruncatedRecord,
    FileRecordTooLarge,
    FileBlockLengthMismatch,
    FileUnsupportedLinkType,
    FileUnsupportedVersion,
    FileIoError,

    // Packets
    PacketTruncated,
    PacketBadHeaderLength,
    PacketUnsupportedEtherType,
    PacketBadIpVersion,
    PacketTooManyHeaders,
    PacketUnsupportedLinkType,

    // Flows
    FlowGap,
    FlowMidStream,
    FlowBufferOverflow,

    // Protocols
    DnsTruncated,
    DnsBadLabel,
    DnsCompressionLoop,
    DnsRecordLengthMismatch,
    MySqlBadPacket,
    MySqlUnexpectedPacket,
    MySqlEncrypted,
    HttpBadRequestLine,
    HttpBadStatusLine,
    HttpHeadersTooLarge,
    TlsBadRecord,
    TlsBadClientHello,
    DnsForwardPointer,
    DnsNameTooLong,
    DnsBadHeader,
    DnsMessageTooLarge,
    MySqlPacketOutOfSequence,
    HttpBadHeader,
    HttpBadChunk,
    HttpBadContentLength,
    TlsUnsupportedVersion,
    TlsHandshakeTooLarge,
    TlsBadServerHello,
    Http2BadFrame,
    Http2BadHeaderBlock,

    // Anything that escaped a dissector: the boundary catch records it and goes on.
    InternalError,
}
