using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

/// <summary>The emulated Drive v3 state and its REST methods. Every handler runs under <see cref="Gate"/>.</summary>
internal sealed partial class DriveApi
{
    public const string ServicePath = "drive/v3/";
    public const string UploadServicePath = "upload/drive/v3/";
    public const string FileDefaultFields = "kind,id,name,mimeType";

    private readonly TimeProvider time;
    private readonly IdGenerator ids;
    private readonly Dictionary<string, DriveFile> files = new(StringComparer.Ordinal);
    private readonly HashSet<string> issuedIds = new(StringComparer.Ordinal);
    private readonly List<DriveChange> changes = [];
    private readonly List<PermissionNotification> notifications = [];
    private readonly Dictionary<string, UploadSession> uploads = new(StringComparer.Ordinal);
    private long nextFileSequence;
    private long nextChangeSequence = 1;

    public DriveApi(object gate, TimeProvider time, IdGenerator ids)
    {
        Gate = gate;
        this.time = time;
        this.ids = ids;
        RootId = "0AEmulatorRootFolderUk9PVA";
        Reset();
    }

    public object Gate { get; }

    /// <summary>The emulator's root URI once it is listening (for links in change snapshots).</summary>
    public Uri Root { get; set; } = DefaultRoot;

    public string RootId { get; }

    /// <summary>The hidden folder of the <c>appDataFolder</c> space (alias <c>appDataFolder</c>).</summary>
    public const string AppDataId = "0AEmulatorAppDataFolderQVBQ";

    /// <summary>True for My Drive's root and the appDataFolder: they exist from the start and are never listed.</summary>
    private bool IsSystem(DriveFile f) => f.Id == RootId || f.Id == AppDataId;

    /// <summary>The emulator's clock, to the millisecond as Drive keeps times.</summary>
    public DateTimeOffset Now() => DriveFile.Millis(time.GetUtcNow());

    public void Reset()
    {
        lock (Gate)
        {
            files.Clear();
            issuedIds.Clear();
            changes.Clear();
            notifications.Clear();
            uploads.Clear();
            nextFileSequence = 0;
            nextChangeSequence = 1;
            var now = Now();
            files[RootId] = new DriveFile
            {
                Id = RootId,
                Sequence = nextFileSequence++,
                Name = "My Drive",
                MimeType = MimeTypes.Folder,
                CreatedTime = now,
                ModifiedTime = now,
            };
            files[AppDataId] = new DriveFile
            {
                Id = AppDataId,
                Sequence = nextFileSequence++,
                Name = "Application Data",
                MimeType = MimeTypes.Folder,
                CreatedTime = now,
                ModifiedTime = now,
                Space = "appDataFolder",
            };
        }
    }

    public IEnumerable<ApiRoute> Routes()
    {
        const string list = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)";
        const string perm = "kind,id,type,role";
        yield return Route("drive.files.create", "POST", "files", Create, FileDefaultFields);
        yield return new ApiRoute(ApiService.Drive, "drive.files.create", "POST", UploadServicePath, "files", [], Upload, FileDefaultFields);
        yield return Route("drive.files.list", "GET", "files", List, list, "q", "pageSize", "pageToken", "orderBy", "spaces", "corpora");
        yield return Route("drive.files.generateIds", "GET", "files/generateIds", GenerateIds, null, "count", "space", "type");
        yield return Route("drive.files.get", "GET", "files/{fileId}", Get, FileDefaultFields);
        yield return Route("drive.files.update", "PATCH", "files/{fileId}", Update, FileDefaultFields, "addParents", "removeParents");
        yield return new ApiRoute(ApiService.Drive, "drive.files.update", "PATCH", UploadServicePath, "files/{fileId}", ["addParents", "removeParents"], UploadUpdate, FileDefaultFields);
        yield return Route("drive.files.emptyTrash", "DELETE", "files/trash", EmptyTrash, null);
        yield return Route("drive.about.get", "GET", "about", About, null);
        yield return Route("drive.revisions.list", "GET", "files/{fileId}/revisions", ListRevisions, "kind,nextPageToken,revisions(kind,id,mimeType,modifiedTime)", "pageSize", "pageToken");
        yield return Route("drive.revisions.get", "GET", "files/{fileId}/revisions/{revisionId}", GetRevision, "kind,id,mimeType,modifiedTime");
        yield return Route("drive.files.copy", "POST", "files/{fileId}/copy", Copy, FileDefaultFields);
        yield return Route("drive.files.delete", "DELETE", "files/{fileId}", Delete, null);
        yield return Route("drive.permissions.create", "POST", "files/{fileId}/permissions", CreatePermission, perm, "sendNotificationEmail", "emailMessage", "transferOwnership");
        yield return Route("drive.permissions.list", "GET", "files/{fileId}/permissions", ListPermissions, "kind,nextPageToken,permissions(kind,id,type,role)", "pageSize", "pageToken");
        yield return Route("drive.permissions.get", "GET", "files/{fileId}/permissions/{permissionId}", GetPermission, perm);
        yield return Route("drive.permissions.update", "PATCH", "files/{fileId}/permissions/{permissionId}", UpdatePermission, perm, "removeExpiration", "transferOwnership");
        yield return Route("drive.permissions.delete", "DELETE", "files/{fileId}/permissions/{permissionId}", DeletePermission, null);
        yield return Route("drive.changes.getStartPageToken", "GET", "changes/startPageToken", GetStartPageToken, null);
        yield return Route("drive.changes.list", "GET", "changes", ListChanges, "kind,nextPageToken,newStartPageToken,changes(kind,type,changeType,time,removed,fileId,file(kind,id,name,mimeType))", "pageToken", "pageSize", "includeRemoved");
    }

    private static ApiRoute Route(string id, string method, string path, Func<ApiCall, ApiResult> handler, string? defaultFields, params string[] query) =>
        new(ApiService.Drive, id, method, ServicePath, path, query, handler, defaultFields);

    // ---------------------------------------------------------------- files

    private ApiResult Create(ApiCall call)
    {
        var file = CreateFile(call.BodyJson(), null, null, call.User, apply: true, generatedIdsOnly: true);
        return ApiResult.Ok(file.ToJson(call.Root));
    }

    private ApiResult Get(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        if (call.Query("alt") == "media")
        {
            if (file.IsFolder || file.MimeType.StartsWith("application/vnd.google-apps.", StringComparison.Ordinal))
            {
                throw new ApiErrorException(403, "fileNotDownloadable", "Only files with binary content can be downloaded. Use Export with Docs Editors files.", location: "alt");
            }

            return Media(call, file.Content ?? [], file.MimeType);
        }

        return ApiResult.Ok(file.ToJson(call.Root));
    }

    /// <summary>
    /// A download (<c>alt=media</c>): the whole content, or with a <c>Range: bytes=a-b</c> header (also <c>a-</c> and
    /// <c>-n</c>) 206 Partial Content with <c>Content-Range</c>; an unsatisfiable range is 416.
    /// </summary>
    internal static ApiResult Media(ApiCall call, byte[] content, string mimeType)
    {
        if (!call.Headers.TryGetValue("Range", out var range) || string.IsNullOrWhiteSpace(range))
        {
            return new ApiResult(200) { Raw = content, RawContentType = mimeType };
        }

        var spec = range.Trim();
        if (!spec.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || spec.Contains(',', StringComparison.Ordinal))
        {
            return new ApiResult(200) { Raw = content, RawContentType = mimeType };
        }

        var bounds = spec[6..].Split('-');
        long length = content.LongLength;
        long first;
        long last;
        if (bounds.Length != 2)
        {
            return new ApiResult(200) { Raw = content, RawContentType = mimeType };
        }

        if (bounds[0].Length == 0)
        {
            if (!long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return new ApiResult(200) { Raw = content, RawContentType = mimeType };
            }

            first = Math.Max(0, length - suffix);
            last = length - 1;
        }
        else if (long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            last = bounds[1].Length == 0 ? length - 1
                : long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Min(l, length - 1)
                : -1;
            if (last < 0 && bounds[1].Length > 0)
            {
                return new ApiResult(200) { Raw = content, RawContentType = mimeType };
            }
        }
        else
        {
            return new ApiResult(200) { Raw = content, RawContentType = mimeType };
        }

        if (first >= length || first > last)
        {
            var unsatisfiable = Errors.Result(416, "requestedRangeNotSatisfiable", "Request range not satisfiable");
            unsatisfiable.Headers["Content-Range"] = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}");
            return unsatisfiable;
        }

        var partial = new ApiResult(206) { Raw = content[(int)first..(int)(last + 1)], RawContentType = mimeType };
        partial.Headers["Content-Range"] = string.Create(CultureInfo.InvariantCulture, $"bytes {first}-{last}/{length}");
        return partial;
    }

    private ApiResult List(ApiCall call)
    {
        var q = call.Query("q");
        var predicate = string.IsNullOrWhiteSpace(q) ? (_ => true) : DriveQuery.Parse(q, ResolveAlias, OwnerEmail(call.User));
        var pageSize = call.QueryInt("pageSize", 100, 1, 1000);
        var spaces = (call.Query("spaces") ?? "drive").Split(',', StringSplitOptions.TrimEntries);
        if (spaces.Any(s => s is not ("drive" or "appDataFolder")))
        {
            throw ApiErrorException.InvalidParameter("spaces");
        }

        var corpora = call.Query("corpora");
        if (corpora is not null and not ("user" or "domain" or "drive" or "allDrives"))
        {
            throw ApiErrorException.InvalidParameter("corpora");
        }

        var orderBy = call.Query("orderBy");
        var matches = files.Values.Where(f => !IsSystem(f) && spaces.Contains(f.Space)).Where(predicate);
        var ordered = Order(matches, orderBy);
        var key = (q ?? string.Empty) + "\n" + (orderBy ?? string.Empty) + "\n" + string.Join(',', spaces);
        var offset = Paging.DecodeOffset(call.Query("pageToken"), key);
        var page = ordered.Skip(offset).Take(pageSize).ToList();
        var result = new JsonObject
        {
            ["kind"] = "drive#fileList",
            ["incompleteSearch"] = false,
        };
        if (offset + page.Count < ordered.Count)
        {
            result["nextPageToken"] = Paging.EncodeOffset(offset + page.Count, key);
        }

        result["files"] = new JsonArray(page.Select(f => (JsonNode)f.ToJson(call.Root)).ToArray());
        return ApiResult.Ok(result);
    }

    /// <summary>
    /// Sorts by Drive's <c>orderBy</c> keys (comma-separated, each ascending unless followed by <c>desc</c>): <c>name</c>
    /// alphabetically without regard to case (so 1, 12, 2), <c>name_natural</c> with numbers by value (1, 2, 12),
    /// <c>folder</c> (folders first), <c>createdTime</c>, <c>modifiedTime</c>, <c>modifiedByMeTime</c>,
    /// <c>viewedByMeTime</c>, <c>recency</c>, <c>quotaBytesUsed</c>, <c>starred</c> (starred first) and
    /// <c>sharedWithMeTime</c>. Ties keep creation order. An unknown key or modifier is 400 <c>invalid</c> on orderBy.
    /// </summary>
    internal static List<DriveFile> Order(IEnumerable<DriveFile> source, string? orderBy)
    {
        var comparers = new List<Comparison<DriveFile>>();
        if (!string.IsNullOrWhiteSpace(orderBy))
        {
            foreach (var clause in orderBy.Split(',', StringSplitOptions.TrimEntries))
            {
                var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var desc = parts.Length == 2 && parts[1] == "desc";
                if (parts.Length == 0 || parts.Length > 2 || (parts.Length == 2 && !desc))
                {
                    throw ApiErrorException.InvalidParameter("orderBy", $"Invalid sort order: {clause}");
                }

                Comparison<DriveFile> compare = parts[0] switch
                {
                    "name" => (a, b) => CompareNames(a.Name, b.Name),
                    "name_natural" => (a, b) => CompareNatural(a.Name, b.Name),
                    "createdTime" => (a, b) => a.CreatedTime.CompareTo(b.CreatedTime),
                    "modifiedTime" or "modifiedByMeTime" or "viewedByMeTime" or "recency" => (a, b) => a.ModifiedTime.CompareTo(b.ModifiedTime),
                    "folder" => (a, b) => b.IsFolder.CompareTo(a.IsFolder),
                    "starred" => (a, b) => b.Starred.CompareTo(a.Starred),
                    "quotaBytesUsed" => (a, b) => (a.Content?.LongLength ?? 0).CompareTo(b.Content?.LongLength ?? 0),
                    "sharedWithMeTime" => (_, _) => 0,
                    _ => throw ApiErrorException.InvalidParameter("orderBy", $"Invalid sort key: {parts[0]}"),
                };
                comparers.Add(desc ? (a, b) => compare(b, a) : compare);
            }
        }

        var list = source.ToList();
        list.Sort((a, b) =>
        {
            foreach (var c in comparers)
            {
                var r = c(a, b);
                if (r != 0)
                {
                    return r;
                }
            }

            return a.Sequence.CompareTo(b.Sequence);
        });
        return list;
    }

    private static int CompareNames(string a, string b)
    {
        var r = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return r != 0 ? r : string.CompareOrdinal(a, b);
    }

    /// <summary>Natural order: runs of digits compare by value, the rest as <see cref="CompareNames"/>.</summary>
    private static int CompareNatural(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                var si = i;
                var sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }

                var da = a[si..i].TrimStart('0');
                var db = b[sj..j].TrimStart('0');
                var r = da.Length != db.Length ? da.Length.CompareTo(db.Length) : string.CompareOrdinal(da, db);
                if (r != 0)
                {
                    return r;
                }
            }
            else
            {
                var r = char.ToUpperInvariant(a[i]).CompareTo(char.ToUpperInvariant(b[j]));
                if (r != 0)
                {
                    return r;
                }

                i++;
                j++;
            }
        }

        var rest = (a.Length - i).CompareTo(b.Length - j);
        return rest != 0 ? rest : CompareNames(a, b);
    }

    private ApiResult Update(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        UpdateFile(file, call.BodyJson(), call.Query("addParents"), call.Query("removeParents"), null, null, call.User);
        return ApiResult.Ok(file.ToJson(call.Root));
    }

    /// <summary>
    /// files.update, with or without new content: validates everything first, then applies metadata, parents, trash
    /// and content together, and bumps <c>modifiedTime</c> (to the body's <c>modifiedTime</c> when it sets one) and
    /// <c>version</c>.
    /// </summary>
    internal void UpdateFile(DriveFile file, JsonObject body, string? addParents, string? removeParents, byte[]? content, string? mediaContentType, string user)
    {
        if (IsSystem(file))
        {
            throw new ApiErrorException(403, "insufficientFilePermissions", "The user does not have sufficient permissions for this file.");
        }

        if (body.ContainsKey("parents"))
        {
            throw new ApiErrorException(403, "fieldNotWritable", "The resource body includes fields which are not directly writable.", location: "parents");
        }

        if (body["id"] is JsonNode idNode && idNode.AsText("id") != file.Id)
        {
            throw new ApiErrorException(403, "fieldNotWritable", "The resource body includes fields which are not directly writable.", location: "id");
        }

        // Validate everything before changing anything.
        var parent = file.Parent;
        var remove = SplitIds(removeParents);
        var add = SplitIds(addParents);
        if (remove.Count > 0 || add.Count > 0)
        {
            var set = new List<string>();
            if (parent is not null)
            {
                set.Add(parent);
            }

            set.RemoveAll(remove.Contains);
            foreach (var a in add)
            {
                var target = Find(a, "addParents");
                if (!target.IsFolder)
                {
                    throw new ApiErrorException(400, "invalidParent", $"The parent {a} is not a folder.", location: "addParents");
                }

                if (SpaceOf(target) != file.Space)
                {
                    throw new ApiErrorException(400, "invalidParent", "A file cannot move between the drive and appDataFolder spaces.", location: "addParents");
                }

                if (target.Id == file.Id || IsDescendant(target, file.Id))
                {
                    throw new ApiErrorException(400, "invalidParent", "A folder cannot be moved into itself or one of its descendants.", location: "addParents");
                }

                if (!set.Contains(target.Id))
                {
                    set.Add(target.Id);
                }
            }

            if (set.Count != 1)
            {
                throw new ApiErrorException(400, "singleParentRequired", "A file must have exactly one parent: use addParents together with removeParents to move it.", location: "addParents");
            }

            parent = set[0];
        }

        var name = OptionalString(body, "name");
        var mimeType = OptionalString(body, "mimeType");
        if (content is not null)
        {
            if (!MimeTypes.IsBinary(file.MimeType))
            {
                throw new ApiErrorException(400, "badContent", "Only files with binary content can have their content updated.", location: "uploadType");
            }

            mimeType ??= MimeTypes.FromContentType(mediaContentType);
            if (mimeType is not null && !MimeTypes.IsBinary(mimeType))
            {
                throw new ApiErrorException(400, "badContent", "Uploaded content cannot change a file into a Google Workspace type.", location: "mimeType");
            }
        }
        else if (mimeType is not null && mimeType != file.MimeType && (!MimeTypes.IsBinary(file.MimeType) || !MimeTypes.IsBinary(mimeType)))
        {
            throw new ApiErrorException(403, "fieldNotWritable", "The mimeType of a folder, shortcut or Google Workspace file cannot be changed.", location: "mimeType");
        }

        var description = OptionalString(body, "description");
        var starred = OptionalBool(body, "starred");
        var trashed = OptionalBool(body, "trashed");
        var modifiedTime = OptionalTime(body, "modifiedTime");
        var originalFilename = OptionalString(body, "originalFilename");
        var appProperties = PropertyChanges(body, "appProperties");
        var properties = PropertyChanges(body, "properties");

        // Apply.
        var now = Now();
        var touched = new List<DriveFile> { file };
        var moved = parent != file.Parent;
        file.Parent = parent;
        if (name is not null)
        {
            file.Name = name;
        }

        if (mimeType is not null)
        {
            file.MimeType = mimeType;
        }

        if (description is not null)
        {
            file.Description = description;
        }

        if (starred is { } s)
        {
            file.Starred = s;
        }

        if (originalFilename is not null)
        {
            file.OriginalFilename = originalFilename;
        }

        Merge(file.AppProperties, appProperties);
        Merge(file.Properties, properties);
        if (trashed is { } t && t != file.ExplicitlyTrashed)
        {
            file.ExplicitlyTrashed = t;
            touched.AddRange(ApplyTrash(file, t, now));
        }
        else if (moved)
        {
            // A move under a trashed folder trashes implicitly; out of one restores.
            var inherited = AncestorTrashed(file);
            if (!file.ExplicitlyTrashed && inherited != file.Trashed)
            {
                touched.AddRange(ApplyTrash(file, inherited, now));
            }
        }

        if (content is not null)
        {
            file.AddRevision(content, now, OwnerEmail(user));
        }

        file.ModifiedTime = modifiedTime ?? now;
        file.LastModifyingEmail = OwnerEmail(user);
        file.Version++;
        foreach (var f in touched.Distinct())
        {
            RecordChange(f, now, null);
        }
    }

    private ApiResult EmptyTrash(ApiCall call)
    {
        var now = Now();
        var owner = OwnerEmail(call.User);
        foreach (var f in files.Values.Where(f => !IsSystem(f) && f.ExplicitlyTrashed && f.OwnerEmail == owner).ToList())
        {
            if (!files.ContainsKey(f.Id))
            {
                continue;
            }

            foreach (var d in Descendants(f).Prepend(f).ToList())
            {
                files.Remove(d.Id);
                changes.Add(new DriveChange(nextChangeSequence++, d.Id, now, true, null));
            }
        }

        return ApiResult.NoContent();
    }

    private ApiResult Copy(ApiCall call)
    {
        var source = Find(call.Path("fileId"));
        if (source.IsFolder)
        {
            throw new ApiErrorException(403, "cannotCopyFile", "This file cannot be copied by the authenticated user.");
        }

        var meta = new JsonObject
        {
            ["name"] = source.Name,
            ["mimeType"] = source.MimeType,
            ["parents"] = new JsonArray(source.Parent),
        };
        if (source.Description is not null)
        {
            meta["description"] = source.Description;
        }

        if (source.ShortcutTargetId is not null)
        {
            meta["shortcutDetails"] = new JsonObject { ["targetId"] = source.ShortcutTargetId };
        }

        meta["appProperties"] = new JsonObject(source.AppProperties.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        meta["properties"] = new JsonObject(source.Properties.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        foreach (var (k, v) in call.BodyJson())
        {
            if (k is "appProperties" or "properties" && v is JsonObject overrides)
            {
                var target = (JsonObject)meta[k]!;
                foreach (var (pk, pv) in overrides)
                {
                    target[pk] = pv?.DeepClone();
                }
            }
            else
            {
                meta[k] = v?.DeepClone();
            }
        }

        var copy = CreateFile(meta, source.Content, null, call.User, apply: true, generatedIdsOnly: true);
        return ApiResult.Ok(copy.ToJson(call.Root));
    }

    private ApiResult Delete(ApiCall call)
    {
        var file = Find(call.Path("fileId"));
        if (IsSystem(file))
        {
            throw new ApiErrorException(403, "insufficientFilePermissions", "The user does not have sufficient permissions for this file.");
        }

        var now = Now();
        foreach (var f in Descendants(file).Prepend(file).ToList())
        {
            files.Remove(f.Id);
            changes.Add(new DriveChange(nextChangeSequence++, f.Id, now, true, null));
        }

        return ApiResult.NoContent();
    }

    private ApiResult GenerateIds(ApiCall call)
    {
        var count = call.QueryInt("count", 10, 1, 1000);
        var space = call.Query("space") ?? "drive";
        if (space is not ("drive" or "appDataFolder"))
        {
            throw ApiErrorException.InvalidParameter("space", $"Invalid space: {space}");
        }

        var type = call.Query("type") ?? "files";
        if (type is not ("files" or "shortcuts") || (type == "shortcuts" && space != "drive"))
        {
            throw ApiErrorException.InvalidParameter("type", $"Invalid type: {type}");
        }

        var generated = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var id = ids.FileId();
            issuedIds.Add(id);
            generated.Add(id);
        }

        return ApiResult.Ok(new JsonObject
        {
            ["kind"] = "drive#generatedIds",
            ["space"] = space,
            ["ids"] = generated,
        });
    }

    // ---------------------------------------------------------------- creation shared by create, copy, upload and seeding

    internal DriveFile CreateFile(JsonObject meta, byte[]? content, string? mediaContentType, string user, bool apply, bool generatedIdsOnly)
    {
        var id = OptionalString(meta, "id");
        if (id is not null)
        {
            if (files.ContainsKey(id))
            {
                throw new ApiErrorException(409, "duplicate", "A file already exists with the provided ID.", location: "id", locationType: "other");
            }

            if (generatedIdsOnly && !issuedIds.Contains(id))
            {
                throw new ApiErrorException(400, "invalid", "The provided file ID is not usable.", location: "id", locationType: "other");
            }
        }

        string? parent = RootId;
        if (meta["parents"] is JsonNode parentsNode)
        {
            if (parentsNode is not JsonArray parents)
            {
                throw new ApiErrorException(400, "invalid", "Invalid value for parents.", location: "parents");
            }

            if (parents.Count > 1)
            {
                throw new ApiErrorException(400, "singleParentRequired", "A file can only have one parent: parents must hold exactly one folder id.", location: "parents");
            }

            if (parents.Count == 1)
            {
                var p = Find(parents[0].AsText("parents") ?? string.Empty, "parents");
                if (!p.IsFolder)
                {
                    throw new ApiErrorException(400, "invalidParent", $"The parent {p.Id} is not a folder.", location: "parents");
                }

                parent = p.Id;
            }
        }

        var mimeType = OptionalString(meta, "mimeType") ?? MimeTypes.FromContentType(mediaContentType) ?? MimeTypes.OctetStream;
        if (content is not null && !MimeTypes.IsBinary(mimeType))
        {
            throw new ApiErrorException(400, "badContent", $"Files of type {mimeType} cannot hold uploaded content: the emulator does not convert uploads to Google Workspace types.", location: "mimeType");
        }

        string? targetId = null;
        string? targetMime = null;
        if (mimeType == MimeTypes.Shortcut)
        {
            targetId = (meta["shortcutDetails"] as JsonObject)?["targetId"].AsText("shortcutDetails.targetId")
                ?? throw new ApiErrorException(400, "required", "A shortcut requires shortcutDetails.targetId.", location: "shortcutDetails.targetId");
            targetMime = Find(targetId, "shortcutDetails.targetId").MimeType;
        }

        var appProperties = PropertyChanges(meta, "appProperties");
        var properties = PropertyChanges(meta, "properties");
        var now = Now();
        var created = OptionalTime(meta, "createdTime") ?? now;
        var modified = OptionalTime(meta, "modifiedTime") ?? now;
        var name = OptionalString(meta, "name") ?? "Untitled";
        var description = OptionalString(meta, "description");
        var starred = OptionalBool(meta, "starred") ?? false;
        var originalFilename = OptionalString(meta, "originalFilename") ?? (content is null ? null : name);
        var trashedRequested = OptionalBool(meta, "trashed") ?? false;

        var file = new DriveFile
        {
            Id = id ?? "pending",
            Sequence = -1,
        };
        if (!apply)
        {
            return file;
        }

        id ??= NewFileId();
        issuedIds.Remove(id);
        file = new DriveFile
        {
            Id = id,
            Sequence = nextFileSequence++,
            Name = name,
            MimeType = mimeType,
            Parent = parent,
            Space = parent is not null && files.TryGetValue(parent, out var parentFile) ? SpaceOf(parentFile) : "drive",
            CreatedTime = created,
            ModifiedTime = modified,
            Description = description,
            Starred = starred,
            OriginalFilename = originalFilename,
            ShortcutTargetId = targetId,
            ShortcutTargetMimeType = targetMime,
            OwnerEmail = OwnerEmail(user),
            LastModifyingEmail = OwnerEmail(user),
        };
        if (MimeTypes.IsBinary(mimeType))
        {
            // Drive reports size and checksums for every binary file, "0" and the empty digest when it has no content.
            file.AddRevision(content ?? [], modified, OwnerEmail(user));
        }

        Merge(file.AppProperties, appProperties);
        Merge(file.Properties, properties);
        file.Permissions.Add(new DrivePermission
        {
            Id = IdGenerator.StableNumeric(OwnerEmail(user)),
            Type = "user",
            Role = "owner",
            EmailAddress = OwnerEmail(user),
        });
        files[id] = file;
        if (trashedRequested || AncestorTrashed(file))
        {
            file.Trashed = true;
            file.ExplicitlyTrashed = trashedRequested;
            file.TrashedTime = now;
        }

        RecordChange(file, now, null);
        return file;
    }

    internal static string OwnerEmail(string user) => user.Contains('@', StringComparison.Ordinal) ? user : "owner@emulator.invalid";

    private string NewFileId()
    {
        string id;
        do
        {
            id = ids.FileId();
        }
        while (files.ContainsKey(id) || issuedIds.Contains(id));
        return id;
    }

    // ---------------------------------------------------------------- helpers

    internal DriveFile Find(string id, string location = "fileId")
    {
        var resolved = ResolveAlias(id);
        return files.TryGetValue(resolved, out var f)
            ? f
            : throw new ApiErrorException(404, "notFound", $"File not found: {id}.", location: location, locationType: "parameter");
    }

    private string ResolveAlias(string id) => id switch
    {
        "root" => RootId,
        "appDataFolder" => AppDataId,
        _ => id,
    };

    /// <summary>The space of the files a folder holds: appDataFolder for the app data folder and what is in it.</summary>
    private static string SpaceOf(DriveFile folder) => folder.Id == AppDataId ? "appDataFolder" : folder.Space;

    private List<string> SplitIds(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ResolveAlias).ToList();

    private bool IsDescendant(DriveFile candidate, string ancestorId)
    {
        var current = candidate.Parent;
        var guard = 0;
        while (current is not null && guard++ < 10_000)
        {
            if (current == ancestorId)
            {
                return true;
            }

            current = files.TryGetValue(current, out var p) ? p.Parent : null;
        }

        return false;
    }

    private List<DriveFile> Descendants(DriveFile folder)
    {
        if (!folder.IsFolder)
        {
            return [];
        }

        var result = new List<DriveFile>();
        var stack = new Stack<string>();
        stack.Push(folder.Id);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            foreach (var child in files.Values.Where(f => f.Parent == id))
            {
                result.Add(child);
                if (child.IsFolder)
                {
                    stack.Push(child.Id);
                }
            }
        }

        return result;
    }

    private bool AncestorTrashed(DriveFile file) =>
        file.Parent is not null && files.TryGetValue(file.Parent, out var p) && p.Trashed;

    /// <summary>Sets the trashed state of a file and propagates it to the descendants that were not trashed on their own.</summary>
    private List<DriveFile> ApplyTrash(DriveFile file, bool trashed, DateTimeOffset now)
    {
        var touched = new List<DriveFile>();
        file.Trashed = trashed || file.ExplicitlyTrashed || AncestorTrashed(file);
        file.TrashedTime = file.Trashed ? now : null;
        touched.Add(file);
        foreach (var d in Descendants(file))
        {
            if (d.ExplicitlyTrashed)
            {
                continue;
            }

            d.Trashed = file.Trashed;
            d.TrashedTime = d.Trashed ? now : null;
            touched.Add(d);
        }

        return touched;
    }

    private void RecordChange(DriveFile file, DateTimeOffset now, Uri? root) =>
        changes.Add(new DriveChange(nextChangeSequence++, file.Id, now, false, file.ToJson(root ?? Root)));

    internal static readonly Uri DefaultRoot = new("http://127.0.0.1/");

    private static string? OptionalString(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        throw new ApiErrorException(400, "invalid", $"Invalid value for {name}: expected a string.", location: name, locationType: "other");
    }

    private static bool? OptionalBool(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }

        throw new ApiErrorException(400, "invalid", $"Invalid value for {name}: expected a boolean.", location: name, locationType: "other");
    }

    private static DateTimeOffset? OptionalTime(JsonObject o, string name)
    {
        var s = OptionalString(o, name);
        if (s is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? DriveFile.Millis(t)
            : throw new ApiErrorException(400, "invalid", $"Invalid value for {name}: {s}", location: name, locationType: "other");
    }

    /// <summary>Reads an appProperties/properties patch: string values set, null values delete.</summary>
    private static List<KeyValuePair<string, string?>> PropertyChanges(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject obj)
        {
            throw new ApiErrorException(400, "invalid", $"Invalid value for {name}: expected an object.", location: name, locationType: "other");
        }

        var result = new List<KeyValuePair<string, string?>>();
        foreach (var (k, v) in obj)
        {
            if (Encoding.UTF8.GetByteCount(k) + Encoding.UTF8.GetByteCount(v?.ToString() ?? string.Empty) > 124)
            {
                throw new ApiErrorException(400, "invalid", $"The limit of 124 bytes per {name} key and value was exceeded: {k}.", location: name, locationType: "other");
            }

            result.Add(KeyValuePair.Create(k, v is null ? null : (v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v.ToJsonString())));
        }

        return result;
    }

    private static void Merge(SortedDictionary<string, string> target, List<KeyValuePair<string, string?>> changes)
    {
        foreach (var (k, v) in changes)
        {
            if (v is null)
            {
                target.Remove(k);
            }
            else
            {
                target[k] = v;
            }
        }
    }
}
