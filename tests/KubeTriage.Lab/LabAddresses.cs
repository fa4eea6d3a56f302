namespace KubeTriage.Lab;

/// <summary>
/// The lab's fixed addresses (all inside 198.18.0.0/15, all inside the lab's own namespaces).
/// They mirror the variables at the top of <c>tests/lab/lab.sh</c>.
/// </summary>
public static class LabAddresses
{
    /// <summary>The node's <c>eth0</c>, in the node subnet 198.18.0.0/24.</summary>
    public const string NodeEth0 = "198.18.0.10";

    /// <summary>The node subnet's gateway (the VPC router).</summary>
    public const string NodeGateway = "198.18.0.1";

    /// <summary>The node's <c>eth1</c> (the elastic NIC, device number 1, policy table 2), in the pod subnet.</summary>
    public const string NodeEth1 = "198.18.1.10";

    /// <summary>The app pod's address (/32 on the pod's <c>eth0</c>).</summary>
    public const string PodIp = "198.18.1.20";

    /// <summary>The pod's node-side veth, named like the VPC CNI names it ("eni" + 11 hex digits).</summary>
    public const string PodVeth = "enie3be3ad2cb5";

    /// <summary>The pod subnet's gateway (the VPC router), table 2's default route.</summary>
    public const string PodSubnetGateway = "198.18.1.1";

    public const string NodeSubnet = "198.18.0.0/24";

    public const string PodSubnet = "198.18.1.0/24";

    /// <summary>The policy-routing table the VPC CNI gives pods on <c>eth1</c>.</summary>
    public const int PodRouteTable = 2;

    /// <summary>Cluster DNS (the kube-dns Service address; dnsmasq standing in for CoreDNS).</summary>
    public const string ClusterDns = "198.18.2.10";

    /// <summary>The first upstream DNS server.</summary>
    public const string Upstream1 = "198.18.2.11";

    /// <summary>The second upstream DNS server.</summary>
    public const string Upstream2 = "198.18.2.12";

    /// <summary>MariaDB (database <c>shop</c>, user <c>app</c>/<c>app</c>, procedure <c>business_query()</c>).</summary>
    public const string Database = "198.18.2.20";

    public const int DatabasePort = 3306;

    public const string DatabaseName = "shop";

    public const string DatabaseUser = "app";

    public const string DatabasePassword = "app";

    /// <summary>The external API's name and address.</summary>
    public const string ApiName = "example-api.com";

    public const string ApiAddress = "198.18.4.10";

    /// <summary>The object store's name; it should resolve into <see cref="DedicatedRange"/>.</summary>
    public const string ObjectStoreName = "oss.example.com";

    /// <summary>The object store over the dedicated line (fast).</summary>
    public const string ObjectStoreDedicated = "198.18.3.2";

    /// <summary>The object store over the public path (slow, bandwidth-limited with <c>tc tbf</c>).</summary>
    public const string ObjectStorePublic = "198.19.249.132";

    /// <summary>The dedicated line's range: any other answer for the object store's name is unexpected.</summary>
    public const string DedicatedRange = "198.18.3.0/24";

    public const int ObjectStorePort = 80;

    /// <summary>The object the app fetches: <c>http://oss.example.com/object.bin</c>.</summary>
    public const string ObjectPath = "/object.bin";

    public const int ObjectBytes = 204800;

    /// <summary>The pod's resolv.conf search list (the ClusterFirst shape, namespace <c>default</c>).</summary>
    public static readonly IReadOnlyList<string> PodSearch = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"];

    /// <summary>Every lab address lies in this range.</summary>
    public const string LabRange = "198.18.0.0/15";
}
