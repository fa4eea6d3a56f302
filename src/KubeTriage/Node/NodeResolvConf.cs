namespace KubeTriage.Node;

/// <summary>The node's resolv.conf as the report shows it (addresses as text).</summary>
public sealed record NodeResolvConf(string Path, IReadOnlyList<string> Nameservers, IReadOnlyList<string> Search, int Ndots, IReadOnlyList<string> Options);
