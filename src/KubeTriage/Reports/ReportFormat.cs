namespace KubeTriage.Reports;

public enum ReportFormat
{
    Text,
    Json,
    Markdown,
    Html,
}
