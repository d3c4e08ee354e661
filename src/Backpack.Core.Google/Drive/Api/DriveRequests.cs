using Google.Apis.Discovery;
using Google.Apis.Requests;
using Google.Apis.Services;
using Google.Apis.Util;

namespace Backpack.Core.Google.Drive.Api;

/// <summary>
/// Base of the Drive requests: the standard <c>fields</c> and <c>quotaUser</c> parameters. Every
/// <see cref="RequestParameterAttribute"/> property is also registered in <see cref="InitParameters"/>
/// (Google.Apis rejects unregistered ones with "Invalid parameter").
/// </summary>
/// <typeparam name="T">The response type.</typeparam>
internal abstract class DriveRequest<T> : ClientServiceRequest<T>
{
    private readonly object? body;

    protected DriveRequest(IClientService service, object? body = null)
        : base(service)
    {
        this.body = body;
        InitParameters();
    }

    [RequestParameter("fields", RequestParameterType.Query)]
    public string? Fields { get; set; }

    [RequestParameter("quotaUser", RequestParameterType.Query)]
    public string? QuotaUser { get; set; }

    /// <summary>The file the request concerns (for error messages), if any.</summary>
    public virtual string? SubjectFileId => null;

    /// <summary>The REST method as Drive names it (<c>files.create</c>, <c>permissions.list</c>, ...), for error messages.</summary>
    public string Operation => (GetType().Name.StartsWith("Permissions", StringComparison.Ordinal) ? "permissions."
        : GetType().Name.StartsWith("Changes", StringComparison.Ordinal) ? "changes." : "files.") + MethodName;

    protected override object? GetBody() => body;

    protected override void InitParameters()
    {
        base.InitParameters();
        Query("fields");
        Query("quotaUser");
    }

    protected void Query(string name) =>
        RequestParameters.Add(name, new Parameter { Name = name, IsRequired = false, ParameterType = "query" });

    protected void PathParameter(string name) =>
        RequestParameters.Add(name, new Parameter { Name = name, IsRequired = true, ParameterType = "path" });
}

/// <summary>files.create (metadata only: folders and shortcuts).</summary>
internal sealed class FilesCreateRequest(IClientService service, DriveFile body) : DriveRequest<DriveFile>(service, body)
{
    private readonly string? id = body.Id;

    public override string MethodName => "create";

    public override string HttpMethod => "POST";

    public override string RestPath => "files";

    public override string? SubjectFileId => id;
}

/// <summary>files.list.</summary>
internal sealed class FilesListRequest(IClientService service) : DriveRequest<DriveFileList>(service)
{
    [RequestParameter("q", RequestParameterType.Query)]
    public string? Q { get; set; }

    [RequestParameter("pageSize", RequestParameterType.Query)]
    public int? PageSize { get; set; }

    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string? PageToken { get; set; }

    [RequestParameter("spaces", RequestParameterType.Query)]
    public string? Spaces { get; set; }

    public override string MethodName => "list";

    public override string HttpMethod => "GET";

    public override string RestPath => "files";

    protected override void InitParameters()
    {
        base.InitParameters();
        Query("q");
        Query("pageSize");
        Query("pageToken");
        Query("spaces");
    }
}

/// <summary>files.get (metadata).</summary>
internal sealed class FilesGetRequest(IClientService service, string fileId) : DriveRequest<DriveFile>(service)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    public override string MethodName => "get";

    public override string HttpMethod => "GET";

    public override string RestPath => "files/{fileId}";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
    }
}

/// <summary>files.update (PATCH metadata; moves with addParents/removeParents).</summary>
internal sealed class FilesUpdateRequest(IClientService service, string fileId, DriveFile body) : DriveRequest<DriveFile>(service, body)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    [RequestParameter("addParents", RequestParameterType.Query)]
    public string? AddParents { get; set; }

    [RequestParameter("removeParents", RequestParameterType.Query)]
    public string? RemoveParents { get; set; }

    public override string MethodName => "update";

    public override string HttpMethod => "PATCH";

    public override string RestPath => "files/{fileId}";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
        Query("addParents");
        Query("removeParents");
    }
}

/// <summary>files.copy.</summary>
internal sealed class FilesCopyRequest(IClientService service, string fileId, DriveFile body) : DriveRequest<DriveFile>(service, body)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    public override string MethodName => "copy";

    public override string HttpMethod => "POST";

    public override string RestPath => "files/{fileId}/copy";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
    }
}

/// <summary>files.delete (permanent).</summary>
internal sealed class FilesDeleteRequest(IClientService service, string fileId) : DriveRequest<string>(service)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    public override string MethodName => "delete";

    public override string HttpMethod => "DELETE";

    public override string RestPath => "files/{fileId}";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
    }
}

/// <summary>files.generateIds.</summary>
internal sealed class FilesGenerateIdsRequest(IClientService service) : DriveRequest<GeneratedIds>(service)
{
    [RequestParameter("count", RequestParameterType.Query)]
    public int? Count { get; set; }

    [RequestParameter("space", RequestParameterType.Query)]
    public string? Space { get; set; }

    [RequestParameter("type", RequestParameterType.Query)]
    public string? Type { get; set; }

    public override string MethodName => "generateIds";

    public override string HttpMethod => "GET";

    public override string RestPath => "files/generateIds";

    protected override void InitParameters()
    {
        base.InitParameters();
        Query("count");
        Query("space");
        Query("type");
    }
}

/// <summary>permissions.create.</summary>
internal sealed class PermissionsCreateRequest(IClientService service, string fileId, DrivePermission body) : DriveRequest<DrivePermission>(service, body)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    [RequestParameter("sendNotificationEmail", RequestParameterType.Query)]
    public bool? SendNotificationEmail { get; set; }

    [RequestParameter("emailMessage", RequestParameterType.Query)]
    public string? EmailMessage { get; set; }

    public override string MethodName => "create";

    public override string HttpMethod => "POST";

    public override string RestPath => "files/{fileId}/permissions";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
        Query("sendNotificationEmail");
        Query("emailMessage");
    }
}

/// <summary>permissions.list.</summary>
internal sealed class PermissionsListRequest(IClientService service, string fileId) : DriveRequest<DrivePermissionList>(service)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    [RequestParameter("pageSize", RequestParameterType.Query)]
    public int? PageSize { get; set; }

    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string? PageToken { get; set; }

    public override string MethodName => "list";

    public override string HttpMethod => "GET";

    public override string RestPath => "files/{fileId}/permissions";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
        Query("pageSize");
        Query("pageToken");
    }
}

/// <summary>permissions.update.</summary>
internal sealed class PermissionsUpdateRequest(IClientService service, string fileId, string permissionId, DrivePermission body) : DriveRequest<DrivePermission>(service, body)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    [RequestParameter("permissionId", RequestParameterType.Path)]
    public string PermissionId { get; } = permissionId;

    [RequestParameter("removeExpiration", RequestParameterType.Query)]
    public bool? RemoveExpiration { get; set; }

    public override string MethodName => "update";

    public override string HttpMethod => "PATCH";

    public override string RestPath => "files/{fileId}/permissions/{permissionId}";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
        PathParameter("permissionId");
        Query("removeExpiration");
    }
}

/// <summary>permissions.delete.</summary>
internal sealed class PermissionsDeleteRequest(IClientService service, string fileId, string permissionId) : DriveRequest<string>(service)
{
    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; } = fileId;

    [RequestParameter("permissionId", RequestParameterType.Path)]
    public string PermissionId { get; } = permissionId;

    public override string MethodName => "delete";

    public override string HttpMethod => "DELETE";

    public override string RestPath => "files/{fileId}/permissions/{permissionId}";

    public override string? SubjectFileId => FileId;

    protected override void InitParameters()
    {
        base.InitParameters();
        PathParameter("fileId");
        PathParameter("permissionId");
    }
}

/// <summary>changes.getStartPageToken.</summary>
internal sealed class ChangesGetStartPageTokenRequest(IClientService service) : DriveRequest<StartPageToken>(service)
{
    public override string MethodName => "getStartPageToken";

    public override string HttpMethod => "GET";

    public override string RestPath => "changes/startPageToken";
}

/// <summary>changes.list.</summary>
internal sealed class ChangesListRequest(IClientService service, string pageToken) : DriveRequest<DriveChangeList>(service)
{
    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string PageToken { get; } = pageToken;

    [RequestParameter("pageSize", RequestParameterType.Query)]
    public int? PageSize { get; set; }

    [RequestParameter("includeRemoved", RequestParameterType.Query)]
    public bool? IncludeRemoved { get; set; }

    public override string MethodName => "list";

    public override string HttpMethod => "GET";

    public override string RestPath => "changes";

    protected override void InitParameters()
    {
        base.InitParameters();
        Query("pageToken");
        Query("pageSize");
        Query("includeRemoved");
    }
}
