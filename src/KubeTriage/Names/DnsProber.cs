using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace KubeTriage.Names;

/// <summary>
/// Asks one resolver one question with DnsClient, the way a diagnosis needs it: no cache, only the
/// configured retries, one timeout per exchange, UDP first and the same question again over TCP when the
/// UDP answer comes back truncated (TC bit). The TCP leg is done here rather than by DnsClient's
/// <c>UseTcpFallback</c> so that the probe can say it happened. CNAME chains are followed in the answer
/// section; when a chain ends on a name without addresses, that name is asked next, up to
/// <see cref="MaxCnameHops"/> times.
/// </summary>
public sealed class DnsProber
{
    public const int MaxCnameHops = 8;

    private readonly TimeSpan _timeout;
    private readonly int _retries;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentDictionary<DnsResolver, (LookupClient Udp, LookupClient Tcp)> _clients = new();

    /// <param name="timeout">How long one exchange (one UDP or TCP query) may take.</param>
    /// <param name="retries">Extra tries on a network error or timeout; 0 asks once.</param>
    /// <param name="maxParallel">How many exchanges may be in flight at once, over all resolvers.</param>
    public DnsProber(TimeSpan timeout, int retries, int maxParallel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        _timeout = timeout;
        _retries = retries;
        _gate = new SemaphoreSlim(maxParallel, maxParallel);
    }

    public TimeSpan Timeout => _timeout;

    public int Retries => _retries;

    public async Task<DnsProbe> ProbeAsync(string name, QueryType type, DnsResolver resolver, CancellationToken cancellationToken)
    {
        var time = DateTime.UtcNow;
        var elapsed = 0.0;
        var asked = DnsNames.Normalize(name);
        var current = asked;
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { current };
        var queries = 0;
        var tcp = false;
        var truncated = false;
        for (var hop = 0; ; hop++)
        {
            var exchange = await ExchangeAsync(current, type, resolver, cancellationToken).ConfigureAwait(false);
            queries += exchange.Queries;
            elapsed += exchange.Seconds;
            tcp |= exchange.UsedTcp;
            truncated |= exchange.Truncated;
            var transport = tcp ? "udp+tcp" : "udp";
            if (exchange.Response is not { } response)
            {
                return new DnsProbe(time, asked, type.ToString(), resolver, exchange.Outcome, null, [], chain, null,
                    transport, truncated, queries, exchange.Error);
            }

            var rcode = DnsRcodes.Name((int)response.Header.ResponseCode);
            var (end, links, addresses) = Follow(response.Answers, current, type);
            if (links.Count > 0)
            {
                if (chain.Count == 0)
                {
                    chain.Add(current);
                }

                chain.AddRange(links);
            }

            var looped = end != current && seen.Contains(end);
            var chaseable = addresses.Count == 0 && rcode == DnsRcodes.NoError && end != current
                && hop < MaxCnameHops && !looped;
            if (!chaseable)
            {
                var latency = elapsed;
                var error = looped ? $"CNAME chain loops back to {end}"
                    : addresses.Count == 0 && end != current && hop >= MaxCnameHops ? $"CNAME chain longer than {MaxCnameHops} hops"
                    : null;
                return new DnsProbe(time, asked, type.ToString(), resolver, DnsProbeOutcome.Answered, rcode, addresses,
                    chain, latency, transport, truncated, queries, error);
            }

            seen.Add(end);
            current = end;
        }
    }

    /// <summary>
    /// Follows CNAME records from <paramref name="owner"/> through the answer section and returns the last
    /// name reached, the names passed (without the first) and the addresses of the asked type owned by it.
    /// </summary>
    internal static (string End, IReadOnlyList<string> Links, IReadOnlyList<string> Addresses) Follow(
        IEnumerable<DnsResourceRecord> answers, string owner, QueryType type)
    {
        var records = answers.ToList();
        var cnames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records.OfType<CNameRecord>())
        {
            cnames.TryAdd(DnsNames.Normalize(record.DomainName.Value), DnsNames.Normalize(record.CanonicalName.Value));
        }

        var links = new List<string>();
        var end = owner;
        while (cnames.TryGetValue(end, out var next) && links.Count < cnames.Count && !links.Contains(next) && next != owner)
        {
            links.Add(next);
            end = next;
        }

        var addresses = records
            .OfType<AddressRecord>()
            .Where(r => DnsNames.Normalize(r.DomainName.Value) == end)
            .Where(r => type == QueryType.AAAA ? r is AaaaRecord : r is ARecord)
            .Select(r => r.Address.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (end, links, addresses);
    }

    private async Task<Exchange> ExchangeAsync(string name, QueryType type, DnsResolver resolver, CancellationToken cancellationToken)
    {
        var (udp, tcp) = _clients.GetOrAdd(resolver, CreateClients);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tries = 1 + _retries;
            var first = await QueryAsync(udp, name, type, tries, cancellationToken).ConfigureAwait(false);
            if (!first.Truncated)
            {
                return first;
            }

            var second = await QueryAsync(tcp, name, type, tries, cancellationToken).ConfigureAwait(false);
            return second with
            {
                Seconds = first.Seconds + second.Seconds,
                Queries = first.Queries + second.Queries,
                UsedTcp = true,
                Truncated = true,
                Error = second.Error is null ? null : $"UDP answer truncated; TCP retry: {second.Error}",
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<Exchange> QueryAsync(LookupClient client, string name, QueryType type, int tries, CancellationToken cancellationToken)
    {
        // Only the exchange is timed: not the wait for a free slot, not building the client.
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return new Exchange(response, DnsProbeOutcome.Answered, null, 1, false, response.Header.ResultTruncated)
            {
                Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
            };
        }
        catch (DnsResponseException ex) when (IsTruncation(ex))
        {
            // DnsClient 1.8 with UseTcpFallback off throws instead of returning the truncated response.
            return new Exchange(null, DnsProbeOutcome.Answered, null, 1, false, true)
            {
                Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
            };
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout || ex.InnerException is TimeoutException)
        {
            return new Exchange(null, DnsProbeOutcome.Timeout, "no answer within the timeout", tries, false, false);
        }
        catch (DnsResponseException ex)
        {
            return new Exchange(null, DnsProbeOutcome.NetworkError, Describe(ex), tries, false, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Exchange(null, DnsProbeOutcome.Timeout, "no answer within the timeout", tries, false, false);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or DnsResponseParseException)
        {
            var outcome = ex is TimeoutException ? DnsProbeOutcome.Timeout : DnsProbeOutcome.NetworkError;
            return new Exchange(null, outcome, Describe(ex), tries, false, false);
        }
    }

    private static bool IsTruncation(DnsResponseException ex) =>
        ex.Code == DnsResponseCode.Unassigned && ex.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);

    private static string Describe(Exception ex)
    {
        var inner = ex.InnerException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is null || inner.Message == ex.Message ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    private (LookupClient Udp, LookupClient Tcp) CreateClients(DnsResolver resolver)
    {
        var server = new NameServer(resolver.Ip, resolver.Port);
        LookupClientOptions Options(bool tcpOnly) => new(server)
        {
            UseCache = false,
            Retries = _retries,
            Timeout = _timeout,
            UseTcpFallback = false,
            UseTcpOnly = tcpOnly,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            ThrowDnsErrors = false,
            UseRandomNameServer = false,
            Recursion = true,
        };
        return (new LookupClient(Options(false)), new LookupClient(Options(true)));
    }

    private sealed record Exchange(
        IDnsQueryResponse? Response,
        DnsProbeOutcome Outcome,
        string? Error,
        int Queries,
        bool UsedTcp,
        bool Truncated)
    {
        /// <summary>How long the exchange took (UDP plus TCP when retried); meaningful for answers only.</summary>
        public double Seconds { get; init; }
    }
}
