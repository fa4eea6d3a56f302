namespace KubeTriage.Capture;

/// <summary>How far a run has read: bytes of all files together, packets so far, and the file being read.</summary>
public readonly record struct CaptureProgress(long BytesRead, long TotalBytes, long Packets, string CurrentFile)
{
    public double Fraction => TotalBytes > 0 ? Math.Clamp((double)BytesRead / TotalBytes, 0, 1) : 0;
}
