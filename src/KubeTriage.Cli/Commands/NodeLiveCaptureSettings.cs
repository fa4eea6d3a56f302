using KubeTriage.Names;
using Spectre.Console;

namespace KubeTriage.Cli.Commands;

/// <summary>The checks of <c>capture --live</c>'s options (-i, --duration, --write), next to those of <c>capture</c>.</summary>
public static class NodeLiveCaptureSettings
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);

    public static TimeSpan ParsedDuration(CaptureSettings settings) =>
        settings.Duration is { } text && DurationText.TryParse(text, out var duration) ? duration : DefaultDuration;

    public static ValidationResult Validate(CaptureSettings settings)
    {
        if (!settings.Live)
        {
            var option = settings.Interfaces.Length > 0 ? "-i" : settings.Duration is not null ? "--duration" : "--write";
            return ValidationResult.Error($"{option}: only with --live (capture on this node)");
        }

        if (settings.Files.Length > 0)
        {
            return ValidationResult.Error($"capture --live takes no FILE ({settings.Files[0]}): it captures on this node; to read files, drop --live");
        }

        if (settings.Duration is { } text && (!DurationText.TryParse(text, out var duration) || duration > TimeSpan.FromDays(1)))
        {
            return ValidationResult.Error($"--duration: '{text}' is not a duration such as 30s, 2m or 1h (at most 24h)");
        }

        foreach (var name in settings.Interfaces)
        {
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains(' ', StringComparison.Ordinal))
            {
                return ValidationResult.Error($"-i: '{name}' is not an interface name");
            }
        }

        if (settings.Write is not null && Path.GetDirectoryName(Path.GetFullPath(settings.Write)) is { } dir && !Directory.Exists(dir))
        {
            return ValidationResult.Error($"--write {settings.Write}: directory {dir} does not exist");
        }

        return ValidationResult.Success();
    }
}
