using System.Text;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// A small direct-mapped cache from UTF-8 bytes to strings, so that names, queries and addresses that
/// repeat across transactions (the same DNS name, the same pooled SQL) are turned into a string once.
/// A hit compares the bytes with the cached text, so a hash collision only costs a miss. Texts that are
/// all ASCII (nearly all of them: names, SQL, addresses) are compared with the string itself and keep no
/// copy of their bytes; others keep one. Not thread-safe: one per registry, and a registry serves one
/// capture run.
/// </summary>
internal sealed class TextCache
{
    /// <summary>Longer texts are not cached (decoded every time).</summary>
    public const int MaxCachedBytes = 4096;

    private readonly Entry[] _entries;

    // SQL text has a table of its own: statements with literals in them are mostly unique and would
    // push the names, users and addresses that do repeat out of the shared one.
    private readonly Entry[] _statements;
    private readonly int _mask;

    public TextCache(int slots = 1024)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(slots, 16));
        _entries = new Entry[size];
        _statements = new Entry[size];
        _mask = size - 1;
    }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    /// <summary>The string for these UTF-8 bytes; invalid sequences decode as U+FFFD.</summary>
    public string Get(ReadOnlySpan<byte> utf8, bool ellipsis = false) => Get(_entries, utf8, ellipsis);

    /// <summary>As <see cref="Get"/>, for SQL statements, kept apart from other texts.</summary>
    public string GetStatement(ReadOnlySpan<byte> utf8, bool ellipsis = false) => Get(_statements, utf8, ellipsis);

    private string Get(Entry[] entries, ReadOnlySpan<byte> utf8, bool ellipsis)
    {
        if (utf8.IsEmpty && !ellipsis)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedBytes)
        {
            Misses++;
            return Decode(utf8, ellipsis);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        hash.Add(ellipsis);
        var code = hash.ToHashCode();
        ref var entry = ref entries[code & _mask];
        if (entry.Text is not null && entry.Code == code && entry.Ellipsis == ellipsis && entry.Matches(utf8))
        {
            Hits++;
            return entry.Text;
        }

        Misses++;
        var text = Decode(utf8, ellipsis);
        entry = new Entry(code, ellipsis, Ascii.IsValid(utf8) ? null : utf8.ToArray(), text);
        return text;
    }

    private static string Decode(ReadOnlySpan<byte> utf8, bool ellipsis) =>
        ellipsis ? Encoding.UTF8.GetString(utf8) + "…" : Encoding.UTF8.GetString(utf8);

    /// <summary>
    /// The longest prefix of at most <paramref name="maxBytes"/> bytes that does not cut a UTF-8
    /// sequence in two (a cut would decode as a replacement character).
    /// </summary>
    public static ReadOnlySpan<byte> TrimToUtf8Boundary(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes)
        {
            return utf8;
        }

        var end = maxBytes;
        // Back up over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
        for (var back = 0; back < 4 && end > 0 && (utf8[end] & 0xC0) == 0x80; back++)
        {
            end--;
        }

        return utf8[..end];
    }

    /// <summary>A cached text; <see cref="Key"/> holds the bytes only when they are not all ASCII.</summary>
    private readonly record struct Entry(int Code, bool Ellipsis, byte[]? Key, string Text)
    {
        public bool Matches(ReadOnlySpan<byte> utf8) => Key is null
            ? Ascii.Equals(utf8, Ellipsis ? Text.AsSpan(0, Text.Length - 1) : Text)
            : utf8.SequenceEqual(Key);
    }
}
