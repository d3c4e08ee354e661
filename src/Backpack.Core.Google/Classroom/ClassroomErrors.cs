using System.Net;
using Google;
using Google.Apis.Auth.OAuth2.Responses;

namespace Backpack.Core.Google.Classroom;

/// <summary>Turns Google.Apis and HTTP failures into <see cref="BackpackGoogleException"/>: what failed, why, and whether retrying can help.</summary>
internal static class ClassroomErrors
{
    public static bool IsProviderException(Exception ex, CancellationToken ct) =>
        ex is GoogleApiException or TokenResponseException or HttpRequestException or IOException or Newtonsoft.Json.JsonException
        || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>A response that arrived with a success status but cannot be used (a damaged body); retrying can help.</summary>
    public static BackpackGoogleException Malformed(string method, string? courseId, string problem)
    {
        var where = courseId is null ? $"Classroom {method}" : $"Classroom {method} for course {courseId}";
        return new BackpackGoogleException($"{where} returned {problem}.", null, HttpStatusCode.OK, null, isTransient: true, null)
        {
            Code = Drive.DriveClient.MalformedCode,
        };
    }

    public static BackpackGoogleException Translate(Exception ex, string method, string? courseId)
    {
        var where = courseId is null ? $"Classroom {method}" : $"Classroom {method} for course {courseId}";
        if (ex is TokenResponseException token)
        {
            return GoogleAuthErrors.FromTokenResponse(token, where);
        }

        if (ex is GoogleApiException api)
        {
            var status = api.HttpStatusCode;
            var reason = api.Error?.Errors?.FirstOrDefault()?.Reason;
            var code = (int)status;
            var transient = Drive.Http.DriveRetryHandler.IsRetryable(code, reason);
            return new BackpackGoogleException($"{where} failed with HTTP {code} ({reason ?? "no reason"}){(transient ? "; retrying later can help" : string.Empty)}.", null, status, reason, transient, ex);
        }

        if (ex is Newtonsoft.Json.JsonException)
        {
            return new BackpackGoogleException($"{where} returned a body that is not the JSON Classroom sends.", null, HttpStatusCode.OK, null, isTransient: true, ex)
            {
                Code = Drive.DriveClient.MalformedCode,
            };
        }

        return new BackpackGoogleException($"{where} got no response ({ex.GetType().Name}); retrying later can help.", null, null, null, isTransient: true, ex);
    }
}
