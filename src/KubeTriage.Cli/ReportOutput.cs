using KubeTriage.Reports;
using Spectre.Console;

namespace KubeTriage.Cli;

/// <summary>
/// Writes a finished report where the user asked, in the format they asked, and returns the exit code.
/// Text goes to the terminal with colour only when stdout is a terminal; a file gets plain text.
/// </summary>
public static class ReportOutput
{
    /// <summary>Width of text written to a file or a pipe.</summary>
    public const int RedirectedWidth = 160;

    public static int Write(Report report, ReportFormat format, string? outputPath, IAnsiConsole console)
    {
        if (format == ReportFormat.Text)
        {
            if (outputPath is null)
            {
                TextReport.Render(report, console);
            }
            else
            {
                using var writer = OpenFile(outputPath);
                var fileConsole = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Ansi = AnsiSupport.No,
                    ColorSystem = ColorSystemSupport.NoColors,
                    Out = new AnsiConsoleOutput(writer),
                    Interactive = InteractionSupport.No,
                });
                fileConsole.Profile.Width = RedirectedWidth;
                TextReport.Render(report, fileConsole);
            }

            return report.ExitCode;
        }

        var text = format switch
        {
            ReportFormat.Json => JsonReport.Render(report),
            ReportFormat.Markdown => MarkdownReport.Render(report),
            ReportFormat.Html => HtmlReport.Render(report),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };

        if (outputPath is null)
        {
            // Bypass Spectre so that JSON and HTML are written byte for byte, never wrapped.
            Console.Out.Write(text);
            if (!text.EndsWith('\n'))
            {
                Console.Out.WriteLine();
            }

            Console.Out.Flush();
        }
        else
        {
            using var writer = OpenFile(outputPath);
            writer.Write(text);
        }

        return report.ExitCode;
    }

    private static StreamWriter OpenFile(string path)
    {
        try
        {
            return new StreamWriter(path, append: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new UserErrorException($"-o {path}: cannot write the report: {ex.Message}");
        }
    }
}
