using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Which API a route belongs to (for quotas).</summary>
internal enum ApiService
{
    Drive,
    Classroom,
}

/// <summary>
/// One emulated REST method: its discovery id, HTTP method, the path template relative to the service path
/// (exactly as in the discovery document), and every query parameter its handler reads.
/// </summary>
internal sealed class ApiRoute
{
    private readonly string[] segments;

    public ApiRoute(ApiService service, string methodId, string httpMethod, string servicePath, string pathTemplate, IEnumerable<string> queryParameters, Func<ApiCall, ApiResult> handler, string? defaultFields = null)
    {
        Service = service;
        MethodId = methodId;
        HttpMethod = httpMethod;
        ServicePath = servicePath;
        PathTemplate = pathTemplate;
        QueryParameters = new HashSet<string>(queryParameters, StringComparer.Ordinal);
        Handler = handler;
        DefaultFields = defaultFields;
        segments = (servicePath + pathTemplate).Split('/', StringSplitOptions.RemoveEmptyEntries);
        LiteralCount = segments.Count(s => !s.StartsWith('{'));
    }

    public ApiService Service { get; }

    public string MethodId { get; }

    public string HttpMethod { get; }

    /// <summary>For example <c>drive/v3/</c>, <c>upload/drive/v3/</c> or empty for Classroom.</summary>
    public string ServicePath { get; }

    public string PathTemplate { get; }

    public IReadOnlySet<string> QueryParameters { get; }

    public Func<ApiCall, ApiResult> Handler { get; }

    /// <summary>The field mask applied when the request has no <c>fields</c> parameter (Drive returns partial resources by default).</summary>
    public string? DefaultFields { get; }

    public int LiteralCount { get; }

    public bool IsUpload => ServicePath.StartsWith("upload/", StringComparison.Ordinal);

    /// <summary>Matches an absolute path (without leading slash); fills path parameters.</summary>
    public bool TryMatch(string path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var segment = segments[i];
            var part = Uri.UnescapeDataString(parts[i]);
            if (segment.StartsWith('{'))
            {
                values[segment[1..^1]] = part;
            }
            else if (!string.Equals(segment, part, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One method call as the handlers see it, whether it came over HTTP or inside a batch.</summary>
internal sealed class ApiCall
{
    /// <summary>Standard parameters every Google method accepts (the discovery document's top-level parameters).</summary>
    public static readonly IReadOnlySet<string> GlobalParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "$.xgafv", "access_token", "alt", "callback", "fields", "key", "oauth_token", "prettyPrint", "quotaUser", "uploadType", "upload_protocol",
    };

    private readonly Dictionary<string, string> query;
    private JsonObject? bodyJson;

    public ApiCall(ApiRoute route, string user, Dictionary<string, string> pathValues, Dictionary<string, string> query, byte[] body, string? contentType, IReadOnlyDictionary<string, string> headers, Uri root)
    {
        Route = route;
        User = user;
        PathValues = pathValues;
        this.query = query;
        Body = body;
        ContentType = contentType;
        Headers = headers;
        Root = root;
    }

    public ApiRoute Route { get; }

    public string User { get; }

    public Dictionary<string, string> PathValues { get; }

    public byte[] Body { get; }

    public string? ContentType { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The emulator's root URI, for building links and upload session URLs.</summary>
    public Uri Root { get; }

    /// <summary>The request path as received (without the query), for the request log.</summary>
    public string RequestPath { get; init; } = string.Empty;

    /// <summary>True when the call is one part of a batch request.</summary>
    public bool Batched { get; init; }

    public string Path(string name) => PathValues[name];

    /// <summary>Reads a query parameter; the route must declare it (checked against the discovery document by the tests).</summary>
    public string? Query(string name)
    {
        if (!Route.QueryParameters.Contains(name) && !GlobalParameters.Contains(name))
        {
            throw new InvalidOperationException($"Route {Route.MethodId} reads undeclared query parameter '{name}'.");
        }

        return query.TryGetValue(name, out var v) ? v : null;
    }

    public bool QueryBool(string name, bool defaultValue)
    {
        var v = Query(name);
        if (v is null)
        {
            return defaultValue;
        }

        return v.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => throw ApiErrorException.InvalidParameter(name, $"Invalid value for boolean parameter {name}: {v}"),
        };
    }

    public int QueryInt(string name, int defaultValue, int min, int max)
    {
        var v = Query(name);
        if (v is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            throw ApiErrorException.InvalidParameter(name, $"Invalid value '{v}'. Values must be integers.");
        }

        if (n < min || n > max)
        {
            throw ApiErrorException.InvalidParameter(name, $"Invalid value '{v}'. Values must be within the range: [{min}, {max}]");
        }

        return n;
    }

    /// <summary>All values of a repeated query parameter (comma-joined on the wire).</summary>
    public IReadOnlyList<string> QueryList(string name)
    {
        var v = Query(name);
        return v is null ? [] : v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public JsonObject BodyJson()
    {
        if (bodyJson is not null)
        {
            return bodyJson;
        }

        if (Body.Length == 0)
        {
            return bodyJson = [];
        }

        try
        {
            bodyJson = JsonNode.Parse(Encoding.UTF8.GetString(Body)) as JsonObject
                ?? throw new ApiErrorException(400, "parseError", "Invalid JSON payload received. Expected an object.");
        }
        catch (JsonException ex)
        {
            throw new ApiErrorException(400, "parseError", "Invalid JSON payload received. " + ex.Message);
        }

        return bodyJson;
    }
}
