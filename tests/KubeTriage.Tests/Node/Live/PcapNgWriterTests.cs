using System.Buffers.Binary;
using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Node.Live;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Node.Live;

public sealed class PcapNgWriterTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-pcapng-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void WritesAFileTheCaptureEngineReadsBackWithInterfaceNamesAndNanosecondTimes()
    {
        // Given: two interfaces and three UDP packets from the pod, one of 33 bytes (padding to 4)
        var path = Path.Combine(_temp.FullName, "live.pcapng");
        const long t0 = 1_795_000_000_123_456_789;
        using (var writer = new PcapNgWriter(File.Create(path), "kubetriage test"))
        {
            var eth0 = writer.AddInterface("eth0", LinkType.Ethernet, 65535);
            var eth1 = writer.AddInterface("eth1", LinkType.Ethernet, 65535);
            writer.WritePacket(eth0, t0, Udp(payload: 4), 46);
            writer.WritePacket(eth1, t0 + 1_000, Udp(payload: 5), 47);
            writer.WritePacket(eth1, t0 + 2_001, Udp(payload: 4), 1500);
        }

        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [NetAddress.Parse("198.18.1.20")] });

        // When
        var result = CaptureEngine.Run([path], builder, NullProtocolRegistry.Instance);
        var evidence = builder.Build();

        // Then
        Assert.True(result.Succeeded);
        var file = Assert.Single(result.Files);
        Assert.Empty(file.Problems);
        Assert.Equal(3, result.Packets);
        Assert.Equal(["eth0", "eth1"], evidence.Interfaces.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, evidence.Interfaces.Single(i => i.Name == "eth1").FromPodPackets);
        Assert.Equal(t0, evidence.StartNs);
        Assert.Equal(t0 + 2_001, evidence.EndNs);
    }

    [Fact]
    public void PadsEveryBlockToFourBytesAndRepeatsItsLength()
    {
        // Given
        using var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream, "x");
        var id = writer.AddInterface("any", LinkType.LinuxSll2, 262144);

        // When
        writer.WritePacket(id, 5, new byte[] { 1, 2, 3 }, 3);
        var bytes = stream.ToArray();

        // Then: SHB, IDB and EPB each end with their own length, and the file length is a multiple of 4
        Assert.Equal(0, bytes.Length % 4);
        var at = 0;
        var types = new List<uint>();
        while (at < bytes.Length)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + length - 4)));
            types.Add(type);
            at += length;
        }

        Assert.Equal([0x0A0D0D0Au, 1u, 6u], types);
        Assert.Equal(1, writer.Packets);
    }

    /// <summary>Ethernet + IPv4 + UDP from 198.18.1.20:40000 to 198.18.2.10:53 with a payload of the given size.</summary>
    private static byte[] Udp(int payload)
    {
        var frame = new byte[14 + 20 + 8 + payload];
        frame[12] = 0x08;
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload));
        ip[8] = 64;
        ip[9] = 17;
        new byte[] { 198, 18, 1, 20 }.CopyTo(ip[12..]);
        new byte[] { 198, 18, 2, 10 }.CopyTo(ip[16..]);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 53);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload));
        return frame;
    }
}
