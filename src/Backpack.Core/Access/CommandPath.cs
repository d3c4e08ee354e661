using System.Diagnostics;
using Backpack.Core.Diagnostics;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Access;

/// <summary>
/// The one command path every service operation (and every sync job) goes through: authorize with the one
/// <see cref="IAccessPolicy"/> (a denial leaves exactly one denial audit record and throws), then the
/// operation loads and applies its domain change on a <see cref="Command"/>, which runs the side-effect
/// planners as each item is put, and commits: every id naming another aggregate is checked, the operation's
/// audit record is added, and everything is saved in one change set.
/// </summary>
internal sealed partial class CommandPath
{
    private readonly IAccessPolicy _policy;
    private readonly ILogger _logger;

    public CommandPath(IBackpackStore store, IAccessPolicy policy, TimeProvider clock, IOptions<BackpackOptions> options, IEnumerable<ISideEffectPlanner> planners, ILogger<CommandPath> logger)
    {
        Store = store;
        _policy = policy;
        Clock = clock;
        Options = options.Value;
        Planners = planners.ToArray();
        _logger = logger;
    }

    public IBackpackStore Store { get; }

    public TimeProvider Clock { get; }

    public BackpackOptions Options { get; }

    public IReadOnlyList<ISideEffectPlanner> Planners { get; }

    /// <summary>Today in the district's time zone.</summary>
    public DateOnly Today => Options.TodayAt(Clock.GetUtcNow());

    /// <summary>Authorizes <paramref name="request"/> and starts its command.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="request">What they want.</param>
    /// <param name="action">The audit action, e.g. <c>artifact.align</c>.</param>
    /// <param name="ct">Cancels.</param>
    /// <returns>The command, to put changes on and commit.</returns>
    /// <exception cref="BackpackAccessDeniedException">The policy denied it (one denial audit record was saved).</exception>
    public Task<Command> BeginAsync(Actor actor, AccessRequest request, string action, CancellationToken ct) =>
        BeginAsync(actor, request, action, activity: null, ct);

    /// <summary>Authorizes and starts a command, noting the decision on the operation's span (if any) and counting a denial.</summary>
    private async Task<Command> BeginAsync(Actor actor, AccessRequest request, string action, Activity? activity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var decision = await _policy.DecideAsync(actor, request, ct).ConfigureAwait(false);
        Telemetry.Decided(activity, actor, request, decision);
        if (!decision.IsAllowed)
        {
            LogDenied(_logger, actor.Role, request.Operation, decision.Relation, action);
            var student = request.Student ?? await StudentOfAsync(request, ct).ConfigureAwait(false);
            var record = new AuditRecord(Clock.GetUtcNow(), actor.AuditId, action, student, Resource(request), Allowed: false) { Detail = decision.Reason };
            await SaveAsync(new ChangeSet().Put(record), ct).ConfigureAwait(false);
            throw new BackpackAccessDeniedException(decision);
        }

        return new Command(this, actor, request, action, decision);
    }

    /// <summary>Runs a read: authorize, read, then commit the one read audit record.</summary>
    public Task<T> ReadAsync<T>(Actor actor, AccessRequest request, string action, Func<Command, Task<T>> read, CancellationToken ct) =>
        RunAsync(actor, request, action, read, ct);

    /// <summary>Runs a change: authorize, apply (loading and putting items on the command), commit; one span and one count per operation.</summary>
    public async Task<T> RunAsync<T>(Actor actor, AccessRequest request, string action, Func<Command, Task<T>> apply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var activity = Telemetry.StartOperation(actor, request, action);
        try
        {
            var command = await BeginAsync(actor, request, action, activity, ct).ConfigureAwait(false);
            var result = await apply(command).ConfigureAwait(false);
            await command.CommitAsync(ct).ConfigureAwait(false);
            Telemetry.Finished(activity, request, error: null);
            return result;
        }
        catch (Exception ex)
        {
            Telemetry.Finished(activity, request, ex);
            throw;
        }
    }

    /// <summary>The student an artifact or milestone belongs to, for the denial's audit record (the caller never sees it).</summary>
    private async Task<StudentId?> StudentOfAsync(AccessRequest request, CancellationToken ct)
    {
        if (request.Artifact is { } a)
        {
            return (await Store.GetArtifactAsync(a, ct).ConfigureAwait(false))?.StudentId;
        }

        return request.Milestone is { } m ? (await Store.GetMilestoneAsync(m, ct).ConfigureAwait(false))?.StudentId : null;
    }

    /// <summary>Saves <paramref name="changes"/>, recording how long the store took.</summary>
    internal async Task SaveAsync(ChangeSet changes, CancellationToken ct)
    {
        var started = Clock.GetTimestamp();
        var outcome = Telemetry.Failed;
        try
        {
            await Store.SaveAsync(changes, ct).ConfigureAwait(false);
            outcome = Telemetry.Ok;
        }
        finally
        {
            Telemetry.StoreSaveDuration.Record(Clock.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(Telemetry.OutcomeTag, outcome));
        }
    }

    /// <summary>Whether the policy would allow <paramref name="request"/> (no audit record: for narrowing a list already authorized and audited as a whole).</summary>
    public async Task<bool> AllowsAsync(Actor actor, AccessRequest request, CancellationToken ct) =>
        (await _policy.DecideAsync(actor, request, ct).ConfigureAwait(false)).IsAllowed;

    internal static string? Resource(AccessRequest request) =>
        request.Artifact?.ToString() ?? request.Milestone?.ToString() ?? request.Roster?.ToString() ?? request.School?.ToString();

    [LoggerMessage(Level = LogLevel.Information, Message = "Access denied: {Role} asked for {Operation} ({Relation}) in {Action}.")]
    private static partial void LogDenied(ILogger logger, ActorRole role, BackpackOperation operation, AccessRelation relation, string action);
}
