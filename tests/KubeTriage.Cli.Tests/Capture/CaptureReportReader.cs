using System.Text.Json;

namespace KubeTriage.Cli.Tests.Capture;

/// <summary>Runs <c>capture</c> with <c>--format json -o</c> and reads back what a script would.</summary>
internal sealed class CaptureReportReader
{
    private CaptureReportReader(int exitCode, string json)
    {
        ExitCode = exitCode;
        Json = json;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Findings = root.GetProperty("findings").EnumerateArray()
            .Select(f => new FindingLine(
                f.GetProperty("severity").GetString()!, f.GetProperty("id").GetString()!, f.GetProperty("subject").GetString()!,
                f.GetProperty("title").GetString()!, f.GetProperty("causedBy").EnumerateArray().Select(c => c.GetString()!).ToList()))
            .ToList();
        Problems = root.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        MySqlQueries = root.GetProperty("capture").GetProperty("mysql").EnumerateArray()
            .Select(t => t.GetProperty("query").GetString() ?? string.Empty).ToList();
    }

    /// <summary>The statements of the MySQL transactions the report lists.</summary>
    public IReadOnlyList<string> MySqlQueries { get; }

    /// <summary>
    /// Skips the rest of a test when the MySQL dissector did not read the app's calls (the assertions that
    /// follow are about them); everything asserted before still counts.
    /// </summary>
    public void SkipUnlessMySqlCallsWereRead(string statement, int atLeast) =>
        Skip.If(MySqlQueries.Count(q => q.Contains(statement, StringComparison.Ordinal)) < atLeast,
            $"the MySQL dissector read {MySqlQueries.Count(q => q.Contains(statement, StringComparison.Ordinal))} of the {atLeast} '{statement}' calls in this recording "
            + $"(problems: {string.Join(" | ", Problems.Where(p => p.Contains("MySql", StringComparison.Ordinal)))})");

    public int ExitCode { get; }

    public string Json { get; }

    public IReadOnlyList<FindingLine> Findings { get; }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>"severity id subject" of every finding at warning or above, in report order.</summary>
    public IReadOnlyList<string> Serious => Findings.Where(f => f.Severity != "info").Select(f => f.ToString()).ToList();

    public FindingLine Single(string id, string subjectPrefix) =>
        Assert.Single(Findings, f => f.Id == id && f.Subject.StartsWith(subjectPrefix, StringComparison.Ordinal));

    public static CaptureReportReader Run(params string[] args)
    {
        using var temp = TestFiles.Temp();
        var json = temp.File("report.json");
        var result = CliRunner.Run([.. args, "--format", "json", "-o", json]);
        Assert.True(File.Exists(json), $"no report written; exit {result.ExitCode}: {result.Output}");
        return new CaptureReportReader(result.ExitCode, File.ReadAllText(json));
    }

    public sealed record FindingLine(string Severity, string Id, string Subject, string Title, IReadOnlyList<string> CausedBy)
    {
        public override string ToString() => $"{Severity} {Id} {Subject}";
    }
}
