namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// A whole DNS message, RFC 1035 §4.1 (https://www.rfc-editor.org/rfc/rfc1035#section-4.1): header,
/// questions, then answer, authority and additional records, each record checked in its RDLENGTH slice.
/// A read that stops early (need-more or malformed) still fills in what came before the stop, so a
/// response whose additional section is cut by the snap length still pairs with its query and keeps
/// its answers.
/// </summary>
internal ref struct DnsMessage
{
    public DnsHeaderSection Header;

    public bool HasHeader;

    /// <summary>The first question; only <see cref="DnsHeaderSection.QuestionCount"/> = 1 is common.</summary>
    public DnsQuestionEntry Question;

    public bool HasQuestion;

    /// <summary>Where the answer section starts.</summary>
    public int AnswerOffset;

    /// <summary>Answer records read completely (all of them when the read succeeded).</summary>
    public int AnswersRead;

    /// <summary>The TTL field of the OPT record, when the additional section had one.</summary>
    public uint? OptTtl;

    /// <summary>RCODE with the OPT record's extension (RFC 6891 §6.1.3) when present.</summary>
    public readonly int Rcode => OptTtl is { } ttl ? OptRdata.ExtendedRcode(ttl, Header.Rcode) : Header.Rcode;

    public static ParseResult TryRead(ReadOnlySpan<byte> message, out DnsMessage parsed)
    {
        parsed = default;
        var header = DnsHeaderSection.TryRead(message, out parsed.Header);
        if (!header.IsParsed)
        {
            return header;
        }

        parsed.HasHeader = true;
        var offset = DnsHeaderSection.Size;
        for (var i = 0; i < parsed.Header.QuestionCount; i++)
        {
            var question = DnsQuestionEntry.TryRead(message, offset, out var entry);
            if (!question.IsParsed)
            {
                return question;
            }

            if (i == 0)
            {
                parsed.Question = entry;
                parsed.HasQuestion = true;
            }

            offset += question.Consumed;
        }

        parsed.AnswerOffset = offset;
        var records = parsed.Header.AnswerCount + parsed.Header.AuthorityCount + parsed.Header.AdditionalCount;
        var additionalFrom = parsed.Header.AnswerCount + parsed.Header.AuthorityCount;
        for (var i = 0; i < records; i++)
        {
            var record = DnsResourceRecord.TryRead(message, offset, out var rr);
            if (!record.IsParsed)
            {
                return record;
            }

            if (i < parsed.Header.AnswerCount)
            {
                parsed.AnswersRead++;
            }
            else if (i >= additionalFrom && rr.Type == DnsType.OPT)
            {
                parsed.OptTtl = rr.Ttl;
            }

            offset += record.Consumed;
        }

        return ParseResult.Parsed(offset);
    }
}
