namespace KubeTriage.Wire.Building;

/// <summary>
/// Where one TCP connection stands in its request/response turns: which side is the client, when the
/// client's current request began, and when the server last sent data for it. Updated in place.
/// </summary>
internal struct TcpTurnState
{
    /// <summary>0 while unknown, 1 when the low endpoint is the client, 2 when the high one is.</summary>
    public byte Client;

    /// <summary>Time of the client's first data of the current turn; 0 when no request is open.</summary>
    public long TurnStartNs;

    /// <summary>Time of the server's last data in the current turn; 0 before the server answered.</summary>
    public long LastServerDataNs;
}
