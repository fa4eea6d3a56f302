using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Flows;

public class FlowTableTests
{
    [Fact]
    public void RandomAddsAndRemovesAgreeWithADictionary()
    {
        // Given: a seeded mix of adds and removes over a small key space, so probe chains collide and shift
        var random = new Random(7);
        var table = new FlowTable<UdpConversation>();
        var reference = new Dictionary<FlowKey, UdpConversation>();
        var keys = Enumerable.Range(0, 3000).Select(i => Key(i)).ToArray();

        // When
        for (int step = 0; step < 60_000; step++)
        {
            var key = keys[random.Next(keys.Length)];
            bool present = table.TryGet(in key, out var found);

            // Then: the table always agrees with the reference
            Assert.Equal(reference.TryGetValue(key, out var expected), present);
            if (present)
            {
                Assert.Same(expected, found);
                if (random.Next(2) == 0)
                {
                    table.Remove(found);
                    _ = reference.Remove(key);
                }
            }
            else
            {
                reference[key] = table.Add(in key);
            }

            Assert.Equal(reference.Count, table.Count);
        }

        Assert.Equal(reference.Count, table.SortedFlows().Length);
    }

    [Fact]
    public void RemovedFlowsAreReusedWithANewGeneration()
    {
        // Given
        var table = new FlowTable<TcpConversation>();
        var first = table.Add(Key(1));
        int generation = first.Generation;

        // When
        table.Remove(first);
        var second = table.Add(Key(2));

        // Then
        Assert.Same(first, second);
        Assert.Equal(generation + 1, second.Generation);
        Assert.False(table.TryGet(Key(1), out _));
        Assert.True(table.TryGet(Key(2), out _));
    }

    private static FlowKey Key(int i) =>
        FlowKey.Create(new NetAddress(0, 0xC6120100u + (uint)(i % 7), true), (ushort)(30000 + i), NetAddress.Parse("198.18.2.20"), 3306, 6, out _);
}
