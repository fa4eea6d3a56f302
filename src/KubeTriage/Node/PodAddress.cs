using System.Net;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// A pod address this node routes for, with the node-side interface that reaches it (the pod's host veth, or a
/// bridge) and where the address came from: "--pod-ip", "host route" or "rule".
/// </summary>
public sealed record PodAddress(
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Ip,
    string? HostInterface,
    string Source);
