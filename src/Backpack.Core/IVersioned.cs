namespace Backpack.Core;

/// <summary>
/// An aggregate saved with optimistic concurrency. <see cref="Version"/> is the version read from the store
/// (0 for a new item); a save succeeds only if the stored version still equals it, and stores version + 1.
/// </summary>
public interface IVersioned
{
    /// <summary>The version read from the store; 0 for an item never saved.</summary>
    long Version { get; }
}
