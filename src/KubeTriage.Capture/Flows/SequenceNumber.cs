using System.Runtime.CompilerServices;

namespace KubeTriage.Capture.Flows;

/// <summary>TCP sequence comparisons modulo 2^32 (RFC 9293 section 3.4): a is before b when (a - b) is negative as a 32-bit integer.</summary>
internal static class SequenceNumber
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(uint a, uint b) => (int)(a - b) < 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AtOrBefore(uint a, uint b) => (int)(a - b) <= 0;
}
