using KubeTriage.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

// Piped or redirected text is read by people later (tickets, files): give tables room instead of
// wrapping them at 80 columns. COLUMNS wins when set, as in most terminal tools.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0
        ? columns
        : ReportOutput.RedirectedWidth;
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("kubetriage");
    config.SetApplicationVersion(typeof(Registration).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    config.UseStrictParsing();
    Registration.AddCommands(config);
    config.SetExceptionHandler((ex, _) => ErrorHandler.Handle(ex));
});

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops long work early (capture --live analyses what it has); a second one kills.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await app.RunAsync(StandardInputArgument.Rewrite(args), cancellation.Token);
