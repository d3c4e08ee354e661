using Backpack.Core.Access;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Lifecycle;

/// <summary>What a district asks of a handoff (<see cref="HandoffService.RunAsync"/>).</summary>
public sealed record HandoffRequest
{
    /// <summary>
    /// A personal email address the student gives, to share their showcase folders with (as reader, for
    /// <c>BackpackOptions.HandoffSharingDays</c>) when the district allows it (<c>BackpackOptions.HandoffSharing</c>);
    /// <see langword="null"/> for none. Personal data: stored with the handoff record, never logged, audited, or put
    /// in an outbox payload.
    /// </summary>
    public string? PersonalEmail { get; init; }
}

/// <summary>
/// The record of a student's handoff, kept in the store (a sync checkpoint under <see cref="CheckpointKey"/>, purged with
/// the student by retention) so a re-run resumes it: the same start time (so the archive and the sharing's expiry come
/// out the same), the same personal email, and no side effect planned twice.
/// </summary>
/// <param name="StudentId">The student.</param>
/// <param name="StartedAt">When the handoff was first run: the archive's date and its files' timestamps, the passport's issue time.</param>
/// <param name="ExitedOn">The day the student exited.</param>
/// <param name="ExitReason">Why, as the enrollment they exited from says (graduated, withdrew...), if it says.</param>
/// <param name="StartedBy">Who first ran it (<see cref="Actor.AuditId"/>).</param>
public sealed record Handoff(StudentId StudentId, DateTimeOffset StartedAt, DateOnly ExitedOn, ExitReason? ExitReason, string StartedBy)
{
    /// <summary>The prefix of every handoff record's checkpoint key.</summary>
    public const string CheckpointPrefix = "handoff:";

    /// <summary>The personal address the showcases are shared with, if the student gave one and the district allows it. Never logged.</summary>
    public string? PersonalEmail { get; init; }

    /// <summary>When the sharing with <see cref="PersonalEmail"/> expires (the Drive permission's <c>expirationTime</c>).</summary>
    public DateTimeOffset? SharedUntil { get; init; }

    /// <summary>The checkpoint key of <paramref name="student"/>'s handoff record: <c>handoff:{student id}</c>.</summary>
    /// <param name="student">The student.</param>
    /// <returns>The key.</returns>
    public static string CheckpointKey(StudentId student) => CheckpointPrefix + student.ToString();

    /// <summary>Reads a handoff record from its checkpoint.</summary>
    /// <param name="checkpoint">The checkpoint under <see cref="CheckpointKey"/>, or <see langword="null"/>.</param>
    /// <returns>The record, or <see langword="null"/> when there is none.</returns>
    public static Handoff? FromCheckpoint(SyncCheckpoint? checkpoint) =>
        checkpoint is { Value.Length: > 0 } c ? BackpackJson.Deserialize<Handoff>(c.Value) : null;

    /// <summary>The record as the checkpoint stores it (JSON).</summary>
    /// <returns>The JSON text.</returns>
    public string ToCheckpointValue() => BackpackJson.Serialize(this);
}

/// <summary>What a handoff did: the record, and what the archive holds (ids and counts; the archive itself went to the caller's stream).</summary>
/// <param name="Handoff">The handoff as recorded.</param>
/// <param name="Resumed">Whether the record existed before this run (a re-run: the same start, the same archive, no new outbox message).</param>
/// <param name="Files">The archive's files, in order (<c>index.html</c> first).</param>
/// <param name="Artifacts">How many artifacts the archive lists.</param>
/// <param name="Milestones">How many milestones (defenses, conferences...) it lists.</param>
/// <param name="ArchiveSha256">The SHA-256 of the archive's bytes, in lower-case hex (a re-run writes the same bytes).</param>
public sealed record HandoffResult(Handoff Handoff, bool Resumed, ValueList<string> Files, int Artifacts, int Milestones, string ArchiveSha256);

/// <summary>
/// Adds to a handoff's archive: a section of <c>index.html</c> and files beside it. The Credentials package registers one
/// that issues the student's passport (<c>AddPassport(...)</c>); core has none. Contributions must come out the same for
/// the same <see cref="HandoffContext"/> (use <see cref="Handoff.StartedAt"/>, not the clock), so a re-run writes the same archive.
/// </summary>
public interface IHandoffContributor
{
    /// <summary>Makes this contributor's part of the archive.</summary>
    /// <param name="context">The handoff, who runs it, and everything the district holds in the student's backpack.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The contribution, or <see langword="null"/> for none.</returns>
    Task<HandoffContribution?> ContributeAsync(HandoffContext context, CancellationToken cancellationToken);
}

/// <summary>What a contributor works from. The access policy has already allowed <see cref="BackpackOperation.RunHandoff"/> on the student.</summary>
/// <param name="Actor">Who runs the handoff.</param>
/// <param name="Handoff">The handoff as recorded.</param>
/// <param name="Record">The student and their artifacts, evaluations and milestones.</param>
public sealed record HandoffContext(Actor Actor, Handoff Handoff, StudentPassport Record);

/// <summary>A contributor's part of the archive: a section of <c>index.html</c> (heading and text) listing its files.</summary>
/// <param name="Heading">The section's heading.</param>
/// <param name="Text">A paragraph for the student (plain text; it is HTML-encoded).</param>
/// <param name="Files">Files to put in the archive beside <c>index.html</c>.</param>
public sealed record HandoffContribution(string Heading, string Text, ValueList<HandoffFile> Files);

/// <summary>A file of a handoff archive.</summary>
/// <param name="Name">The file name: lower-case letters, digits, dots, dashes and underscores, not <c>index.html</c>, unique in the archive.</param>
/// <param name="Description">What it is, for the student (plain text).</param>
/// <param name="Content">Its text (written as UTF-8).</param>
public sealed record HandoffFile(string Name, string Description, string Content);
