using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>Error packets one server sent with one error code, with the first occurrence to cite.</summary>
public sealed record MySqlErrorGroup
{
    public required WireEndpoint Server { get; init; }

    public required ushort Code { get; init; }

    public string Message { get; init; } = string.Empty;

    public long Count { get; init; }

    /// <summary>Command names that got this error (e.g. Login, COM_INIT_DB, COM_QUERY).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    public NetAddress Client { get; init; }

    public long FirstTimeNs { get; init; }

    public long LastTimeNs { get; init; }

    public long FirstFrame { get; init; }

    public string File { get; init; } = string.Empty;

    /// <summary>The first occurrence's statement; for a login, the database it asked for.</summary>
    public string? FirstQuery { get; init; }

    /// <summary>The first occurrence's command name (query, init_db, …).</summary>
    public string FirstCommand { get; init; } = string.Empty;

    /// <summary>True when the first occurrence answered a login (<see cref="FirstQuery"/> is then a database).</summary>
    public bool FirstIsLogin { get; init; }

    /// <summary>The user the first occurrence's login named, when it was a login.</summary>
    public string? FirstUser { get; init; }

    /// <summary>True when the error answered the login (the app could not even connect).</summary>
    public bool DuringLogin { get; init; }
}
