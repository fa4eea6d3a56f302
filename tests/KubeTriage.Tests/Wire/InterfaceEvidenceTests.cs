using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

public class InterfaceEvidenceTests
{
    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("/tmp/eth0.pcap", "eth0")]
    [InlineData("eth1.pcapng", "eth1")]
    [InlineData("/captures/eth0.pcap.gz", "eth0")]
    [InlineData("any.pcap.gz#if3", "any#if3")]
    [InlineData("any.pcap#eth1", "any#eth1")]
    [InlineData("/dev/stdin#if2", "stdin#if2")]
    [InlineData("notes.gz", "notes.gz")]
    public void AnInterfaceReadsAsPeopleNameIt(string name, string expected)
    {
        // When
        var display = InterfaceEvidence.DisplayName(name);

        // Then
        Assert.Equal(expected, display);
    }
}
