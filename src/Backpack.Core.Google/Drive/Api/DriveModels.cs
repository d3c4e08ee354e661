using Google.Apis.Requests;
using Newtonsoft.Json;

namespace Backpack.Core.Google.Drive.Api;

/// <summary>A Drive file (the fields the adapter reads and writes).</summary>
internal sealed class DriveFile : IDirectResponseSchema
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    [JsonProperty("mimeType")]
    public string? MimeType { get; set; }

    [JsonProperty("parents")]
    public IList<string>? Parents { get; set; }

    [JsonProperty("appProperties")]
    public IDictionary<string, string>? AppProperties { get; set; }

    [JsonProperty("trashed")]
    public bool? Trashed { get; set; }

    [JsonProperty("shortcutDetails")]
    public ShortcutDetails? ShortcutDetails { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }

    public string? AppProperty(string key) => AppProperties is not null && AppProperties.TryGetValue(key, out var v) ? v : null;
}

/// <summary>A shortcut's target.</summary>
internal sealed class ShortcutDetails
{
    [JsonProperty("targetId")]
    public string? TargetId { get; set; }

    [JsonProperty("targetMimeType")]
    public string? TargetMimeType { get; set; }
}

/// <summary>files.list response.</summary>
internal sealed class DriveFileList : IDirectResponseSchema
{
    [JsonProperty("files")]
    public IList<DriveFile>? Files { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    [JsonProperty("incompleteSearch")]
    public bool? IncompleteSearch { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }
}

/// <summary>files.generateIds response.</summary>
internal sealed class GeneratedIds : IDirectResponseSchema
{
    [JsonProperty("ids")]
    public IList<string>? Ids { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }
}

/// <summary>A permission on a file.</summary>
internal sealed class DrivePermission : IDirectResponseSchema
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("type")]
    public string? Type { get; set; }

    [JsonProperty("role")]
    public string? Role { get; set; }

    [JsonProperty("emailAddress")]
    public string? EmailAddress { get; set; }

    [JsonProperty("domain")]
    public string? Domain { get; set; }

    [JsonProperty("allowFileDiscovery")]
    public bool? AllowFileDiscovery { get; set; }

    /// <summary>RFC 3339, kept as text (Newtonsoft would otherwise re-format dates).</summary>
    [JsonProperty("expirationTime")]
    public object? ExpirationTimeRaw { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }

    [JsonIgnore]
    public DateTimeOffset? ExpirationTime
    {
        get => ExpirationTimeRaw switch
        {
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            DateTimeOffset o => o,
            string s when DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var p) => p,
            _ => null,
        };
        set => ExpirationTimeRaw = value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>permissions.list response.</summary>
internal sealed class DrivePermissionList : IDirectResponseSchema
{
    [JsonProperty("permissions")]
    public IList<DrivePermission>? Permissions { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }
}

/// <summary>changes.getStartPageToken response.</summary>
internal sealed class StartPageToken : IDirectResponseSchema
{
    [JsonProperty("startPageToken")]
    public string? Token { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }
}

/// <summary>One change of the changes feed.</summary>
internal sealed class DriveChange
{
    [JsonProperty("fileId")]
    public string? FileId { get; set; }

    [JsonProperty("removed")]
    public bool? Removed { get; set; }

    [JsonProperty("file")]
    public DriveFile? File { get; set; }
}

/// <summary>changes.list response.</summary>
internal sealed class DriveChangeList : IDirectResponseSchema
{
    [JsonProperty("changes")]
    public IList<DriveChange>? Changes { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    [JsonProperty("newStartPageToken")]
    public string? NewStartPageToken { get; set; }

    [JsonIgnore]
    public string? ETag { get; set; }
}

/// <summary>Drive MIME types the adapter uses.</summary>
internal static class DriveMimeTypes
{
    public const string Folder = "application/vnd.google-apps.folder";
    public const string Shortcut = "application/vnd.google-apps.shortcut";
}
