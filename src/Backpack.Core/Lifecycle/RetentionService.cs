using System.Globalization;
using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Sync;

namespace Backpack.Core.Lifecycle;

/// <summary>A student whose retention period has passed.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="ExitedOn">The day they exited (the last exit date of their enrollments).</param>
/// <param name="DueOn">The first day their records may be purged (exit date plus the retention days).</param>
public sealed record RetentionCandidate(StudentId StudentId, DateOnly ExitedOn, DateOnly DueOn);

/// <summary>What a retention run found and, unless it was a dry run, purged. Ids and counts only.</summary>
/// <param name="AsOf">The day the run judged "past their date" by.</param>
/// <param name="DryRun">Whether nothing was purged (the candidates are what would go).</param>
/// <param name="RetentionDays">The district's <c>RetentionDaysAfterExit</c>.</param>
/// <param name="Due">The students past their date, ordered by id.</param>
/// <param name="Purged">What was removed per student (empty on a dry run).</param>
public sealed record RetentionReport(DateOnly AsOf, bool DryRun, int RetentionDays, IReadOnlyList<RetentionCandidate> Due, IReadOnlyList<StudentPurgeResult> Purged);

/// <summary>
/// Retention: a student whose every enrollment has ended exited the district on the last exit date; their
/// records are kept for the district's <c>RetentionDaysAfterExit</c> and then purged from the store (see
/// <see cref="IBackpackStore.PurgeStudentAsync"/>). Each student's purge is one transaction with its audit
/// record, so a run stopped half-way and run again ends in the same state. Before each purge the side-effect
/// planners (<see cref="ISideEffectPlanner.OnStudentPurged"/>) enqueue what must happen outside the store (the
/// Drive adapter: revoke sharing, trash or hand over the Backpack folders); the purge keeps those messages.
/// </summary>
public sealed class RetentionService
{
    private readonly CommandPath _path;

    internal RetentionService(CommandPath path) => _path = path;

    /// <summary>
    /// Finds the students past their retention date as of <paramref name="asOf"/> (today by default, in the
    /// district's time zone) and, unless <paramref name="dryRun"/>, purges each. Audited: <c>retention.run</c> (or
    /// <c>retention.plan</c> for a dry run) with counts, and <c>student.purge</c> per student with counts.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.RunRetention"/>: a district administrator or <see cref="Actor.Retention"/>).</param>
    /// <param name="asOf">The day to judge by; not after today.</param>
    /// <param name="dryRun">Only list what would go.</param>
    /// <param name="cancellationToken">Cancels the run (between students).</param>
    /// <returns>The report.</returns>
    /// <exception cref="BackpackValidationException"><paramref name="asOf"/> is after today; nothing changed.</exception>
    public Task<RetentionReport> RunAsync(Actor actor, DateOnly? asOf = null, bool dryRun = false, CancellationToken cancellationToken = default) =>
        _path.RunAsync(actor, new AccessRequest(BackpackOperation.RunRetention), dryRun ? "retention.plan" : "retention.run", async c =>
        {
            var day = asOf ?? c.Today;
            if (day > c.Today)
            {
                throw new BackpackValidationException("$.asOf", "retention.as-of.not-future", $"A retention run judges by today or an earlier day, not {day:yyyy-MM-dd} (today is {c.Today:yyyy-MM-dd}).");
            }

            var days = c.Options.RetentionDaysAfterExit;
            var due = new List<RetentionCandidate>();
            foreach (var s in await _path.Store.ListExitedStudentsAsync(day.AddDays(-days), cancellationToken).ConfigureAwait(false))
            {
                if (s.ExitedOn() is { } exit && exit.AddDays(days) <= day)
                {
                    due.Add(new RetentionCandidate(s.Id, exit, exit.AddDays(days)));
                }
            }

            var purged = new List<StudentPurgeResult>();
            if (!dryRun)
            {
                foreach (var candidate in due)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // Side effects outside the store (Drive) are enqueued first, in their own change set with
                    // deterministic keys, and the purge keeps them: a crash between the two and a re-run enqueues
                    // nothing new and purges; the handlers do not need the purged records.
                    if (_path.Planners.Count > 0 && await _path.Store.GetStudentAsync(candidate.StudentId, cancellationToken).ConfigureAwait(false) is { } student)
                    {
                        var effects = new ChangeSet();
                        foreach (var planner in _path.Planners)
                        {
                            planner.OnStudentPurged(student, effects);
                        }

                        if (!effects.IsEmpty)
                        {
                            await _path.Store.SaveAsync(effects, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    var record = new AuditRecord(c.Now, actor.AuditId, "student.purge", candidate.StudentId, null, Allowed: true)
                    {
                        Detail = string.Create(CultureInfo.InvariantCulture, $"exited {candidate.ExitedOn:yyyy-MM-dd}, retention {days} days, as of {day:yyyy-MM-dd}"),
                    };
                    purged.Add(await _path.Store.PurgeStudentAsync(candidate.StudentId, record, cancellationToken).ConfigureAwait(false));
                }
            }

            c.Detail = string.Create(CultureInfo.InvariantCulture, $"as of {day:yyyy-MM-dd}, retention {days} days: {due.Count} due, {purged.Count} purged");
            return new RetentionReport(day, dryRun, days, due, purged);
        }, cancellationToken);
}
