using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

internal static class MimeTypes
{
    public const string Folder = "application/vnd.google-apps.folder";
    public const string Shortcut = "application/vnd.google-apps.shortcut";
    public const string OctetStream = "application/octet-stream";
    public const string GooglePrefix = "application/vnd.google-apps.";

    /// <summary>True for types whose files hold binary content (not folders, shortcuts or Docs editors files).</summary>
    public static bool IsBinary(string mimeType) => !mimeType.StartsWith(GooglePrefix, StringComparison.Ordinal);

    /// <summary>A media Content-Type as Drive stores it: without parameters, lower case; null when absent or empty.</summary>
    public static string? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
        return bare.Length == 0 ? null : bare;
    }
}

/// <summary>One stored version of a file's binary content.</summary>
internal sealed class DriveRevision
{
    public DriveRevision(string id, byte[] content, string mimeType, DateTimeOffset modifiedTime, string modifiedBy, string? originalFilename)
    {
        Id = id;
        Content = content;
        MimeType = mimeType;
        ModifiedTime = modifiedTime;
        ModifiedBy = modifiedBy;
        OriginalFilename = originalFilename;
#pragma warning disable CA5350, CA5351 // MD5 and SHA-1 are what Drive reports as checksums; not used for security.
        Md5 = Convert.ToHexStringLower(MD5.HashData(content));
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(content));
#pragma warning restore CA5350, CA5351
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public string Id { get; }

    public byte[] Content { get; }

    public string MimeType { get; }

    public DateTimeOffset ModifiedTime { get; }

    public string ModifiedBy { get; }

    public string? OriginalFilename { get; }

    public bool KeepForever { get; set; }

    public string Md5 { get; }

    public string Sha1 { get; }

    public string Sha256 { get; }

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["kind"] = "drive#revision",
            ["id"] = Id,
            ["mimeType"] = MimeType,
            ["modifiedTime"] = DriveFile.Rfc3339(ModifiedTime),
            ["keepForever"] = KeepForever,
            ["size"] = Content.LongLength.ToString(CultureInfo.InvariantCulture),
            ["md5Checksum"] = Md5,
            ["lastModifyingUser"] = DriveFile.UserJson(ModifiedBy, me: true),
        };
        if (OriginalFilename is not null)
        {
            o["originalFilename"] = OriginalFilename;
        }

        return o;
    }
}

internal sealed class DriveFile
{
    public required string Id { get; init; }

    public required long Sequence { get; init; }

    public string Name { get; set; } = "Untitled";

    public string MimeType { get; set; } = MimeTypes.OctetStream;

    public string? Parent { get; set; }

    /// <summary><c>drive</c>, or <c>appDataFolder</c> for the app's hidden data (files never move between spaces).</summary>
    public string Space { get; init; } = "drive";

    public bool Trashed { get; set; }

    public bool ExplicitlyTrashed { get; set; }

    public DateTimeOffset? TrashedTime { get; set; }

    public DateTimeOffset CreatedTime { get; set; }

    public DateTimeOffset ModifiedTime { get; set; }

    public long Version { get; set; } = 1;

    public string? Description { get; set; }

    public bool Starred { get; set; }

    public string? OriginalFilename { get; set; }

    public string OwnerEmail { get; init; } = "owner@emulator.invalid";

    public string LastModifyingEmail { get; set; } = "owner@emulator.invalid";

    public SortedDictionary<string, string> AppProperties { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public string? ShortcutTargetId { get; set; }

    public string? ShortcutTargetMimeType { get; set; }

    /// <summary>Content revisions, oldest first; the last one is the head (the current content).</summary>
    public List<DriveRevision> Revisions { get; } = [];

    public long NextRevision { get; set; } = 1;

    public DriveRevision? Head => Revisions.Count == 0 ? null : Revisions[^1];

    public byte[]? Content => Head?.Content;

    public List<DrivePermission> Permissions { get; } = [];

    public bool IsFolder => MimeType == MimeTypes.Folder;

    /// <summary>Stores new content as a new head revision.</summary>
    public DriveRevision AddRevision(byte[] content, DateTimeOffset now, string modifiedBy)
    {
        var revision = new DriveRevision(NextRevision.ToString(CultureInfo.InvariantCulture), content, MimeType, now, modifiedBy, OriginalFilename ?? Name);
        NextRevision++;
        Revisions.Add(revision);
        return revision;
    }

    public static JsonObject UserJson(string email, bool me) => new()
    {
        ["kind"] = "drive#user",
        ["displayName"] = email.Split('@')[0],
        ["emailAddress"] = email,
        ["permissionId"] = IdGenerator.StableNumeric(email),
        ["me"] = me,
    };

    public JsonObject ToJson(Uri root)
    {
        var o = new JsonObject
        {
            ["kind"] = "drive#file",
            ["id"] = Id,
            ["name"] = Name,
            ["mimeType"] = MimeType,
        };
        if (Description is not null)
        {
            o["description"] = Description;
        }

        o["starred"] = Starred;
        o["trashed"] = Trashed;
        o["explicitlyTrashed"] = ExplicitlyTrashed;
        if (TrashedTime is { } tt)
        {
            o["trashedTime"] = Rfc3339(tt);
        }

        o["parents"] = Parent is null ? new JsonArray() : new JsonArray(Parent);
        if (AppProperties.Count > 0)
        {
            o["appProperties"] = ToJson(AppProperties);
        }

        if (Properties.Count > 0)
        {
            o["properties"] = ToJson(Properties);
        }

        o["spaces"] = new JsonArray(Space);
        o["version"] = Version.ToString(CultureInfo.InvariantCulture);
        o["webViewLink"] = new Uri(root, (IsFolder ? "drive/folders/" : "file/d/") + Id + (IsFolder ? string.Empty : "/view")).ToString();
        o["hasThumbnail"] = false;
        o["viewedByMe"] = true;
        o["viewedByMeTime"] = Rfc3339(ModifiedTime);
        o["createdTime"] = Rfc3339(CreatedTime);
        o["modifiedTime"] = Rfc3339(ModifiedTime);
        o["modifiedByMeTime"] = Rfc3339(ModifiedTime);
        o["modifiedByMe"] = true;
        o["owners"] = new JsonArray(UserJson(OwnerEmail, me: true));
        o["lastModifyingUser"] = UserJson(LastModifyingEmail, me: true);
        o["ownedByMe"] = true;
        o["capabilities"] = Capabilities();
        o["viewersCanCopyContent"] = true;
        o["copyRequiresWriterPermission"] = false;
        o["writersCanShare"] = true;
        o["shared"] = Permissions.Count > 1;
        o["permissionIds"] = new JsonArray(Permissions.Select(p => (JsonNode)JsonValue.Create(p.Id)).ToArray());
        o["permissions"] = new JsonArray(Permissions.Select(p => (JsonNode)p.ToJson()).ToArray());
        if (ShortcutTargetId is not null)
        {
            o["shortcutDetails"] = new JsonObject
            {
                ["targetId"] = ShortcutTargetId,
                ["targetMimeType"] = ShortcutTargetMimeType,
            };
        }

        if (OriginalFilename is not null)
        {
            o["originalFilename"] = OriginalFilename;
        }

        if (Head is { } head)
        {
            var extension = Path.GetExtension(Name);
            if (extension.Length > 1)
            {
                o["fullFileExtension"] = Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];
                o["fileExtension"] = extension[1..];
            }

            o["webContentLink"] = new Uri(root, "uc?id=" + Id + "&export=download").ToString();
            o["headRevisionId"] = head.Id;
            o["size"] = head.Content.LongLength.ToString(CultureInfo.InvariantCulture);
            o["quotaBytesUsed"] = head.Content.LongLength.ToString(CultureInfo.InvariantCulture);
            o["md5Checksum"] = head.Md5;
            o["sha1Checksum"] = head.Sha1;
            o["sha256Checksum"] = head.Sha256;
        }
        else
        {
            o["quotaBytesUsed"] = "0";
        }

        return o;
    }

    private JsonObject Capabilities()
    {
        var folder = IsFolder;
        return new JsonObject
        {
            ["canAddChildren"] = folder,
            ["canComment"] = !folder,
            ["canCopy"] = !folder,
            ["canDelete"] = true,
            ["canDownload"] = Head is not null,
            ["canEdit"] = true,
            ["canListChildren"] = folder,
            ["canModifyContent"] = true,
            ["canReadRevisions"] = !folder,
            ["canRemoveChildren"] = folder,
            ["canRename"] = true,
            ["canShare"] = true,
            ["canTrash"] = true,
            ["canUntrash"] = true,
        };
    }

    public IEnumerable<DrivePermission> LivePermissions(DateTimeOffset now) => Permissions.Where(p => p.ExpirationTime is not { } e || e > now);

    public EmulatedDriveFile ToSnapshot(DateTimeOffset now) => new(
        Id,
        Name,
        MimeType,
        Parent is null ? [] : [Parent],
        Trashed,
        new SortedDictionary<string, string>(AppProperties, StringComparer.Ordinal).AsReadOnly(),
        ShortcutTargetId,
        Content?.LongLength,
        Head?.Md5,
        CreatedTime,
        ModifiedTime,
        LivePermissions(now).Select(p => p.ToSnapshot()).ToList().AsReadOnly());

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drive keeps times to the millisecond: what it reports is what it compares.</summary>
    public static DateTimeOffset Millis(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private static JsonObject ToJson(SortedDictionary<string, string> d)
    {
        var o = new JsonObject();
        foreach (var (k, v) in d)
        {
            o[k] = v;
        }

        return o;
    }
}

internal sealed class DrivePermission
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public string Role { get; set; } = "reader";

    public string? EmailAddress { get; init; }

    public string? Domain { get; init; }

    public bool? AllowFileDiscovery { get; init; }

    public DateTimeOffset? ExpirationTime { get; set; }

    public EmulatedPermission ToSnapshot() => new(Id, Type, Role, EmailAddress, Domain, ExpirationTime);

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["kind"] = "drive#permission",
            ["id"] = Id,
            ["type"] = Type,
            ["role"] = Role,
        };
        if (EmailAddress is not null)
        {
            o["emailAddress"] = EmailAddress;
            o["displayName"] = EmailAddress.Split('@')[0];
        }

        if (Domain is not null)
        {
            o["domain"] = Domain;
        }

        if (AllowFileDiscovery is { } a)
        {
            o["allowFileDiscovery"] = a;
        }

        if (ExpirationTime is { } e)
        {
            o["expirationTime"] = DriveFile.Rfc3339(e);
        }

        o["deleted"] = false;
        return o;
    }
}

internal sealed record DriveChange(long Sequence, string FileId, DateTimeOffset Time, bool Removed, JsonObject? File);

internal sealed record PermissionNotification(string FileId, string PermissionId, string? EmailAddress, string Role, string? EmailMessage, DateTimeOffset Time);
