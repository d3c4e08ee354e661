using System.Globalization;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

internal sealed partial class DriveApi
{
    private static readonly HashSet<string> Roles = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];
    private static readonly HashSet<string> Types = ["user", "group", "domain", "anyone"];

    private ApiResult CreatePermission(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        var body = call.BodyJson();
        var role = OptionalString(body, "role") ?? throw new ApiErrorException(400, "required", "Permission role is required.", location: "permission.role", locationType: "other");
        var type = OptionalString(body, "type") ?? throw new ApiErrorException(400, "required", "Permission type is required.", location: "permission.type", locationType: "other");
        if (!Roles.Contains(role))
        {
            throw new ApiErrorException(400, "invalid", $"Invalid permission role: {role}.", location: "permission.role", locationType: "other");
        }

        if (!Types.Contains(type))
        {
            throw new ApiErrorException(400, "invalid", $"Invalid permission type: {type}.", location: "permission.type", locationType: "other");
        }

        var email = OptionalString(body, "emailAddress");
        var domain = OptionalString(body, "domain");
        if (type is "user" or "group" && string.IsNullOrWhiteSpace(email))
        {
            throw new ApiErrorException(400, "required", "The permission emailAddress field is required for user and group permissions.", location: "permission.emailAddress", locationType: "other");
        }

        if (type == "domain" && string.IsNullOrWhiteSpace(domain))
        {
            throw new ApiErrorException(400, "required", "The permission domain field is required for domain permissions.", location: "permission.domain", locationType: "other");
        }

        var transferOwnership = call.QueryBool("transferOwnership", false);
        if (role == "owner" && !transferOwnership)
        {
            throw new ApiErrorException(403, "forbidden", "The transferOwnership parameter must be enabled when the permission role is 'owner'.", location: "transferOwnership");
        }

        var expiration = ValidateExpiration(body, type, role);
        var sendNotification = call.QueryBool("sendNotificationEmail", type is "user" or "group");
        if (sendNotification && type is not ("user" or "group"))
        {
            throw new ApiErrorException(400, "invalidSharingRequest", "Notification emails can only be sent to users and groups.", location: "sendNotificationEmail");
        }

        var emailMessage = call.Query("emailMessage");
        var allowDiscovery = OptionalBool(body, "allowFileDiscovery");

        PurgeExpired(file);
        var existing = file.Permissions.FirstOrDefault(p => p.Type == type
            && string.Equals(p.EmailAddress, email, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Domain, domain, StringComparison.OrdinalIgnoreCase));
        DrivePermission permission;
        if (existing is not null)
        {
            existing.Role = role;
            existing.ExpirationTime = expiration;
            permission = existing;
        }
        else
        {
            permission = new DrivePermission
            {
                Id = type switch
                {
                    "anyone" => "anyoneWithLink",
                    "domain" => IdGenerator.StableNumeric("domain:" + domain) + "k",
                    _ => IdGenerator.StableNumeric(email!),
                },
                Type = type,
                Role = role,
                EmailAddress = type is "user" or "group" ? email : null,
                Domain = type == "domain" ? domain : null,
                AllowFileDiscovery = type is "domain" or "anyone" ? allowDiscovery ?? false : null,
                ExpirationTime = expiration,
            };
            file.Permissions.Add(permission);
        }

        var now = Now();
        if (sendNotification)
        {
            notifications.Add(new PermissionNotification(file.Id, permission.Id, email, role, emailMessage, now));
        }

        RecordChange(file, now, call.Root);
        return ApiResult.Ok(permission.ToJson());
    }

    private DateTimeOffset? ValidateExpiration(JsonObject body, string type, string role)
    {
        var expiration = OptionalTime(body, "expirationTime");
        if (expiration is not { } e)
        {
            return null;
        }

        if (type is not ("user" or "group"))
        {
            throw new ApiErrorException(400, "cannotSetExpirationOnAnyoneOrDomain", "Expiration dates can only be set on user and group permissions.", location: "permission.expirationTime", locationType: "other");
        }

        if (role is "owner" or "organizer" or "fileOrganizer")
        {
            throw new ApiErrorException(400, "cannotSetExpiration", $"Expiration dates cannot be set on the {role} role.", location: "permission.expirationTime", locationType: "other");
        }

        var now = Now();
        if (e <= now)
        {
            throw new ApiErrorException(400, "expirationDatesMustBeInTheFuture", "Expiration dates must be in the future.", location: "permission.expirationTime", locationType: "other");
        }

        if (e > now.AddYears(1))
        {
            throw new ApiErrorException(400, "expirationDateTooFarInTheFuture", "Expiration dates cannot be more than a year in the future.", location: "permission.expirationTime", locationType: "other");
        }

        return e;
    }

    private ApiResult ListPermissions(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        PurgeExpired(file);
        // Without pageSize the whole list is returned for files outside shared drives, as Drive documents.
        var pageSize = call.QueryInt("pageSize", int.MaxValue, 1, 100);
        var key = "permissions:" + file.Id;
        var offset = Paging.DecodeOffset(call.Query("pageToken"), key);
        var page = file.Permissions.Skip(offset).Take(pageSize).ToList();
        var result = new JsonObject { ["kind"] = "drive#permissionList" };
        if (offset + page.Count < file.Permissions.Count)
        {
            result["nextPageToken"] = Paging.EncodeOffset(offset + page.Count, key);
        }

        result["permissions"] = new JsonArray(page.Select(p => (JsonNode)p.ToJson()).ToArray());
        return ApiResult.Ok(result);
    }

    private ApiResult GetPermission(ApiCall call) => ApiResult.Ok(FindPermission(call, out _).ToJson());

    private ApiResult UpdatePermission(ApiCall call)
    {
        var permission = FindPermission(call, out var file);
        var body = call.BodyJson();
        var role = OptionalString(body, "role") ?? permission.Role;
        if (!Roles.Contains(role))
        {
            throw new ApiErrorException(400, "invalid", $"Invalid permission role: {role}.", location: "permission.role", locationType: "other");
        }

        if (role == "owner" && permission.Role != "owner" && !call.QueryBool("transferOwnership", false))
        {
            throw new ApiErrorException(403, "forbidden", "The transferOwnership parameter must be enabled when the permission role is 'owner'.", location: "transferOwnership");
        }

        var removeExpiration = call.QueryBool("removeExpiration", false);
        var expiration = ValidateExpiration(body, permission.Type, role);
        permission.Role = role;
        if (removeExpiration)
        {
            permission.ExpirationTime = null;
        }
        else if (expiration is not null)
        {
            permission.ExpirationTime = expiration;
        }

        RecordChange(file, Now(), call.Root);
        return ApiResult.Ok(permission.ToJson());
    }

    private ApiResult DeletePermission(ApiCall call)
    {
        var permission = FindPermission(call, out var file);
        if (permission.Role == "owner")
        {
            throw new ApiErrorException(403, "cannotRemoveOwner", "The owner of a file cannot be removed.", location: "permissionId");
        }

        file.Permissions.Remove(permission);
        RecordChange(file, Now(), call.Root);
        return ApiResult.NoContent();
    }

    private DrivePermission FindPermission(ApiCall call, out DriveFile file)
    {
        file = Find(call.Path("fileId"));
        PurgeExpired(file);
        var id = call.Path("permissionId");
        return file.Permissions.FirstOrDefault(p => p.Id == id)
            ?? throw new ApiErrorException(404, "notFound", $"Permission not found: {id}.", location: "permissionId", locationType: "parameter");
    }

    /// <summary>Permissions past their expiration time disappear, as on Drive.</summary>
    private void PurgeExpired(DriveFile file)
    {
        var now = Now();
        file.Permissions.RemoveAll(p => p.ExpirationTime is { } e && e <= now);
    }

    // ---------------------------------------------------------------- changes

    private ApiResult GetStartPageToken(ApiCall call) => ApiResult.Ok(new JsonObject
    {
        ["kind"] = "drive#startPageToken",
        ["startPageToken"] = nextChangeSequence.ToString(CultureInfo.InvariantCulture),
    });

    private ApiResult ListChanges(ApiCall call)
    {
        var token = call.Query("pageToken") ?? throw ApiErrorException.Required("pageToken");
        if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var from) || from < 1 || from > nextChangeSequence)
        {
            throw ApiErrorException.InvalidParameter("pageToken", "Invalid page token.");
        }

        var pageSize = call.QueryInt("pageSize", 100, 1, 1000);
        var includeRemoved = call.QueryBool("includeRemoved", true);
        var pending = changes.Where(c => c.Sequence >= from && (includeRemoved || !c.Removed)).ToList();
        var page = pending.Take(pageSize).ToList();
        var result = new JsonObject { ["kind"] = "drive#changeList" };
        if (pending.Count > page.Count)
        {
            result["nextPageToken"] = pending[page.Count].Sequence.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            result["newStartPageToken"] = nextChangeSequence.ToString(CultureInfo.InvariantCulture);
        }

        result["changes"] = new JsonArray(page.Select(c =>
        {
            var o = new JsonObject
            {
                ["kind"] = "drive#change",
                ["type"] = "file",
                ["changeType"] = "file",
                ["fileId"] = c.FileId,
                ["time"] = DriveFile.Rfc3339(c.Time),
                ["removed"] = c.Removed,
            };
            if (c.File is not null)
            {
                o["file"] = c.File.DeepClone();
            }

            return (JsonNode)o;
        }).ToArray());
        return ApiResult.Ok(result);
    }

    // ---------------------------------------------------------------- state for the admin API and the public seeding API

    public JsonObject ExportState(Uri root)
    {
        var state = new JsonObject
        {
            ["rootFolderId"] = RootId,
            ["files"] = new JsonArray(files.Values.Where(f => !IsSystem(f)).OrderBy(f => f.Sequence).Select(f => (JsonNode)f.ToJson(root)).ToArray()),
            ["changeCount"] = changes.Count,
            ["startPageToken"] = nextChangeSequence.ToString(CultureInfo.InvariantCulture),
            ["notifications"] = new JsonArray(notifications.Select(n => (JsonNode)new JsonObject
            {
                ["fileId"] = n.FileId,
                ["permissionId"] = n.PermissionId,
                ["emailAddress"] = n.EmailAddress,
                ["role"] = n.Role,
                ["emailMessage"] = n.EmailMessage,
                ["time"] = DriveFile.Rfc3339(n.Time),
            }).ToArray()),
            ["pendingUploads"] = uploads.Count,
        };
        return state;
    }

    public int FileCount => files.Count - 2;

    /// <summary>Typed snapshots of every file but the root, in creation order.</summary>
    public List<EmulatedDriveFile> Snapshots()
    {
        var now = Now();
        return files.Values.Where(f => !IsSystem(f)).OrderBy(f => f.Sequence).Select(f => f.ToSnapshot(now)).ToList();
    }

    /// <summary>The live (unexpired) permissions of a file, or null when the file does not exist.</summary>
    public List<EmulatedPermission>? PermissionSnapshots(string id)
    {
        var now = Now();
        return files.TryGetValue(ResolveAlias(id), out var f) ? f.LivePermissions(now).Select(p => p.ToSnapshot()).ToList() : null;
    }

    public JsonObject? GetFileJson(string id, Uri root) => files.TryGetValue(ResolveAlias(id), out var f) ? f.ToJson(root) : null;

    public byte[]? GetContent(string id) => files.TryGetValue(ResolveAlias(id), out var f) ? f.Content : null;
}
