using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class DnsNamesTests
{
    [Theory]
    [InlineData("oss.example.com", true)]
    [InlineData("OSS.Example.com.", true)]
    [InlineData("_mysql._tcp.example.com", true)]
    [InlineData("mysql", false)]
    [InlineData("cluster-dns", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("bad..name.com", false)]
    [InlineData("-bad.example.com", false)]
    [InlineData("sp ace.example.com", false)]
    public void LooksLikeDnsNameWantsDottedValidLabels(string text, bool expected)
    {
        // Given
        // When
        var result = DnsNames.LooksLikeDnsName(text);

        // Then
        Assert.Equal(expected, result);
    }

    [Fact]
    public void FromExpectationsKeepsTheDnsNamesInFileOrder()
    {
        // Given
        var expectations = ExpectationsLoader.Parse("""
            dependencies:
              - name: cluster-dns
                address: 198.18.2.10:53
              - name: example-api.com
              - name: mysql
                address: 198.18.2.20:3306
              - name: OSS.example.com
                resolvesTo: [198.18.3.0/24]
              - name: oss.example.com.
            """, "expect.yaml");

        // When
        var names = DnsNames.FromExpectations(expectations);

        // Then
        Assert.Equal(["example-api.com", "oss.example.com"], names);
    }
}
