namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Capability flags (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html)
/// that change what the dissector reads.
/// </summary>
internal static class MySqlCapabilities
{
    public const uint ConnectWithDb = 0x00000008;
    public const uint Compress = 0x00000020;
    public const uint Protocol41 = 0x00000200;
    public const uint Ssl = 0x00000800;
    public const uint SecureConnection = 0x00008000;
    public const uint PluginAuth = 0x00080000;
    public const uint ConnectAttrs = 0x00100000;
    public const uint PluginAuthLengthEncodedData = 0x00200000;
    public const uint DeprecateEof = 0x01000000;
    public const uint OptionalResultsetMetadata = 0x02000000;
    public const uint QueryAttributes = 0x08000000;
}

/// <summary>Server status flags carried by OK and EOF packets.</summary>
internal static class MySqlServerStatus
{
    public const ushort MoreResultsExist = 0x0008;
    public const ushort CursorExists = 0x0040;
}
