using KubeTriage.Capture.Files;

namespace KubeTriage.Benchmarks;

/// <summary>In-memory captures shared by the micro-benchmarks: generated traffic as pcap and as pcapng.</summary>
public static class CannedCaptures
{
    public const int TargetBytes = 8 << 20;

    private static readonly Lazy<byte[]> PcapBytes = new(() =>
    {
        using var stream = new MemoryStream();
        _ = TrafficGenerator.Write(stream, TargetBytes);
        return stream.ToArray();
    });

    private static readonly Lazy<byte[]> PcapNgBytes = new(() => ToPcapNg(PcapBytes.Value));

    public static byte[] Pcap => PcapBytes.Value;

    public static byte[] PcapNg => PcapNgBytes.Value;

    /// <summary>Counts the records of a capture (the OperationsPerInvoke of a benchmark over it).</summary>
    public static int CountRecords(byte[] capture)
    {
        Open(capture, out var reader);
        int count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        reader.Dispose();
        return count;
    }

    public static void Open(byte[] capture, out CaptureReader reader)
    {
        if (!CaptureFile.TryOpen(new MemoryStream(capture, writable: false), "canned", capture.Length, out var opened, out var error, 1 << 20))
        {
            throw new InvalidOperationException(error!.ToString());
        }

        reader = opened!;
    }

    /// <summary>The same records re-framed as pcapng enhanced packet blocks with nanosecond resolution.</summary>
    private static byte[] ToPcapNg(byte[] pcap)
    {
        Open(pcap, out var reader);
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(0x0A0D0D0A);
        writer.Write(28);
        writer.Write(0x1A2B3C4D);
        writer.Write((ushort)1);
        writer.Write((ushort)0);
        writer.Write(-1L);
        writer.Write(28);
        writer.Write(1);
        writer.Write(32);
        writer.Write((ushort)LinkType.Ethernet);
        writer.Write((ushort)0);
        writer.Write(262144);
        writer.Write((ushort)9);
        writer.Write((ushort)1);
        writer.Write(9);
        writer.Write(0);
        writer.Write(32);
        while (reader.MoveNext())
        {
            var data = reader.CurrentData;
            int padded = (data.Length + 3) & ~3;
            int length = 32 + padded;
            ulong time = (ulong)reader.Current.TimeNs;
            writer.Write(6);
            writer.Write(length);
            writer.Write(0);
            writer.Write((uint)(time >> 32));
            writer.Write((uint)time);
            writer.Write(data.Length);
            writer.Write(data.Length);
            writer.Write(data);
            writer.Write(new byte[padded - data.Length]);
            writer.Write(length);
        }

        reader.Dispose();
        writer.Flush();
        return output.ToArray();
    }
}
