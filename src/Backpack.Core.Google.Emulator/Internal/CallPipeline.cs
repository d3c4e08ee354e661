using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>
/// Runs one method call: count it, charge quota, decide a fault (before touching state), apply the handler
/// under the state lock, then the after-apply faults and the field mask.
/// </summary>
internal sealed class CallPipeline(object gate, Counters counters, QuotaTracker quota, FaultInjector faults, RequestLog requests, TimeProvider time, ILogger logger)
{
    public async Task<ApiResult> ExecuteAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var result = await ExecuteCoreAsync(call, cancellationToken).ConfigureAwait(false);
        requests.Record(call.Route.MethodId, call.Route.HttpMethod, call.RequestPath, result.Abort ? 0 : result.Status, call.Batched);
        return result;
    }

    private async Task<ApiResult> ExecuteCoreAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var methodId = call.Route.MethodId;
        counters.MethodCall(methodId);

        FieldMask? mask;
        try
        {
            var fields = call.Query("fields") ?? call.Route.DefaultFields;
            mask = fields is null ? null : FieldMask.Parse(fields);
            if (mask is not null && call.Query("fields") is not null && FieldSchemas.ResponseOf(methodId) is { } schema)
            {
                mask.Validate(schema);
            }
        }
        catch (ApiErrorException ex)
        {
            return ex.ToResult();
        }

        var limited = quota.TryAdmit(call.Route.Service, call.Query("quotaUser") ?? call.User);
        if (limited is not null)
        {
            counters.RateLimited();
            Log.RateLimited(logger, methodId);
            return limited;
        }

        counters.QuotaUnit();
        var fault = faults.Decide(methodId);
        if (fault is { } kind)
        {
            counters.Fault(kind);
            Log.FaultInjected(logger, kind, methodId);
            switch (kind)
            {
                case FaultKind.TooManyRequests:
                    return Errors.RateLimited(429, "rateLimitExceeded", "Rate Limit Exceeded", TimeSpan.FromSeconds(1));
                case FaultKind.RateLimitExceeded:
                    return Errors.RateLimited(403, "rateLimitExceeded", "Rate Limit Exceeded", TimeSpan.FromSeconds(1));
                case FaultKind.UserRateLimitExceeded:
                    return Errors.RateLimited(403, "userRateLimitExceeded", "User Rate Limit Exceeded", TimeSpan.FromSeconds(1));
                case FaultKind.InternalError:
                    return Errors.Result(500, "backendError", "Internal Error");
                case FaultKind.ServiceUnavailable:
                    return Errors.Result(503, "backendError", "Service Unavailable");
                case FaultKind.DropConnection:
                    return ApiResult.Dropped();
                case FaultKind.Delay:
                    await Task.Delay(faults.Delay, time, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        var result = Invoke(call);
        switch (fault)
        {
            case FaultKind.InternalErrorAfterApply:
                return Errors.Result(500, "backendError", "Internal Error");
            case FaultKind.DropConnectionAfterApply:
                return ApiResult.Dropped();
            default:
                break;
        }

        if (mask is not null && result.IsSuccess && result.Json is not null)
        {
            result.Json = mask.Apply(result.Json);
        }

        if (fault is FaultKind.CorruptBody or FaultKind.TruncatedBody && (result.Json is not null || result.Raw is not null))
        {
            return BodyCorruptor.Corrupt(result, fault.Value, faults.NextMutationSeed());
        }

        return result;
    }

    private ApiResult Invoke(ApiCall call)
    {
        lock (gate)
        {
            try
            {
                return call.Route.Handler(call);
            }
            catch (ApiErrorException ex)
            {
                return ex.ToResult();
            }
        }
    }
}
