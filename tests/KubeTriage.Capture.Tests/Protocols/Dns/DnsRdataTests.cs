using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

public class DnsRdataTests
{
    // RDATA starts at offset 16; bytes 12-15 hold "com\0" for pointers (c00c) to aim at.
    private const string Prefix = "000000000000000000000000 03636f6d00";
    private const int At = 17;

    [Theory]
    [InlineData(DnsType.A, "c0a80116", "192.168.1.22")]
    [InlineData(DnsType.AAAA, "20010db8000000000000000000000001", "2001:db8::1")]
    [InlineData(DnsType.AAAA, "00000000000000000000ffffc0a80116", "::ffff:192.168.1.22")] // IPv4-mapped
    [InlineData(DnsType.AAAA, "20010db8000100000001000000000001", "2001:db8:1:0:1::1")] // single zero group stays
    [InlineData(DnsType.CNAME, "03777777c00c", "www.com")]
    [InlineData(DnsType.NS, "026e73c00c", "ns.com")]
    [InlineData(DnsType.PTR, "04686f737400", "host")]
    [InlineData(DnsType.MX, "000a 046d61696c c00c", "10 mail.com")]
    [InlineData(DnsType.TXT, "05762d73706603 616263", "\"v-spf\" \"abc\"")]
    [InlineData(DnsType.TXT, "", "")] // empty TXT RDATA: zero strings, seen in the wild
    [InlineData(DnsType.TXT, "02 22 5c", "\"\\\"\\\\\"")] // quote and backslash escaped
    [InlineData(DnsType.SRV, "0000 0064 1f90 0361706900", "0 100 8080 api")]
    [InlineData(DnsType.SOA, "026e73c00c 04726f6f74c00c 00000001 00000e10 00000384 00093a80 0000003c", "ns.com root.com 1 3600 900 604800 60")]
    [InlineData(DnsType.OPT, "000a0008 0102030405060708", "\\# 12 000a00080102030405060708")] // OPT has no answer text; raw form
    [InlineData(99, "c0ffee", "\\# 3 c0ffee")] // unknown type kept raw (RFC 3597)
    [InlineData(99, "", "\\# 0")]
    public void ValidRdataIsReadAndWritten(ushort type, string rdataHex, string expected)
    {
        // Given
        var message = Hex.Parse(Prefix + rdataHex);
        var length = message.Length - At;

        // When
        var result = DnsRdata.TryValidate(type, message, At, length);
        var text = new byte[DnsRdata.MaxTextBytes];
        var written = DnsRdata.WriteText(type, message, At, length, text);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(length, result.Consumed);
        Assert.Equal(expected, Encoding.UTF8.GetString(text, 0, written));
    }

    [Theory]
    [InlineData(DnsType.A, "c0a801", "A RDATA is not 4 bytes")]
    [InlineData(DnsType.A, "c0a8011600", "A RDATA is not 4 bytes")]
    [InlineData(DnsType.AAAA, "c0a80116", "AAAA RDATA is not 16 bytes")]
    [InlineData(DnsType.CNAME, "03777777c00c 00", "RDATA has bytes after its name")]
    [InlineData(DnsType.CNAME, "", "name runs past RDLENGTH")]
    [InlineData(DnsType.MX, "00", "MX RDATA shorter than its preference")]
    [InlineData(DnsType.TXT, "05 6162", "TXT character-string runs past RDLENGTH")]
    [InlineData(DnsType.SRV, "00000000", "SRV RDATA shorter than its fixed fields")]
    [InlineData(DnsType.SOA, "00 00 00000001", "SOA RDATA shorter than its fixed fields")]
    [InlineData(DnsType.SOA, "00 00 0000000100000001000000010000000100000001 ff", "SOA RDATA has bytes after MINIMUM")]
    [InlineData(DnsType.OPT, "000a", "OPT option header runs past RDLENGTH")]
    [InlineData(DnsType.OPT, "000a0009 0102", "OPT option runs past RDLENGTH")]
    public void RdataNotFillingItsSliceIsALengthMismatch(ushort type, string rdataHex, string message)
    {
        // Given: the slice is followed by more message bytes, so the message itself is complete.
        var bytes = Hex.Parse(Prefix + rdataHex + "ffffffff");
        var length = bytes.Length - At - 4;

        // When
        var result = DnsRdata.TryValidate(type, bytes, At, length);

        // Then
        Assert.Equal(ReadStatus.Malformed, result.Status);
        Assert.Equal(WireError.DnsRecordLengthMismatch, result.Error);
        Assert.Equal(message, result.Message);
    }

    [Fact]
    public void Ipv6TextMatchesIPAddressForManyAddresses()
    {
        // Given
        var random = new Random(1035);
        var address = new byte[16];
        var text = new byte[AddressText.MaxIPv6Bytes];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(address);
            // Zero out random groups so that runs of zeros of every length and place occur.
            for (var g = 0; g < 8; g++)
            {
                if (random.Next(3) == 0)
                {
                    address[2 * g] = address[2 * g + 1] = 0;
                }
            }

            if (address.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            {
                continue; // IPv4-compatible ::a.b.c.d is deprecated and printed differently by IPAddress
            }

            // When
            var written = AddressText.WriteIPv6(address, text);

            // Then
            Assert.Equal(new System.Net.IPAddress(address).ToString(), Encoding.ASCII.GetString(text, 0, written));
        }
    }
}
