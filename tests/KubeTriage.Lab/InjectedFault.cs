namespace KubeTriage.Lab;

/// <summary>A fault injected by <see cref="LabFixture.Inject"/>; disposing it heals the fault.</summary>
public sealed class InjectedFault(LabFixture lab, Fault fault) : IAsyncDisposable
{
    public Fault Fault { get; } = fault;

    public async ValueTask DisposeAsync() => await lab.Heal(Fault).ConfigureAwait(false);
}
