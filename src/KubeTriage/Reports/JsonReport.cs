using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeTriage.Reports;

/// <summary>schemaVersion 1 of the contract: camelCase fields, enums as lowercase strings, nulls kept.</summary>
public static class JsonReport
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Render(Report report) => JsonSerializer.Serialize(report, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
