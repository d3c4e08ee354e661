using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

internal static class MimeTypes
{
    public const string Folder = "application/vnd.google-apps.folder";
    public const string Shortcut = "application/vnd.google-apps.shortcut";
}

internal sealed class DriveFile
{
    public required string Id { get; init; }

    public required long Sequence { get; init; }

    public string Name { get; set; } = "Untitled";

    public string MimeType { get; set; } = "application/octet-stream";

    public string? Parent { get; set; }

    public bool Trashed { get; set; }

    public bool ExplicitlyTrashed { get; set; }

    public DateTimeOffset? TrashedTime { get; set; }

    public DateTimeOffset CreatedTime { get; set; }

    public DateTimeOffset ModifiedTime { get; set; }

    public long Version { get; set; } = 1;

    public string? Description { get; set; }

    public bool Starred { get; set; }

    public string? OriginalFilename { get; set; }

    public SortedDictionary<string, string> AppProperties { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public string? ShortcutTargetId { get; set; }

    public string? ShortcutTargetMimeType { get; set; }

    public byte[]? Content { get; set; }

    public List<DrivePermission> Permissions { get; } = [];

    public bool IsFolder => MimeType == MimeTypes.Folder;

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

        o["spaces"] = new JsonArray("drive");
        o["version"] = Version.ToString(CultureInfo.InvariantCulture);
        o["webViewLink"] = new Uri(root, (IsFolder ? "drive/folders/" : "file/d/") + Id + (IsFolder ? string.Empty : "/view")).ToString();
        o["createdTime"] = Rfc3339(CreatedTime);
        o["modifiedTime"] = Rfc3339(ModifiedTime);
        o["ownedByMe"] = true;
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

        if (Content is not null)
        {
            o["size"] = Content.LongLength.ToString(CultureInfo.InvariantCulture);
#pragma warning disable CA5351 // MD5 is what Drive reports as md5Checksum; not used for security.
            o["md5Checksum"] = Convert.ToHexStringLower(MD5.HashData(Content));
#pragma warning restore CA5351
            o["sha256Checksum"] = Convert.ToHexStringLower(SHA256.HashData(Content));
        }

        return o;
    }

    public IEnumerable<DrivePermission> LivePermissions(DateTimeOffset now) => Permissions.Where(p => p.ExpirationTime is not { } e || e > now);

    public EmulatedDriveFile ToSnapshot(DateTimeOffset now)
    {
#pragma warning disable CA5351 // MD5 is what Drive reports as md5Checksum; not used for security.
        var md5 = Content is null ? null : Convert.ToHexStringLower(MD5.HashData(Content));
#pragma warning restore CA5351
        return new EmulatedDriveFile(
            Id,
            Name,
            MimeType,
            Parent is null ? [] : [Parent],
            Trashed,
            new SortedDictionary<string, string>(AppProperties, StringComparer.Ordinal).AsReadOnly(),
            ShortcutTargetId,
            Content?.LongLength,
            md5,
            CreatedTime,
            ModifiedTime,
            LivePermissions(now).Select(p => p.ToSnapshot()).ToList().AsReadOnly());
    }

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

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
