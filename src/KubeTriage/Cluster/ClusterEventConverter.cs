using k8s.Models;

namespace KubeTriage.Cluster;

/// <summary>Reads core/v1 and events.k8s.io/v1 Events into one <see cref="ClusterEvent"/> shape.</summary>
public static class ClusterEventConverter
{
    public static ClusterEvent From(Corev1Event e) => new(
        e.Metadata?.NamespaceProperty ?? e.InvolvedObject?.NamespaceProperty ?? string.Empty,
        e.InvolvedObject?.Kind ?? string.Empty,
        e.InvolvedObject?.Name ?? string.Empty,
        e.Type ?? "Normal",
        e.Reason ?? string.Empty,
        e.Message ?? string.Empty,
        Math.Max(1, e.Count ?? 1),
        Utc(e.FirstTimestamp) ?? Utc(e.EventTime),
        Utc(e.LastTimestamp) ?? Utc(e.EventTime) ?? Utc(e.FirstTimestamp),
        e.Source?.Host ?? e.ReportingInstance);

    public static ClusterEvent From(Eventsv1Event e) => new(
        e.Metadata?.NamespaceProperty ?? e.Regarding?.NamespaceProperty ?? string.Empty,
        e.Regarding?.Kind ?? string.Empty,
        e.Regarding?.Name ?? string.Empty,
        e.Type ?? "Normal",
        e.Reason ?? string.Empty,
        e.Note ?? string.Empty,
        Math.Max(1, e.Series?.Count ?? e.DeprecatedCount ?? 1),
        Utc(e.DeprecatedFirstTimestamp) ?? Utc(e.EventTime),
        Utc(e.Series?.LastObservedTime) ?? Utc(e.DeprecatedLastTimestamp) ?? Utc(e.EventTime),
        e.DeprecatedSource?.Host ?? e.ReportingInstance);

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc)) : null;
}
