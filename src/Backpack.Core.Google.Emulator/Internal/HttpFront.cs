using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Emulator.Internal.Drive;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Turns HTTP requests (and batch parts) into method calls, and results back into HTTP.</summary>
internal sealed class HttpFront
{
    public const int MaxBatchParts = 100;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<ApiRoute> routes;
    private readonly CallPipeline pipeline;
    private readonly Counters counters;
    private readonly RequestLog requests;
    private readonly TimeProvider time;
    private readonly DriveApi drive;
    private readonly object gate;
    private readonly ILogger logger;
    private readonly Func<JsonObject> state;
    private readonly Action reset;
    private int batchCounter;

    public HttpFront(IEnumerable<ApiRoute> routes, CallPipeline pipeline, Counters counters, RequestLog requests, TimeProvider time, DriveApi drive, object gate, ILogger logger, Func<JsonObject> state, Action reset)
    {
        this.routes = routes.OrderByDescending(r => r.LiteralCount).ToList();
        this.pipeline = pipeline;
        this.counters = counters;
        this.requests = requests;
        this.time = time;
        this.drive = drive;
        this.gate = gate;
        this.logger = logger;
        this.state = state;
        this.reset = reset;
    }

    public Uri Root { get; set; } = DriveApi.DefaultRoot;

    public IReadOnlyList<ApiRoute> Routes => routes;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        try
        {
            if (path.StartsWith("/_emulator/", StringComparison.Ordinal))
            {
                await HandleAdminAsync(context, path).ConfigureAwait(false);
                return;
            }

            counters.HttpRequest();
            var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            var query = ReadQuery(request.Query);
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var user = Authenticate(headers, query);
            if (user is null)
            {
                await WriteAsync(context, Unauthenticated()).ConfigureAwait(false);
                return;
            }

            ApiResult result;
            if (request.Method == "POST" && (path == "/batch/drive/v3" || path == "/batch"))
            {
                result = await BatchAsync(body, request.ContentType, user, path == "/batch" ? ApiService.Classroom : ApiService.Drive, context.RequestAborted).ConfigureAwait(false);
            }
            else if (request.Method == "PUT" && (path == "/upload/drive/v3/files" || path.StartsWith("/upload/drive/v3/files/", StringComparison.Ordinal))
                && query.TryGetValue("upload_id", out var uploadId))
            {
                headers.TryGetValue("Content-Range", out var range);
                var methodId = "drive.files.create";
                lock (gate)
                {
                    try
                    {
                        result = drive.UploadChunk(uploadId, range, body, Root, out methodId);
                    }
                    catch (ApiErrorException ex)
                    {
                        result = ex.ToResult();
                    }
                }

                requests.Record(methodId, "PUT", path, result.Status, batched: false);
            }
            else
            {
                result = await DispatchAsync(request.Method, path, query, body, request.ContentType, headers, user, null, context.RequestAborted).ConfigureAwait(false);
            }

            if (result.Abort)
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, result, query.TryGetValue("prettyPrint", out var pp) && pp == "false").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or InvalidDataException or FormatException or IOException)
        {
            Log.Unexpected(logger, ex, request.Method, path);
            if (!context.Response.HasStarted)
            {
                await WriteAsync(context, Errors.Result(500, "backendError", "Internal error in the emulator: " + ex.Message)).ConfigureAwait(false);
            }
        }
    }

    private async Task<ApiResult> DispatchAsync(string method, string path, Dictionary<string, string> query, byte[] body, string? contentType, IReadOnlyDictionary<string, string> headers, string user, ApiService? batchService, CancellationToken cancellationToken)
    {
        var trimmed = path.TrimStart('/');
        ApiRoute? pathMatch = null;
        foreach (var route in routes)
        {
            if (!route.TryMatch(trimmed, out var values))
            {
                continue;
            }

            pathMatch ??= route;
            if (route.HttpMethod != method)
            {
                continue;
            }

            if (batchService is { } service && (route.Service != service || route.IsUpload))
            {
                return Errors.Result(400, "badRequest", route.IsUpload ? "Media uploads are not supported in batch requests." : "A batch may only hold requests to its own API.");
            }

            var call = new ApiCall(route, user, values, query, body, contentType, headers, Root) { RequestPath = path, Batched = batchService is not null };
            return await pipeline.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }

        requests.Record(null, method, path, pathMatch is null ? 404 : 405, batchService is not null);
        return pathMatch is null
            ? Errors.Result(404, "notFound", $"The requested URL {path} was not found on this server.")
            : Errors.Result(405, "httpMethodNotAllowed", $"HTTP method {method} is not supported by this URL.");
    }

    private async Task<ApiResult> BatchAsync(byte[] body, string? contentType, string user, ApiService service, CancellationToken cancellationToken)
    {
        var boundary = Multipart.Boundary(contentType);
        if (boundary is null || contentType?.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Errors.Result(400, "badRequest", "A batch request must be multipart/mixed with a boundary.");
        }

        List<Multipart.Part> parts;
        try
        {
            parts = Multipart.Parse(body, boundary);
        }
        catch (ApiErrorException ex)
        {
            return ex.ToResult();
        }

        if (parts.Count == 0)
        {
            return Errors.Result(400, "badRequest", "The batch request holds no parts.");
        }

        if (parts.Count > MaxBatchParts)
        {
            return Errors.Result(400, "batchSizeTooLarge", $"A batch request cannot contain more than {MaxBatchParts} calls.");
        }

        var responseBoundary = "batch_" + Interlocked.Increment(ref batchCounter).ToString(CultureInfo.InvariantCulture) + "_emulator";
        using var output = new MemoryStream();
        void Write(string text) => output.Write(Encoding.UTF8.GetBytes(text));
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            part.Headers.TryGetValue("Content-ID", out var contentId);
            ApiResult result;
            if (!TryParseInnerRequest(part.Body, out var method, out var target, out var innerHeaders, out var innerBody))
            {
                result = Errors.Result(400, "badRequest", "A batch part must hold an HTTP request.");
            }
            else
            {
                var innerUser = innerHeaders.TryGetValue("Authorization", out var auth) ? BearerToken(auth) ?? user : user;
                innerHeaders.TryGetValue("Content-Type", out var innerContentType);
                var (innerPath, innerQuery) = SplitTarget(target);
                result = await DispatchAsync(method, innerPath, innerQuery, innerBody, innerContentType, innerHeaders, innerUser, service, cancellationToken).ConfigureAwait(false);
            }

            if (result.Abort)
            {
                return result;
            }

            var responseId = contentId is null
                ? $"<response-{i + 1}>"
                : contentId.StartsWith('<') ? "<response-" + contentId[1..] : "response-" + contentId;
            var sb = new StringBuilder();
            sb.Append("--").Append(responseBoundary).Append("\r\n")
              .Append("Content-Type: application/http\r\n")
              .Append("Content-ID: ").Append(responseId).Append("\r\n\r\n")
              .Append("HTTP/1.1 ").Append(result.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrases.GetReasonPhrase(result.Status)).Append("\r\n");
            foreach (var (k, v) in result.Headers)
            {
                sb.Append(k).Append(": ").Append(v).Append("\r\n");
            }

            // A part that fetches content (alt=media) carries the bytes with their own type and length.
            var (partType, bytes) = result.Raw is not null
                ? (result.RawContentType ?? "application/octet-stream", result.Raw)
                : result.Json is not null
                    ? ("application/json; charset=UTF-8", Encoding.UTF8.GetBytes(result.Json.ToJsonString(Indented)))
                    : ((string?)null, Array.Empty<byte>());
            if (partType is not null)
            {
                sb.Append("Content-Type: ").Append(partType).Append("\r\n");
            }

            sb.Append("Content-Length: ").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
            Write(sb.ToString());
            output.Write(bytes);
            Write("\r\n");
        }

        Write("--" + responseBoundary + "--\r\n");
        return new ApiResult(200)
        {
            Raw = output.ToArray(),
            RawContentType = "multipart/mixed; boundary=" + responseBoundary,
        };
    }

    private static bool TryParseInnerRequest(byte[] bytes, out string method, out string target, out Dictionary<string, string> headers, out byte[] body)
    {
        method = target = string.Empty;
        headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        body = [];
        var span = bytes.AsSpan();
        var newline = span.IndexOf((byte)'\n');
        var requestLine = Encoding.UTF8.GetString(newline < 0 ? span : span[..newline]).Trim();
        var pieces = requestLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pieces.Length < 2 || pieces.Length > 3)
        {
            return false;
        }

        method = pieces[0].ToUpperInvariant();
        target = pieces[1];
        if (newline >= 0)
        {
            var rest = Multipart.ParsePart(span[(newline + 1)..]);
            headers = rest.Headers;
            body = rest.Body;
            if (headers.TryGetValue("Content-Length", out var lengthText)
                && int.TryParse(lengthText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                && length < body.Length)
            {
                body = body[..length];
            }
        }

        return true;
    }

    private static (string Path, Dictionary<string, string> Query) SplitTarget(string target)
    {
        string pathAndQuery;
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            pathAndQuery = absolute.PathAndQuery;
        }
        else
        {
            pathAndQuery = target;
        }

        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (q >= 0)
        {
            foreach (var (k, v) in QueryHelpers.ParseQuery(pathAndQuery[q..]))
            {
                query[k] = string.Join(',', v.ToArray());
            }
        }

        return (Uri.UnescapeDataString(path), query);
    }

    private static Dictionary<string, string> ReadQuery(IQueryCollection collection)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in collection)
        {
            query[k] = string.Join(',', v.ToArray());
        }

        return query;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                await gzip.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    private static string? Authenticate(Dictionary<string, string> headers, Dictionary<string, string> query)
    {
        if (headers.TryGetValue("Authorization", out var auth) && BearerToken(auth) is { } token)
        {
            return token;
        }

        return query.TryGetValue("access_token", out var accessToken) && accessToken.Length > 0 ? accessToken : null;
    }

    private static string? BearerToken(string header)
    {
        const string prefix = "Bearer ";
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = header[prefix.Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        return null;
    }

    private static ApiResult Unauthenticated()
    {
        var result = Errors.Result(
            401,
            "required",
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
            "global",
            "Authorization",
            "header");
        result.Headers["WWW-Authenticate"] = "Bearer realm=\"https://accounts.google.com/\"";
        return result;
    }

    private async Task HandleAdminAsync(HttpContext context, string path)
    {
        switch (context.Request.Method, path)
        {
            case ("GET", "/_emulator/stats"):
                await WriteAsync(context, ApiResult.Ok(StatisticsJson(counters.Snapshot()))).ConfigureAwait(false);
                break;
            case ("GET", "/_emulator/state"):
                await WriteAsync(context, ApiResult.Ok(state())).ConfigureAwait(false);
                break;
            case ("POST", "/_emulator/reset"):
                reset();
                await WriteAsync(context, ApiResult.NoContent()).ConfigureAwait(false);
                break;
            case ("POST", "/_emulator/drive/files"):
                await WriteAsync(context, await SeedDriveFileAsync(context).ConfigureAwait(false)).ConfigureAwait(false);
                break;
            default:
                await WriteAsync(context, Errors.Result(404, "notFound", $"No emulator admin endpoint {context.Request.Method} {path}.")).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// <c>POST /_emulator/drive/files</c>: adds a file as <see cref="GoogleEmulator.SeedDriveFile"/> does (Drive's JSON,
    /// optionally with its <c>id</c>), counting no request. Idempotent by id: a file that exists is left as it is and
    /// returned, so a client that retries (or a process restarted after a crash) makes it once.
    /// </summary>
    private async Task<ApiResult> SeedDriveFileAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        JsonObject? file;
        try
        {
            file = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Errors.Result(400, "parseError", "The body is not JSON: " + ex.Message);
        }

        if (file is null)
        {
            return Errors.Result(400, "parseError", "The body must be a JSON object (a Drive file resource).");
        }

        lock (gate)
        {
            var id = file["id"]?.GetValue<string>();
            if (id is not null && drive.GetFileJson(id, DriveApi.DefaultRoot) is { } existing)
            {
                return ApiResult.Ok(existing);
            }

            try
            {
                var created = drive.CreateFile(file, null, null, "seed@emulator.invalid", apply: true, generatedIdsOnly: false);
                return ApiResult.Ok(drive.GetFileJson(created.Id, DriveApi.DefaultRoot)!);
            }
            catch (ApiErrorException ex)
            {
                return Errors.Result(400, ex.Reason, ex.Message);
            }
        }
    }

    public static JsonObject StatisticsJson(EmulatorStatistics s)
    {
        var methods = new JsonObject();
        foreach (var (k, v) in s.MethodCalls.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            methods[k] = v;
        }

        var faults = new JsonObject();
        foreach (var (k, v) in s.FaultsInjected.OrderBy(kv => kv.Key))
        {
            faults[k.ToString()] = v;
        }

        return new JsonObject
        {
            ["httpRequests"] = s.HttpRequests,
            ["totalMethodCalls"] = s.TotalMethodCalls,
            ["methodCalls"] = methods,
            ["quotaUnits"] = s.QuotaUnits,
            ["rateLimitedCalls"] = s.RateLimitedCalls,
            ["faultsInjected"] = faults,
        };
    }

    private async Task WriteAsync(HttpContext context, ApiResult result, bool compact = false)
    {
        var response = context.Response;
        response.StatusCode = result.Status;

        // The Date header comes from the emulator's clock, rounded up to the second (its resolution), so that no
        // time in a response is later than the response's Date, as on Google.
        var now = time.GetUtcNow();
        var ticks = now.UtcTicks % TimeSpan.TicksPerSecond;
        response.Headers.Date = (ticks == 0 ? now : now.AddTicks(TimeSpan.TicksPerSecond - ticks)).ToString("R", CultureInfo.InvariantCulture);
        foreach (var (k, v) in result.Headers)
        {
            response.Headers[k] = v;
        }

        if (result.Raw is not null)
        {
            response.ContentType = result.RawContentType ?? "application/octet-stream";
            response.ContentLength = result.Raw.Length;
            await response.Body.WriteAsync(result.Raw, context.RequestAborted).ConfigureAwait(false);
        }
        else if (result.Json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(compact ? result.Json.ToJsonString() : result.Json.ToJsonString(Indented));
            response.ContentType = "application/json; charset=UTF-8";
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
        else if (result.Status != 204 && result.Status != 308)
        {
            response.ContentLength = 0;
        }
    }
}
