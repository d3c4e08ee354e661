using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Backpack.Core.Access;

namespace Backpack.Core.Diagnostics;

/// <summary>
/// The package's one <see cref="ActivitySource"/> and <see cref="Meter"/> and their instruments. Every tag value is
/// an enum name, an operation or action name, an outcome or an error code (never personal data, never student ids).
/// </summary>
internal static class Telemetry
{
    public const string OperationTag = "backpack.operation";
    public const string ActionTag = "backpack.action";
    public const string RoleTag = "backpack.role";
    public const string RelationTag = "backpack.relation";
    public const string OutcomeTag = "backpack.outcome";
    public const string ErrorCodeTag = "error.type";
    public const string OutboxOperationTag = "backpack.outbox.operation";

    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string Failed = "failed";
    public const string Ok = "ok";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();
    private static readonly ConcurrentDictionary<BackpackOperation, string> SpanNames = new();

    public static readonly ActivitySource Source = new(BackpackTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(BackpackTelemetry.MeterName, Version);

    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("backpack.operations", "{operation}", "Service operations by operation and outcome (allowed, denied, failed).");

    public static readonly Counter<long> Denials = Meter.CreateCounter<long>("backpack.access.denials", "{denial}", "Access denials by operation, role and relation.");

    public static readonly Histogram<double> StoreSaveDuration = Meter.CreateHistogram<double>("backpack.store.save.duration", "s", "Duration of saving one change set to the store.");

    public static readonly Counter<long> OutboxAttempts = Meter.CreateCounter<long>("backpack.outbox.attempts", "{attempt}", "Outbox entries handed to their handler.");

    public static readonly Counter<long> OutboxCompletions = Meter.CreateCounter<long>("backpack.outbox.completions", "{entry}", "Outbox entries completed.");

    public static readonly Counter<long> OutboxRetries = Meter.CreateCounter<long>("backpack.outbox.retries", "{entry}", "Outbox entries rescheduled after a transient failure.");

    public static readonly Counter<long> OutboxDeadLetters = Meter.CreateCounter<long>("backpack.outbox.dead_letters", "{entry}", "Outbox entries dead-lettered.");

    public static readonly Histogram<double> OutboxEntryAge = Meter.CreateHistogram<double>("backpack.outbox.entry.age", "s", "Age of an outbox entry (since it was enqueued) when a worker leases it.");

    public static readonly Histogram<long> OutboxBatchSize = Meter.CreateHistogram<long>("backpack.outbox.batch.size", "{entry}", "Entries leased per worker batch (a full batch means the outbox is backed up).");

    public static readonly Counter<long> GoogleRequests = Meter.CreateCounter<long>("backpack.google.requests", "{request}", "HTTP attempts sent to a Google API (each retry counts).");

    public static readonly Counter<long> GoogleRetries = Meter.CreateCounter<long>("backpack.google.retries", "{retry}", "Google API attempts retried after a failure.");

    public static readonly Counter<long> GoogleRateLimited = Meter.CreateCounter<long>("backpack.google.rate_limited", "{response}", "Google API answers saying a rate limit was exceeded (429 or 403 rate-limit reasons).");

    public static readonly Counter<long> GoogleRateLimitWaits = Meter.CreateCounter<long>("backpack.google.rate_limit.waits", "{wait}", "Times the client-side pacer held a Google API call back to stay under the quota.");

    /// <summary>Starts the span of one service operation (<see langword="null"/> when nobody listens).</summary>
    public static Activity? StartOperation(Actor actor, AccessRequest request, string action)
    {
        var activity = Source.StartActivity(SpanNames.GetOrAdd(request.Operation, static o => $"backpack.{o}"), ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationTag, request.Operation.ToString());
            activity.SetTag(ActionTag, action);
            activity.SetTag(RoleTag, actor.Role.ToString());
        }

        return activity;
    }

    /// <summary>Records the policy's decision on the operation's span and, for a denial, the denial counter.</summary>
    public static void Decided(Activity? activity, Actor actor, AccessRequest request, AccessDecision decision)
    {
        activity?.SetTag(RelationTag, decision.Relation.ToString());
        if (!decision.IsAllowed)
        {
            Denials.Add(1, new(OperationTag, request.Operation.ToString()), new(RoleTag, actor.Role.ToString()), new(RelationTag, decision.Relation.ToString()));
        }
    }

    /// <summary>Ends an operation: the outcome on its span and in the operations counter.</summary>
    public static void Finished(Activity? activity, AccessRequest request, Exception? error)
    {
        var outcome = error switch
        {
            null => Allowed,
            BackpackAccessDeniedException => Denied,
            _ => Failed,
        };
        Operations.Add(1, new(OperationTag, request.Operation.ToString()), new(OutcomeTag, outcome));
        if (activity is null)
        {
            return;
        }

        activity.SetTag(OutcomeTag, outcome);
        if (error is not null)
        {
            activity.SetTag(ErrorCodeTag, ErrorCode(error));
            activity.SetStatus(ActivityStatusCode.Error, outcome == Denied ? Denied : ErrorCode(error));
        }
    }

    /// <summary>A code for <paramref name="error"/> that carries no personal data: the Backpack error code, else the exception's type name.</summary>
    public static string ErrorCode(Exception error) =>
        error is IBackpackError e ? e.ErrorCode : error.GetType().Name;
}
