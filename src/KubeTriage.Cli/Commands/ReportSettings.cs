using System.ComponentModel;
using KubeTriage.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options every verb takes: the report format and where to write it.</summary>
public class ReportSettings : CommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("Report format: text, json, markdown or html. Default: text.")]
    [DefaultValue("text")]
    public string Format { get; init; } = "text";

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report to FILE instead of standard output.")]
    public string? Output { get; init; }

    public ReportFormat ParsedFormat => Format.ToLowerInvariant() switch
    {
        "text" => ReportFormat.Text,
        "json" => ReportFormat.Json,
        "markdown" or "md" => ReportFormat.Markdown,
        "html" => ReportFormat.Html,
        _ => throw new UserErrorException($"--format: '{Format}' is not one of text, json, markdown, html"),
    };

    public override ValidationResult Validate()
    {
        if (Format.ToLowerInvariant() is not ("text" or "json" or "markdown" or "md" or "html"))
        {
            return ValidationResult.Error($"--format: '{Format}' is not one of text, json, markdown, html");
        }

        return ValidationResult.Success();
    }
}
