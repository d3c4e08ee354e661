using System.Globalization;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

internal sealed partial class DriveApi
{
    /// <summary>The storage limit reported by about.get (15 GiB, a personal account's).</summary>
    public const long StorageLimit = 15L * 1024 * 1024 * 1024;

    /// <summary>The largest upload Drive accepts (the discovery document's mediaUpload.maxSize).</summary>
    public const long MaxUploadSize = 5_497_558_138_880;

    /// <summary>about.get: the caller, their storage quota and the system's capabilities. Google requires <c>fields</c>.</summary>
    private ApiResult About(ApiCall call)
    {
        if (string.IsNullOrEmpty(call.Query("fields")))
        {
            throw new ApiErrorException(400, "required", "The 'fields' parameter is required for this method.", location: "fields", locationType: "parameter");
        }

        var email = OwnerEmail(call.User);
        var owned = files.Values.Where(f => !IsSystem(f) && f.OwnerEmail == email).ToList();
        var usage = owned.Sum(f => f.Revisions.Sum(r => r.Content.LongLength));
        var trash = owned.Where(f => f.Trashed).Sum(f => f.Revisions.Sum(r => r.Content.LongLength));
        static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        return ApiResult.Ok(new JsonObject
        {
            ["kind"] = "drive#about",
            ["user"] = DriveFile.UserJson(email, me: true),
            ["storageQuota"] = new JsonObject
            {
                ["limit"] = N(StorageLimit),
                ["usage"] = N(usage),
                ["usageInDrive"] = N(usage),
                ["usageInDriveTrash"] = N(trash),
            },
            ["importFormats"] = new JsonObject
            {
                ["text/plain"] = new JsonArray("application/vnd.google-apps.document"),
                ["text/csv"] = new JsonArray("application/vnd.google-apps.spreadsheet"),
            },
            ["exportFormats"] = new JsonObject
            {
                ["application/vnd.google-apps.document"] = new JsonArray("application/pdf", "text/plain"),
                ["application/vnd.google-apps.spreadsheet"] = new JsonArray("application/pdf", "text/csv"),
            },
            ["maxImportSizes"] = new JsonObject
            {
                ["application/vnd.google-apps.document"] = N(10_485_760),
                ["application/vnd.google-apps.spreadsheet"] = N(104_857_600),
            },
            ["maxUploadSize"] = N(MaxUploadSize),
            ["appInstalled"] = false,
            ["folderColorPalette"] = new JsonArray("#ac725e", "#d06b64", "#f83a22", "#fa573c", "#ff7537", "#ffad46"),
            ["canCreateDrives"] = false,
        });
    }

    // ---------------------------------------------------------------- revisions (binary content only)

    private ApiResult ListRevisions(ApiCall call)
    {
        var file = RevisedFile(call);
        var pageSize = call.QueryInt("pageSize", 200, 1, 1000);
        var key = "revisions:" + file.Id;
        var offset = Paging.DecodeOffset(call.Query("pageToken"), key);
        var page = file.Revisions.Skip(offset).Take(pageSize).ToList();
        var result = new JsonObject { ["kind"] = "drive#revisionList" };
        if (offset + page.Count < file.Revisions.Count)
        {
            result["nextPageToken"] = Paging.EncodeOffset(offset + page.Count, key);
        }

        result["revisions"] = new JsonArray(page.Select(r => (JsonNode)r.ToJson()).ToArray());
        return ApiResult.Ok(result);
    }

    private ApiResult GetRevision(ApiCall call)
    {
        var file = RevisedFile(call);
        var id = call.Path("revisionId");
        var revision = (id == "head" ? file.Head : file.Revisions.FirstOrDefault(r => r.Id == id))
            ?? throw new ApiErrorException(404, "notFound", $"Revision not found: {id}.", location: "revisionId", locationType: "parameter");
        return call.Query("alt") == "media"
            ? Media(call, revision.Content, revision.MimeType)
            : ApiResult.Ok(revision.ToJson());
    }

    private DriveFile RevisedFile(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        return !file.IsFolder && file.MimeType != MimeTypes.Shortcut
            ? file
            : throw new ApiErrorException(403, "revisionsNotSupported", "The file does not support revisions.", location: "fileId", locationType: "parameter");
    }
}
