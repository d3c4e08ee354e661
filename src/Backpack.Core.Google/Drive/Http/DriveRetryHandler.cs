using System.Net;
using System.Text.Json;
using Backpack.Core.Diagnostics;
using Google.Apis.Http;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Google.Apis retry policy for Drive: retries 429, 403 with reason <c>userRateLimitExceeded</c> or
/// <c>rateLimitExceeded</c>, 5xx and dropped connections with truncated exponential backoff plus jitter, honouring
/// <c>Retry-After</c>; the number of attempts is the message handler's <c>NumTries</c>. Delays go through the
/// injected <see cref="TimeProvider"/>. Also paces every attempt (an execute interceptor runs before each try).
/// </summary>
internal sealed class DriveRetryHandler : IHttpUnsuccessfulResponseHandler, IHttpExceptionHandler, IHttpExecuteInterceptor
{
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(2);
    private readonly TimeProvider clock;
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;
    private readonly DrivePacer pacer;
    private readonly string user;
    private readonly DriveStatistics statistics;

    public DriveRetryHandler(TimeProvider clock, TimeSpan baseDelay, TimeSpan maxDelay, DrivePacer pacer, string user, DriveStatistics statistics)
    {
        this.clock = clock;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.pacer = pacer;
        this.user = user;
        this.statistics = statistics;
    }

    /// <summary>Whether a status and Google reason mean "try again later".</summary>
    public static bool IsRetryable(int status, string? reason) =>
        status is 429 or 408 or >= 500 || (status == 403 && IsRateLimitReason(reason));

    public static bool IsRateLimitReason(string? reason) => reason is "userRateLimitExceeded" or "rateLimitExceeded";

    public async Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var permits = request.Content is MultipartContent multipart ? Math.Max(1, multipart.Count()) : 1;
        statistics.Attempt();
        await pacer.AcquireAsync(user, permits, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!args.SupportsRetry || args.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var status = (int)args.Response.StatusCode;
        string? reason = null;
        if (status == (int)HttpStatusCode.Forbidden)
        {
            reason = await ReadReasonAsync(args.Response, args.CancellationToken).ConfigureAwait(false);
        }

        if (!IsRetryable(status, reason))
        {
            return false;
        }

        if (status == 429 || IsRateLimitReason(reason))
        {
            statistics.RateLimited();
        }

        statistics.Retry();
        var delay = Backoff(args.CurrentFailedTry, Random.Shared.NextDouble());
        if (RetryAfter(args.Response) is { } after && after > delay)
        {
            delay = after > LongestRetryAfter ? LongestRetryAfter : after;
        }

        await Delay(delay, args.CancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> HandleExceptionAsync(HandleExceptionArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!args.SupportsRetry || args.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (args.Exception is not (HttpRequestException or IOException or TaskCanceledException))
        {
            return false;
        }

        statistics.Retry();
        await Delay(Backoff(args.CurrentFailedTry, Random.Shared.NextDouble()), args.CancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Truncated exponential backoff: base * 2^(try-1), capped, plus jitter up to one base delay.</summary>
    public TimeSpan Backoff(int failedTry, double jitter)
    {
        var exponent = Math.Clamp(failedTry - 1, 0, 20);
        var ticks = Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), maxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks + (baseDelay.Ticks * jitter)));
    }

    private Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, clock, cancellationToken);

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var d = date - clock.GetUtcNow();
            return d > TimeSpan.Zero ? d : TimeSpan.Zero;
        }

        return null;
    }

    internal static async Task<string?> ReadReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object
                && errors[0].TryGetProperty("reason", out var reason)
                && reason.ValueKind == JsonValueKind.String)
            {
                return reason.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

/// <summary>Client-side counters (attempts, retries, rate-limited answers), for tests and measurements.</summary>
internal sealed class DriveStatistics
{
    private static readonly KeyValuePair<string, object?> Api = new("backpack.google.api", "drive");

    private long attempts;
    private long retries;
    private long rateLimited;

    public long Attempts => Interlocked.Read(ref attempts);

    public long Retries => Interlocked.Read(ref retries);

    public long RateLimitedResponses => Interlocked.Read(ref rateLimited);

    public void Attempt()
    {
        Interlocked.Increment(ref attempts);
        Telemetry.GoogleRequests.Add(1, Api);
    }

    public void Retry()
    {
        Interlocked.Increment(ref retries);
        Telemetry.GoogleRetries.Add(1, Api);
    }

    public void RateLimited()
    {
        Interlocked.Increment(ref rateLimited);
        Telemetry.GoogleRateLimited.Add(1, Api);
    }
}
