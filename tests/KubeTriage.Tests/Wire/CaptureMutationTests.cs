using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Lab;
using KubeTriage.Reports;
using KubeTriage.Wire;
using Spectre.Console;
using Xunit.Abstractions;

namespace KubeTriage.Tests.Wire;

/// <summary>
/// The whole `capture` path on corrupted lab recordings: one to three files of a case (some corrupted,
/// some not, merged as the verb merges them) through the engine with the real dissectors, the evidence
/// builder, the diagnosis, all four report formats and the expectations drafter. A rejected file or a
/// report with problems is fine; an exception anywhere fails the test and names the variant, which a
/// fixed seed reproduces.
/// </summary>
public sealed class CaptureMutationTests(ITestOutputHelper output) : IDisposable
{
    private const int VariantsPerCase = 60;

    private readonly string _dir = Directory.CreateTempSubdirectory("kubetriage-mutation-").FullName;

    public static TheoryData<string> Cases => ["healthy", "nic", "route", "cluster-dns", "slow-db", "wrong-dns", "incident"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorruptedRecordingsGiveAReportOrACleanRejection(string name)
    {
        // Given the case's captures
        var originals = Directory.GetFiles(TestPaths.TestData("pcap", "lab", name), "*.pcap").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var random = new Random(20261128 + name.Length);
        int reports = 0;

        for (int variant = 0; variant < VariantsPerCase; variant++)
        {
            var paths = new List<string>();
            int files = 1 + random.Next(Math.Min(3, originals.Length));
            for (int f = 0; f < files; f++)
            {
                var original = originals[random.Next(originals.Length)];
                var path = Path.Combine(_dir, $"{variant}-{f}.pcap");
                File.WriteAllBytes(path, f > 0 && random.Next(3) == 0 ? original : Mutate(original, random));
                paths.Add(path);
            }

            // When / Then
            try
            {
                reports += RunWholePath(paths, slowQueryMs: 1 + random.Next(2000)) ? 1 : 0;
            }
            catch (Exception e)
            {
                output.WriteLine($"{name} variant {variant}: {e}");
                Assert.Fail($"{name} variant {variant} ({files} files) threw {e.GetType().Name}: {e.Message}");
            }
        }

        // Most corruptions hit packet bytes, not the file header: most variants still give a report.
        Assert.True(reports > VariantsPerCase / 2, $"{reports} reports of {VariantsPerCase} variants");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool RunWholePath(List<string> paths, int slowQueryMs)
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { SlowQueryMs = slowQueryMs });
        var result = CaptureEngine.Run(paths, builder, new ProtocolRegistry(builder));
        if (!result.Succeeded)
        {
            Assert.All(result.Rejected, r => Assert.False(string.IsNullOrWhiteSpace(r.ToString())));
            return false;
        }

        var evidence = builder.Build();
        var report = CaptureDiagnosis.ToReport(evidence, null, DateTimeOffset.UnixEpoch);
        Assert.NotEmpty(JsonReport.Render(report));
        Assert.NotEmpty(MarkdownReport.Render(report));
        Assert.NotEmpty(HtmlReport.Render(report));
        var text = new StringWriter();
        TextReport.Render(report, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No }));
        Assert.NotEqual(0, text.GetStringBuilder().Length);
        _ = ExpectationsDrafter.Draft(evidence, slowQueryMs);
        return true;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int edits = 1 + random.Next(12);
        for (int i = 0; i < edits && bytes.Length > 0; i++)
        {
            int at = random.Next(bytes.Length);
            switch (random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = 0; break;
                case 2: bytes[at] = 0xFF; break;
                case 3: bytes[at] = (byte)random.Next(256); break;
                case 4:
                    if (random.Next(4) == 0)
                    {
                        bytes = bytes[..Math.Max(1, at)];
                    }

                    break;
                case 5:
                    int length = Math.Min(random.Next(1, 64), bytes.Length - at);
                    bytes = [.. bytes[..at], .. bytes.AsSpan(at, length), .. bytes[at..]];
                    break;
                default:
                    random.NextBytes(bytes.AsSpan(at, Math.Min(random.Next(1, 8), bytes.Length - at)));
                    break;
            }
        }

        return bytes;
    }
}
