using System.Diagnostics;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Testing;
using Spectre.Console.Testing;

namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// Runs the CLI two ways: in-process through <see cref="CommandAppTester"/> with the real registration,
/// a fixed report time and a fixed-width console; and as the real program in a child process, to see
/// exactly what reaches stdout and stderr.
/// </summary>
internal static class CliRunner
{
    public static readonly DateTimeOffset ReportTime = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static CommandAppResult Run(params string[] args)
    {
        var tester = new CommandAppTester(null, new CommandAppTesterSettings(), new TestConsole().Width(120));
        tester.Configure(config =>
        {
            config.SetApplicationName("kubetriage");
            config.UseStrictParsing();
            Registration.AddCommands(config);
            config.Settings.Registrar.RegisterInstance<TimeProvider>(new FixedTime(ReportTime));
            config.SetExceptionHandler((ex, _) => ErrorHandler.Handle(ex));
        });
        return tester.Run(args);
    }

    public static (int ExitCode, string Stdout, string Stderr) RunProcess(params string[] args) => RunProcessWithInput(null, args);

    /// <summary>Runs the real program with <paramref name="input"/> piped to its standard input (null: none).</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunProcessWithInput(byte[]? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KubeTriage.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            try
            {
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program stopped reading early (e.g. a usage error): its exit code and stderr tell why.
            }
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubetriage {string.Join(' ', args)} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
