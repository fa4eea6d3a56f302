namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The members of a <see cref="MySqlTransaction"/> that only an error or a login carries, kept apart so
/// that the common transaction (a query answered by a result set or an OK) does not pay for them.
/// </summary>
internal sealed record MySqlTransactionExtras(ushort? ErrorCode, string? ErrorMessage, string? SqlState, string? User, string? ServerVersion)
{
    /// <summary>Null when every member is null, so that two transactions without extras compare equal.</summary>
    public static MySqlTransactionExtras? Of(ushort? errorCode, string? errorMessage, string? sqlState, string? user, string? serverVersion) =>
        errorCode is null && errorMessage is null && sqlState is null && user is null && serverVersion is null
            ? null
            : new MySqlTransactionExtras(errorCode, errorMessage, sqlState, user, serverVersion);
}
