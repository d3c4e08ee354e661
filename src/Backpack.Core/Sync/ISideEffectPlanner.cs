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
}
