using System.Diagnostics;
using System.Globalization;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;

namespace KubeTriage.Benchmarks;

/// <summary>
/// Times the pipeline's stages on one file: reading records only, then reading and decoding, then
/// reading, decoding and finding each packet's flow in a <see cref="FlowTable{T}"/> (no flow state,
/// nothing expires), so the cost of the flow lookups can be told from the rest of the engine.
/// </summary>
public static class StageRun
{
    public static int Run(string path)
    {
        Time("read", path, Stage.Read);
        Time("read+decode", path, Stage.Decode);
        Time("read+decode+lookup", path, Stage.Lookup);
        return 0;
    }

    private enum Stage
    {
        Read,
        Decode,
        Lookup,
    }

    private static void Time(string name, string path, Stage stage)
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
            var table = new FlowTable<TcpConversation>();
            while (reader.MoveNext())
            {
                packets++;
                if (stage == Stage.Lookup)
                {
                    if (PacketDecoder.Decode(linkType, reader.CurrentData, ref packet, out _, out _) == PacketStatus.Decoded && packet.HasTransport)
                    {
                        var key = FlowKey.Create(packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort, packet.Protocol, out _);
                        if (!table.TryGet(in key, out var flow))
                        {
                            flow = table.Add(in key);
                        }

                        checksum += flow.Slot;
                    }
                }
                else if (stage == Stage.Decode)
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
                $"{name}: packets={packets} seconds={seconds:0.000} MBps={reader.Length / seconds / 1e6:0} pps={packets / seconds:0} (checksum {checksum})"));
        }
    }
}
