using KubeTriage.Capture.Files;
using KubeTriage.Capture.Tests.Support;
using Xunit.Abstractions;

namespace KubeTriage.Capture.Tests.Engine;

/// <summary>
/// Robustness sweep: thousands of corrupted variants of real captures (bytes flipped, zeroed, set to 0xff,
/// cut, duplicated), read by the whole engine with a dissecting registry. The only allowed outcomes are a
/// clean rejection or a run with problems; an exception fails the test and prints the input as hex.
/// The random generator is seeded, so a failure reproduces.
/// </summary>
public class CaptureMutationTests(ITestOutputHelper output)
{
    private const int VariantsPerCapture = 400;

    public static TheoryData<string> Captures => new()
    {
        "chrissanders__http-ipv4-ipv6.pcapng",
        "zeek__pcapng-multi-interface.pcapng",
        "zeek__http-qinq-vlan.pcap",
        "zeek__dns-ipv6-fragmented.pcap",
        "deepflow__mysql-error-initdb.pcap",
        "deepflow__dns-over-tcp-multi.pcap",
        "chrissanders__tcp-refused-client-retries.pcapng",
    };

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public void CorruptedCapturesOnlyEverGiveCleanOutcomes(string fileName)
    {
        // Given
        string? path = TestCaptures.Path(fileName);
        Skip.If(path is null, TestCaptures.SkipReason);
        var original = File.ReadAllBytes(path!);
        var random = new Random(fileName.Length * 7919);

        for (int variant = 0; variant < VariantsPerCapture; variant++)
        {
            var mutated = Mutate(original, random);

            // When
            try
            {
                Run(mutated);
            }
            catch (Exception e)
            {
                // Then
                output.WriteLine($"{fileName} variant {variant}: {e}");
                output.WriteLine(Convert.ToHexString(mutated));
                Assert.Fail($"{fileName} variant {variant} threw {e.GetType().Name}: {e.Message}; input printed as hex in the test output");
            }
        }
    }

    [Fact]
    public void RandomBytesAfterAValidMagicGiveCleanOutcomes()
    {
        // Given
        var random = new Random(20260101);
        byte[][] magics = [[0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0], [0xA1, 0xB2, 0x3C, 0x4D, 0, 2, 0, 4], [0x0A, 0x0D, 0x0D, 0x0A]];

        for (int variant = 0; variant < 1000; variant++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            var magic = magics[variant % magics.Length];
            magic.AsSpan(0, Math.Min(magic.Length, bytes.Length)).CopyTo(bytes);

            // When / Then
            try
            {
                Run(bytes);
            }
            catch (Exception e)
            {
                output.WriteLine(Convert.ToHexString(bytes));
                Assert.Fail($"variant {variant} threw {e.GetType().Name}: {e.Message}; input printed as hex in the test output");
            }
        }
    }

    private static void Run(byte[] bytes)
    {
        if (!CaptureFile.TryOpen(new MemoryStream(bytes), "mutated", bytes.Length, out var reader, out var error, 256))
        {
            Assert.NotNull(error);
            Assert.False(string.IsNullOrWhiteSpace(error!.Message));
            return;
        }

        var sink = new RecordingSink();
        var result = new CaptureEngine(sink, new TestRegistry { Consume = data => data.Length / 3 }).Run([reader!]);
        Assert.Single(result.Files);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int edits = 1 + random.Next(8);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(bytes.Length);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = 0; break;
                case 2: bytes[at] = 0xFF; break;
                case 3: bytes[at] = (byte)random.Next(256); break;
                case 4: bytes = bytes[..Math.Max(1, at)]; break;
                default:
                    int length = Math.Min(random.Next(1, 64), bytes.Length - at);
                    bytes = [.. bytes[..at], .. bytes.AsSpan(at, length), .. bytes[at..]];
                    break;
            }
        }

        return bytes;
    }
}
