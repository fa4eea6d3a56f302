// Compiled into every test project that references KubeTriage.Lab (see tests/Directory.Build.targets):
// xunit only discovers collection definitions declared in the test assembly itself.
namespace KubeTriage.Lab.TestAssembly;

[Xunit.CollectionDefinition(KubeTriage.Lab.LabCollection.Name)]
public sealed class LabCollectionDefinition : Xunit.ICollectionFixture<KubeTriage.Lab.LabFixture>;
