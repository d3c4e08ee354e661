using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Storage;

/// <summary>
/// A whole district's data at once: what a bulk load writes (a migration from another platform, a
/// synthetic district for tests and benchmarks). Items are new (version 0).
/// </summary>
public sealed record DistrictDataSet
{
    /// <summary>Frameworks.</summary>
    public IReadOnlyList<SkillsFramework> Frameworks { get; init; } = [];

    /// <summary>Rubric versions.</summary>
    public IReadOnlyList<Rubric> Rubrics { get; init; } = [];

    /// <summary>Schools.</summary>
    public IReadOnlyList<School> Schools { get; init; } = [];

    /// <summary>Students with their enrollment histories.</summary>
    public IReadOnlyList<Student> Students { get; init; } = [];

    /// <summary>Rosters.</summary>
    public IReadOnlyList<Roster> Rosters { get; init; } = [];

    /// <summary>Artifacts.</summary>
    public IReadOnlyList<Artifact> Artifacts { get; init; } = [];

    /// <summary>Evaluations.</summary>
    public IReadOnlyList<Evaluation> Evaluations { get; init; } = [];

    /// <summary>Milestones.</summary>
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
}

/// <summary>Loads a whole district fast (batched statements, binary COPY): for migrations and benchmarks, not for day-to-day writes.</summary>
public interface IBulkLoader
{
    /// <summary>Writes every item of <paramref name="data"/> as new items, in one transaction: all or nothing.</summary>
    /// <param name="data">The data.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>A task that completes when committed.</returns>
    Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken = default);
}
