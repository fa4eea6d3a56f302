using System.Numerics;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// Equality and hashing for the per-packet and per-transaction keys without going through the generated record members:
/// the hot path looks a key up for every packet, and a multiply-rotate hash of the address words is a
/// fraction of the cost of the generic field-by-field combination.
/// </summary>
internal sealed class FastKeyComparer : IEqualityComparer<PacketKey>, IEqualityComparer<AddressPair>, IEqualityComparer<ConnectionKey>
{
    public static FastKeyComparer Instance { get; } = new();

    private const ulong Golden = 0x9E3779B97F4A7C15;

    public bool Equals(PacketKey x, PacketKey y) =>
        x.Interface == y.Interface && Same(x.Source, y.Source) && Same(x.Destination, y.Destination);

    public int GetHashCode(PacketKey key) =>
        Fold(Mix(Mix(Hash(key.Source), Hash(key.Destination)), (ulong)key.Interface));

    public bool Equals(AddressPair x, AddressPair y) => Same(x.Client, y.Client) && Same(x.Server, y.Server);

    public int GetHashCode(AddressPair pair) => Fold(Mix(Hash(pair.Client), Hash(pair.Server)));

    public bool Equals(ConnectionKey x, ConnectionKey y) =>
        x.Client.Port == y.Client.Port && x.Server.Port == y.Server.Port && Same(x.Client.Address, y.Client.Address) && Same(x.Server.Address, y.Server.Address);

    public int GetHashCode(ConnectionKey key) =>
        Fold(Mix(Mix(Hash(key.Client.Address), Hash(key.Server.Address)), ((ulong)key.Client.Port << 16) | key.Server.Port));

    private static bool Same(NetAddress x, NetAddress y) => x.Low == y.Low && x.High == y.High && x.IsV4 == y.IsV4;

    private static ulong Hash(NetAddress address) => Mix(address.Low, address.High);

    private static ulong Mix(ulong a, ulong b) => BitOperations.RotateLeft((a ^ b) * Golden, 29) + b;

    private static int Fold(ulong h) => (int)(h ^ (h >> 32));
}
