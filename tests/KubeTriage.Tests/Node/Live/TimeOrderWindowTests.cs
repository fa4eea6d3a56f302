using KubeTriage.Node.Live;

namespace KubeTriage.Tests.Node.Live;

public class TimeOrderWindowTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void ABurstFromOneInterfaceAheadOfAnothersIsPutBackInTimeOrder()
    {
        // Given: the veth's thread hands over segments 2..4 before the NIC's thread hands over segment 1 and its copies
        var window = new TimeOrderWindow<string>(200 * Ms, 100);
        var released = new List<string>();
        foreach (var (name, time) in new[] { ("veth 2", 2 * Ms), ("veth 3", 3 * Ms), ("veth 4", 4 * Ms), ("nic 1", 1 * Ms), ("nic 2", 2 * Ms), ("later", 500 * Ms) })
        {
            // When
            window.Add(name, time);
            while (window.TryRelease(out var item))
            {
                released.Add(item);
            }
        }

        // Then: everything 200 ms older than the newest is out, oldest first, ties in arrival order; the newest is held
        Assert.Equal(["nic 1", "veth 2", "nic 2", "veth 3", "veth 4"], released);
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void WhatIsHeldAtTheEndIsDrainedInOrderAndALatecomerIsNotHeldBack()
    {
        // Given: two packets within the window, then one far newer, then one older than anything released
        var window = new TimeOrderWindow<string>(200 * Ms, 100);
        window.Add("b", 20 * Ms);
        window.Add("a", 10 * Ms);
        window.Add("c", 1000 * Ms);
        var released = new List<string>();
        while (window.TryRelease(out var item))
        {
            released.Add(item);
        }

        window.Add("late", 5 * Ms);
        Assert.True(window.TryRelease(out var late));

        // When
        var drained = new List<string>();
        while (window.TryDrain(out var item))
        {
            drained.Add(item);
        }

        // Then
        Assert.Equal(["a", "b"], released);
        Assert.Equal("late", late);
        Assert.Equal(["c"], drained);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void PastTheLimitTheOldestGoesOutEarly()
    {
        // Given: a window of 200 ms that may hold two items
        var window = new TimeOrderWindow<string>(200 * Ms, 2);
        window.Add("a", 1 * Ms);
        window.Add("b", 2 * Ms);
        Assert.False(window.TryRelease(out _));

        // When: a third within the window
        window.Add("c", 3 * Ms);

        // Then: the oldest leaves, the other two stay
        Assert.True(window.TryRelease(out var first));
        Assert.Equal("a", first);
        Assert.False(window.TryRelease(out _));
        Assert.Equal(2, window.Count);
    }
}
