using System.Buffers.Binary;
using System.Net;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

/// <summary>Builds small DNS messages for tests (uncompressed names, A answers).</summary>
public static class DnsBytes
{
    public static byte[] Query(ushort id, string name, ushort type = 1) =>
        Message(id, 0x0100, name, type, []);

    public static byte[] Response(ushort id, string name, ushort type = 1, int rcode = 0, params string[] addresses) =>
        Message(id, (ushort)(0x8180 | rcode), name, type, addresses);

    private static byte[] Message(ushort id, ushort flags, string name, ushort type, string[] addresses)
    {
        var bytes = new List<byte>();
        Add16(bytes, id);
        Add16(bytes, flags);
        Add16(bytes, 1);
        Add16(bytes, (ushort)addresses.Length);
        Add16(bytes, 0);
        Add16(bytes, 0);
        AddName(bytes, name);
        Add16(bytes, type);
        Add16(bytes, 1);
        foreach (var address in addresses)
        {
            bytes.AddRange([0xC0, 12]);
            Add16(bytes, 1);
            Add16(bytes, 1);
            bytes.AddRange([0, 0, 0, 60]);
            Add16(bytes, 4);
            bytes.AddRange(IPAddress.Parse(address).GetAddressBytes());
        }

        return bytes.ToArray();
    }

    /// <summary>A message with a 2-byte length prefix, as sent over TCP.</summary>
    public static byte[] Framed(byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        return framed;
    }

    private static void AddName(List<byte> bytes, string name)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
    }

    private static void Add16(List<byte> bytes, ushort value) => bytes.AddRange([(byte)(value >> 8), (byte)value]);
}
