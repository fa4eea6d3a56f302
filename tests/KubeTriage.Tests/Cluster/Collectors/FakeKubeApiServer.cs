using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeTriage.Bundle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeTriage.Tests.Cluster.Collectors;

/// <summary>
/// A Kubernetes API server on 127.0.0.1:0 (Kestrel) that serves a recorded bundle scenario at the real API
/// paths, so the real KubernetesClient is exercised end to end. <see cref="Deny"/> and <see cref="Hide"/> turn
/// chosen paths into 403 / 404 Status answers; <see cref="Requests"/> records what was asked.
/// </summary>
internal sealed partial class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KubeObjects _objects;
    private readonly string _bundleDir;

    private FakeKubeApiServer(WebApplication app, KubeObjects objects, string bundleDir)
    {
        _app = app;
        _objects = objects;
        _bundleDir = bundleDir;
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>Path prefixes answered with 403 Forbidden.</summary>
    public ConcurrentBag<string> Deny { get; } = [];

    /// <summary>Path prefixes answered with 404 Not Found.</summary>
    public ConcurrentBag<string> Hide { get; } = [];

    /// <summary>When set, every request gets 401.</summary>
    public bool RejectCredentials { get; set; }

    public ConcurrentQueue<(string Method, string Path, string Query)> Requests { get; } = new();

    public static async Task<FakeKubeApiServer> StartAsync(string bundleDir)
    {
        var objects = KubectlJsonReader.Read(await File.ReadAllTextAsync(Path.Combine(bundleDir, "cluster", "resources.json")), "resources.json");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, objects, bundleDir);
        app.Run(server.HandleSafelyAsync);
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    /// <summary>A kubeconfig file pointing at this server (token auth, context namespace <c>shop</c>).</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
                namespace: shop
            current-context: fake
            users:
            - name: tester
              user:
                token: test-token
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleSafelyAsync(HttpContext context)
    {
        try
        {
            await HandleAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await StatusAsync(context, HttpStatusCode.InternalServerError, "InternalError", $"fake server: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var query = context.Request.QueryString.Value ?? string.Empty;
        Requests.Enqueue((context.Request.Method, path, query));
        if (RejectCredentials)
        {
            await StatusAsync(context, HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");
            return;
        }

        if (Deny.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            await StatusAsync(context, HttpStatusCode.Forbidden, "Forbidden",
                $"{path} is forbidden: User \"system:serviceaccount:kubetriage:kubetriage\" cannot {(path.EndsWith('s') ? "list" : "get")} this resource");
            return;
        }

        if (Hide.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            await StatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"{path} not found");
            return;
        }

        var q = context.Request.Query;
        object? body = null;
        string? text = null;
        Match m;
        if ((m = NamespacedList().Match(path)).Success)
        {
            var ns = m.Groups["ns"].Value;
            body = $"{m.Groups["api"].Value}:{m.Groups["res"].Value}" switch
            {
                "apis/apps/v1:deployments" => new V1DeploymentList { Items = _objects.Deployments.Where(o => o.Metadata.NamespaceProperty == ns).ToList() },
                "api/v1:pods" => new V1PodList { Items = _objects.Pods.Where(o => o.Metadata.NamespaceProperty == ns).ToList() },
                "api/v1:services" => new V1ServiceList { Items = _objects.Services.Where(o => o.Metadata.NamespaceProperty == ns).ToList() },
                "apis/discovery.k8s.io/v1:endpointslices" => new V1EndpointSliceList { Items = _objects.EndpointSlices
                    .Where(o => o.Metadata.NamespaceProperty == ns && MatchesLabels(o.Metadata.Labels, q["labelSelector"].ToString())).ToList() },
                "api/v1:events" => new Corev1EventList { Items = _objects.CoreEvents
                    .Where(o => o.Metadata.NamespaceProperty == ns && MatchesFields(o, q["fieldSelector"].ToString())).ToList() },
                "apis/events.k8s.io/v1:events" => new Eventsv1EventList { Items = _objects.CoreEvents
                    .Where(o => o.Metadata.NamespaceProperty == ns && MatchesFields(o, q["fieldSelector"].ToString().Replace("regarding.", "involvedObject.", StringComparison.Ordinal)))
                    .Select(ToEventsV1).ToList() },
                _ => null,
            };
        }
        else if ((m = NamespacedGet().Match(path)).Success)
        {
            var (ns, name) = (m.Groups["ns"].Value, m.Groups["name"].Value);
            body = m.Groups["kind"].Value switch
            {
                "pods" => _objects.Pods.FirstOrDefault(o => o.Metadata.NamespaceProperty == ns && o.Metadata.Name == name),
                "endpoints" => _objects.Endpoints.FirstOrDefault(o => o.Metadata.NamespaceProperty == ns && o.Metadata.Name == name),
                "configmaps" => _objects.ConfigMaps.FirstOrDefault(o => o.Metadata.NamespaceProperty == ns && o.Metadata.Name == name),
                _ => null,
            };
        }
        else if ((m = PodLog().Match(path)).Success)
        {
            var previous = q["previous"] == "true";
            var file = Path.Combine(_bundleDir, "cluster", "logs", m.Groups["ns"].Value, m.Groups["name"].Value, q["container"] + (previous ? ".previous.log" : ".log"));
            if (!File.Exists(file))
            {
                await StatusAsync(context, HttpStatusCode.BadRequest, "BadRequest",
                    $"previous terminated container \"{q["container"]}\" in pod \"{m.Groups["name"].Value}\" not found");
                return;
            }

            text = await File.ReadAllTextAsync(file);
        }
        else if (path == "/api/v1/nodes")
        {
            body = new V1NodeList { Items = _objects.Nodes };
        }

        if (text is not null)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(text);
        }
        else if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(KubernetesJson.Serialize(body));
        }
        else
        {
            await StatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"{path} not found");
        }
    }

    private static Eventsv1Event ToEventsV1(Corev1Event e) => new()
    {
        Metadata = e.Metadata,
        Regarding = e.InvolvedObject,
        Reason = e.Reason,
        Note = e.Message,
        Type = e.Type,
        EventTime = e.EventTime ?? e.LastTimestamp ?? DateTime.UnixEpoch,
        DeprecatedCount = e.Count,
        DeprecatedFirstTimestamp = e.FirstTimestamp,
        DeprecatedLastTimestamp = e.LastTimestamp,
        ReportingController = "kubelet",
        ReportingInstance = e.ReportingInstance,
    };

    private static bool MatchesLabels(IDictionary<string, string>? labels, string selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var kv = term.Split('=', 2);
            return labels is not null && labels.TryGetValue(kv[0], out var v) && v == kv[1];
        });

    private static bool MatchesFields(Corev1Event e, string selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var kv = term.Split('=', 2);
            return kv[0] switch
            {
                "involvedObject.kind" => e.InvolvedObject?.Kind == kv[1],
                "involvedObject.name" => e.InvolvedObject?.Name == kv[1],
                _ => false,
            };
        });

    private static async Task StatusAsync(HttpContext context, HttpStatusCode code, string reason, string message)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        // V1Status has a read-only converter in KubernetesClient; write the Status object by hand.
        await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
        {
            apiVersion = "v1",
            kind = "Status",
            metadata = new { },
            status = "Failure",
            message,
            reason,
            code = (int)code,
        }));
    }

    [GeneratedRegex(@"^/(?<api>api/v1|apis/[a-z0-9.]+/v1)/namespaces/(?<ns>[^/]+)/(?<res>[a-z]+)$")]
    private static partial Regex NamespacedList();

    [GeneratedRegex(@"^/api/v1/namespaces/(?<ns>[^/]+)/(?<kind>pods|endpoints|configmaps)/(?<name>[^/]+)$")]
    private static partial Regex NamespacedGet();

    [GeneratedRegex(@"^/api/v1/namespaces/(?<ns>[^/]+)/pods/(?<name>[^/]+)/log$")]
    private static partial Regex PodLog();
}
