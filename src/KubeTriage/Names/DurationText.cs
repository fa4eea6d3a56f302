using System.Globalization;

namespace KubeTriage.Names;

/// <summary>
/// Durations as people type them: <c>500ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>; a bare number is seconds.
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        var (number, scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => (value[..^2], 0.001),
            _ when value.EndsWith('s') => (value[..^1], 1.0),
            _ when value.EndsWith('m') => (value[..^1], 60.0),
            _ when value.EndsWith('h') => (value[..^1], 3600.0),
            _ => (value, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsNaN(amount) || amount <= 0 || amount * scale > int.MaxValue / 1000.0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * scale);
        return duration > TimeSpan.Zero;
    }

    /// <summary><c>2s</c>, <c>500ms</c>: the short form used in reports.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds >= 1 && duration.TotalMilliseconds % 1000 == 0
            ? $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
