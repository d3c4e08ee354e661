namespace Backpack.Core.Google.Emulator;

/// <summary>
/// A snapshot of one emulated Drive file, for tests that assert what an app did to Drive. Immutable, with value
/// equality (collections compare item by item). Get them from <see cref="GoogleEmulator.GetDriveFiles"/>.
/// </summary>
public sealed class EmulatedDriveFile : IEquatable<EmulatedDriveFile>
{
    internal EmulatedDriveFile(
        string id,
        string name,
        string mimeType,
        IReadOnlyList<string> parents,
        bool trashed,
        IReadOnlyDictionary<string, string> appProperties,
        string? shortcutTargetId,
        long? size,
        string? md5Checksum,
        DateTimeOffset createdTime,
        DateTimeOffset modifiedTime,
        IReadOnlyList<EmulatedPermission> permissions)
    {
        Id = id;
        Name = name;
        MimeType = mimeType;
        Parents = parents;
        Trashed = trashed;
        AppProperties = appProperties;
        ShortcutTargetId = shortcutTargetId;
        Size = size;
        Md5Checksum = md5Checksum;
        CreatedTime = createdTime;
        ModifiedTime = modifiedTime;
        Permissions = permissions;
    }

    /// <summary>The file id.</summary>
    public string Id { get; }

    /// <summary>The file name.</summary>
    public string Name { get; }

    /// <summary>The MIME type (folders are <c>application/vnd.google-apps.folder</c>, shortcuts <c>application/vnd.google-apps.shortcut</c>).</summary>
    public string MimeType { get; }

    /// <summary>The parent folder ids (one on Drive today; empty for none).</summary>
    public IReadOnlyList<string> Parents { get; }

    /// <summary>True when the file is in the trash, explicitly or through a trashed folder.</summary>
    public bool Trashed { get; }

    /// <summary>The app's private properties, ordered by key.</summary>
    public IReadOnlyDictionary<string, string> AppProperties { get; }

    /// <summary>The target file id of a shortcut, otherwise null.</summary>
    public string? ShortcutTargetId { get; }

    /// <summary>The size in bytes of binary content, null for folders, shortcuts and files without content.</summary>
    public long? Size { get; }

    /// <summary>The MD5 checksum of binary content (lowercase hex, as Drive's <c>md5Checksum</c>), or null.</summary>
    public string? Md5Checksum { get; }

    /// <summary>When the file was created.</summary>
    public DateTimeOffset CreatedTime { get; }

    /// <summary>When the file was last modified.</summary>
    public DateTimeOffset ModifiedTime { get; }

    /// <summary>The file's permissions, the owner's first, without expired ones.</summary>
    public IReadOnlyList<EmulatedPermission> Permissions { get; }

    /// <summary>True for a folder.</summary>
    public bool IsFolder => MimeType == Internal.Drive.MimeTypes.Folder;

    /// <summary>True for a shortcut.</summary>
    public bool IsShortcut => MimeType == Internal.Drive.MimeTypes.Shortcut;

    /// <inheritdoc />
    public bool Equals(EmulatedDriveFile? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id && Name == other.Name && MimeType == other.MimeType && Trashed == other.Trashed
                && ShortcutTargetId == other.ShortcutTargetId && Size == other.Size && Md5Checksum == other.Md5Checksum
                && CreatedTime == other.CreatedTime && ModifiedTime == other.ModifiedTime
                && Parents.SequenceEqual(other.Parents, StringComparer.Ordinal)
                && AppProperties.Count == other.AppProperties.Count
                && AppProperties.All(kv => other.AppProperties.TryGetValue(kv.Key, out var v) && v == kv.Value)
                && Permissions.SequenceEqual(other.Permissions)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmulatedDriveFile);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, MimeType, ModifiedTime, Size, Parents.Count, Permissions.Count);

    /// <inheritdoc />
    public override string ToString() => $"{MimeType} {Id} in [{string.Join(',', Parents)}]{(Trashed ? " (trashed)" : string.Empty)}";
}
