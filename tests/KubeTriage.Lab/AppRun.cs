using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeTriage.Lab;

/// <summary>
/// One run of the lab's app in the pod (<c>lab.sh app N</c>): resolve the API name, N calls of
/// <c>business_query()</c> on one MariaDB connection, fetch the object by name. Parsed from its summary lines.
/// </summary>
public sealed partial record AppRun(
    ExecResult Process,
    int QueriesAsked,
    string? ApiAddress,
    int QueriesDone,
    IReadOnlyList<double> QuerySeconds,
    string? ObjectStoreAddress,
    long? ObjectBytes,
    double? ObjectSeconds)
{
    /// <summary>Every step worked (exit code 0).</summary>
    public bool Succeeded => Process.Succeeded;

    public bool ApiResolved => ApiAddress is not null;

    public bool DatabaseSucceeded => QueriesDone == QueriesAsked && Process.StdOut.Contains("db: ok", StringComparison.Ordinal);

    public bool ObjectFetched => ObjectBytes is not null;

    public static AppRun Parse(ExecResult process, int queriesAsked)
    {
        var output = process.StdOut;
        var api = ApiLine().Match(output);
        var db = DbLine().Match(output);
        var oss = OssLine().Match(output);
        var times = db.Success && db.Groups["times"].Success
            ? db.Groups["times"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray()
            : [];
        return new AppRun(
            process,
            queriesAsked,
            api.Success ? api.Groups["ip"].Value : null,
            db.Success ? int.Parse(db.Groups["done"].Value, CultureInfo.InvariantCulture) : 0,
            times,
            oss.Success ? oss.Groups["ip"].Value : null,
            oss.Success ? long.Parse(oss.Groups["bytes"].Value, CultureInfo.InvariantCulture) : null,
            oss.Success ? double.Parse(oss.Groups["secs"].Value, CultureInfo.InvariantCulture) : null);
    }

    public override string ToString() => Process.ToString();

    [GeneratedRegex(@"^api-dns: ok \S+ -> (?<ip>[0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"^db: (?:ok|FAIL) (?<done>\d+)/\d+[^\n]*?(?:times: (?<times>[0-9. ]+))?$", RegexOptions.Multiline)]
    private static partial Regex DbLine();

    [GeneratedRegex(@"^oss: ok GET \S+ from (?<ip>[0-9.]+): 200, (?<bytes>\d+) bytes \((?<secs>[0-9.]+) s\)", RegexOptions.Multiline)]
    private static partial Regex OssLine();
}
