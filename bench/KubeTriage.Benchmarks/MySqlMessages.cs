using System.Buffers.Binary;
using System.Text;

namespace KubeTriage.Benchmarks;

/// <summary>
/// MySQL/MariaDB protocol messages for generated traffic (https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html):
/// greeting, login, OK, COM_QUERY, a small result set, COM_QUIT. Each is framed with the 4-byte packet header.
/// </summary>
public static class MySqlMessages
{
    private static readonly string[] Tables = ["products", "orders", "customers", "inventory", "payments"];

    public static byte[] Greeting(uint connectionId)
    {
        var body = new List<byte> { 10 };
        body.AddRange(Encoding.ASCII.GetBytes("5.5.5-10.11.19-MariaDB-0+deb12u1\0"));
        body.AddRange(BitConverterLittle(connectionId));
        body.AddRange("abcdefgh"u8.ToArray());
        body.Add(0);
        body.AddRange(new byte[] { 0xFE, 0xF7, 0x2D, 0x02, 0x00, 0xFF, 0x81, 0x15 });
        body.AddRange(new byte[6]);
        body.AddRange(new byte[] { 0x1D, 0x00, 0x00, 0x00 });
        body.AddRange("ijklmnopqrst\0"u8.ToArray());
        body.AddRange("mysql_native_password\0"u8.ToArray());
        return Frame(0, [.. body]);
    }

    public static byte[] Login()
    {
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x0D, 0xA2, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2D });
        body.AddRange(new byte[23]);
        body.AddRange("app\0"u8.ToArray());
        body.Add(20);
        body.AddRange(Enumerable.Range(1, 20).Select(i => (byte)(i * 7)));
        body.AddRange("shop\0"u8.ToArray());
        body.AddRange("mysql_native_password\0"u8.ToArray());
        return Frame(1, [.. body]);
    }

    public static byte[] Ok(byte sequence) => Frame(sequence, [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);

    public static byte[] Query(Random random)
    {
        string table = Tables[random.Next(Tables.Length)];
        string sql = random.Next(4) switch
        {
            0 => $"SELECT id, name, price FROM {table} WHERE id = {random.Next(1, 100000)}",
            1 => $"UPDATE {table} SET updated_at = NOW() WHERE id = {random.Next(1, 100000)}",
            2 => $"CALL business_query({random.Next(1, 500)})",
            _ => $"SELECT COUNT(*) FROM {table} WHERE status = 'open' AND owner_id = {random.Next(1, 5000)}",
        };
        return Frame(0, [0x03, .. Encoding.ASCII.GetBytes(sql)]);
    }

    /// <summary>A result set of three columns and one to three rows, ended by EOF.</summary>
    public static byte[] ResultSet(Random random)
    {
        var message = new List<byte>();
        byte sequence = 1;
        message.AddRange(Frame(sequence++, [3]));
        foreach (string column in new[] { "id", "name", "price" })
        {
            var definition = new List<byte>();
            foreach (string part in new[] { "def", "shop", "products", "products", column, column })
            {
                definition.Add((byte)part.Length);
                definition.AddRange(Encoding.ASCII.GetBytes(part));
            }

            definition.AddRange(new byte[] { 0x0C, 0x21, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFD, 0x00, 0x00, 0x00, 0x00, 0x00 });
            message.AddRange(Frame(sequence++, [.. definition]));
        }

        message.AddRange(Frame(sequence++, [0xFE, 0x00, 0x00, 0x22, 0x00]));
        int rows = random.Next(1, 4);
        for (int i = 0; i < rows; i++)
        {
            string id = random.Next(1, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string name = $"item-{random.Next(1, 1000)}";
            string price = $"{random.Next(1, 999)}.{random.Next(10, 99)}";
            var row = new List<byte>();
            foreach (string value in new[] { id, name, price })
            {
                row.Add((byte)value.Length);
                row.AddRange(Encoding.ASCII.GetBytes(value));
            }

            message.AddRange(Frame(sequence++, [.. row]));
        }

        message.AddRange(Frame(sequence, [0xFE, 0x00, 0x00, 0x22, 0x00]));
        return [.. message];
    }

    public static byte[] Quit() => Frame(0, [0x01]);

    private static byte[] Frame(byte sequence, byte[] body)
    {
        var frame = new byte[4 + body.Length];
        frame[0] = (byte)body.Length;
        frame[1] = (byte)(body.Length >> 8);
        frame[2] = (byte)(body.Length >> 16);
        frame[3] = sequence;
        body.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] BitConverterLittle(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
