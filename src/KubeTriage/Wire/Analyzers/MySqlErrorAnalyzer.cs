using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>mysql.error</c>: the server answered a command (or the login) with an error packet. One finding per
/// server and error code. Critical when the app cannot connect or use its database (login refused, too
/// many connections, unknown database); warning for errors of single statements.
/// </summary>
public sealed class MySqlErrorAnalyzer : IAnalyzer<CaptureContext>
{
    /// <summary>Codes that keep the app from connecting or from using its schema.</summary>
    private static readonly HashSet<ushort> ConnectionCodes = [1040, 1044, 1045, 1049, 1129, 1130, 1203, 1226, 1251, 1820, 3118];

    public string Id => FindingIds.MySqlError;

    public string Title => "MySQL error answers";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        foreach (var error in evidence.MySqlErrors.OrderBy(e => e.Server.Address, AddressOrder.Instance).ThenBy(e => e.Server.Port).ThenBy(e => e.Code))
        {
            var endpoint = WireText.Endpoint(error.Server.Address, error.Server.Port);
            var critical = error.DuringLogin || ConnectionCodes.Contains(error.Code);
            var lines = new List<string>
            {
                $"ERR {error.Code} \"{error.Message}\" × {error.Count}, answering {string.Join(", ", error.Commands)} from {error.Client}",
                $"first at {WireText.Clock(error.FirstTimeNs)} ({WireText.Frame(error.FirstFrame, error.File)})"
                + (error.Count > 1 ? $", last at {WireText.Clock(error.LastTimeNs)}" : string.Empty),
            };
            if (error.FirstIsLogin)
            {
                // A login carries a user and a database, not a statement (and neither when the server refused before it).
                if (!string.IsNullOrEmpty(error.FirstUser))
                {
                    lines.Add($"login as user '{error.FirstUser}'" + (string.IsNullOrEmpty(error.FirstQuery) ? string.Empty : $" to database '{error.FirstQuery}'"));
                }
            }
            else if (!string.IsNullOrEmpty(error.FirstQuery))
            {
                lines.Add(error.FirstCommand is "query" or "stmt_prepare" or "stmt_execute" or ""
                    ? $"statement: {Shorten(error.FirstQuery)}"
                    : $"{error.FirstCommand}: {Shorten(error.FirstQuery)}");
            }

            yield return new Finding(
                Id,
                critical ? Severity.Critical : Severity.Warning,
                $"{endpoint} answered ERR {error.Code}: {error.Message}",
                $"{endpoint} ERR {error.Code}",
                lines,
                Remediation(error.Code, endpoint));
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static string Remediation(ushort code, string endpoint) => code switch
    {
        1040 => $"{endpoint} has reached max_connections: compare SHOW STATUS LIKE 'Threads_connected' with SHOW VARIABLES LIKE 'max_connections', and the app's pool size × replicas.",
        1044 or 1045 => "The server rejects the app's user or password: check the credentials the pod uses (its Secret) against SELECT user, host FROM mysql.user, and the grants (SHOW GRANTS FOR 'user'@'host').",
        1049 => "The database the app asks for does not exist on this server: check the database name in the app's configuration against SHOW DATABASES.",
        1129 => "The server blocked the client host after too many failed connects: FLUSH HOSTS (or mysqladmin flush-hosts), then find what failed.",
        1130 => "The server does not allow connections from the pod's address: grant the user for the pod subnet (CREATE USER 'app'@'10.%' …) or connect through the expected source address.",
        1205 => "Lock wait timeout: find the blocking transaction (SELECT * FROM information_schema.innodb_trx; SHOW ENGINE INNODB STATUS).",
        1213 => "Deadlock: SHOW ENGINE INNODB STATUS shows the last deadlock; retry in the app and order the locks consistently.",
        1064 => "SQL syntax error in the app's statement: the statement in the evidence is what the server got.",
        1146 => "The table does not exist: check the schema version the app expects (migrations) against SHOW TABLES.",
        _ => $"Look the code up (perror {code}, or the MySQL/MariaDB error reference) and check the server's error log.",
    };
}
