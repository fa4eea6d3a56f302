using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeTriage.Names;

/// <summary>
/// Reads the expectations YAML file. Every mistake is reported as one line naming the file and the
/// line, e.g. <c>expect.yaml:7: resolvesTo entry '10.0.0.0/33' is not an address or CIDR</c>.
/// </summary>
public static class ExpectationsLoader
{
    public static Expectations LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ExpectationsException($"{path}: cannot read the expectations file: {ex.Message}");
        }

        return Parse(text, path);
    }

    public static Expectations Parse(string text, string source)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new ExpectationsException($"{source}:{ex.Start.Line}: not valid YAML: {FirstLine(ex.Message)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some unclosed flow collections ("[a" then a new key).
            throw new ExpectationsException(
                $"{source}:{scanner.CurrentPosition.Line}: not valid YAML: an unclosed '[' or '{{' before this line");
        }

        if (stream.Documents.Count == 0)
        {
            return Expectations.Empty with { Source = source };
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Error(source, stream.Documents[0].RootNode, "the file must be a mapping with 'dependencies:'");
        }

        var dependencies = new List<ExpectedDependency>();
        int? slowQueryMs = null;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = KeyName(keyNode, source);
            switch (key)
            {
                case "dependencies":
                    if (valueNode is YamlScalarNode { Value: null or "" })
                    {
                        break;
                    }

                    if (valueNode is not YamlSequenceNode seq)
                    {
                        throw Error(source, valueNode, "'dependencies' must be a list");
                    }

                    foreach (var item in seq.Children)
                    {
                        dependencies.Add(ReadDependency(item, source));
                    }

                    break;
                case "slowQueryMs":
                    if (valueNode is not YamlScalarNode s || !int.TryParse(s.Value, out var ms) || ms < 0)
                    {
                        throw Error(source, valueNode, "'slowQueryMs' must be a whole number of milliseconds");
                    }

                    slowQueryMs = ms;
                    break;
                default:
                    throw Error(source, keyNode, $"unknown key '{key}' (known: dependencies, slowQueryMs)");
            }
        }

        return new Expectations(dependencies, slowQueryMs) { Source = source };
    }

    private static ExpectedDependency ReadDependency(YamlNode node, string source)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(source, node, "each dependency must be a mapping with at least 'name:'");
        }

        string? name = null;
        string? address = null;
        var ranges = new List<IPNetwork>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = KeyName(keyNode, source);
            switch (key)
            {
                case "name":
                    name = Scalar(valueNode, source, "name");
                    break;
                case "address":
                    address = Scalar(valueNode, source, "address");
                    if (ExpectedDependency.SplitAddress(address).Ip is null)
                    {
                        throw Error(source, valueNode, $"address '{address}' is not IP or IP:port");
                    }

                    break;
                case "resolvesTo":
                    var entries = valueNode switch
                    {
                        YamlSequenceNode seq => seq.Children,
                        YamlScalarNode => [valueNode],
                        _ => throw Error(source, valueNode, "'resolvesTo' must be a list of CIDRs"),
                    };
                    foreach (var entry in entries)
                    {
                        var text = Scalar(entry, source, "resolvesTo entry");
                        if (!TryParseNetwork(text, out var network))
                        {
                            throw Error(source, entry, $"resolvesTo entry '{text}' is not an address or CIDR");
                        }

                        ranges.Add(network);
                    }

                    break;
                default:
                    throw Error(source, keyNode, $"unknown dependency key '{key}' (known: name, address, resolvesTo)");
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Error(source, node, "a dependency has no 'name'");
        }

        return new ExpectedDependency(name, address, ranges, (int)node.Start.Line);
    }

    private static bool TryParseNetwork(string text, out IPNetwork network)
    {
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(text, out var ip))
        {
            network = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    private static string KeyName(YamlNode node, string source) =>
        node is YamlScalarNode { Value: { } v }
            ? v
            : throw Error(source, node, "a key must be a plain word (dependencies, slowQueryMs, name, address, resolvesTo)");

    private static string Scalar(YamlNode node, string source, string what) =>
        node is YamlScalarNode { Value: { } v } && v.Length > 0
            ? v
            : throw Error(source, node, $"'{what}' must be a single value");

    private static ExpectationsException Error(string source, YamlNode node, string message) =>
        new($"{source}:{node.Start.Line}: {message}");

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}

/// <summary>A bad expectations file: the message is one line with the file and line number.</summary>
public sealed class ExpectationsException(string message) : Exception(message);
