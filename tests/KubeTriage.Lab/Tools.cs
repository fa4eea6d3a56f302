namespace KubeTriage.Lab;

/// <summary>Finds the lab's programs on PATH and in the sbin directories (root's PATH may lack them).</summary>
public static class Tools
{
    private static readonly string[] _extraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of <paramref name="tool"/>, or null when it is not installed.</summary>
    public static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(_extraDirectories)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The full path of <c>ip</c> (iproute2).</summary>
    public static string Ip => Find("ip") ?? "ip";
}
