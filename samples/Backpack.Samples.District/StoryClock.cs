namespace Backpack.Samples.District;

/// <summary>The sample's clock: the story moves through a school year, so "now" is set by the story.</summary>
internal sealed class StoryClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
