using KubeTriage.Findings;

namespace KubeTriage.Node.Analyzers;

/// <summary>
/// <c>node.nic-missing</c>: a PCI network function (class 0x02xxxx) with no netdev under it (neither
/// <c>&lt;bdf&gt;/net/*</c> nor, for virtio, <c>&lt;bdf&gt;/virtio*/net/*</c>); or an interface that routing needs and
/// that is absent or down: the NIC a pod's policy table belongs to by the VPC CNI numbering (table N ↔ device N-1),
/// or the device of a default route or of a pod table's route.
/// </summary>
public sealed class NicMissingAnalyzer : IAnalyzer<NodeEvidence>
{
    public string Id => FindingIds.NodeNicMissing;

    public string Title => "A NIC the node has on PCI, or that its routing needs, is absent from the OS or down";

    public IEnumerable<Finding> Analyze(NodeEvidence evidence)
    {
        var findings = new List<Finding>();
        var orphans = evidence.PciChecked ? evidence.PciFunctions.Where(f => f.NetDevs.Count == 0).ToList() : [];
        foreach (var function in orphans)
        {
            findings.Add(PciFinding(evidence, function));
        }

        if (evidence.InterfacesKnown)
        {
            findings.AddRange(NeededInterfaces(evidence, orphans));
        }

        return findings;
    }

    private Finding PciFinding(NodeEvidence evidence, PciFunction function)
    {
        var devicePath = $"/sys/bus/pci/devices/{function.Address}";
        var model = function.Model is null ? string.Empty : $" ({function.Model})";
        var lines = new List<string>
        {
            $"PCI {function.Address}: class {function.Class}, vendor:device {function.Ids}{model}, driver {function.Driver ?? "none (no driver bound)"}",
            $"no netdev under {devicePath}/net/ nor {devicePath}/virtio*/net/" + (evidence.SysfsRoot is { } root and not "/sys" ? $" (sysfs read from {root})" : string.Empty),
        };
        if (evidence.InterfacesKnown)
        {
            lines.Add($"ip link shows: {string.Join(", ", evidence.Interfaces.Select(i => i.Name))}");
        }

        var confirm = function.IsVirtio ? $"ls {devicePath}/virtio*/net" : $"ls {devicePath}/net";
        var bind = function.Driver is null && function.Module is { } module ? $"modprobe {module}; " : string.Empty;
        return new Finding(
            Id,
            Severity.Critical,
            $"PCI network device {function.Address}{model} has no network interface: attached to the VM but absent from the OS",
            $"PCI {function.Address}",
            lines,
            $"{bind}echo 1 > /sys/bus/pci/rescan; then confirm: ip link show; {confirm}")
        {
            Node = evidence.Node,
        };
    }

    private IEnumerable<Finding> NeededInterfaces(NodeEvidence evidence, IReadOnlyList<PciFunction> orphans)
    {
        var needs = new SortedDictionary<string, Need>(StringComparer.Ordinal);
        var podTables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in evidence.Pods)
        {
            foreach (var rule in evidence.SourceRules(pod.Ip).Where(r => !NodeEvidence.IsBuiltInTable(r.Table!)))
            {
                podTables.Add(rule.Table!);
                if (VpcCniNumbering.ForTable(rule.Table!, evidence.Interfaces) is { } nic && (nic.Present is null || nic.Present.IsDown))
                {
                    AddNeed(needs, nic.Name, nic.Present, rule.Table!).Reasons.Add(
                        $"rule '{rule.Text}' sends pod {pod.Ip}'s traffic to table {rule.Table}, which belongs to {nic.Name} (VPC CNI numbering: table {rule.Table} = device number {nic.DeviceNumber})");
                }
            }
        }

        foreach (var route in evidence.Routes)
        {
            if (route.Dev is not { } dev || route.Table == "local" || !(route.IsDefault || podTables.Contains(route.Table)))
            {
                continue;
            }

            var link = evidence.Interface(dev);
            if (link is null || link.IsDown)
            {
                AddNeed(needs, dev, link, route.Table).Reasons.Add($"route '{route.Text}' (table {route.Table}) needs {dev}");
            }
        }

        foreach (var (name, need) in needs)
        {
            var lines = need.Reasons.Distinct().ToList();
            if (need.Present is null)
            {
                lines.Add($"ip link show {name}: no such interface (the node has {string.Join(", ", evidence.Interfaces.Select(i => i.Name))})");
                lines.AddRange(orphans.Select(f => $"PCI {f.Address} ({f.Ids}) has no netdev: it may be this NIC"));
            }
            else
            {
                lines.Add($"ip link show {need.Present.Name}: state {need.Present.StateText}, flags {string.Join(",", need.Present.Flags)}");
            }

            var check = string.Join("; ", need.Tables.Select(t => t == "main" ? "ip route show" : $"ip route show table {t}"));
            var show = name.StartsWith("device-number-", StringComparison.Ordinal) ? "ip link show" : $"ip link show {name}";
            yield return new Finding(
                Id,
                Severity.Critical,
                need.Present is null
                    ? $"{name} is needed by the node's routing but is absent from the OS"
                    : $"{name} is needed by the node's routing but is down",
                $"{name}",
                lines,
                need.Present is null
                    ? $"echo 1 > /sys/bus/pci/rescan; then confirm: {show}; {check}"
                    : $"ip link set {need.Present.Name} up; then confirm: {show}; {check}")
            {
                Node = evidence.Node,
            };
        }
    }

    private static Need AddNeed(SortedDictionary<string, Need> needs, string name, NetInterface? present, string table)
    {
        if (!needs.TryGetValue(name, out var need))
        {
            need = new Need(present);
            needs[name] = need;
        }

        need.Tables.Add(table);
        return need;
    }

    private sealed record Need(NetInterface? Present)
    {
        public List<string> Reasons { get; } = [];

        public SortedSet<string> Tables { get; } = new(StringComparer.Ordinal);
    }
}
