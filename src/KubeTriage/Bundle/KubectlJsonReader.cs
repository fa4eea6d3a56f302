using System.Text.Json;
using k8s;
using k8s.Models;

namespace KubeTriage.Bundle;

/// <summary>
/// Reads <c>kubectl get … -o json</c> output: a <c>List</c> of mixed kinds (or one object) into KubernetesClient
/// models, by <c>kind</c> and <c>apiVersion</c>. An item that does not deserialize becomes a problem line; the rest
/// is kept. Kinds nobody asked for are counted and skipped.
/// </summary>
public static class KubectlJsonReader
{
    public static KubeObjects Read(string json, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new BundleException($"{fileName}: not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            var objects = new KubeObjects();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BundleException($"{fileName}: expected a kubectl JSON object or List, found {root.ValueKind}");
            }

            if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in items.EnumerateArray())
                {
                    Add(objects, item, $"{fileName} item {index}");
                    index++;
                }
            }
            else
            {
                Add(objects, root, fileName);
            }

            return objects;
        }
    }

    private static void Add(KubeObjects objects, JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            objects.Problems.Add($"{where}: not an object");
            return;
        }

        var kind = item.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() ?? string.Empty : string.Empty;
        var apiVersion = item.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;
        try
        {
            switch (kind)
            {
                case "Pod":
                    objects.Pods.Add(KubernetesJson.Deserialize<V1Pod>(item));
                    break;
                case "Deployment":
                    objects.Deployments.Add(KubernetesJson.Deserialize<V1Deployment>(item));
                    break;
                case "Service":
                    objects.Services.Add(KubernetesJson.Deserialize<V1Service>(item));
                    break;
                case "Endpoints":
                    objects.Endpoints.Add(KubernetesJson.Deserialize<V1Endpoints>(item));
                    break;
                case "EndpointSlice":
                    objects.EndpointSlices.Add(KubernetesJson.Deserialize<V1EndpointSlice>(item));
                    break;
                case "ConfigMap":
                    objects.ConfigMaps.Add(KubernetesJson.Deserialize<V1ConfigMap>(item));
                    break;
                case "Event" when apiVersion.StartsWith("events.k8s.io/", StringComparison.Ordinal):
                    objects.EventsV1.Add(KubernetesJson.Deserialize<Eventsv1Event>(item));
                    break;
                case "Event":
                    objects.CoreEvents.Add(KubernetesJson.Deserialize<Corev1Event>(item));
                    break;
                case "Node":
                    objects.Nodes.Add(KubernetesJson.Deserialize<V1Node>(item));
                    break;
                default:
                    objects.Skipped[kind.Length == 0 ? "(no kind)" : kind] = objects.Skipped.TryGetValue(kind, out var n) ? n + 1 : 1;
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            var name = item.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : "?";
            objects.Problems.Add($"{where} ({kind} {name}): cannot read: {FirstSentence(ex.Message)}");
        }
    }

    private static string FirstSentence(string message)
    {
        var line = string.Concat(message.ReplaceLineEndings(" ").Select(c => c is < ' ' or > '~' ? '?' : c));
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
