using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Google.Drive.Http;
using Google;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Requests;

namespace Backpack.Core.Google.Drive;

/// <summary>The outcome of one call of a group (batched or not): the response, or Google's status and reason.</summary>
/// <typeparam name="T">The response type.</typeparam>
internal sealed record DriveCallResult<T>(T? Value, int? Status, string? Reason, Exception? Error)
{
    public bool Succeeded => Error is null && Status is null;

    public bool IsNotFound => Status == 404;

    public bool IsDuplicate => Status == 409;
}

/// <summary>
/// The adapter's Drive calls over <see cref="DriveService"/>: error translation into
/// <see cref="BackpackGoogleException"/>, batching with per-part retry, a pool of pre-generated file ids.
/// </summary>
internal sealed class DriveClient : IDisposable
{
    public const string FileFields = "id,name,mimeType,parents,trashed,appProperties,shortcutDetails";
    private readonly DriveConnections connections;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> idPools = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim idGate = new(1, 1);
    private long calls;

    public DriveClient(DriveConnections connections, TimeProvider clock)
    {
        this.connections = connections;
        this.clock = clock;
    }

    public DriveConnections Connections => connections;

    /// <summary>Single (non-batch) calls made.</summary>
    public long SingleCalls => Interlocked.Read(ref calls);

    public void Dispose() => idGate.Dispose();

    private GoogleDriveOptions Options => connections.Options;

    private DriveService Service(string user) => connections.For(user);

    /// <summary>Takes a pre-generated file id (files.generateIds, fetched in blocks).</summary>
    public async Task<string> TakeIdAsync(string user, CancellationToken ct)
    {
        var pool = idPools.GetOrAdd(user, _ => new ConcurrentQueue<string>());
        while (true)
        {
            if (pool.TryDequeue(out var id))
            {
                return id;
            }

            await idGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (pool.IsEmpty)
                {
                    var request = new FilesGenerateIdsRequest(Service(user)) { Count = Options.IdBlockSize, Space = "drive", Fields = "ids" };
                    var ids = await ExecuteAsync(user, request, "files.generateIds", ct).ConfigureAwait(false);
                    foreach (var i in ids.Ids ?? [])
                    {
                        pool.Enqueue(i);
                    }
                }
            }
            finally
            {
                idGate.Release();
            }
        }
    }

    public async Task<DriveFile?> GetAsync(string user, string fileId, CancellationToken ct)
    {
        var r = await TryExecuteAsync(user, new FilesGetRequest(Service(user), fileId) { Fields = FileFields }, "files.get", ct).ConfigureAwait(false);
        return r.IsNotFound ? null : Value(r, "files.get", fileId);
    }

    /// <summary>Finds files whose appProperties carry every given pair (trashed ones included).</summary>
    public async Task<IReadOnlyList<DriveFile>> FindAsync(string user, IEnumerable<KeyValuePair<string, string>> appProperties, CancellationToken ct)
    {
        var q = string.Join(" and ", appProperties.Select(kv => $"appProperties has {{ key='{Escape(kv.Key)}' and value='{Escape(kv.Value)}' }}"));
        var result = new List<DriveFile>();
        var pages = new PageTokens("files.list");
        string? token = null;
        do
        {
            var request = new FilesListRequest(Service(user)) { Q = q, PageSize = 100, PageToken = token, Spaces = "drive", Fields = $"nextPageToken,files({FileFields})" };
            var page = await ExecuteAsync(user, request, "files.list", ct).ConfigureAwait(false);
            result.AddRange(page.Files ?? []);
            token = pages.Next(page.NextPageToken);
        }
        while (token is not null);
        return result;
    }

    public async Task<DriveFile> UpdateAsync(string user, string fileId, DriveFile body, string? addParents, string? removeParents, CancellationToken ct)
    {
        var request = new FilesUpdateRequest(Service(user), fileId, body) { AddParents = addParents, RemoveParents = removeParents, Fields = FileFields };
        return await ExecuteAsync(user, request, "files.update", ct).ConfigureAwait(false);
    }

    public async Task<string> GetStartPageTokenAsync(string user, CancellationToken ct)
    {
        var r = await ExecuteAsync(user, new ChangesGetStartPageTokenRequest(Service(user)) { Fields = "startPageToken" }, "changes.getStartPageToken", ct).ConfigureAwait(false);
        return r.Token ?? throw new BackpackGoogleException("changes.getStartPageToken returned no token.", null, null, null, true, null);
    }

    public Task<DriveChangeList> ListChangesAsync(string user, string pageToken, CancellationToken ct) =>
        ExecuteAsync(user, new ChangesListRequest(Service(user), pageToken)
        {
            PageSize = 1000,
            IncludeRemoved = true,
            Fields = $"nextPageToken,newStartPageToken,changes(fileId,removed,file({FileFields}))",
        }, "changes.list", ct);

    /// <summary>Lists every permission of each file (batched).</summary>
    public async Task<IReadOnlyList<DriveCallResult<IReadOnlyList<DrivePermission>>>> ListPermissionsAsync(string user, IReadOnlyList<string> fileIds, CancellationToken ct)
    {
        const string fields = "nextPageToken,permissions(id,type,role,emailAddress,domain,expirationTime)";
        var first = await ExecuteManyAsync(user, fileIds.Select(id => (Func<DriveRequest<DrivePermissionList>>)(() => new PermissionsListRequest(Service(user), id) { PageSize = 100, Fields = fields })).ToList(), ct).ConfigureAwait(false);
        var results = new List<DriveCallResult<IReadOnlyList<DrivePermission>>>();
        for (var i = 0; i < fileIds.Count; i++)
        {
            var r = first[i];
            if (!r.Succeeded)
            {
                results.Add(new(null, r.Status, r.Reason, r.Error));
                continue;
            }

            var all = new List<DrivePermission>(r.Value!.Permissions ?? []);
            var pages = new PageTokens("permissions.list", fileIds[i]);
            var token = pages.Next(r.Value.NextPageToken);
            while (token is not null)
            {
                var page = await ExecuteAsync(user, new PermissionsListRequest(Service(user), fileIds[i]) { PageSize = 100, PageToken = token, Fields = fields }, "permissions.list", ct).ConfigureAwait(false);
                all.AddRange(page.Permissions ?? []);
                token = pages.Next(page.NextPageToken);
            }

            results.Add(new(all, null, null, null));
        }

        return results;
    }

    public DriveRequest<DriveFile> CreateRequest(string user, DriveFile body) => new FilesCreateRequest(Service(user), body) { Fields = FileFields, QuotaUser = QuotaUser(user) };

    public DriveRequest<DriveFile> CopyRequest(string user, string sourceId, DriveFile body) => new FilesCopyRequest(Service(user), sourceId, body) { Fields = FileFields, QuotaUser = QuotaUser(user) };

    public DriveRequest<string> DeleteRequest(string user, string fileId) => new FilesDeleteRequest(Service(user), fileId) { QuotaUser = QuotaUser(user) };

    public DriveRequest<DrivePermission> CreatePermissionRequest(string user, string fileId, DrivePermission body) =>
        new PermissionsCreateRequest(Service(user), fileId, body) { SendNotificationEmail = Options.SendNotificationEmails, Fields = "id,type,role,emailAddress,domain,expirationTime", QuotaUser = QuotaUser(user) };

    public DriveRequest<string> DeletePermissionRequest(string user, string fileId, string permissionId) =>
        new PermissionsDeleteRequest(Service(user), fileId, permissionId) { QuotaUser = QuotaUser(user) };

    /// <summary>Runs independent calls: as batch requests of up to <see cref="GoogleDriveOptions.MaxBatchSize"/> parts when enabled, retrying retryable parts; else one by one.</summary>
    public async Task<IReadOnlyList<DriveCallResult<T>>> ExecuteManyAsync<T>(string user, IReadOnlyList<Func<DriveRequest<T>>> requests, CancellationToken ct)
        where T : class
    {
        var results = new DriveCallResult<T>[requests.Count];
        if (!Options.UseBatch || requests.Count <= 1)
        {
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i]();
                results[i] = await TryExecuteAsync(user, request, request.Operation, ct).ConfigureAwait(false);
            }

            return results;
        }

        var pending = Enumerable.Range(0, requests.Count).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var retry = new List<int>();
            foreach (var chunk in pending.Chunk(Math.Min(Options.MaxBatchSize, connections.Pacer.MaxPermitsPerRequest)))
            {
                var batch = new BatchRequest(Service(user), Service(user).ExplicitBatchUri);
                var operation = "batch";
                foreach (var index in chunk)
                {
                    var request = requests[index]();
                    request.QuotaUser ??= QuotaUser(user);
                    operation = $"batch of {request.Operation}";
                    var i = index;
                    results[i] = null!;
                    batch.Queue<T>(request, (content, error, _, message) =>
                    {
                        if (error is null)
                        {
                            results[i] = DriveResponseCheck.Problem(content) is { } problem && typeof(T) != typeof(string)
                                ? new DriveCallResult<T>(null, 200, null, Malformed(request.Operation, request.SubjectFileId, problem))
                                : new DriveCallResult<T>(content, null, null, null);
                            return;
                        }

                        var reason = error.Errors?.FirstOrDefault()?.Reason;
                        var code = error.Code is >= 100 and <= 999 ? error.Code : 502;
                        results[i] = new DriveCallResult<T>(null, code, reason, new BackpackGoogleException(
                            $"Drive {request.Operation} failed{About(request.SubjectFileId)}: HTTP {code.ToString(CultureInfo.InvariantCulture)} {reason}.",
                            request.SubjectFileId,
                            (HttpStatusCode)code,
                            reason,
                            DriveRetryHandler.IsRetryable(code, reason),
                            null));
                        if (DriveRetryHandler.IsRetryable(code, reason))
                        {
                            retry.Add(i);
                        }
                    });
                }

                try
                {
                    await batch.ExecuteAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsProviderError(ex, ct))
                {
                    throw Translate(ex, null, operation);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Google.Apis' batch parser throws assorted exceptions on a damaged reply that passed the guard.
                    throw new BackpackGoogleException($"Drive {operation} failed: the batch response could not be read ({ex.GetType().Name}).", null, HttpStatusCode.OK, null, isTransient: true, ex)
                    {
                        Code = MalformedCode,
                    };
                }

                foreach (var index in chunk)
                {
                    if (results[index] is null)
                    {
                        // The reply held fewer parts than requests: the missing ones failed, retryable.
                        var request = requests[index]();
                        results[index] = new DriveCallResult<T>(null, 200, null, Malformed(request.Operation, request.SubjectFileId, "missing from the batch response"));
                        retry.Add(index);
                    }
                }
            }

            if (retry.Count == 0 || attempt >= Options.MaxAttempts)
            {
                break;
            }

            pending = retry;
            await DelayAsync(attempt, ct).ConfigureAwait(false);
        }

        return results;
    }

    public async Task<T> ExecuteAsync<T>(string user, DriveRequest<T> request, string operation, CancellationToken ct)
    {
        request.QuotaUser ??= QuotaUser(user);
        Interlocked.Increment(ref calls);
        T result;
        try
        {
            result = await request.ExecuteAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsProviderError(ex, ct))
        {
            throw Translate(ex, request.SubjectFileId, operation);
        }

        return typeof(T) != typeof(string) && DriveResponseCheck.Problem(result) is { } problem
            ? throw Malformed(operation, request.SubjectFileId, problem)
            : result;
    }

    public async Task<DriveCallResult<T>> TryExecuteAsync<T>(string user, DriveRequest<T> request, string operation, CancellationToken ct)
    {
        try
        {
            return new DriveCallResult<T>(await ExecuteAsync(user, request, operation, ct).ConfigureAwait(false), null, null, null);
        }
        catch (BackpackGoogleException ex) when (ex.StatusCode is not null)
        {
            return new DriveCallResult<T>(default, (int)ex.StatusCode.Value, ex.Reason, ex);
        }
    }

    public static T Value<T>(DriveCallResult<T> r, string operation, string? fileId) =>
        r.Succeeded ? r.Value! : throw (r.Error as BackpackGoogleException ?? new BackpackGoogleException($"Drive {operation} failed{About(fileId)}.", fileId, (HttpStatusCode?)r.Status, r.Reason, false, r.Error));

    public static BackpackGoogleException Translate(Exception ex, string? fileId, string operation)
    {
        switch (ex)
        {
            case TokenResponseException t:
                return GoogleAuthErrors.FromTokenResponse(t, $"Drive {operation}{About(fileId)}");
            case GoogleApiException g:
                var reason = g.Error?.Errors?.FirstOrDefault()?.Reason;
                var status = (int)g.HttpStatusCode;
                return new BackpackGoogleException(
                    $"Drive {operation} failed{About(fileId)}: HTTP {status.ToString(CultureInfo.InvariantCulture)} {reason ?? "(no reason)"}.",
                    fileId,
                    g.HttpStatusCode,
                    reason,
                    DriveRetryHandler.IsRetryable(status, reason),
                    ex);
            case Newtonsoft.Json.JsonException:
                return new BackpackGoogleException(
                    $"Drive {operation} failed{About(fileId)}: the response body is not the JSON Drive sends ({ex.GetType().Name}).",
                    fileId,
                    HttpStatusCode.OK,
                    null,
                    true,
                    ex)
                {
                    Code = MalformedCode,
                };
            default:
                return new BackpackGoogleException(
                    $"Drive {operation} failed{About(fileId)}: no response ({ex.GetType().Name}).",
                    fileId,
                    null,
                    null,
                    true,
                    ex);
        }
    }

    /// <summary>The error code of a response that arrived but cannot be used (a damaged body).</summary>
    public const string MalformedCode = "google.malformed-response";

    /// <summary>A response that arrived with a success status but cannot be used; retrying can help.</summary>
    public static BackpackGoogleException Malformed(string operation, string? fileId, string problem) =>
        new($"Drive {operation} failed{About(fileId)}: the response was {problem}.", fileId, HttpStatusCode.OK, null, isTransient: true, null)
        {
            Code = MalformedCode,
        };

    private static bool IsProviderError(Exception ex, CancellationToken ct) =>
        ex is GoogleApiException or TokenResponseException or HttpRequestException or IOException or Newtonsoft.Json.JsonException
        || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    private static string About(string? fileId) => fileId is null ? string.Empty : $" for file '{fileId}'";

    private static string? QuotaUser(string user) => user == DriveConnections.DefaultUser ? null : user;

    private Task DelayAsync(int attempt, CancellationToken ct)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 20);
        var ticks = Math.Min(Options.RetryBaseDelay.Ticks * Math.Pow(2, exponent), Options.RetryMaxDelay.Ticks) + (Options.RetryBaseDelay.Ticks * Random.Shared.NextDouble());
        return ticks <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromTicks((long)ticks), clock, ct);
    }

    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or '\'')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
