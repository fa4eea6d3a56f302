using System.Runtime.InteropServices;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// Measures request/response turns on every TCP connection from its packets: a turn runs from the
/// client's first data byte to the server's last data byte before the client speaks again. This is how
/// long the client waited for a whole answer (a download included), which the engine's time-to-first-byte
/// does not say; it works for protocols no dissector reads (TLS, unknown ports). The client is the SYN's
/// sender, or for a connection joined mid-stream the side with the higher port. State lives per open
/// connection and is dropped when the connection is reported, so memory follows live connections; a
/// packet of a known connection does not allocate.
/// </summary>
internal sealed class TcpTurnTracker
{
    private readonly Dictionary<TcpFlowKey, TcpTurnState> _flows = [];

    /// <summary>Receives each finished turn: client address, server address, start and end.</summary>
    public delegate void TurnHandler(NetAddress client, NetAddress server, long startNs, long endNs);

    public int OpenConnections => _flows.Count;

    public void OnPacket(in PacketMeta packet, TurnHandler onTurn)
    {
        var syn = (packet.TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;
        if (packet.PayloadLength <= 0 && !syn)
        {
            return;
        }

        var key = TcpFlowKey.Of(packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort, out var sourceIsLow);
        ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_flows, key, out var exists);
        if (!exists || syn)
        {
            state.Client = syn ? (byte)(sourceIsLow ? 1 : 2) : (byte)(key.LowPort > key.HighPort ? 1 : 2);
            state.TurnStartNs = 0;
            state.LastServerDataNs = 0;
        }

        if (packet.PayloadLength <= 0)
        {
            return;
        }

        var fromClient = sourceIsLow == (state.Client == 1);
        if (fromClient)
        {
            if (state.TurnStartNs != 0 && state.LastServerDataNs != 0)
            {
                Finish(key, ref state, onTurn);
            }

            if (state.TurnStartNs == 0)
            {
                state.TurnStartNs = packet.TimeNs;
            }
        }
        else if (state.TurnStartNs != 0)
        {
            state.LastServerDataNs = Math.Max(state.LastServerDataNs, packet.TimeNs);
        }
    }

    /// <summary>The connection was reported: finish its open turn and forget it.</summary>
    public void OnConnectionEnd(WireEndpoint client, WireEndpoint server, TurnHandler onTurn)
    {
        var key = TcpFlowKey.Of(client.Address, client.Port, server.Address, server.Port, out _);
        if (_flows.Remove(key, out var state) && state.TurnStartNs != 0 && state.LastServerDataNs != 0)
        {
            Finish(key, ref state, onTurn);
        }
    }

    private static void Finish(TcpFlowKey key, ref TcpTurnState state, TurnHandler onTurn)
    {
        var (client, server) = state.Client == 1 ? (key.LowAddress, key.HighAddress) : (key.HighAddress, key.LowAddress);
        onTurn(client, server, state.TurnStartNs, state.LastServerDataNs);
        state.TurnStartNs = 0;
        state.LastServerDataNs = 0;
    }
}
