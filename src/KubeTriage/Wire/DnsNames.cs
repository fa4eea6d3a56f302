namespace KubeTriage.Wire;

/// <summary>
/// Names for DNS numbers, as dig and tshark print them: record types (RFC 1035 §3.2.2, RFC 3596, IANA
/// "Resource Record (RR) TYPEs") and response codes (RFC 1035 §4.1.1, RFC 2136, RFC 6895).
/// </summary>
public static class DnsNames
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypeAaaa = 28;

    public const int RcodeNoError = 0;
    public const int RcodeServFail = 2;
    public const int RcodeNxDomain = 3;
    public const int RcodeRefused = 5;

    public static string TypeName(ushort type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        13 => "HINFO",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        35 => "NAPTR",
        39 => "DNAME",
        41 => "OPT",
        43 => "DS",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        64 => "SVCB",
        65 => "HTTPS",
        99 => "SPF",
        252 => "AXFR",
        255 => "ANY",
        257 => "CAA",
        _ => $"TYPE{type}",
    };

    public static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADVERS",
        _ => $"RCODE{rcode}",
    };

    /// <summary>True for record types whose data is an address (A, AAAA).</summary>
    public static bool IsAddressType(ushort type) => type is TypeA or TypeAaaa;

    /// <summary>Lower case without the trailing dot: how names are compared and grouped.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
