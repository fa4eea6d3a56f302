using System.Diagnostics;
using System.Globalization;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;

namespace KubeTriage.Benchmarks;

/// <summary>Times the pipeline's stages on one file: reading records only, then reading and decoding.</summary>
public static class StageRun
{
    public static int Run(string path)
    {
        Time("read", path, decode: false);
        Time("read+decode", path, decode: true);
        return 0;
    }

    private static void Time(string stage, string path, bool decode)
    {
        if (!CaptureFile.TryOpen(path, out var reader, out var error, 4 << 20))
        {
            Console.Error.WriteLine(error);
            return;
        }

        using (reader)
        {
            var stopwatch = Stopwatch.StartNew();
            long packets = 0;
            long checksum = 0;
            var packet = default(DecodedPacket);
            var linkType = reader!.Interfaces[0].LinkType;
            while (reader.MoveNext())
            {
                packets++;
                if (decode)
                {
                    _ = PacketDecoder.Decode(linkType, reader.CurrentData, ref packet, out _, out _);
                    checksum += packet.SourcePort;
                }
                else
                {
                    checksum += reader.CurrentData.Length;
                }
            }

            double seconds = stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{stage}: packets={packets} seconds={seconds:0.000} MBps={reader.Length / seconds / 1e6:0} pps={packets / seconds:0} (checksum {checksum})"));
        }
    }
}
