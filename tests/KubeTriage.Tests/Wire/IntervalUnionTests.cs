using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

public class IntervalUnionTests
{
    public static TheoryData<string, (long Start, long End)[], long> Cases => new()
    {
        { "nothing", [], 0 },
        { "one wait", [(10, 20)], 10 },
        { "disjoint waits add up", [(10, 20), (30, 35)], 15 },
        { "overlapping waits count once", [(10, 20), (15, 30)], 20 },
        { "a wait inside another adds nothing", [(10, 40), (15, 20)], 30 },
        { "touching waits join", [(10, 20), (20, 30)], 20 },
        { "out of order waits", [(50, 60), (10, 20), (15, 55)], 50 },
        { "a backwards interval is ignored", [(20, 10)], 0 },
        { "waits joining the last of several extend it", [(10, 20), (30, 40), (30, 35), (35, 50)], 30 },
        { "a wait reaching back over several joins them", [(10, 20), (30, 40), (50, 60), (15, 55)], 50 },
        {
            "a wait reaching far back joins the ones it covers",
            [.. Enumerable.Range(0, 12).Select(i => (i * 10L, i * 10L + 5)), (12, 31)], 70
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TotalIsTheLengthOfTheUnion(string name, (long Start, long End)[] intervals, long expected)
    {
        // Given
        var union = new IntervalUnion();

        // When
        foreach (var (start, end) in intervals)
        {
            union.Add(start, end);
        }

        // Then
        Assert.True(expected == union.TotalNs, $"{name}: expected {expected}, got {union.TotalNs}");
    }

    [Fact]
    public void ManyDisjointWaitsStayExactWhileMemoryIsBounded()
    {
        // Given
        var union = new IntervalUnion(maxIntervals: 8);

        // When
        for (var i = 0; i < 1000; i++)
        {
            union.Add(i * 100, i * 100 + 10);
        }

        // Then
        Assert.Equal(10_000, union.TotalNs);
        Assert.Equal(1000, union.Count);
        Assert.Equal(10, union.MaxNs);
    }

    [Fact]
    public void AddAllJoinsTwoUnions()
    {
        // Given
        var a = new IntervalUnion();
        a.Add(0, 10);
        var b = new IntervalUnion();
        b.Add(5, 20);
        b.Add(40, 50);

        // When
        a.AddAll(b);

        // Then
        Assert.Equal(30, a.TotalNs);
        Assert.Equal(3, a.Count);
        Assert.Equal(35, a.SumNs);
    }
}
