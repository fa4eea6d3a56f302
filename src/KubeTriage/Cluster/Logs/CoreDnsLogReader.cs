using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeTriage.Cluster.Logs;

/// <summary>
/// Turns a CoreDNS container log into logical entries, then classifies each one.
/// Strips the optional timestamps (<c>kubectl logs --timestamps</c> RFC3339Nano prefix, CoreDNS 1.3–1.6
/// ISO prefix, 1.2 <c>yyyy/MM/dd HH:mm:ss</c> prefix), attaches client-go <c>Trace[…]</c> lines (which carry no
/// level) to the entry before them, and rejoins lines a terminal hard-wrapped.
/// </summary>
public static partial class CoreDnsLogReader
{
    /// <summary>Entries longer than this are cut: a runaway join must not eat memory.</summary>
    public const int MaxEntryLength = 16 * 1024;

    /// <summary>A physical line at least this long that is followed by a line that cannot start an entry was probably wrapped.</summary>
    private const int WrapWidth = 60;

    public static IReadOnlyList<CoreDnsLogEntry> Read(string text)
    {
        var raw = new List<RawEntry>();
        RawEntry? current = null;
        var previousLength = 0;
        var lineNumber = 0;
        foreach (var physical in text.Split('\n'))
        {
            lineNumber++;
            var line = physical.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                previousLength = 0;
                continue;
            }

            var (time, rest) = StripTimestamps(line);
            if (rest.StartsWith("Trace[", StringComparison.Ordinal) && current is not null)
            {
                current.Continuations.Add(rest);
                previousLength = line.Length;
                continue;
            }

            var wrapped = current is not null && !StartsEntry(rest)
                && (char.IsWhiteSpace(rest[0]) || previousLength >= WrapWidth);
            if (wrapped)
            {
                if (current!.Text.Length < MaxEntryLength)
                {
                    current.Text += rest;
                }
            }
            else
            {
                if (current is not null)
                {
                    raw.Add(current);
                }

                current = new RawEntry(lineNumber, time, rest);
            }

            previousLength = line.Length;
        }

        if (current is not null)
        {
            raw.Add(current);
        }

        var entries = new List<CoreDnsLogEntry>(raw.Count);
        var classifier = new CoreDnsLogClassifier();
        foreach (var r in raw)
        {
            var entryText = r.Text.Length > MaxEntryLength ? r.Text[..MaxEntryLength] : r.Text;
            entries.Add(classifier.Classify(r.Line, r.Time, entryText) with { Continuations = r.Continuations });
        }

        return entries;
    }

    /// <summary>Removes up to two leading timestamps (kubectl's, then CoreDNS's own) and returns the first.</summary>
    public static (DateTimeOffset? Time, string Text) StripTimestamps(string line)
    {
        DateTimeOffset? first = null;
        var rest = line;
        for (var round = 0; round < 2; round++)
        {
            var iso = IsoPrefix().Match(rest);
            if (iso.Success)
            {
                if (DateTimeOffset.TryParse(iso.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t))
                {
                    first ??= t;
                }

                rest = rest[iso.Length..];
                continue;
            }

            var old = SlashDatePrefix().Match(rest);
            if (old.Success)
            {
                if (DateTimeOffset.TryParseExact(old.Groups[1].Value, "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                {
                    first ??= t;
                }

                rest = rest[old.Length..];
                continue;
            }

            break;
        }

        return (first, rest);
    }

    /// <summary>True when a line begins a new entry rather than continuing a wrapped one.</summary>
    public static bool StartsEntry(string rest) =>
        rest.Length > 0 && !char.IsWhiteSpace(rest[0]) && EntryStart().IsMatch(rest);

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ")]
    private static partial Regex IsoPrefix();

    [GeneratedRegex(@"^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) ")]
    private static partial Regex SlashDatePrefix();

    [GeneratedRegex(@"^(?:\[(?:INFO|WARNING|WARN|ERROR|FATAL|DEBUG)\]|[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+|plugin/[a-z0-9_]+: |CoreDNS-|linux/|maxprocs:|panic:|goroutine \d+|fatal error:|\S*:\d+$|\d{1,3}(?:\.\d{1,3}){3}:\d+ - |Listen: |Trace\[)")]
    private static partial Regex EntryStart();

    private sealed class RawEntry(int line, DateTimeOffset? time, string text)
    {
        public int Line { get; } = line;

        public DateTimeOffset? Time { get; } = time;

        public string Text { get; set; } = text;

        public List<string> Continuations { get; } = [];
    }
}
