using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols;
using KubeTriage.Names;
using KubeTriage.Wire;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>
/// <c>capture FILE...</c>: reads the files through the capture engine into wire evidence, runs the wire
/// analyzers and writes the report. The engine and the evidence builder run on two threads
/// (<see cref="BackgroundSink"/>). A file that is not a capture is a one-line error (exit 2); a file
/// that breaks off part-way is a problem in the report, with everything read before it kept.
/// The report's time comes from the registered <see cref="TimeProvider"/>, so tests can fix it.
/// </summary>
public sealed class CaptureCommand(IAnsiConsole console, TimeProvider time) : AsyncCommand<CaptureSettings>
{
    /// <summary>Files smaller than this together are read before a progress bar could show anything.</summary>
    public const long ProgressThresholdBytes = 64L << 20;

    public override async Task<int> ExecuteAsync(CommandContext context, CaptureSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.ParsedFormat;
        var expectations = settings.Expect is null ? null : ExpectationsLoader.LoadFile(settings.Expect);
        var slowQueryMs = settings.SlowQueryMs ?? expectations?.SlowQueryMs ?? 1000;
        if (settings.Live)
        {
            return await NodeLiveCapture.RunAsync(settings, expectations, slowQueryMs, console, time, cancellationToken);
        }

        // Directories are listed once: the same files are read and looked up in their bundle.
        var files = settings.CaptureFiles();
        var engineOptions = EngineOptions(settings, files, out var nodeSubnets);
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions
        {
            PodIps = settings.ParsedPodIps,
            SlowQueryMs = slowQueryMs,
            NodeSubnets = nodeSubnets,
        });

        // The evidence builder runs on a second core, fed in order by the engine.
        CaptureRunResult result;
        using (var background = new BackgroundSink(builder))
        {
            result = await ReadAsync(files, background, engineOptions, cancellationToken);
            background.Complete();
        }

        if (!result.Succeeded)
        {
            throw new UserErrorException(string.Join("; ", result.Rejected.Select(r => r.ToString())));
        }

        var evidence = builder.Build();
        var report = CaptureDiagnosis.ToReport(evidence, expectations, time.GetUtcNow());
        if (settings.WriteExpect is { } draftPath)
        {
            WriteDraft(draftPath, evidence, slowQueryMs, report.ExitCode != ExitCodes.Clean);
        }

        return ReportOutput.Write(report, format, settings.Output, console);
    }

    internal static IProtocolRegistry Registry(ICaptureSink sink) => new ProtocolRegistry(sink);

    /// <summary>
    /// The engine's options: interface names for cooked v2 captures, from --ip-link or the bundle; and the node's
    /// NIC subnets when that file (or the bundle's ip-addr.json) is <c>ip -j addr</c> output.
    /// </summary>
    private static CaptureOptions EngineOptions(CaptureSettings settings, IReadOnlyList<string> files, out IReadOnlyList<NodeNicSubnet> nodeSubnets)
    {
        nodeSubnets = [];
        var path = settings.IpLink ?? InterfaceNameSource.FindInBundle(files);
        if (path is null)
        {
            return CaptureOptions.Default;
        }

        if (!InterfaceNameSource.TryRead(path, out var names, out var subnets, out var problem))
        {
            if (settings.IpLink is null)
            {
                // A bundle's node file that cannot be read only costs the names; the node verb reports it.
                return CaptureOptions.Default;
            }

            throw new UserErrorException($"--ip-link {path}: {problem}");
        }

        // In a bundle the names come from ip-link.json and the subnets from the node's ip-addr.json beside it.
        nodeSubnets = subnets.Count > 0 || settings.IpLink is not null ? subnets : InterfaceNameSource.ReadSubnets(InterfaceNameSource.AddressFileBeside(path));
        return CaptureOptions.Default with { InterfaceNames = names };
    }

    private static async Task<CaptureRunResult> ReadAsync(IReadOnlyList<string> files, ICaptureSink sink, CaptureOptions options, CancellationToken cancellationToken)
    {
        var piped = files.Any(StandardInputArgument.IsStandardInput);
        if (piped)
        {
            // Ctrl-C in `tcpdump -w - | kubetriage capture -` reaches both: tcpdump ends the pipe, and the
            // capture is read to its end and analysed instead of abandoned (a second Ctrl-C still stops it).
            cancellationToken = CancellationToken.None;
        }

        // A pipe has no length: it gets a spinner and a packet count instead of a bar (tcpdump -w - says nothing meanwhile).
        var total = files.Sum(f => !StandardInputArgument.IsStandardInput(f) && File.Exists(f) ? new FileInfo(f).Length : 0);
        if (Console.IsErrorRedirected || (!piped && total < ProgressThresholdBytes))
        {
            return await Task.Run(() => CaptureEngine.Run(files, sink, Registry(sink), options, null, cancellationToken), cancellationToken);
        }

        // Progress goes to stderr so that a JSON or HTML report on stdout stays one clean document.
        // Interactive because stderr is a terminal, even when stdin is the pipe the capture comes from.
        var errorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        ProgressColumn[] columns = piped
            ? [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn()]
            : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()];
        CaptureRunResult? result = null;
        await errorConsole.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async progress =>
            {
                var task = piped
                    ? progress.AddTask(PipeDescription(0))
                    : progress.AddTask($"reading {WireText.Bytes(total)}", maxValue: total);
                var reporter = new ProgressTaskReporter(task, piped);
                result = await Task.Run(() => CaptureEngine.Run(files, sink, Registry(sink), options, reporter, cancellationToken), cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string PipeDescription(long packets) =>
        $"stdin: {packets:#,0} packets (Ctrl-C ends tcpdump, then this reports)";

    private static void WriteDraft(string path, CaptureEvidence evidence, int slowQueryMs, bool hasFindings)
    {
        var draft = ExpectationsDrafter.Draft(evidence, slowQueryMs);
        try
        {
            File.WriteAllText(path, draft.ToYaml());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"--write-expect {path}: cannot write: {ex.Message}");
        }

        Console.Error.WriteLine($"kubetriage: wrote {draft.Dependencies.Count} dependencies to {path}"
            + (hasFindings ? " (the capture has warning or critical findings: check the draft describes a healthy state)" : string.Empty));
    }

    /// <summary>Moves a Spectre progress task as the engine reports bytes read (thread-safe, no synchronisation context).</summary>
    private sealed class ProgressTaskReporter(ProgressTask task, bool piped) : IProgress<CaptureProgress>
    {
        public void Report(CaptureProgress value)
        {
            if (piped)
            {
                task.Description = PipeDescription(value.Packets);
                return;
            }

            task.Value = value.BytesRead;
            task.Description = $"{Path.GetFileName(value.CurrentFile)}: {value.Packets:#,0} packets";
        }
    }
}
