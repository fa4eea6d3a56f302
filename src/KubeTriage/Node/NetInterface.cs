using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// One network interface as <c>ip -j addr</c>/<c>ip -j link</c> shows it. <see cref="OperState"/> is the kernel's
/// RFC 2863 state: UNKNOWN is normal for loopback, bridges and many virtual links, so "down" is judged from the
/// flags (no UP, or NO-CARRIER) and an explicit DOWN, never from UNKNOWN.
/// </summary>
public sealed record NetInterface(
    int Index,
    string Name,
    IReadOnlyList<string> Flags,
    string OperState,
    int Mtu,
    string? Mac,
    string? Master,
    string? Kind,
    IReadOnlyList<string> AltNames,
    IReadOnlyList<InterfaceAddress> Addresses)
{
    public bool IsLoopback => Flags.Contains("LOOPBACK") || Name == "lo";

    public bool IsAdminUp => Flags.Contains("UP");

    /// <summary>Administratively down, without carrier, or reported DOWN/LOWERLAYERDOWN by the kernel.</summary>
    public bool IsDown => !IsAdminUp || Flags.Contains("NO-CARRIER") || OperState is "DOWN" or "LOWERLAYERDOWN";

    [JsonIgnore]
    public IEnumerable<InterfaceAddress> Subnets => Addresses.Where(a => a.DefinesSubnet);

    /// <summary>What ip shows for the state, e.g. "UP" or "DOWN (NO-CARRIER)".</summary>
    public string StateText =>
        !IsAdminUp ? "DOWN (admin)"
        : Flags.Contains("NO-CARRIER") ? $"{OperState} (NO-CARRIER)"
        : OperState;

    public bool HasName(string name) => Name == name || AltNames.Contains(name);
}
