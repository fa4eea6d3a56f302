namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The FIFO of commands waiting for answers on one connection. Nearly every client waits for each
/// answer before its next command, so the head lives inline and a <see cref="Queue{T}"/> is made only
/// when a client pipelines: one connection then costs no queue and no array of its own.
/// A mutable struct: keep it in a field and call it there, never copy it.
/// </summary>
internal struct MySqlPendingQueue
{
    private MySqlPendingCommand _head;
    private Queue<MySqlPendingCommand>? _rest;

    public int Count { get; private set; }

    public readonly MySqlPendingCommand Peek() =>
        Count > 0 ? _head : throw new InvalidOperationException("no command is waiting");

    public void Enqueue(in MySqlPendingCommand command)
    {
        if (Count == 0)
        {
            _head = command;
        }
        else
        {
            (_rest ??= new Queue<MySqlPendingCommand>()).Enqueue(command);
        }

        Count++;
    }

    public MySqlPendingCommand Dequeue()
    {
        var head = Peek();
        Count--;
        _head = Count > 0 ? _rest!.Dequeue() : default;
        return head;
    }

    public bool TryDequeue(out MySqlPendingCommand command)
    {
        if (Count == 0)
        {
            command = default;
            return false;
        }

        command = Dequeue();
        return true;
    }

    public void Clear()
    {
        _head = default;
        _rest?.Clear();
        Count = 0;
    }
}
