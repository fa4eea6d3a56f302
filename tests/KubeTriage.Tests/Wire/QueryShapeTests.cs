using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

public class QueryShapeTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = ?")]
    [InlineData("select  name\n from users where email = 'a@b.c'", "select name from users where email = ?")]
    [InlineData("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?+)")]
    [InlineData("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')", "INSERT INTO t (a, b) VALUES (?+)")]
    [InlineData("CALL business_query()", "CALL business_query()")]
    [InlineData("SELECT 'it''s' /* hint */ FROM t -- tail", "SELECT ? FROM t")]
    [InlineData("SELECT col1, t2.x FROM t2", "SELECT col1, t2.x FROM t2")]
    [InlineData("SELECT \"q\\\"uoted\" FROM t", "SELECT ? FROM t")]
    [InlineData("SELECT a-1, b/2, c #x\nFROM\tt2 WHERE d = 0x1F", "SELECT a-?, b/?, c FROM t2 WHERE d = ?")]
    [InlineData("UPDATE naïve SET é = 'x'  WHERE  id=7", "UPDATE naïve SET é = ? WHERE id=?")]
    public void LiteralsBecomePlaceholders(string query, string shape)
    {
        // When
        var actual = QueryShape.Of(query, "COM_QUERY");

        // Then
        Assert.Equal(shape, actual);
    }

    [Fact]
    public void CommandsWithoutTextAreShapedByTheirName()
    {
        // When
        var shape = QueryShape.Of(null, "COM_PING");

        // Then
        Assert.Equal("COM_PING", shape);
    }

    [Fact]
    public void LongStatementsAreCut()
    {
        // Given
        var query = "SELECT " + string.Join(", ", Enumerable.Range(0, 100).Select(i => $"column_{i}")) + " FROM t";

        // When
        var shape = QueryShape.Of(query, "COM_QUERY");

        // Then
        Assert.Equal(QueryShape.MaxLength + 1, shape.Length);
        Assert.EndsWith("…", shape);
    }

    [Fact]
    public void WriteFillsTheBufferWithTheShape()
    {
        // Given
        var buffer = new char[QueryShape.BufferLength];

        // When
        var length = QueryShape.Write("UPDATE t SET a = 'x' WHERE id IN (1,2) ", buffer);

        // Then
        Assert.Equal("UPDATE t SET a = ? WHERE id IN (?+)", new string(buffer, 0, length));
    }
}
