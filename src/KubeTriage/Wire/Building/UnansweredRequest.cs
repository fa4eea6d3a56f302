namespace KubeTriage.Wire.Building;

/// <summary>
/// The last request a dissector saw without an answer on one connection (<see cref="Text"/>: "query SELECT …",
/// "GET /path"), or a MySQL COM_QUIT (<see cref="ClientQuit"/>: the client closing, no answer expected).
/// Kept until the connection's record arrives, which always follows its transactions.
/// </summary>
internal readonly record struct UnansweredRequest(string? Text, bool ClientQuit, long TimeNs, long Frame);
