namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>A client command waiting for its answer (or the login waiting for its outcome).</summary>
internal readonly record struct MySqlPendingCommand(byte Command, string? Query, uint StatementId, long TimeNs, long Frame, string? User);
