using System.Text;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>Draws one room's section of a report for people, in each human format.</summary>
public interface ISectionRenderer
{
    bool CanRender(object section);

    void RenderText(object section, IAnsiConsole console);

    void RenderMarkdown(object section, StringBuilder markdown);

    void RenderHtml(object section, StringBuilder html);
}
