using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Tests.Engine;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols;

/// <summary>
/// The capture engine with the <see cref="ProtocolRegistry"/> over every public capture of
/// ../shared/testdata/pcaps (sources and licences in its SOURCES.md): a plain dissection transcript of
/// the DNS, MySQL, HTTP and TLS transactions and the protocol diagnostics, one golden file per capture
/// under Expectations/Protocols.
/// </summary>
public class PublicCaptureDissectionTests
{
    public static TheoryData<string> AllCaptures => PublicCaptureTests.AllCaptures;

    [SkippableTheory]
    [MemberData(nameof(AllCaptures))]
    public void DissectionMatchesTheGoldenFile(string fileName)
    {
        // Given
        var path = TestCaptures.Path(fileName);
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path!], sink, new ProtocolRegistry(sink));

        // Then
        Assert.True(result.Succeeded);
        Golden.Verify("Protocols", Path.GetFileNameWithoutExtension(fileName), TransactionText.Of(sink));
    }
}
