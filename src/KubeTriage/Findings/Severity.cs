namespace KubeTriage.Findings;

/// <summary>Critical breaks the app, warning degrades it or puts it at risk, info is context.</summary>
public enum Severity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
