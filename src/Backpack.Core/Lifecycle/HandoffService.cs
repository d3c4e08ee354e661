using System.Globalization;
using System.Security.Cryptography;
using Backpack.Core.Access;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Sync;

namespace Backpack.Core.Lifecycle;

/// <summary>
/// The graduation and withdrawal handoff: when a student has exited the district, hands them what they take with them,
/// in steps that a re-run resumes. (1) The handoff is recorded (<see cref="Handoff"/>, in the store) with the side effects
/// the planners plan for it (the Drive adapter: revoke teacher and panel sharing; share the showcase folders with the
/// student's personal email, as reader until <see cref="Handoff.SharedUntil"/>, where the district allows it), in one
/// change set. (2) The contributors add their part (the Credentials package: the signed passport). (3) A zip archive
/// is written to the caller's stream: an <c>index.html</c> that any browser reads offline (static HTML, no script, no
/// external resource; every piece of student text encoded) listing the artifacts by skill and school year with the
/// student's reasoning, reflections and links, the milestones with their outcomes, and the contributed files beside it.
/// (4) The run is audited (<c>handoff.run</c>, with the archive's SHA-256). A re-run (after a crash at any step, or on
/// purpose) reuses the record: the planners plan the same messages under the same keys, so the outbox takes nothing
/// new, and the archive comes out the same byte for byte.
/// </summary>
public sealed class HandoffService
{
    private readonly CommandPath _path;
    private readonly IReadOnlyList<IHandoffContributor> _contributors;

    internal HandoffService(CommandPath path, IEnumerable<IHandoffContributor> contributors)
    {
        _path = path;
        _contributors = contributors.ToArray();
    }

    /// <summary>
    /// Runs (or resumes) the handoff of <paramref name="student"/>, who must have exited (every enrollment ended, the
    /// last on or before today), and writes the archive (a zip) to <paramref name="archive"/>.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.RunHandoff"/>: a district administrator, or an administrator of the school the student exited from).</param>
    /// <param name="student">The student.</param>
    /// <param name="request">What the student asks for (a personal email to share with).</param>
    /// <param name="archive">Where the zip goes (a file, a response body); written from its current position, not closed.</param>
    /// <param name="cancellationToken">Cancels the run; a re-run resumes it.</param>
    /// <returns>What was recorded and archived.</returns>
    /// <exception cref="BackpackValidationException">
    /// The personal email is not an email address (<c>$.personalEmail</c>, <c>handoff.personal-email.format</c>), the
    /// district does not allow sharing with one (<c>handoff.personal-email.sharing-disabled</c>), the handoff already
    /// shares with another one (<c>handoff.personal-email.changed</c>), or the student has not exited
    /// (<c>$.student</c>, <c>handoff.student.exited</c>); nothing changed.
    /// </exception>
    /// <exception cref="BackpackAccessDeniedException">The actor may not run the student's handoff.</exception>
    /// <exception cref="BackpackNotFoundException">A district administrator named a student who does not exist.</exception>
    public Task<HandoffResult> RunAsync(Actor actor, StudentId student, HandoffRequest request, Stream archive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(archive);
        if (!archive.CanWrite)
        {
            throw new ArgumentException("The archive stream is not writable.", nameof(archive));
        }

        var email = request.PersonalEmail is null ? null : CheckEmail(request.PersonalEmail);
        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.RunHandoff) { Student = student }, "handoff.run", async c =>
        {
            var store = _path.Store;
            var record = await store.LoadPassportAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            var exit = record.Student.ExitedFrom();
            if (exit?.ExitDate is not { } exitedOn || exitedOn > c.Today)
            {
                throw new BackpackValidationException("$.student", "handoff.student.exited", "The student has not exited: a handoff needs every enrollment ended, the last on or before today (record the exit date and reason with RosterService.SaveStudentAsync).");
            }

            if (email is not null && !c.Options.HandoffSharing)
            {
                throw new BackpackValidationException("$.personalEmail", "handoff.personal-email.sharing-disabled", "The district does not share backpacks with personal email addresses (BackpackOptions.HandoffSharing is off).");
            }

            // (1) The record and its side effects, once (or again only when a personal email is added).
            var key = Handoff.CheckpointKey(student);
            var checkpoint = await store.GetCheckpointAsync(key, cancellationToken).ConfigureAwait(false);
            var stored = Handoff.FromCheckpoint(checkpoint);
            if (email is not null && stored?.PersonalEmail is { } recorded && !string.Equals(recorded, email, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackpackValidationException("$.personalEmail", "handoff.personal-email.changed", "This student's handoff already shares their showcases with another personal email address; it is kept until it expires.");
            }

            var handoff = stored ?? new Handoff(student, c.Now, exitedOn, exit.ExitReason, actor.AuditId);
            if (email is not null && handoff.PersonalEmail is null)
            {
                handoff = handoff with { PersonalEmail = email, SharedUntil = c.Now.AddDays(c.Options.HandoffSharingDays) };
            }

            var changes = new ChangeSet();
            if (handoff != stored)
            {
                changes.Put(checkpoint is null ? new SyncCheckpoint(key, handoff.ToCheckpointValue()) : checkpoint with { Value = handoff.ToCheckpointValue() });
                changes.Put(new AuditRecord(c.Now, actor.AuditId, stored is null ? "handoff.start" : "handoff.share", student, null, Allowed: true)
                {
                    Detail = string.Create(CultureInfo.InvariantCulture, $"exited {exitedOn:yyyy-MM-dd}, reason {exit.ExitReason?.ToString() ?? "none"}, personal sharing {(handoff.PersonalEmail is null ? "no" : "until " + handoff.SharedUntil!.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}"),
                });
            }

            // Planned on every run, with deterministic keys: a re-run adds nothing to the outbox, and an adapter added
            // since the first run (Drive) gets its messages.
            foreach (var planner in _path.Planners)
            {
                planner.OnStudentHandedOff(handoff, changes);
            }

            if (!changes.IsEmpty)
            {
                await _path.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
            }

            // (2) What the contributors add (the passport), from the record, as of the handoff's start.
            var context = new HandoffContext(actor, handoff, record);
            var contributions = new List<HandoffContribution>();
            foreach (var contributor in _contributors)
            {
                if (await contributor.ContributeAsync(context, cancellationToken).ConfigureAwait(false) is { } contribution)
                {
                    contributions.Add(contribution);
                }
            }

            // (3) The archive, the same bytes on every run.
            var rubrics = new Dictionary<RubricRef, Rubric>();
            foreach (var m in record.Milestones)
            {
                if (m.Rubric is { } r && !rubrics.ContainsKey(r) && await store.GetRubricAsync(r, cancellationToken).ConfigureAwait(false) is { } rubric)
                {
                    rubrics[r] = rubric;
                }
            }

            var content = new HandoffArchive(
                c.Options,
                handoff,
                record,
                await store.ListFrameworksAsync(cancellationToken).ConfigureAwait(false),
                rubrics,
                (await store.ListSchoolsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Id, s => s.Name),
                contributions);
            var bytes = content.ToZip();
            await archive.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await archive.FlushAsync(cancellationToken).ConfigureAwait(false);

            // (4) The operation's audit record: ids, counts and the archive's digest.
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            c.Detail = string.Create(CultureInfo.InvariantCulture, $"archive sha256 {sha}: {content.Files.Count} files, {content.ArtifactCount} artifacts, {content.MilestoneCount} milestones");
            return new HandoffResult(handoff, stored is not null, content.Files, content.ArtifactCount, content.MilestoneCount, sha);
        }, cancellationToken);
    }

    /// <summary>
    /// Checks a personal email address: one <c>@</c>, a local part of 1-64 characters without spaces or angle brackets,
    /// and a domain of dot-separated labels (letters, digits, dashes) with at least one dot; 254 characters at most.
    /// </summary>
    /// <param name="email">The address as given.</param>
    /// <returns>The address, trimmed.</returns>
    /// <exception cref="BackpackValidationException">It is not an email address (<c>$.personalEmail</c>).</exception>
    internal static string CheckEmail(string email)
    {
        var e = email.Trim();
        var at = e.IndexOf('@', StringComparison.Ordinal);
        var ok = e.Length is > 0 and <= 254 && at > 0 && at == e.LastIndexOf('@') && at <= 64;
        if (ok)
        {
            var local = e[..at];
            var domain = e[(at + 1)..];
            ok = local.All(ch => ch > ' ' && ch < 127 && "()<>[]\\,;:\"".IndexOf(ch, StringComparison.Ordinal) < 0)
                && !local.StartsWith('.') && !local.EndsWith('.') && !local.Contains("..", StringComparison.Ordinal)
                && domain.Contains('.', StringComparison.Ordinal)
                && domain.Split('.').All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-') && l.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'));
        }

        return ok ? e : throw new BackpackValidationException("$.personalEmail", "handoff.personal-email.format", "The personal email is not an email address: it needs a name, one @ and a domain with a dot, and no spaces.");
    }
}
