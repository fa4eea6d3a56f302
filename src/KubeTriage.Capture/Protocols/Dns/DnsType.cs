namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// Resource record TYPE codes the dissector understands
/// (https://www.iana.org/assignments/dns-parameters/dns-parameters.xhtml#dns-parameters-4).
/// </summary>
public static class DnsType
{
    public const ushort A = 1;
    public const ushort NS = 2;
    public const ushort CNAME = 5;
    public const ushort SOA = 6;
    public const ushort PTR = 12;
    public const ushort MX = 15;
    public const ushort TXT = 16;
    public const ushort AAAA = 28;
    public const ushort SRV = 33;
    public const ushort OPT = 41;
    public const ushort HTTPS = 65;
    public const ushort ANY = 255;

    /// <summary>The mnemonic, or <c>TYPEnnn</c> (RFC 3597 §5) for codes without one here.</summary>
    public static string Name(ushort type) => type switch
    {
        A => "A",
        NS => "NS",
        CNAME => "CNAME",
        SOA => "SOA",
        PTR => "PTR",
        MX => "MX",
        TXT => "TXT",
        AAAA => "AAAA",
        SRV => "SRV",
        OPT => "OPT",
        HTTPS => "HTTPS",
        13 => "HINFO",
        35 => "NAPTR",
        39 => "DNAME",
        43 => "DS",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        64 => "SVCB",
        99 => "SPF",
        252 => "AXFR",
        ANY => "ANY",
        257 => "CAA",
        _ => "TYPE" + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
