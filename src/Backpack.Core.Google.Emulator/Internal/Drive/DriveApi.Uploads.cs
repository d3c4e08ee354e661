using System.Globalization;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

internal sealed class UploadSession
{
    public required string Id { get; init; }

    public required JsonObject Metadata { get; init; }

    public string? ContentType { get; init; }

    public long? DeclaredLength { get; init; }

    public required string User { get; init; }

    public string? Fields { get; init; }

    /// <summary>The file whose content the session replaces (files.update), or null for a new file (files.create).</summary>
    public string? TargetFileId { get; init; }

    public string? AddParents { get; init; }

    public string? RemoveParents { get; init; }

    public MemoryStream Data { get; } = new();
}

internal sealed partial class DriveApi
{
    private ApiResult Upload(ApiCall call) => Upload(call, null);

    private ApiResult UploadUpdate(ApiCall call) => Upload(call, Find(call.Path("fileId")));

    /// <summary>
    /// files.create (target null) or files.update (target set) with media: <c>uploadType=media</c> (the body is the
    /// content), <c>multipart</c> (metadata then media in multipart/related) or <c>resumable</c> (a session, then PUTs).
    /// The stored mimeType is the metadata's, else the media Content-Type, else <c>application/octet-stream</c>.
    /// </summary>
    private ApiResult Upload(ApiCall call, DriveFile? target)
    {
        var uploadType = call.Query("uploadType");
        switch (uploadType)
        {
            case "media":
                return Apply(call, target, [], call.Body, call.ContentType);

            case "multipart":
                {
                    var boundary = Multipart.Boundary(call.ContentType)
                        ?? throw ApiErrorException.BadRequest("badContent", "Multipart upload requires a multipart/related Content-Type with a boundary.");
                    var parts = Multipart.Parse(call.Body, boundary);
                    if (parts.Count != 2)
                    {
                        throw ApiErrorException.BadRequest("badContent", "Multipart upload needs exactly two parts: metadata and media.");
                    }

                    var meta = ParseMetadata(parts[0].Body);
                    parts[1].Headers.TryGetValue("Content-Type", out var mediaType);
                    return Apply(call, target, meta, parts[1].Body, mediaType);
                }

            case "resumable":
                {
                    var meta = call.BodyJson();
                    call.Headers.TryGetValue("X-Upload-Content-Type", out var contentType);
                    long? length = null;
                    if (call.Headers.TryGetValue("X-Upload-Content-Length", out var lengthText))
                    {
                        length = long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                            ? l
                            : throw ApiErrorException.BadRequest("badContent", "Invalid X-Upload-Content-Length.");
                    }

                    // Validate the metadata now, as Google does when the session starts; nothing is created yet.
                    if (target is null)
                    {
                        CreateFile(meta, null, contentType, call.User, apply: false, generatedIdsOnly: true);
                    }
                    else if (!MimeTypes.IsBinary(target.MimeType))
                    {
                        throw new ApiErrorException(400, "badContent", "Only files with binary content can have their content updated.", location: "uploadType");
                    }

                    var session = new UploadSession
                    {
                        Id = "ABPtcP" + ids.Token(40),
                        Metadata = meta,
                        ContentType = contentType,
                        DeclaredLength = length,
                        User = call.User,
                        Fields = call.Query("fields") ?? FileDefaultFields,
                        TargetFileId = target?.Id,
                        AddParents = target is null ? null : call.Query("addParents"),
                        RemoveParents = target is null ? null : call.Query("removeParents"),
                    };
                    uploads[session.Id] = session;
                    var result = new ApiResult(200);
                    var path = target is null ? "upload/drive/v3/files" : "upload/drive/v3/files/" + Uri.EscapeDataString(target.Id);
                    result.Headers["Location"] = new Uri(call.Root, $"{path}?uploadType=resumable&upload_id={session.Id}").ToString();
                    result.Headers["X-GUploader-UploadID"] = session.Id;
                    return result;
                }

            default:
                throw ApiErrorException.InvalidParameter("uploadType", $"Invalid upload type: {uploadType ?? "(none)"}. Use media, multipart or resumable.");
        }
    }

    private ApiResult Apply(ApiCall call, DriveFile? target, JsonObject meta, byte[] content, string? mediaContentType)
    {
        if (target is null)
        {
            var file = CreateFile(meta, content, mediaContentType, call.User, apply: true, generatedIdsOnly: true);
            return ApiResult.Ok(file.ToJson(call.Root));
        }

        UpdateFile(target, meta, call.Query("addParents"), call.Query("removeParents"), content, mediaContentType, call.User);
        return ApiResult.Ok(target.ToJson(call.Root));
    }

    private static JsonObject ParseMetadata(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw ApiErrorException.BadRequest("parseError", "Metadata part must be a JSON object.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ApiErrorException.BadRequest("parseError", "Invalid JSON in metadata part: " + ex.Message);
        }
    }

    /// <summary>A PUT to a resumable session URL: appends a chunk, answers 308 until complete, then creates the file.</summary>
    public ApiResult UploadChunk(string uploadId, string? contentRange, byte[] body, Uri root, out string methodId)
    {
        methodId = "drive.files.create";
        if (!uploads.TryGetValue(uploadId, out var session))
        {
            return Errors.Result(404, "notFound", "The upload session was not found or has expired.");
        }

        if (session.TargetFileId is not null)
        {
            methodId = "drive.files.update";
        }

        long? total = session.DeclaredLength;
        if (contentRange is not null)
        {
            // "bytes a-b/total", "bytes a-b/*", "bytes */total" or "bytes */*".
            var spec = contentRange.Trim();
            if (!spec.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
            {
                return Errors.Result(400, "badContent", "Invalid Content-Range header.");
            }

            var rangeAndTotal = spec[6..].Split('/');
            if (rangeAndTotal.Length != 2)
            {
                return Errors.Result(400, "badContent", "Invalid Content-Range header.");
            }

            if (rangeAndTotal[1] != "*")
            {
                if (!long.TryParse(rangeAndTotal[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return Errors.Result(400, "badContent", "Invalid Content-Range header.");
                }

                total = t;
            }

            if (rangeAndTotal[0] != "*")
            {
                var bounds = rangeAndTotal[0].Split('-');
                if (bounds.Length != 2
                    || !long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                    || !long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                    || last < first || last - first + 1 != body.Length)
                {
                    return Errors.Result(400, "badContent", "Content-Range does not match the request body.");
                }

                if (first > session.Data.Length)
                {
                    return Errors.Result(400, "badContent", "Content-Range starts after the bytes received so far.");
                }

                // A resent chunk overlapping what we already have is accepted from the current end.
                var skip = session.Data.Length - first;
                if (skip < body.Length)
                {
                    session.Data.Write(body, (int)skip, body.Length - (int)skip);
                }
            }
        }
        else
        {
            session.Data.Write(body);
            total ??= session.Data.Length;
        }

        if (total is { } expected && session.Data.Length >= expected)
        {
            uploads.Remove(uploadId);
            DriveFile file;
            if (session.TargetFileId is null)
            {
                file = CreateFile(session.Metadata, session.Data.ToArray(), session.ContentType, session.User, apply: true, generatedIdsOnly: true);
            }
            else
            {
                file = Find(session.TargetFileId);
                UpdateFile(file, session.Metadata, session.AddParents, session.RemoveParents, session.Data.ToArray(), session.ContentType, session.User);
            }

            return ApiResult.Ok(FieldMask.Parse(session.Fields ?? FileDefaultFields).Apply(file.ToJson(root))!);
        }

        var incomplete = new ApiResult(308);
        if (session.Data.Length > 0)
        {
            incomplete.Headers["Range"] = string.Create(CultureInfo.InvariantCulture, $"bytes=0-{session.Data.Length - 1}");
        }

        return incomplete;
    }
}
