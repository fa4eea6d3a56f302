using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// Turns parsed messages into the strings of a <see cref="DnsTransaction"/>: the only place DNS text is
/// created, through the shared <see cref="TextCache"/> so that repeated names and addresses are reused.
/// Answers repeat too (a resolver hands out one record until its TTL runs down): a recently made answer
/// with the same name, type, TTL and data is reused, and so is the one-answer list around it, which is
/// safe because transactions only expose read-only lists of immutable answers.
/// </summary>
internal sealed class DnsTransactionBuilder(TextCache cache)
{
    private const int RecentAnswerSlots = 256;

    private readonly byte[] _scratch = new byte[DnsRdata.MaxTextBytes];
    private readonly DnsAnswer[]?[] _recentAnswers = new DnsAnswer[]?[RecentAnswerSlots];

    public string NameText(DnsName name) => cache.Get(_scratch.AsSpan(0, name.WriteText(_scratch)));

    /// <summary>The answer section's records, in message order (so a CNAME chain reads top to bottom).</summary>
    public IReadOnlyList<DnsAnswer> Answers(ReadOnlySpan<byte> message, in DnsMessage parsed)
    {
        if (parsed.AnswersRead == 0)
        {
            return [];
        }

        if (parsed.AnswersRead == 1)
        {
            return DnsResourceRecord.TryRead(message, parsed.AnswerOffset, out var only).IsParsed ? AnswerList(message, only) : [];
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

            answers[i] = AnswerList(message, record)[0];
            offset += result.Consumed;
        }

        return answers;
    }

    /// <summary>A one-answer list of this record, the recent one when it is the same answer.</summary>
    private DnsAnswer[] AnswerList(ReadOnlySpan<byte> message, in DnsResourceRecord record)
    {
        var name = NameText(record.Name);
        var length = DnsRdata.WriteText(record.Type, message, record.RdataOffset, record.RdataLength, _scratch);
        var data = cache.Get(_scratch.AsSpan(0, length));
        ref var recent = ref _recentAnswers[HashCode.Combine(name, record.Type, record.Ttl, data) & (RecentAnswerSlots - 1)];
        if (recent is [var answer] && answer.Type == record.Type && answer.Ttl == record.Ttl && answer.Name == name && answer.Data == data)
        {
            return recent;
        }

        recent = [new DnsAnswer(name, record.Type, record.Ttl, data)];
        return recent;
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
