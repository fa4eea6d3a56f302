using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace KubeTriage.Names;

/// <summary>
/// Runs DnsClient's UDP query path once against an echo socket inside this process (loopback, no DNS server
/// involved), so that the first real exchange is not charged for just-in-time compilation: without it the
/// first resolver asked looks tens of milliseconds slower than it is.
/// </summary>
public static class DnsClientWarmup
{
    private const byte FlagResponse = 0x80;
    private const byte FlagRecursionAvailable = 0x80;

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var echo = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)echo.Client.LocalEndPoint!).Port;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(TimeSpan.FromSeconds(1));
            var answer = EchoOnceAsync(echo, stop.Token);
            var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, port))
            {
                UseCache = false,
                Retries = 0,
                Timeout = TimeSpan.FromSeconds(1),
                ContinueOnEmptyResponse = false,
            });
            await client.QueryAsync("warmup.invalid", QueryType.A, QueryClass.IN, stop.Token).ConfigureAwait(false);
            await answer.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or DnsResponseException or OperationCanceledException)
        {
            // A warm-up that fails costs accuracy of the first latency, nothing else.
        }
    }

    /// <summary>Sends the query back as its own empty answer: same id and question, QR and RA set, NOERROR.</summary>
    private static async Task EchoOnceAsync(UdpClient echo, CancellationToken cancellationToken)
    {
        var query = await echo.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        var reply = query.Buffer.ToArray();
        if (reply.Length >= 12)
        {
            reply[2] |= FlagResponse;
            reply[3] = FlagRecursionAvailable;
            await echo.SendAsync(reply, query.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
        }
    }
}
