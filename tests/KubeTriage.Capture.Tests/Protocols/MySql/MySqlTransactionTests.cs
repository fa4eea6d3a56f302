using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.MySql;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

public class MySqlTransactionTests
{
    private static readonly WireEndpoint Client = new(NetAddress.Parse("198.18.1.20"), 50000);
    private static readonly WireEndpoint Server = new(NetAddress.Parse("198.18.2.20"), 3306);

    [Fact]
    public void EveryMemberReadsBackAsGiven()
    {
        // When
        var t = new MySqlTransaction(10, Client, Server, MySqlCommand.Login, "login", "shop", 30, MySqlOutcome.Error, 1045, "Access denied", 1, "a.pcap", 3, 20, 0, "28000", "app", "10.11.19-MariaDB");

        // Then
        Assert.Equal(10, t.RequestTimeNs);
        Assert.Equal(Client, t.Client);
        Assert.Equal(Server, t.Server);
        Assert.Equal(MySqlCommand.Login, t.Command);
        Assert.Equal("login", t.CommandName);
        Assert.Equal("shop", t.Query);
        Assert.Equal(30, t.ResponseTimeNs);
        Assert.Equal(MySqlOutcome.Error, t.Outcome);
        Assert.Equal((ushort)1045, t.ErrorCode);
        Assert.Equal("Access denied", t.ErrorMessage);
        Assert.Equal(1, t.RequestFrame);
        Assert.Equal("a.pcap", t.File);
        Assert.Equal(3, t.ResponseFrame);
        Assert.Equal(20, t.FirstResponseTimeNs);
        Assert.Equal("28000", t.SqlState);
        Assert.Equal("app", t.User);
        Assert.Equal("10.11.19-MariaDB", t.ServerVersion);
    }

    [Fact]
    public void MissingAnswerReadsBackAsNulls()
    {
        // When
        var t = new MySqlTransaction(10, Client, Server, MySqlCommand.Query, "query", "select 1", null, MySqlOutcome.NoResponse, null, null, 1, "a.pcap");

        // Then
        Assert.Null(t.ResponseTimeNs);
        Assert.Null(t.ResponseFrame);
        Assert.Null(t.FirstResponseTimeNs);
        Assert.Null(t.LatencySeconds);
        Assert.Null(t.ErrorCode);
        Assert.Null(t.User);
    }

    [Fact]
    public void TransactionsSharingTheirEndpointsEqualOnesMadeFromValues()
    {
        // Given
        var endpoints = new TransactionEndpoints(Client, Server, "a.pcap");
        var shared = new MySqlTransaction(endpoints, 10, MySqlCommand.Query, "query", "select 1", 30, MySqlOutcome.Ok, 1, 2, 20, 0, null);

        // When
        var fromValues = new MySqlTransaction(10, Client, Server, MySqlCommand.Query, "query", "select 1", 30, MySqlOutcome.Ok, null, null, 1, "a.pcap", 2, 20);

        // Then
        Assert.Equal(fromValues, shared);
        Assert.Equal(fromValues.GetHashCode(), shared.GetHashCode());
        Assert.Equal(fromValues.ToString(), shared.ToString());
    }

    [Fact]
    public void WithChangesOneMemberAndKeepsTheOthers()
    {
        // Given
        var t = new MySqlTransaction(10, Client, Server, MySqlCommand.Query, "query", "select 1", 30, MySqlOutcome.Error, 1146, "no table", 1, "a.pcap", SqlState: "42S02");

        // When
        var moved = t with { Server = Client, ResponseTimeNs = null, SqlState = null };

        // Then
        Assert.Equal(Client, moved.Server);
        Assert.Equal(Client, moved.Client);
        Assert.Equal("a.pcap", moved.File);
        Assert.Null(moved.ResponseTimeNs);
        Assert.Null(moved.SqlState);
        Assert.Equal((ushort)1146, moved.ErrorCode);
        Assert.Equal("no table", moved.ErrorMessage);
        Assert.Equal(30, t.ResponseTimeNs);
        Assert.Equal(Server, t.Server);
    }
}
