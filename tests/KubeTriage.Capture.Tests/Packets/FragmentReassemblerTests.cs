using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Packets;

public class FragmentReassemblerTests
{
    [Theory]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { 2, 0, 1 })]
    [InlineData(new[] { 1, 1, 2, 0 })]  // a repeated fragment is counted once
    public void DatagramIsWholeOnceEveryFragmentArrived(int[] order)
    {
        // Given: a 48-byte UDP datagram in three 16-byte IPv4 fragments
        var datagram = FrameBuilder.UdpDatagram(53, 40000, Enumerable.Range(0, 40).Select(i => (byte)i).ToArray());
        var reassembler = new FragmentReassembler();
        byte[]? whole = null;
        int length = 0;

        // When
        foreach (int piece in order)
        {
            ushort field = (ushort)((piece * 2) | (piece < 2 ? 0x2000 : 0));
            var ip = FrameBuilder.Ip("198.18.2.10", "198.18.1.20", 17, datagram[(piece * 16)..((piece + 1) * 16)], 77, field);
            var packet = default(DecodedPacket);
            _ = PacketDecoder.Decode(LinkType.Raw, ip, ref packet, out _, out _);
            Assert.Null(whole);
            whole = reassembler.Add(in packet, ip, 1, out length);
        }

        // Then
        Assert.NotNull(whole);
        Assert.Equal(datagram, whole.AsSpan(0, length).ToArray());
        Assert.Equal(0, reassembler.PendingCount);
        FragmentReassembler.Release(whole);
    }

    [Fact]
    public void PendingDatagramsAreBounded()
    {
        // Given
        var reassembler = new FragmentReassembler();

        // When: many first fragments that never complete
        for (int id = 0; id < FragmentReassembler.MaxPending * 2; id++)
        {
            var ip = FrameBuilder.Ip("198.18.2.10", "198.18.1.20", 17, new byte[16], (ushort)id, 0x2000);
            var packet = default(DecodedPacket);
            _ = PacketDecoder.Decode(LinkType.Raw, ip, ref packet, out _, out _);
            _ = reassembler.Add(in packet, ip, id, out _);
        }

        // Then
        Assert.True(reassembler.PendingCount <= FragmentReassembler.MaxPending);
    }
}
