using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

public class MySqlPacketTests
{
    private static readonly string Greeting8026 = Hex.Of(TranscriptPayload.Of("deepflow__mysql-error-initdb", 4));

    private static readonly string LoginRoot = Hex.Of(TranscriptPayload.Of("deepflow__mysql-error-initdb", 6));

    /// <summary>Every packet type the dissector reads, framed, as seen in the public captures or built from the spec.</summary>
    public static TheoryData<string, string> ValidPackets => new()
    {
        { "greeting", Greeting8026 }, // deepflow mysql-error-initdb frame 4, MySQL 8.0.26
        { "login", LoginRoot }, // frame 6, user root with connection attributes
        { "ssl", "2000000185ae3f20000000012d0000000000000000000000000000000000000000000000" }, // zeek mysql encrypted frame 6
        { "ok", "0700000200000002000000" },
        { "ok-fe", "07000004fe000002000000" }, // CLIENT_DEPRECATE_EOF: an OK with 0xFE ends the rows
        { "err", "20000001ff1904233432303030556e6b6e6f776e20646174616261736520276162636427" }, // ERR 1049
        { "err-no-state", "0900000cff6a0448656c6c6f21" }, // an error before the handshake has no SQLSTATE
        { "eof", "05000005fe00000200" },
        { "eof-old", "01000005fe" }, // pre-4.1 EOF, one byte
        { "column-count", "0100000101" },
        { "column-count-metadata", "020000010100" }, // CLIENT_OPTIONAL_RESULTSET_METADATA, none follows
        { "column-definition", "2700000203646566000000114040766572736" + "96f6e5f636f6d6d656e74000c2100ffff0000fd00001f0000" },
        { "column-definition", "2d000002036465660473686f70016309637573746f6d65727304636974790463697479000c210078000000fd0110000000" }, // MariaDB 10.11 lab recording: extended type info (empty) before the fixed fields
        { "prepare-ok", "0c000001 00 01000000 0100 0100 00 0000" },
        { "auth-switch", "2b000002fe6d7973716c5f6e61746976655f70617373776f7264000102030405060708090a0b0c0d0e0f1011121314" },
        { "auth-more-data", "0200000201" + "03" }, // caching_sha2_password fast auth success
        { "local-infile", "0b000001fb2f746d702f782e637376" },
        { "command", "1c00000003" + "73656c65637420757064617465645f61742066726f6d2063685f61" },
    };

    [Theory]
    [MemberData(nameof(ValidPackets))]
    public void ValidPacketIsParsedWholeAndEveryPrefixNeedsMore(string kind, string hex)
    {
        // Given
        var packet = Hex.Parse(hex);

        // When
        var whole = Read(kind, packet);

        // Then
        Assert.Equal(ReadStatus.Parsed, whole.Status);
        Assert.Equal(packet.Length, whole.Consumed);
        for (var length = 0; length < packet.Length; length++)
        {
            var prefix = Read(kind, packet.AsSpan(0, length));
            Assert.True(prefix.IsNeedMore, $"{kind} prefix {length}: {prefix}");
            Assert.Equal(0, prefix.Consumed);
        }
    }

    [Fact]
    public void GreetingGivesVersionAndCapabilities()
    {
        // When
        HandshakeV10Packet.TryRead(Hex.Parse(Greeting8026), out var greeting);

        // Then
        Assert.Equal("8.0.26", Encoding.ASCII.GetString(greeting.ServerVersion));
        Assert.Equal("mysql_native_password", Encoding.ASCII.GetString(greeting.AuthPluginName));
        Assert.NotEqual(0u, greeting.Capabilities & 0x01000000); // CLIENT_DEPRECATE_EOF offered
        Assert.Equal(0x016c8c07u, greeting.ConnectionId);
    }

    [Fact]
    public void LoginGivesTheUser()
    {
        // When
        HandshakeResponse41Packet.TryRead(Hex.Parse(LoginRoot), out var login);

        // Then
        Assert.Equal("root", Encoding.ASCII.GetString(login.User));
        Assert.True(login.Database.IsEmpty);
    }

    [Fact]
    public void ErrorGivesCodeStateAndMessage()
    {
        // When
        ErrPacket.TryRead(Hex.Parse("20000001ff1904233432303030556e6b6e6f776e20646174616261736520276162636427"), out var error);

        // Then
        Assert.Equal(1049, error.ErrorCode);
        Assert.Equal("42000", Encoding.ASCII.GetString(error.SqlState));
        Assert.Equal("Unknown database 'abcd'", Encoding.ASCII.GetString(error.Message));
    }

    [Fact]
    public void PrepareOkGivesStatementAndCounts()
    {
        // When
        StmtPrepareOkPacket.TryRead(Hex.Parse("0c000001 00 01000000 0200 0300 00 0000"), out var prepared);

        // Then
        Assert.Equal((1u, 2, 3), (prepared.StatementId, prepared.ColumnCount, prepared.ParameterCount));
    }

    [Fact]
    public void QueryAttributesPrefixIsSkippedUnlessCapabilitiesSayThereIsNone()
    {
        // Given: "\0\x01" (no attributes, one set) then "select 1", as MySQL 8.0.23+ clients send.
        var packet = Hex.Parse("0b00000003 0001 73656c6563742031");

        // When
        CommandPacket.TryRead(packet, out var command);

        // Then
        Assert.Equal("select 1", Encoding.ASCII.GetString(command.QueryText(null)));
        Assert.Equal("select 1", Encoding.ASCII.GetString(command.QueryText(true)));
        Assert.Equal("\0\u0001select 1", Encoding.ASCII.GetString(command.QueryText(false)));
    }

    [Theory]
    [InlineData("greeting", "0500000009352e3700", WireError.MySqlBadPacket, 4, "greeting is not protocol version 10")] // protocol 9 (MySQL 3.x)
    [InlineData("greeting", "060000000a352e3700ff", WireError.MySqlBadPacket, 9, "greeting shorter than its fields")]
    [InlineData("login", "0400000100000000", WireError.MySqlBadPacket, 4, "login without CLIENT_PROTOCOL_41")]
    [InlineData("login", "2300000100020000" + "00000000" + "21" + "0000000000000000000000000000000000000000000000" + "616263", WireError.MySqlBadPacket, 36, "login shorter than its user name")]
    [InlineData("ssl", "0400000100080000", WireError.MySqlBadPacket, 8, "SSLRequest is not 32 bytes")]
    [InlineData("ok", "0300000200ff00", WireError.MySqlBadPacket, 5, "OK packet shorter than its fields")] // 0xFF is no lenenc
    [InlineData("ok", "0700000201000002000000", WireError.MySqlBadPacket, 4, "OK packet does not start with 0x00 or 0xFE")]
    [InlineData("err", "02000001ff19", WireError.MySqlBadPacket, 5, "ERR packet shorter than its error code")]
    [InlineData("eof", "03000005fe0000", WireError.MySqlBadPacket, 5, "EOF packet is neither 1 nor 5 bytes")]
    [InlineData("column-count", "0100000100", WireError.MySqlBadPacket, 4, "column count is not a length-encoded integer of 1 to 65535")]
    [InlineData("column-count", "03000001010000", WireError.MySqlBadPacket, 5, "column count packet has extra bytes")]
    [InlineData("column-definition", "0400000203616263", WireError.MySqlBadPacket, 4, "column definition catalog is not \"def\"")]
    [InlineData("prepare-ok", "0400000100010000", WireError.MySqlBadPacket, 4, "prepare OK is not 0x00 and 9 to 13 bytes")]
    [InlineData("command", "0100000000", WireError.MySqlBadPacket, 4, "unknown command byte")] // COM_SLEEP is server-internal
    [InlineData("command", "020000000e00", WireError.MySqlBadPacket, 4, "command packet length does not fit its command")] // COM_PING with an argument
    [InlineData("command", "0400000103010203", WireError.MySqlPacketOutOfSequence, 3, "command packet sequence id is not 0")]
    public void MalformedPacketGivesTheExactReason(string kind, string hex, WireError error, int offset, string message)
    {
        // When
        var result = Read(kind, Hex.Parse(hex));

        // Then
        Assert.Equal((ReadStatus.Malformed, error, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Fact]
    public void LengthEncodedStringLongerThanThePacketIsMalformedNotAnOverread()
    {
        // Given: a column definition whose schema claims 2^63 bytes.
        var packet = Hex.Parse("0d00000203646566feffffffffffffff7f");

        // When
        var result = ColumnDefinition41Packet.TryRead(packet, out _);

        // Then
        Assert.Equal(WireError.MySqlBadPacket, result.Error);
    }

    internal static ParseResult Read(string kind, ReadOnlySpan<byte> bytes) => kind switch
    {
        "greeting" => HandshakeV10Packet.TryRead(bytes, out _),
        "login" => HandshakeResponse41Packet.TryRead(bytes, out _),
        "ssl" => SslRequestPacket.TryRead(bytes, out _),
        "ok" or "ok-fe" => OkPacket.TryRead(bytes, out _),
        "err" or "err-no-state" => ErrPacket.TryRead(bytes, out _),
        "eof" or "eof-old" => EofPacket.TryRead(bytes, out _),
        "column-count" or "column-count-metadata" => ColumnCountPacket.TryRead(bytes, out _),
        "column-definition" => ColumnDefinition41Packet.TryRead(bytes, out _),
        "prepare-ok" => StmtPrepareOkPacket.TryRead(bytes, out _),
        "auth-switch" => AuthSwitchRequestPacket.TryRead(bytes, out _),
        "auth-more-data" => AuthMoreDataPacket.TryRead(bytes, out _),
        "local-infile" => LocalInfileRequestPacket.TryRead(bytes, out _),
        "command" => CommandPacket.TryRead(bytes, out _),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
