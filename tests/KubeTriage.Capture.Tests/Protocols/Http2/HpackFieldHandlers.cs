using System.Text;
using KubeTriage.Capture.Protocols.Http2;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>Collects a header block's fields as "name: value" lines, in order.</summary>
internal sealed class FieldList : IHpackFieldHandler
{
    public List<string> Fields { get; } = [];

    public void OnField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Fields.Add(Encoding.ASCII.GetString(name) + ": " + Encoding.ASCII.GetString(value));
}

/// <summary>Counts the bytes of the fields handed on, without keeping them (for the allocation and random-input tests).</summary>
internal sealed class FieldCounter : IHpackFieldHandler
{
    public long Bytes { get; private set; }

    public int Malformed { get; set; }

    public void OnField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Bytes += name.Length + value.Length;
}
