namespace KubeTriage.Lab;

/// <summary>The incident's faults the lab can inject (<c>tests/lab/lab.sh inject FAULT</c>).</summary>
public enum Fault
{
    /// <summary><c>eth1</c>, the node's elastic NIC in the pod subnet, vanishes from the node.</summary>
    Nic,

    /// <summary>Policy-routing table 2 (pod egress through <c>eth1</c>) is emptied.</summary>
    Route,

    /// <summary>The cluster DNS server is stopped.</summary>
    ClusterDns,

    /// <summary><c>business_query()</c> sleeps the given number of seconds on the server.</summary>
    SlowDb,

    /// <summary>The upstream DNS servers answer <c>oss.example.com</c> with the public-path address.</summary>
    WrongDns,
}

/// <summary>The names <c>lab.sh</c> knows the faults by.</summary>
public static class FaultNames
{
    public static string ToLabName(this Fault fault) => fault switch
    {
        Fault.Nic => "nic",
        Fault.Route => "route",
        Fault.ClusterDns => "cluster-dns",
        Fault.SlowDb => "slow-db",
        Fault.WrongDns => "wrong-dns",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
    };
}
