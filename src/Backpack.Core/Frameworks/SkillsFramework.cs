namespace Backpack.Core.Frameworks;

/// <summary>
/// A district skills framework (graduate profile): immutable published versions and at most one
/// editable draft. Publishing never drops a skill: a skill leaves by being retired from a school year on,
/// so evidence aligned to it keeps its history.
/// </summary>
/// <param name="Id">The framework id (the CASE CFDocument identifier).</param>
/// <param name="Versions">Published versions, oldest first; never changed once published.</param>
/// <param name="Draft">The draft being edited, if any.</param>
/// <param name="Version">The stored version, for optimistic concurrency; 0 before the first save.</param>
public sealed record SkillsFramework(
    FrameworkId Id,
    ValueList<FrameworkVersion> Versions,
    FrameworkContent? Draft,
    long Version = 0) : IVersioned
{
    /// <summary>A new framework whose first draft is <paramref name="draft"/>.</summary>
    /// <param name="id">The framework id.</param>
    /// <param name="draft">The first draft.</param>
    /// <returns>The framework.</returns>
    public static SkillsFramework Create(FrameworkId id, FrameworkContent draft) => new(id, ValueList<FrameworkVersion>.Empty, draft);

    /// <summary>The latest published version, or <see langword="null"/> before the first publication.</summary>
    public FrameworkVersion? Current => Versions.Count == 0 ? null : Versions[^1];

    /// <summary>The published version <paramref name="number"/>.</summary>
    /// <param name="number">The version number.</param>
    /// <returns>The version, or <see langword="null"/>.</returns>
    public FrameworkVersion? GetVersion(int number) => number >= 1 && number <= Versions.Count ? Versions[number - 1] : null;

    /// <summary>Starts a draft from the current version (or returns the framework unchanged if a draft exists).</summary>
    /// <returns>The framework with a draft.</returns>
    public SkillsFramework StartDraft() =>
        Draft is not null ? this : this with { Draft = Current?.Content ?? throw new InvalidOperationException("A framework with no version needs a draft to start from.") };

    /// <summary>Changes the draft.</summary>
    /// <param name="edit">The edit.</param>
    /// <returns>The framework with the edited draft.</returns>
    public SkillsFramework EditDraft(Func<FrameworkContent, FrameworkContent> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var started = StartDraft();
        return started with { Draft = edit(started.Draft!) };
    }

    /// <summary>
    /// Every rule publishing the draft would break: the content's own rules, and no skill of the current
    /// version may disappear (retire it instead).
    /// </summary>
    /// <returns>The problems; empty when the draft can be published.</returns>
    public IReadOnlyList<ValidationProblem> ValidateDraft()
    {
        if (Draft is null)
        {
            return [new ValidationProblem("$.draft", "framework.draft.required", "There is no draft to publish.")];
        }

        var problems = Draft.Validate("$.draft").ToList();
        if (Current is { } current)
        {
            foreach (var skill in current.Content.Skills)
            {
                if (Draft.FindSkill(skill.Id) is null)
                {
                    problems.Add(new ValidationProblem(
                        "$.draft.skills",
                        "framework.skills.keep-history",
                        $"Skill {skill.Id} (version {current.Number}, position {skill.Position}) is missing: retire a skill from a school year instead of removing it, so its evidence keeps its history."));
                }
            }
        }

        return problems;
    }

    /// <summary>Publishes the draft as the next immutable version.</summary>
    /// <param name="at">When (from the injected clock).</param>
    /// <returns>The framework with the new version and no draft.</returns>
    /// <exception cref="BackpackValidationException">The draft breaks a rule.</exception>
    public SkillsFramework Publish(DateTimeOffset at)
    {
        var problems = ValidateDraft();
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        return this with { Versions = Versions.Add(new FrameworkVersion(Versions.Count + 1, at, Draft!)), Draft = null };
    }

    /// <summary>How a skill was named, placed and retired in every published version it appears in.</summary>
    /// <param name="skill">The skill id.</param>
    /// <returns>One entry per version that has the skill, oldest first.</returns>
    public IReadOnlyList<SkillHistoryEntry> HistoryOf(SkillId skill) =>
        Versions
            .Select(v => (v, s: v.Content.FindSkill(skill)))
            .Where(x => x.s is not null)
            .Select(x => new SkillHistoryEntry(x.v.Number, x.v.PublishedAt, x.s!.Name, x.s.Position, x.s.RetiredFrom))
            .ToArray();
}
