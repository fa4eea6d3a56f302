using KubeTriage.Capture.Protocols.MySql;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

public class MySqlPendingQueueTests
{
    [Fact]
    public void PipelinedCommandsComeOutInTheOrderTheyWentIn()
    {
        // Given
        var queue = new MySqlPendingQueue();
        queue.Enqueue(Command(1));
        queue.Enqueue(Command(2));
        queue.Enqueue(Command(3));

        // When
        var first = queue.Dequeue();
        queue.Enqueue(Command(4));
        var rest = new List<long>();
        while (queue.TryDequeue(out var command))
        {
            rest.Add(command.Frame);
        }

        // Then
        Assert.Equal(1, first.Frame);
        Assert.Equal([2, 3, 4], rest);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void ClearedQueueIsEmptyAndStartsAgainFromItsNextCommand()
    {
        // Given
        var queue = new MySqlPendingQueue();
        queue.Enqueue(Command(1));
        queue.Enqueue(Command(2));

        // When
        queue.Clear();
        queue.Enqueue(Command(3));

        // Then
        Assert.Equal(1, queue.Count);
        Assert.Equal(3, queue.Peek().Frame);
        Assert.Equal(3, queue.Dequeue().Frame);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void PeekOnAnEmptyQueueThrows()
    {
        // Given
        var queue = new MySqlPendingQueue();

        // When
        var error = Record.Exception(() => queue.Peek());

        // Then
        Assert.IsType<InvalidOperationException>(error);
    }

    private static MySqlPendingCommand Command(long frame) => new(MySqlCommand.Query, $"select {frame}", 0, frame * 10, frame, null);
}
