namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// A TLS alert, RFC 8446 §6 (https://www.rfc-editor.org/rfc/rfc8446#section-6) and RFC 5246 §7.2:
/// <code>
///   AlertLevel level (1: warning, 2: fatal) | AlertDescription description (1)
/// </code>
/// In the clear only before the sender's keys are in use: a TLS 1.2 alert before its ChangeCipherSpec, a TLS 1.3
/// alert before the ServerHello. Later alerts are encrypted and only their record is seen.
/// </summary>
public static class TlsAlert
{
    public const int Size = 2;
    public const byte Warning = 1;
    public const byte Fatal = 2;
    public const byte CloseNotify = 0;

    /// <summary>The registered name of an alert description (IANA TLS Alerts), or "alert N".</summary>
    public static string Name(byte description) => description switch
    {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => "alert " + description.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>True for the descriptions that say the receiver did not accept the peer's certificate.</summary>
    public static bool IsCertificateRejection(byte description) => description is 42 or 43 or 44 or 45 or 46 or 48 or 116;
}
