using System.Text;
using Backpack.Core.Artifacts;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Google.Tests.Classroom;

/// <summary>What the Classroom tests read from the store, through the official in-memory store's public API.</summary>
internal static class ClassroomStoreQueries
{
    /// <summary>A save of one course's sync (it carries that course's checkpoint).</summary>
    public static bool IsCourseSave(ChangeSet changes) =>
        changes.Checkpoints.Any(c => c.Key.StartsWith("classroom:course:", StringComparison.Ordinal));

    public static Task<IReadOnlyList<Student>> AllStudentsAsync(this InstrumentedStore store) => Task.FromResult(store.Inner.Students);

    public static Task<IReadOnlyList<Roster>> AllRostersAsync(this InstrumentedStore store) => Task.FromResult(store.Inner.Rosters);

    public static Task<IReadOnlyList<Artifact>> AllArtifactsAsync(this InstrumentedStore store) => Task.FromResult(store.Inner.Artifacts);

    /// <summary>Students, rosters, artifacts and checkpoints as text, versions and timestamps left out: equal text, equal synced state.</summary>
    public static async Task<string> DumpAsync(this InstrumentedStore store)
    {
        var sb = new StringBuilder();
        foreach (var s in await store.AllStudentsAsync())
        {
            sb.AppendLine((s with { Version = 0 }).ToString()).Append("  google=").Append(s.GoogleUserId).Append(" email=").Append(s.Email)
                .Append(" guardians=").AppendLine(s.Guardians.ToString());
        }

        foreach (var r in await store.AllRostersAsync())
        {
            sb.AppendLine((r with { Version = 0 }).ToString()).Append("  course=").Append(r.ClassroomCourseId).Append(" archived=").AppendLine(r.IsArchived.ToString());
        }

        foreach (var a in await store.AllArtifactsAsync())
        {
            sb.AppendLine((a with { Version = 0, CreatedAt = default }).ToString());
        }

        foreach (var c in await store.ListCheckpointsAsync("classroom:"))
        {
            sb.Append(c.Key).Append(" = ").AppendLine(c.Value);
        }

        return sb.ToString();
    }
}
