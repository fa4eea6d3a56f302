using KubeTriage.Capture;
using KubeTriage.Node.Live;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Node.Live;

public class LivePacketCaptureTests
{
    [SkippableFact]
    public void NamesTheInterfacesItCanCaptureOnWhenOneIsUnknown()
    {
        // Given
        Skip.IfNot(LibpcapPresent(), "libpcap is not installed");
        var feed = new CaptureEngine(new CaptureEvidenceBuilder()).StartLive("test");

        // When
        var error = Assert.Throws<LiveCaptureException>(() =>
            LivePacketCapture.Open(new LiveCaptureOptions { Interfaces = ["kt-no-such-if"] }, feed));

        // Then
        Assert.StartsWith("-i kt-no-such-if: no such interface to capture on (libpcap sees: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("lo", error.Message, StringComparison.Ordinal);
    }

    private static bool LibpcapPresent() =>
        new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" }
            .Any(dir => Directory.Exists(dir) && Directory.EnumerateFiles(dir, "libpcap.so*").Any());
}
