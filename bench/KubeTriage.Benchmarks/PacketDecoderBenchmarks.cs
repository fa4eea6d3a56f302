using BenchmarkDotNet.Attributes;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Benchmarks;

/// <summary>Decoding canned frames down to the transport header, per frame.</summary>
public class PacketDecoderBenchmarks
{
    private const int Frames = 4096;

    private byte[][] _ethernet = null!;
    private byte[][] _cookedV2 = null!;
    private byte[][] _vlanIpv6 = null!;

    [GlobalSetup]
    public void Setup()
    {
        CannedCaptures.Open(CannedCaptures.Pcap, out var reader);
        _ethernet = new byte[Frames][];
        for (int i = 0; i < Frames && reader.MoveNext(); i++)
        {
            _ethernet[i] = reader.CurrentData.ToArray();
        }

        reader.Dispose();
        _cookedV2 = [.. _ethernet.Select(ToCookedV2)];
        _vlanIpv6 = [.. _ethernet.Select(ToVlanIpv6)];
    }

    [Benchmark(Description = "Ethernet/IPv4/TCP|UDP", OperationsPerInvoke = Frames)]
    public int DecodeEthernet() => DecodeAll(LinkType.Ethernet, _ethernet);

    [Benchmark(Description = "Linux cooked v2/IPv4", OperationsPerInvoke = Frames)]
    public int DecodeCookedV2() => DecodeAll(LinkType.LinuxSll2, _cookedV2);

    [Benchmark(Description = "802.1Q/IPv6", OperationsPerInvoke = Frames)]
    public int DecodeVlanIpv6() => DecodeAll(LinkType.Ethernet, _vlanIpv6);

    private static int DecodeAll(LinkType linkType, byte[][] frames)
    {
        var packet = default(DecodedPacket);
        int ports = 0;
        foreach (var frame in frames)
        {
            _ = PacketDecoder.Decode(linkType, frame, ref packet, out _, out _);
            ports += packet.SourcePort;
        }

        return ports;
    }

    private static byte[] ToCookedV2(byte[] ethernet)
    {
        var frame = new byte[20 + ethernet.Length - 14];
        frame[0] = 0x08;
        frame[7] = 3;
        ethernet.AsSpan(14).CopyTo(frame.AsSpan(20));
        return frame;
    }

    /// <summary>The same transport bytes behind an 802.1Q tag and an IPv6 header.</summary>
    private static byte[] ToVlanIpv6(byte[] ethernet)
    {
        var packet = default(DecodedPacket);
        _ = PacketDecoder.Decode(LinkType.Ethernet, ethernet, ref packet, out _, out _);
        var transport = ethernet.AsSpan(34);
        var frame = new byte[18 + 40 + transport.Length];
        frame[12] = 0x81;
        frame[14] = 0x00;
        frame[15] = 10;
        frame[16] = 0x86;
        frame[17] = 0xDD;
        frame[18] = 0x60;
        frame[22] = (byte)(transport.Length >> 8);
        frame[23] = (byte)transport.Length;
        frame[24] = packet.Protocol;
        frame[25] = 64;
        frame[26] = 0x20;
        frame[27] = 0x01;
        frame[42] = 0x20;
        frame[43] = 0x01;
        frame[41] = (byte)packet.Source.Low;
        frame[57] = (byte)packet.Destination.Low;
        transport.CopyTo(frame.AsSpan(58));
        return frame;
    }
}
