namespace KubeTriage.Cluster;

/// <summary>
/// An Event, from core <c>v1</c> (<c>involvedObject</c>, <c>count</c>, <c>firstTimestamp</c>) or <c>events.k8s.io/v1</c>
/// (<c>regarding</c>, <c>series.count</c>, <c>deprecated*</c>) alike.
/// </summary>
public sealed record ClusterEvent(
    string Namespace,
    string InvolvedKind,
    string InvolvedName,
    string Type,
    string Reason,
    string Message,
    int Count,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    string? Host)
{
    public bool IsWarning => string.Equals(Type, "Warning", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Warning BackOff (x87, 05:03:02Z → 05:21:40Z): message</c>.</summary>
    public string Describe()
    {
        var when = (FirstSeen, LastSeen) switch
        {
            ({ } f, { } l) when f != l => $"{Format(f)} → {Format(l)}",
            (_, { } l) => Format(l),
            ({ } f, _) => Format(f),
            _ => "time unknown",
        };
        var times = Count > 1 ? $"x{Count}, {when}" : when;
        return $"{Type} {Reason} ({times}): {Message}";
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
