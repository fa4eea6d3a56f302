namespace KubeTriage.Capture.Files;

/// <summary>pcapng block type codes (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html, section 11.1).</summary>
internal static class PcapNgBlockType
{
    public const uint SectionHeader = 0x0A0D0D0A;
    public const uint InterfaceDescription = 0x00000001;
    public const uint ObsoletePacket = 0x00000002;
    public const uint SimplePacket = 0x00000003;
    public const uint EnhancedPacket = 0x00000006;

    /// <summary>Byte-order magic in the section header, read as big-endian when the section is big-endian.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;
}
