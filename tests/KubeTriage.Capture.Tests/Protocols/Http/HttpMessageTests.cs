using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http;

namespace KubeTriage.Capture.Tests.Protocols.Http;

public class HttpMessageTests
{
    private const int Limit = 64 * 1024;

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", "GET", "/", "HTTP/1.1")]
    [InlineData("POST /api/v1/orders?id=7 HTTP/1.0\r\n", "POST", "/api/v1/orders?id=7", "HTTP/1.0")]
    [InlineData("GET /download/CHANGES.bro-aux.txt HTTP/1.1\n", "GET", "/download/CHANGES.bro-aux.txt", "HTTP/1.1")] // bare LF, allowed by RFC 9112 §2.2
    [InlineData("CONNECT oss.example.com:443 HTTP/1.1\r\n", "CONNECT", "oss.example.com:443", "HTTP/1.1")] // authority-form
    [InlineData("OPTIONS * HTTP/1.1\r\n", "OPTIONS", "*", "HTTP/1.1")] // asterisk-form
    [InlineData("PROPFIND /dav/ HTTP/1.1\r\n", "PROPFIND", "/dav/", "HTTP/1.1")] // any token is a method once synced
    public void RequestLineIsSplitIntoMethodTargetAndVersion(string text, string method, string target, string version)
    {
        // When
        var result = HttpRequestLine.TryRead(Encoding.ASCII.GetBytes(text), Limit, out var line);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(text.Length, result.Consumed);
        Assert.Equal((method, target, version), (Ascii(line.Method), Ascii(line.Target), Ascii(line.Version)));
    }

    [Theory]
    [InlineData("GET /\r\n", WireError.HttpBadRequestLine, 0, "request line is not method, target and version")]
    [InlineData("G(T / HTTP/1.1\r\n", WireError.HttpBadRequestLine, 0, "method is not a token")]
    [InlineData("GET / HTTP/2.0\r\n", WireError.HttpBadRequestLine, 6, "version is not HTTP/1.0 or HTTP/1.1")]
    [InlineData("GET /a\u0001b HTTP/1.1\r\n", WireError.HttpBadRequestLine, 4, "request target has whitespace or control bytes")]
    [InlineData("GET  / HTTP/1.1\r\n", WireError.HttpBadRequestLine, 4, "request target has whitespace or control bytes")] // two spaces
    public void MalformedRequestLineGivesTheExactReason(string text, WireError error, int offset, string message)
    {
        // When
        var result = HttpRequestLine.TryRead(Encoding.ASCII.GetBytes(text), Limit, out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, error, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n", 200)]
    [InlineData("HTTP/1.0 404 Not Found\r\n", 404)]
    [InlineData("HTTP/1.1 204\r\n", 204)] // no reason phrase and no space before it (tolerated)
    [InlineData("HTTP/1.1 503 \r\n", 503)] // empty reason phrase
    public void StatusLineGivesTheCode(string text, int status)
    {
        // When
        var result = HttpStatusLine.TryRead(Encoding.ASCII.GetBytes(text), Limit, out var line);

        // Then
        Assert.Equal((ReadStatus.Parsed, text.Length, status), (result.Status, result.Consumed, line.Status));
    }

    [Theory]
    [InlineData("HTTP/2 200\r\n", WireError.HttpBadStatusLine, 0, "status line does not start with HTTP/1.x and a space")]
    [InlineData("HTTP/1.1 2x0 OK\r\n", WireError.HttpBadStatusLine, 9, "status code is not three digits from 100")]
    [InlineData("HTTP/1.1 099 Low\r\n", WireError.HttpBadStatusLine, 9, "status code is not three digits from 100")]
    [InlineData("HTTP/1.1 2000 OK\r\n", WireError.HttpBadStatusLine, 9, "status code is not three digits from 100")]
    public void MalformedStatusLineGivesTheExactReason(string text, WireError error, int offset, string message)
    {
        // When
        var result = HttpStatusLine.TryRead(Encoding.ASCII.GetBytes(text), Limit, out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, error, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Theory]
    [InlineData("Host: oss.example.com\r\n\r\n", "oss.example.com", null, false, false, 1)]
    [InlineData("host:api\r\ncontent-length: 12\r\n\r\n", "api", 12L, false, false, 2)] // names are case-insensitive, OWS optional
    [InlineData("Content-Length: 5, 5\r\n\r\n", "", 5L, false, false, 1)] // a list of identical values (RFC 9110 §8.6)
    [InlineData("Transfer-Encoding: gzip, chunked\r\n\r\n", "", null, true, false, 1)] // chunked last
    [InlineData("Transfer-Encoding: chunked, gzip\r\n\r\n", "", null, false, false, 1)] // chunked not last: close-delimited
    [InlineData("Connection: keep-alive, Close\r\n\r\n", "", null, false, true, 1)]
    [InlineData("X-A: 1\r\n  continued\r\n\r\n", "", null, false, false, 2)] // obsolete line folding, ignored
    [InlineData("\r\n", "", null, false, false, 0)]
    public void HeaderSectionKeepsWhatFramingNeeds(string text, string host, long? contentLength, bool chunked, bool close, int fields)
    {
        // When
        var result = HttpHeaderSection.TryRead(Encoding.ASCII.GetBytes(text), Limit, 100, out var section);

        // Then
        Assert.Equal((ReadStatus.Parsed, text.Length), (result.Status, result.Consumed));
        Assert.Equal((host, contentLength, chunked, close, fields), (Ascii(section.Host), section.ContentLength, section.Chunked, section.Close, section.FieldCount));
    }

    [Theory]
    [InlineData("Bad Name: x\r\n\r\n", WireError.HttpBadHeader, 0, "header field name is not a token followed by a colon")]
    [InlineData("Host : x\r\n\r\n", WireError.HttpBadHeader, 0, "header field name is not a token followed by a colon")] // space before colon (RFC 9112 §5.1)
    [InlineData("A: 1\r\nNoColon\r\n\r\n", WireError.HttpBadHeader, 6, "header field name is not a token followed by a colon")]
    [InlineData("Content-Length: 5, 6\r\n\r\n", WireError.HttpBadContentLength, 0, "Content-Length is not one decimal number")]
    [InlineData("Content-Length: -1\r\n\r\n", WireError.HttpBadContentLength, 0, "Content-Length is not one decimal number")]
    [InlineData("Content-Length: 99999999999999999999\r\n\r\n", WireError.HttpBadContentLength, 0, "Content-Length is not one decimal number")]
    public void MalformedHeaderSectionGivesTheExactReason(string text, WireError error, int offset, string message)
    {
        // When
        var result = HttpHeaderSection.TryRead(Encoding.ASCII.GetBytes(text), Limit, 100, out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, error, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Fact]
    public void MoreFieldsThanTheLimitAreRejected()
    {
        // Given
        var text = string.Concat(Enumerable.Repeat("X-A: 1\r\n", 5)) + "\r\n";

        // When
        var result = HttpHeaderSection.TryRead(Encoding.ASCII.GetBytes(text), Limit, 4, out _);

        // Then
        Assert.Equal((WireError.HttpHeadersTooLarge, "more header fields than the limit"), (result.Error, result.Message));
    }

    [Fact]
    public void HeaderSectionWithoutAnEndWithinTheLimitIsTooLargeNotNeedMore()
    {
        // Given: 200 bytes of fields, no empty line, a limit of 100.
        var text = string.Concat(Enumerable.Repeat("X-Padding: aaaaaaaaaaaa\r\n", 8));

        // When
        var result = HttpHeaderSection.TryRead(Encoding.ASCII.GetBytes(text), 100, 100, out _);

        // Then
        Assert.Equal((WireError.HttpHeadersTooLarge, "header section larger than the limit"), (result.Error, result.Message));
    }

    [Theory]
    [InlineData("1a\r\n", 26L)]
    [InlineData("0\r\n", 0L)]
    [InlineData("FF;name=value\r\n", 255L)] // chunk extension ignored
    [InlineData("10 \r\n", 16L)] // trailing whitespace (BWS) tolerated
    public void ChunkSizeLineGivesTheSize(string text, long size)
    {
        // When
        var result = HttpChunkSizeLine.TryRead(Encoding.ASCII.GetBytes(text), out var line);

        // Then
        Assert.Equal((ReadStatus.Parsed, text.Length, size), (result.Status, result.Consumed, line.Size));
    }

    [Theory]
    [InlineData("\r\n", "chunk size is not hex digits before an extension")]
    [InlineData("zz\r\n", "chunk size is not hex digits before an extension")]
    [InlineData("1g\r\n", "chunk size is not hex digits before an extension")]
    [InlineData("1000000000000000\r\n", "chunk size has more than 15 hex digits")]
    public void MalformedChunkSizeLineGivesTheExactReason(string text, string message)
    {
        // When
        var result = HttpChunkSizeLine.TryRead(Encoding.ASCII.GetBytes(text), out _);

        // Then
        Assert.Equal((WireError.HttpBadChunk, message), (result.Error, result.Message));
    }

    public static TheoryData<string, string> ValidMessages => new()
    {
        { "request-line", "GET /index.html HTTP/1.1\r\n" },
        { "status-line", "HTTP/1.1 200 OK\r\n" },
        { "headers", "Host: bro.org\r\nContent-Length: 5007\r\nConnection: close\r\n\r\n" },
        { "chunk-size", "1f40;ext\r\n" },
    };

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void EveryPrefixOfAValidMessageIsNeedMore(string kind, string text)
    {
        // Given
        var bytes = Encoding.ASCII.GetBytes(text);

        // When / Then
        for (var length = 0; length < bytes.Length; length++)
        {
            var result = Read(kind, bytes.AsSpan(0, length));
            Assert.True(result.IsNeedMore, $"{kind} prefix {length}: {result}");
            Assert.Equal(0, result.Consumed);
        }

        Assert.Equal(bytes.Length, Read(kind, bytes).Consumed);
    }

    internal static ParseResult Read(string kind, ReadOnlySpan<byte> bytes) => kind switch
    {
        "request-line" => HttpRequestLine.TryRead(bytes, Limit, out _),
        "status-line" => HttpStatusLine.TryRead(bytes, Limit, out _),
        "headers" => HttpHeaderSection.TryRead(bytes, Limit, 100, out _),
        "chunk-size" => HttpChunkSizeLine.TryRead(bytes, out _),
        _ => HttpFieldLine.TryRead(bytes, out _),
    };

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
