using Backpack.Core.Artifacts;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Sync;

/// <summary>
/// Plans side effects (outbox messages) for domain changes, inside the same change set, so a change and
/// its effects commit together. Adapters (Google Drive) register one; each method does nothing by default.
/// </summary>
public interface ISideEffectPlanner
{
    /// <summary>An artifact is being saved.</summary>
    /// <param name="before">The stored artifact, or <see langword="null"/> when new.</param>
    /// <param name="after">The artifact being saved.</param>
    /// <param name="changes">The change set to add outbox messages to.</param>
    void OnArtifactSaved(Artifact? before, Artifact after, ChangeSet changes)
    {
    }

    /// <summary>A milestone is being saved (panel, showcase or status changed).</summary>
    /// <param name="before">The stored milestone, or <see langword="null"/> when new.</param>
    /// <param name="after">The milestone being saved.</param>
    /// <param name="changes">The change set.</param>
    void OnMilestoneSaved(Milestone? before, Milestone after, ChangeSet changes)
    {
    }

    /// <summary>A roster is being saved (teachers or students changed).</summary>
    /// <param name="before">The stored roster, or <see langword="null"/> when new.</param>
    /// <param name="after">The roster being saved.</param>
    /// <param name="changes">The change set.</param>
    void OnRosterSaved(Roster? before, Roster after, ChangeSet changes)
    {
    }

    /// <summary>A student is being saved (enrolled, transferred).</summary>
    /// <param name="before">The stored student, or <see langword="null"/> when new.</param>
    /// <param name="after">The student being saved.</param>
    /// <param name="changes">The change set.</param>
    void OnStudentSaved(Student? before, Student after, ChangeSet changes)
    {
    }

    /// <summary>
    /// Retention is about to purge a student (<see cref="Lifecycle.RetentionService"/>): plan what must happen
    /// outside the store (revoking sharing, retiring folders). <paramref name="changes"/> is committed just before
    /// the purge; a re-run plans the same messages again, so use deterministic idempotency keys. The purge deletes
    /// every outbox message that names the student except those whose operation ends with
    /// <see cref="OutboxOperations.KeptOnPurgeSuffix"/>: only such messages outlive it, and their handlers must not
    /// depend on the student's records or sync checkpoints (both are gone by the time they run).
    /// </summary>
    /// <param name="student">The student being purged.</param>
    /// <param name="changes">The change set.</param>
    void OnStudentPurged(Student student, ChangeSet changes)
    {
    }

    /// <summary>
    /// A handoff (<see cref="Lifecycle.HandoffService"/>) runs for a student who exited: plan what must happen outside the
    /// store (revoking teacher and panel sharing, sharing the showcases with <see cref="Lifecycle.Handoff.PersonalEmail"/>
    /// until <see cref="Lifecycle.Handoff.SharedUntil"/>). Called on every run (and re-run), with the record as stored;
    /// <paramref name="changes"/> commits with the record when it is new or changed. Use deterministic idempotency keys
    /// (a re-run then adds nothing), and read the address from the stored record
    /// (<see cref="Lifecycle.Handoff.CheckpointKey"/>), never put it in a payload.
    /// </summary>
    /// <param name="handoff">The handoff as recorded.</param>
    /// <param name="changes">The change set.</param>
    void OnStudentHandedOff(Lifecycle.Handoff handoff, ChangeSet changes)
    {
    }
}

/// <summary>Conventions for outbox operation names that the core relies on.</summary>
public static class OutboxOperations
{
    /// <summary>
    /// Outbox messages whose operation ends with this (for example <c>drive.retireBackpack</c>) carry out a purge's
    /// side effects: <see cref="IBackpackStore.PurgeStudentAsync"/> keeps them (and their idempotency keys).
    /// </summary>
    public const string KeptOnPurgeSuffix = ".retireBackpack";

    /// <summary>Whether a purge keeps messages of <paramref name="operation"/>.</summary>
    /// <param name="operation">The operation name.</param>
    /// <returns>Whether it ends with <see cref="KeptOnPurgeSuffix"/>.</returns>
    public static bool IsKeptOnPurge(string operation) =>
        operation is not null && operation.EndsWith(KeptOnPurgeSuffix, StringComparison.Ordinal);
}
