namespace KubeTriage.Node;

/// <summary>
/// Reads the parts of sysfs the node checks need, under an injectable root (<c>/sys</c> live, a collected
/// <c>nodes/NODE/sysfs</c>, or a test tree): <c>class/net/&lt;if&gt;/{address,operstate,device}</c> and
/// <c>bus/pci/devices/&lt;bdf&gt;/{class,vendor,device,driver,net/,virtio*/net/}</c>. The <c>driver</c> link's target
/// names the driver; where a copy lost the link, <c>uevent</c>'s DRIVER= line stands in.
/// </summary>
public sealed class SysfsReader(string root)
{
    public string Root { get; } = root;

    public string PciDevicesPath => Path.Combine(Root, "bus", "pci", "devices");

    public string NetClassPath => Path.Combine(Root, "class", "net");

    /// <summary>Every PCI function, or null (with a problem line) when the PCI device list cannot be read.</summary>
    public IReadOnlyList<PciFunction>? ReadPciFunctions(ICollection<string> problems)
    {
        if (!Directory.Exists(PciDevicesPath))
        {
            problems.Add($"sysfs: {PciDevicesPath} does not exist: PCI checks skipped");
            return null;
        }

        var functions = new List<PciFunction>();
        foreach (var path in SafeEntries(PciDevicesPath, problems).Where(Directory.Exists).Order(StringComparer.Ordinal))
        {
            var bdf = Path.GetFileName(path);
            var pciClass = ReadText(Path.Combine(path, "class"));
            if (pciClass is null)
            {
                problems.Add($"sysfs: {bdf}: no readable class file, skipped");
                continue;
            }

            functions.Add(new PciFunction(
                bdf,
                pciClass,
                ReadText(Path.Combine(path, "vendor")) ?? "?",
                ReadText(Path.Combine(path, "device")) ?? "?",
                Driver(path),
                NetDevs(path, problems)));
        }

        return functions;
    }

    /// <summary>Interfaces under class/net, or null when that directory is absent.</summary>
    public IReadOnlyList<SysfsInterface>? ReadNetInterfaces(ICollection<string> problems)
    {
        if (!Directory.Exists(NetClassPath))
        {
            return null;
        }

        return SafeEntries(NetClassPath, problems)
            .Where(Directory.Exists)
            .Order(StringComparer.Ordinal)
            .Select(path => new SysfsInterface(
                Path.GetFileName(path),
                ReadText(Path.Combine(path, "address")),
                ReadText(Path.Combine(path, "operstate")),
                LinkTarget(Path.Combine(path, "device"))))
            .ToList();
    }

    private static List<string> NetDevs(string functionPath, ICollection<string> problems)
    {
        var names = new List<string>();
        var direct = Path.Combine(functionPath, "net");
        if (Directory.Exists(direct))
        {
            names.AddRange(SafeEntries(direct, problems).Select(Path.GetFileName)!);
        }

        // virtio-net: the netdev hangs under the virtio device, one level deeper.
        foreach (var virtio in SafeEntries(functionPath, problems)
                     .Where(p => Path.GetFileName(p).StartsWith("virtio", StringComparison.Ordinal) && Directory.Exists(p)))
        {
            var nested = Path.Combine(virtio, "net");
            if (Directory.Exists(nested))
            {
                names.AddRange(SafeEntries(nested, problems).Select(Path.GetFileName)!);
            }
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }

    private static string? Driver(string functionPath)
    {
        var link = LinkTarget(Path.Combine(functionPath, "driver"));
        if (link is not null)
        {
            return Path.GetFileName(link.TrimEnd('/'));
        }

        var uevent = ReadText(Path.Combine(functionPath, "uevent"));
        return uevent?.Split('\n')
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("DRIVER=", StringComparison.Ordinal))?["DRIVER=".Length..];
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<string> SafeEntries(string directory, ICollection<string> problems)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"sysfs: cannot list {directory}: {ex.Message}");
            return [];
        }
    }
}
