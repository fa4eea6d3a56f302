namespace KubeTriage.Names;

/// <summary>Response codes as dig prints them (RFC 1035 §4.1.1, RFC 6895 §2.3).</summary>
public static class DnsRcodes
{
    public const string NoError = "NOERROR";
    public const string FormErr = "FORMERR";
    public const string ServFail = "SERVFAIL";
    public const string NxDomain = "NXDOMAIN";
    public const string NotImp = "NOTIMP";
    public const string Refused = "REFUSED";

    public static string Name(int rcode) => rcode switch
    {
        0 => NoError,
        1 => FormErr,
        2 => ServFail,
        3 => NxDomain,
        4 => NotImp,
        5 => Refused,
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => $"RCODE{rcode}",
    };
}
