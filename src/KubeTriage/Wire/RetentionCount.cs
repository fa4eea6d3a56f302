namespace KubeTriage.Wire;

/// <summary>How many records of one kind the capture held and how many the evidence kept.</summary>
public sealed record RetentionCount(long Seen, long Kept)
{
    public static RetentionCount Zero { get; } = new(0, 0);

    public long Dropped => Seen - Kept;
}
