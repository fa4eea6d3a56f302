namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// Response codes (RFC 1035 §4.1.1, RFC 6895 §2.3): the 4-bit header RCODE, extended by the upper
/// 8 bits in an OPT record (RFC 6891 §6.1.3) when one is present.
/// </summary>
public static class DnsRcode
{
    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int NotImp = 4;
    public const int Refused = 5;

    public static string Name(int rcode) => rcode switch
    {
        NoError => "NOERROR",
        FormErr => "FORMERR",
        ServFail => "SERVFAIL",
        NxDomain => "NXDOMAIN",
        NotImp => "NOTIMP",
        Refused => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADVERS",
        _ => "RCODE" + rcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
