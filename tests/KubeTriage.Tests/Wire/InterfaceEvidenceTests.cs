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
    [InlineData("/captures/eth0.pcap1", "eth0")]
    [InlineData("eth0.pcap07", "eth0")]
    [InlineData("eth0.pcap3.gz", "eth0")]
    [InlineData("eth1_00001_20261128184448.pcapng", "eth1")]
    [InlineData("any_00012_20261128184448.pcapng#eth1", "any#eth1")]
    [InlineData("node-a.trace.pcap", "node-a.trace")]
    public void AnInterfaceReadsAsPeopleNameIt(string name, string expected)
    {
        // When
        var display = InterfaceEvidence.DisplayName(name);

        // Then
        Assert.Equal(expected, display);
    }
}
