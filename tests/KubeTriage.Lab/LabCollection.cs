namespace KubeTriage.Lab;

/// <summary>
/// The xunit collection of lab tests: one lab per test assembly, its tests run one after another.
/// Use <c>[Collection(LabCollection.Name)]</c> and take a <see cref="LabFixture"/> in the constructor.
/// xunit looks for collection definitions only in the test assembly itself, so
/// <c>tests/Directory.Build.targets</c> compiles <c>TestAssembly/LabCollectionDefinition.cs</c> into every
/// test project that references this library; nothing else is needed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "kubetriage lab";
}
