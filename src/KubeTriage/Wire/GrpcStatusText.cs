using System.Globalization;

namespace KubeTriage.Wire;

/// <summary>gRPC status codes as people read them: "UNAVAILABLE (14)" (grpc/doc/statuscodes.md, the codes 0 to 16).</summary>
public static class GrpcStatusText
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>
    /// Not a gRPC status: a call the client cancelled (RST_STREAM CANCEL) before any answer came, what a client
    /// whose deadline passed does; it then reports DEADLINE_EXCEEDED to its caller.
    /// </summary>
    public const int CancelledUnanswered = -1;

    /// <summary>
    /// Not a gRPC status: a call that was answered, but whose status the capture cannot read (its trailers refer to
    /// HPACK table entries from before the capture joined the connection).
    /// </summary>
    public const int Unreadable = -2;

    public const int Ok = 0;
    public const int Cancelled = 1;
    public const int Unknown = 2;
    public const int DeadlineExceeded = 4;
    public const int PermissionDenied = 7;
    public const int ResourceExhausted = 8;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int DataLoss = 15;
    public const int Unauthenticated = 16;

    /// <summary>"UNAVAILABLE"; a code outside 0–16 as its number.</summary>
    public static string Name(int code) =>
        code == CancelledUnanswered ? "cancelled by the client unanswered"
        : code == Unreadable ? "status unreadable"
        : code >= 0 && code < Names.Length ? Names[code] : code.ToString(CultureInfo.InvariantCulture);

    /// <summary>"UNAVAILABLE (14)".</summary>
    public static string Describe(int code) =>
        code == CancelledUnanswered ? "cancelled by the client before any answer (RST_STREAM CANCEL: its deadline passed)"
        : code == Unreadable ? "answered with a status the capture cannot read (header compression state from before the capture)"
        : $"{Name(code)} ({code.ToString(CultureInfo.InvariantCulture)})";
}
