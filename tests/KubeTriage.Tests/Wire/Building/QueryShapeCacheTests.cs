using KubeTriage.Wire;
using KubeTriage.Wire.Building;

namespace KubeTriage.Tests.Wire.Building;

public class QueryShapeCacheTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE id = 42")]
    [InlineData("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')")]
    [InlineData("  SELECT 'it''s' /* hint */ FROM t -- tail")]
    [InlineData("")]
    public void ShapesAreThoseOfQueryShape(string query)
    {
        // Given
        var cache = new QueryShapeCache(16);

        // When
        var shape = cache.Of(query, "COM_QUERY");

        // Then
        Assert.Equal(QueryShape.Of(query, "COM_QUERY"), shape);
    }

    [Fact]
    public void TheSameShapeWithOtherValuesIsOneString()
    {
        // Given
        var cache = new QueryShapeCache(16);

        // When
        var first = cache.Of("SELECT * FROM t WHERE id = 1", "COM_QUERY");
        var second = cache.Of("SELECT * FROM t WHERE id = 2", "COM_QUERY");

        // Then
        Assert.Equal("SELECT * FROM t WHERE id = ?", second);
        Assert.Same(first, second);
    }

    [Fact]
    public void ShapesPastTheLimitAreStillShapedButNotKept()
    {
        // Given
        var cache = new QueryShapeCache(1);
        cache.Of("SELECT a FROM t", "COM_QUERY");

        // When
        var first = cache.Of("SELECT b FROM t", "COM_QUERY");
        var second = cache.Of("SELECT b FROM t", "COM_QUERY");

        // Then
        Assert.Equal("SELECT b FROM t", second);
        Assert.NotSame(first, second);
    }
}
