using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.MySql;

namespace KubeTriage.Wire;

/// <summary>
/// Every answered command of one statement shape (see <see cref="QueryShape"/>) to one server: how many,
/// how long in all and at most, and the same for those at or above the slow-query threshold, with the
/// first slow ones as examples.
/// </summary>
public sealed record MySqlStatementGroup
{
    public required WireEndpoint Server { get; init; }

    public required string Shape { get; init; }

    public string CommandName { get; init; } = string.Empty;

    public long Count { get; init; }

    public long TotalNs { get; init; }

    public long MaxNs { get; init; }

    public long SlowCount { get; init; }

    public long SlowTotalNs { get; init; }

    public long SlowMaxNs { get; init; }

    public long? FirstSlowNs { get; init; }

    public long? LastSlowNs { get; init; }

    public IReadOnlyList<MySqlTransaction> SlowExamples { get; init; } = [];
}
