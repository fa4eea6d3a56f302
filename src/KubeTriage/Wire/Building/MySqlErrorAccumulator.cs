using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.MySql;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the error packets of one code from one server.</summary>
internal sealed class MySqlErrorAccumulator(WireEndpoint server, ushort code, MySqlTransaction first)
{
    private readonly SortedSet<string> _commands = new(StringComparer.Ordinal);
    private MySqlTransaction _first = first;
    private long _count;
    private long _last = first.RequestTimeNs;
    private bool _login;

    public void Add(MySqlTransaction transaction)
    {
        _count++;
        if (_commands.Count < 16)
        {
            _commands.Add(transaction.CommandName);
        }

        _login |= IsLogin(transaction);
        if (transaction.RequestTimeNs < _first.RequestTimeNs)
        {
            _first = transaction;
        }

        _last = Math.Max(_last, transaction.RequestTimeNs);
    }

    public MySqlErrorGroup Build() => new()
    {
        Server = server,
        Code = code,
        Message = _first.ErrorMessage ?? string.Empty,
        Count = _count,
        Commands = _commands.ToList(),
        Client = _first.Client.Address,
        FirstTimeNs = _first.RequestTimeNs,
        LastTimeNs = _last,
        FirstFrame = _first.RequestFrame,
        File = _first.File,
        FirstQuery = _first.Query,
        FirstCommand = _first.CommandName,
        FirstIsLogin = IsLogin(_first),
        FirstUser = _first.User,
        DuringLogin = _login,
    };

    /// <summary>The login exchange is reported as a command named like "Login" or "Handshake", or with no command byte.</summary>
    public static bool IsLogin(MySqlTransaction transaction) =>
        transaction.CommandName.Contains("login", StringComparison.OrdinalIgnoreCase)
        || transaction.CommandName.Contains("handshake", StringComparison.OrdinalIgnoreCase)
        || transaction.CommandName.Contains("auth", StringComparison.OrdinalIgnoreCase);
}
