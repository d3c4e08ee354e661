using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>A Google-style API error raised by a handler; becomes the standard error body.</summary>
internal sealed class ApiErrorException : Exception
{
    public ApiErrorException(int code, string reason, string message, string domain = "global", string? location = null, string? locationType = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Domain = domain;
        Location = location;
        LocationType = locationType;
    }

    public ApiErrorException()
        : this(500, "backendError", "Internal error")
    {
    }

    public ApiErrorException(string message)
        : this(400, "invalid", message)
    {
    }

    public ApiErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 400;
        Reason = "invalid";
        Domain = "global";
    }

    public int Code { get; }

    public string Reason { get; }

    public string Domain { get; }

    public string? Location { get; }

    public string? LocationType { get; }

    public ApiResult ToResult() => Errors.Result(Code, Reason, Message, Domain, Location, LocationType);

    public static ApiErrorException NotFound(string what) => new(404, "notFound", what, location: "fileId", locationType: "parameter");

    public static ApiErrorException InvalidParameter(string name, string? message = null) =>
        new(400, "invalid", message ?? $"Invalid Value", location: name, locationType: "parameter");

    public static ApiErrorException Required(string name) =>
        new(400, "required", $"Required parameter: {name}", location: name, locationType: "parameter");

    public static ApiErrorException BadRequest(string reason, string message) => new(400, reason, message);
}

/// <summary>Builds Google's JSON error bodies.</summary>
internal static class Errors
{
    public static JsonObject Body(int code, string reason, string message, string domain = "global", string? location = null, string? locationType = null)
    {
        var item = new JsonObject
        {
            ["domain"] = domain,
            ["reason"] = reason,
            ["message"] = message,
        };
        if (location is not null)
        {
            item["location"] = location;
            item["locationType"] = locationType ?? "parameter";
        }

        return new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["errors"] = new JsonArray(item),
                ["status"] = StatusName(code),
            },
        };
    }

    public static ApiResult Result(int code, string reason, string message, string domain = "global", string? location = null, string? locationType = null) =>
        new(code, Body(code, reason, message, domain, location, locationType));

    public static ApiResult RateLimited(int code, string reason, string message, TimeSpan retryAfter)
    {
        var result = Result(code, reason, message, "usageLimits");
        result.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    public static string StatusName(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION",
    };
}
