using System.Globalization;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>One line of a payload transcript (see <c>Fixtures/extract-transcript.sh</c>).</summary>
public sealed record TranscriptPacket(
    long Frame,
    long TimeNs,
    bool Tcp,
    WireEndpoint Source,
    WireEndpoint Destination,
    byte TcpFlags,
    uint TcpSequence,
    byte[] Payload);

/// <summary>Reads the TCP and UDP payloads of a public capture as written by <c>extract-transcript.sh</c>.</summary>
public static class Transcript
{
    public static IReadOnlyList<TranscriptPacket> Load(string name)
    {
        var path = Path.Combine(ProtocolFixtures.Folder, "Transcripts", name + ".txt");
        var packets = new List<TranscriptPacket>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split(' ');
            var tcp = f[2] == "tcp";
            packets.Add(new TranscriptPacket(
                long.Parse(f[0], CultureInfo.InvariantCulture),
                long.Parse(f[1], CultureInfo.InvariantCulture),
                tcp,
                new WireEndpoint(NetAddress.Parse(f[3]), ushort.Parse(f[4], CultureInfo.InvariantCulture)),
                new WireEndpoint(NetAddress.Parse(f[5]), ushort.Parse(f[6], CultureInfo.InvariantCulture)),
                tcp ? Convert.ToByte(f[7], 16) : (byte)0,
                tcp ? uint.Parse(f[8], CultureInfo.InvariantCulture) : 0,
                f[9] == "-" ? [] : Convert.FromHexString(f[9])));
        }

        return packets;
    }
}

/// <summary>Single payloads out of a transcript, for message-level tests.</summary>
public static class TranscriptPayload
{
    public static byte[] Of(string name, long frame) =>
        Transcript.Load(name).First(p => p.Frame == frame && p.Payload.Length > 0).Payload;
}
