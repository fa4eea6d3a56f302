using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;
using static KubeTriage.Capture.Tests.Protocols.MySql.MySqlBytes;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

public class MySqlStreamDissectorTests
{
    // Greeting from MariaDB 10.11 offering CLIENT_PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH and DEPRECATE_EOF.
    private const string Greeting =
        "0a 31302e31312e3600 01000000 0102030405060708 00 fff7 2d 0200 ff81 15 00000000000000000000 0102030405060708090a0b0c00 6d7973716c5f6e61746976655f70617373776f726400";

    // HandshakeResponse41 for user "app": PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH (| DEPRECATE_EOF when asked).
    private static string Login(bool deprecateEof = false, bool ssl = false) =>
        (deprecateEof ? "00820801" : ssl ? "008a0800" : "00820800") + "00000001 2d" + new string('0', 46) + (ssl ? string.Empty : "61707000 00");

    private static readonly byte[] Ok = Packet(1, "00 00 00 0200 0000");
    private static readonly byte[] Ping = Packet(0, "0e");

    private static byte[] ColumnDefinition(byte sequence) =>
        Packet(sequence, "03646566 00 00 00 0161 00 0c 2100 ffff0000 fd 0000 1f 0000");

    private static byte[] Row(byte sequence, string value = "x") =>
        Packet(sequence, [(byte)value.Length, .. Text(value)]);

    private static byte[] Eof(byte sequence, string status = "0200") => Packet(sequence, "fe 0000 " + status);

    private static byte[] OkFe(byte sequence, string status = "0200") => Packet(sequence, "fe 00 00 " + status + " 0000");

    private static byte[] Err(byte sequence, ushort code, string state, string message) =>
        Packet(sequence, [0xFF, (byte)code, (byte)(code >> 8), (byte)'#', .. Text(state), .. Text(message)]);

    [Fact]
    public void LoginAndClassicResultSetAreTwoTransactions()
    {
        // Given
        var c = Conversation();

        // When
        c.Server(Packet(0, Greeting)).Client(Packet(1, Login())).Server(Packet(2, "00 00 00 0200 0000"));
        c.Client(Query("select a from t"));
        c.Server(Packet(1, "01"), ColumnDefinition(2), Eof(3), Row(4), Row(5), Eof(6));

        // Then
        Assert.Equal(["login ok", "query resultset rows=2"], c.Sink.Summary());
        var login = c.Sink.MySql[0];
        Assert.Equal(("app", "10.11.6", MySqlCommand.Login), (login.User, login.ServerVersion, login.Command));
        Assert.Equal("select a from t", c.Sink.MySql[1].Query);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void DeprecateEofResultSetsEndWithAnOkAndAreLearntMidStream()
    {
        // Given: mid-stream, nothing says whether CLIENT_DEPRECATE_EOF was agreed.
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("select a from t")).Server(Packet(1, "01"), ColumnDefinition(2), Row(3), Row(4), OkFe(5));
        c.Client(Query("select a from empty")).Server(Packet(1, "01"), ColumnDefinition(2), OkFe(3));

        // Then
        Assert.Equal(["query resultset rows=2", "query resultset rows=0"], c.Sink.Summary());
    }

    [Fact]
    public void ClassicEmptyResultSetIsLearntMidStream()
    {
        // Given
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("select a from empty")).Server(Packet(1, "01"), ColumnDefinition(2), Eof(3), Eof(4));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["query resultset rows=0", "ping ok"], c.Sink.Summary());
    }

    [Fact]
    public void StoredProcedureResultsFollowedByOkAreOneTransaction()
    {
        // Given: CALL returns a result set whose EOF says SERVER_MORE_RESULTS_EXISTS (0x0008), then the final OK.
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("CALL business_query()"));
        c.Server(Packet(1, "01"), ColumnDefinition(2), Eof(3, "0a00"), Row(4), Eof(5, "0a00"), Packet(6, "00 00 00 0200 0000"));

        // Then
        Assert.Equal(["query resultset rows=1"], c.Sink.Summary());
        Assert.Equal(6, c.Frame - c.Sink.MySql[0].RequestFrame + 5);
    }

    [Fact]
    public void ErrorInsideRowsEndsTheCommandWithAnError()
    {
        // Given
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("select sleep(10)")).Server(Packet(1, "01"), ColumnDefinition(2), Eof(3), Row(4), Err(5, 1317, "70100", "Query execution was interrupted"));

        // Then
        var t = Assert.Single(c.Sink.MySql);
        Assert.Equal((MySqlOutcome.Error, (ushort?)1317, "70100", "Query execution was interrupted"), (t.Outcome, t.ErrorCode, t.SqlState, t.ErrorMessage));
    }

    [Fact]
    public void LargeRowsAreSkippedWithoutBeingBuffered()
    {
        // Given: a 200 KB row delivered in 10 KB segments.
        var c = Conversation(midStream: true);
        c.Client(Query("select blob from t")).Server(Packet(1, "01"), ColumnDefinition(2), Eof(3));
        var row = Packet(4, [0xFD, 0x00, 0x20, 0x03, .. new byte[200 * 1024 - 4]]);

        // When / Then: nothing of the row stays buffered.
        for (var at = 0; at < row.Length; at += 10 * 1024)
        {
            c.Server(row[at..Math.Min(row.Length, at + 10 * 1024)]);
            Assert.Equal(0, c.Buffered(fromClient: false));
        }

        c.Server(Eof(5));
        Assert.Equal(["query resultset rows=1"], c.Sink.Summary());
    }

    [Fact]
    public void HugeQueryOverContinuationPacketsIsCutAndTheAnswerStillMatches()
    {
        // Given: a COM_QUERY of 0xFFFFFF + 10 bytes: one full packet and a continuation.
        var c = Conversation(midStream: true);
        c.Client(Ping).Server(Ok);
        var sql = new byte[0xFFFFFF - 1];
        Array.Fill(sql, (byte)'x');
        "insert "u8.CopyTo(sql);
        var first = Packet(0, [MySqlCommand.Query, .. sql]);
        var second = Packet(1, [.. Text("0123456789")]);

        // When
        var stream = first.Concat(second).ToArray();
        for (var at = 0; at < stream.Length; at += 1 << 20)
        {
            c.Client(stream[at..Math.Min(stream.Length, at + (1 << 20))]);
        }

        c.Server(Packet(2, "00 01 00 0200 0000"));

        // Then
        var t = c.Sink.MySql[^1];
        Assert.Equal(["ping ok", "query ok"], c.Sink.Summary());
        Assert.Equal(0, c.Buffered(fromClient: true));
        Assert.StartsWith("insert xxx", t.Query);
        Assert.EndsWith("…", t.Query);
        Assert.Equal(ProtocolOptions.Default.MaxQueryBytes + 1, t.Query!.Length);
    }

    [Fact]
    public void LocalInfileUploadIsFollowedToTheFinalOk()
    {
        // Given
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("LOAD DATA LOCAL INFILE '/tmp/x.csv' INTO TABLE t"));
        c.Server(Packet(1, "fb 2f746d702f782e637376"));
        c.Client(Packet(2, [.. Text("1,a\n2,b\n")]), Packet(3, "")); // file contents, then an empty packet
        c.Server(Packet(4, "00 02 00 0200 0000"));

        // Then
        Assert.Equal(["query ok"], c.Sink.Summary());
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void PipelinedPrepareAndExecuteAreAnsweredInOrder()
    {
        // Given: MariaDB Connector/C sends COM_STMT_PREPARE and COM_STMT_EXECUTE (statement -1) in one segment.
        var c = Conversation(midStream: true);

        // When
        c.Client(Query("select ?", MySqlCommand.StmtPrepare), Packet(0, "17 ffffffff 00 01000000"));
        c.Server(Packet(1, "00 07000000 0100 0000 00 0000"), ColumnDefinition(2), Eof(3));
        c.Server(Packet(1, "01"), ColumnDefinition(2), Eof(3), Packet(4, "00 00 01"), Eof(5));

        // Then
        Assert.Equal(["stmt_prepare ok", "stmt_execute resultset rows=1"], c.Sink.Summary());
    }

    [Fact]
    public void ExecuteCarriesTheSqlOfItsPreparedStatement()
    {
        // Given: a prepare with one parameter and one column, each list ended by EOF.
        var c = Conversation(midStream: true);
        c.Client(Query("select a from t where b = ?", MySqlCommand.StmtPrepare));
        c.Server(Packet(1, "00 05000000 0100 0100 00 0000"), ColumnDefinition(2), Eof(3), ColumnDefinition(4), Eof(5));

        // When
        c.Client(Packet(0, "17 05000000 00 01000000 00 01 fd00 0131"));
        c.Server(Packet(1, "01"), ColumnDefinition(2), Eof(3), Packet(4, "00 00 0178"), Eof(5));
        c.Client(Packet(0, "19 05000000"));

        // Then
        Assert.Equal(["stmt_prepare ok", "stmt_execute resultset rows=1", "stmt_close sent"], c.Sink.Summary());
        Assert.All(c.Sink.MySql, t => Assert.Equal("select a from t where b = ?", t.Query));
    }

    [Fact]
    public void PrepareWithoutEofsEndsAtItsLastDefinition()
    {
        // Given: CLIENT_DEPRECATE_EOF, not known mid-stream: the definitions are not followed by EOFs.
        var c = Conversation(midStream: true);
        c.Client(Query("select a from t where b = ?", MySqlCommand.StmtPrepare));
        c.Server(Packet(1, "00 05000000 0100 0100 00 0000"), ColumnDefinition(2), ColumnDefinition(3));

        // When: the next answer (to a ping) shows there was no EOF.
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["stmt_prepare ok", "ping ok"], c.Sink.Summary());
        Assert.Equal(2, c.Sink.MySql[0].ResponseFrame);
    }

    [Fact]
    public void MidStreamConnectionIgnoresEverythingBeforeAClientCommand()
    {
        // Given: the tail of an earlier answer and half a client packet.
        var c = Conversation(midStream: true);

        // When
        c.Server(Row(7), Eof(8));
        c.Client(Hex("6c6563742031"));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["ping ok"], c.Sink.Summary());
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void SslRequestIsReportedOnceAsEncryptedAndNothingAfter()
    {
        // Given
        var c = Conversation();

        // When
        c.Server(Packet(0, Greeting)).Client(Packet(1, Login(ssl: true)));
        c.Client(Hex("160301020001000200"));
        c.Server(Hex("160303007a0200007603"));
        c.End();

        // Then
        Assert.Equal(["login encrypted"], c.Sink.Summary());
        Assert.Equal(WireError.MySqlEncrypted, Assert.Single(c.Sink.Diagnostics).Reason);
    }

    [Fact]
    public void ErrorInsteadOfAGreetingIsAFailedLogin()
    {
        // Given
        var c = Conversation();

        // When: a server refusing the host answers the connection with ERR 1130 (no SQLSTATE).
        c.Server(Packet(0, [0xFF, 0x6A, 0x04, .. Text("Host 'x' is not allowed to connect to this MySQL server")]));

        // Then
        var t = Assert.Single(c.Sink.MySql);
        Assert.Equal(("login", MySqlOutcome.Error, (ushort?)1130, (string?)null), (t.CommandName, t.Outcome, t.ErrorCode, t.SqlState));
    }

    [Fact]
    public void TooManyConnectionsAfterTheLoginIsAFailedLoginWithTheUser()
    {
        // Given
        var c = Conversation();

        // When
        c.Server(Packet(0, Greeting)).Client(Packet(1, Login())).Server(Err(2, 1040, "08004", "Too many connections"));

        // Then
        var t = Assert.Single(c.Sink.MySql);
        Assert.Equal(("app", (ushort?)1040, "Too many connections"), (t.User, t.ErrorCode, t.ErrorMessage));
    }

    [Fact]
    public void AuthSwitchAndMoreDataLeadToTheLoginResult()
    {
        // Given
        var c = Conversation();
        c.Server(Packet(0, Greeting)).Client(Packet(1, Login()));

        // When: switch to caching_sha2_password, client answers, fast-auth success, then OK.
        c.Server(Packet(2, "fe 63616368696e675f736861325f70617373776f726400 0102030405"));
        c.Client(Packet(3, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
        c.Server(Packet(4, "01 03"), Packet(5, "00 00 00 0200 0000"));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["login ok", "ping ok"], c.Sink.Summary());
    }

    [Fact]
    public void ServerPacketOutOfSequenceIsReportedAndTheConnectionResynchronises()
    {
        // Given
        var c = Conversation(midStream: true);

        // When: sequence jumps from 1 to 5 inside an answer.
        c.Client(Query("select a from t")).Server(Packet(1, "01"), ColumnDefinition(5));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["ping ok"], c.Sink.Summary());
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.MySqlPacketOutOfSequence, "server packet sequence id does not follow the previous one"), (d.Reason, d.Message));
    }

    [Fact]
    public void GapDropsWhatWasWaitingAndTheNextCommandResynchronises()
    {
        // Given
        var c = Conversation(midStream: true);
        c.Client(Query("select a from t"));

        // When
        c.Gap(fromClient: false);
        c.Server(Row(9));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["ping ok"], c.Sink.Summary());
    }

    [Fact]
    public void CommandsStillWaitingAtTheEndHaveNoResponse()
    {
        // Given
        var c = Conversation(midStream: true);
        c.Client(Query("select sleep(30)"));

        // When
        c.End();

        // Then
        var t = Assert.Single(c.Sink.MySql);
        Assert.Equal((MySqlOutcome.NoResponse, (long?)null), (t.Outcome, t.ResponseTimeNs));
    }

    [Fact]
    public void CompressedProtocolIsReportedAndNotRead()
    {
        // Given: client and server both set CLIENT_COMPRESS (0x20).
        var c = Conversation();
        // When: the greeting's capabilities (0xf7ff) include CLIENT_COMPRESS.
        c.Server(Packet(0, Greeting)).Client(Packet(1, "20820800" + Login()[8..])).Server(Packet(2, "00 00 00 0200 0000"));
        c.Client(Hex("0b00000003"));

        // Then
        Assert.Equal(["login ok"], c.Sink.Summary());
        Assert.Equal("compressed protocol negotiated: commands are not read", Assert.Single(c.Sink.Diagnostics).Message);
    }

    [Fact]
    public void EngineGuessWithRolesSwappedStillNamesTheRealClient()
    {
        // Given: mid-stream, the engine thinks the database is the client (its port is higher).
        var c = Conversation(midStream: true, swapped: true);

        // When
        c.Client(Ping).Server(Ok);

        // Then
        var t = Assert.Single(c.Sink.MySql);
        Assert.Equal((StreamConversation.ClientEndpoint, StreamConversation.ServerEndpoint), (t.Client, t.Server));
    }

    [Fact]
    public void FieldListEndsAtItsEof()
    {
        // Given
        var c = Conversation(midStream: true);

        // When
        c.Client(Packet(0, "04 6167656e7400")).Server(ColumnDefinition(1), ColumnDefinition(2), Eof(3));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["field_list ok", "ping ok"], c.Sink.Summary());
        Assert.Equal("agent", c.Sink.MySql[0].Query);
    }

    [Fact]
    public void StatisticsAnswerIsAStringNotAnOk()
    {
        // Given
        var c = Conversation(midStream: true);

        // When
        c.Client(Packet(0, "09")).Server(Packet(1, [.. Text("Uptime: 42  Threads: 1")]));
        c.Client(Ping).Server(Ok);

        // Then
        Assert.Equal(["statistics ok", "ping ok"], c.Sink.Summary());
    }

    private static byte[] Hex(string hex) => Support.Hex.Parse(hex);
}
