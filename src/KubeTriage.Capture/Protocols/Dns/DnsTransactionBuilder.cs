using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// Turns parsed messages into the strings of a <see cref="DnsTransaction"/>: the only place DNS text is
/// created, through the shared <see cref="TextCache"/> so that repeated names and addresses are reused.
/// </summary>
internal sealed class DnsTransactionBuilder(TextCache cache)
{
    private readonly byte[] _scratch = new byte[DnsRdata.MaxTextBytes];

    public string NameText(DnsName name) => cache.Get(_scratch.AsSpan(0, name.WriteText(_scratch)));

    /// <summary>The answer section's records, in message order (so a CNAME chain reads top to bottom).</summary>
    public IReadOnlyList<DnsAnswer> Answers(ReadOnlySpan<byte> message, in DnsMessage parsed)
    {
        if (parsed.AnswersRead == 0)
        {
            return [];
        }

        var answers = new DnsAnswer[parsed.AnswersRead];
        var offset = parsed.AnswerOffset;
        for (var i = 0; i < answers.Length; i++)
        {
            var result = DnsResourceRecord.TryRead(message, offset, out var record);
            if (!result.IsParsed)
            {
                return answers[..i];
            }

            var name = NameText(record.Name);
            var length = DnsRdata.WriteText(record.Type, message, record.RdataOffset, record.RdataLength, _scratch);
            answers[i] = new DnsAnswer(name, record.Type, record.Ttl, cache.Get(_scratch.AsSpan(0, length)));
            offset += result.Consumed;
        }

        return answers;
    }

    /// <summary>The diagnostic for a message that stopped early; a datagram or TCP message is complete, so need-more means it was cut.</summary>
    public static void ReportStop(ICaptureSink sink, in ParseResult result, ReadOnlySpan<byte> message, string file, long frame, string flow, long streamOffset)
    {
        if (result.IsNeedMore)
        {
            ProtocolDiagnostics.Report(sink, WireError.DnsTruncated, file, frame, flow, streamOffset, message, message.Length, "message ends before its counted sections");
            return;
        }

        ProtocolDiagnostics.Report(sink, result, file, frame, flow, streamOffset, message);
    }
}
