using System.Buffers.Binary;
using System.Text;

namespace KubeTriage.Benchmarks;

/// <summary>DNS query and answer messages (RFC 1035 section 4) for generated traffic.</summary>
public static class DnsMessages
{
    private static readonly string[] Names =
    [
        "mysql.shop.svc.cluster.local", "example-api.com", "oss.example.com", "redis.shop.svc.cluster.local",
        "example-api.com.shop.svc.cluster.local", "kubernetes.default.svc.cluster.local", "payments.internal.example.com",
    ];

    public static (byte[] Query, byte[] Answer) Exchange(Random random, ushort id)
    {
        string name = Names[random.Next(Names.Length)];
        ushort type = random.Next(3) == 0 ? (ushort)28 : (ushort)1;
        var question = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            question.Add((byte)label.Length);
            question.AddRange(Encoding.ASCII.GetBytes(label));
        }

        question.Add(0);
        question.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);

        var query = new List<byte>();
        query.AddRange(Header(id, 0x0100, answers: 0));
        query.AddRange(question);

        var answer = new List<byte>();
        bool nxdomain = name.EndsWith(".shop.svc.cluster.local", StringComparison.Ordinal) && name.StartsWith("example-api", StringComparison.Ordinal);
        answer.AddRange(Header(id, nxdomain ? (ushort)0x8183 : (ushort)0x8180, answers: nxdomain ? (ushort)0 : (ushort)1));
        answer.AddRange(question);
        if (!nxdomain)
        {
            answer.AddRange([0xC0, 0x0C, (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 30]);
            if (type == 1)
            {
                answer.AddRange([0, 4, 198, 18, (byte)random.Next(2, 5), (byte)random.Next(2, 250)]);
            }
            else
            {
                answer.AddRange([0, 16, 0x20, 0x01, 0x0D, 0xB8, .. new byte[11], (byte)random.Next(1, 250)]);
            }
        }

        return ([.. query], [.. answer]);
    }

    private static byte[] Header(ushort id, ushort flags, ushort answers)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), answers);
        return header;
    }
}
