namespace Backpack.Core.Sync;

/// <summary>
/// A named position in an external feed (a Drive changes page token, a Classroom course's last sync, a
/// Drive folder id by Backpack key), saved in the same change set as the changes it accounts for, so a
/// crash never advances a checkpoint past work that was not saved, nor saves work twice.
/// </summary>
/// <param name="Key">The key, e.g. <c>drive:changes</c> or <c>classroom:course:123</c>.</param>
/// <param name="Value">The position (opaque to the store).</param>
/// <param name="Version">The stored version; 0 for a new checkpoint.</param>
public sealed record SyncCheckpoint(string Key, string Value, long Version = 0) : IVersioned;
