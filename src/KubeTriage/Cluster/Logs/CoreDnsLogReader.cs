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
            // Cheap shape check first: most lines carry no timestamp, or kubectl's, and regex + culture parsing cost more than the rest.
            if (rest.Length > 20 && char.IsAsciiDigit(rest[0]) && rest[4] == '-' && rest[10] == 'T'
                && rest.IndexOf(' ', StringComparison.Ordinal) is var space and > 19
                && TryParseIso(rest.AsSpan(0, space), out var iso))
            {
                first ??= iso;
                rest = rest[(space + 1)..];
                continue;
            }

            var old = rest.Length > 20 && rest[4] == '/' ? SlashDatePrefix().Match(rest) : System.Text.RegularExpressions.Match.Empty;
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

    /// <summary>
    /// Parses <c>yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)</c> (RFC 3339 with up to nanoseconds; digits past
    /// the 100 ns tick are dropped) without culture lookups.
    /// </summary>
    public static bool TryParseIso(ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        var i = 19;
        long ticks = 0;
        if (s[i] == '.')
        {
            i++;
            var digits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (digits < 7)
                {
                    ticks = (ticks * 10) + (s[i] - '0');
                    digits++;
                }

                i++;
            }

            for (; digits < 7; digits++)
            {
                ticks *= 10;
            }
        }

        var offset = TimeSpan.Zero;
        var zone = s[i..];
        if (zone is "Z")
        {
            // UTC.
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':' && Digits(zone.Slice(1, 2), out var oh) && Digits(zone.Slice(4, 2), out var om))
        {
            offset = new TimeSpan(oh, om, 0) * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks).ToUniversalTime();
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>True when a line begins a new entry rather than continuing a wrapped one.</summary>
    public static bool StartsEntry(string rest) =>
        rest.Length > 0 && !char.IsWhiteSpace(rest[0]) && EntryStart().IsMatch(rest);

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
