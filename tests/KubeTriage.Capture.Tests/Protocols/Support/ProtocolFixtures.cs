namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>Where the protocol fixtures (copied next to the test assembly) are.</summary>
public static class ProtocolFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Protocols", "Fixtures");
}
