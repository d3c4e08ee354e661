namespace Backpack.Core.Rubrics;

/// <summary>A performance level of a criterion, e.g. "Ready" with score 3 at position 3.</summary>
/// <param name="Id">The level id (CASE CFRubricCriterionLevel identifier).</param>
/// <param name="Name">The level's name (CASE quality), e.g. "Emerging".</param>
/// <param name="Score">The level's score; strictly increasing with <paramref name="Position"/>.</param>
/// <param name="Position">The level's order, lowest first, from 1.</param>
public sealed record RubricLevel(LevelId Id, string Name, decimal Score, int Position)
{
    /// <summary>What work at this level looks like.</summary>
    public string? Description { get; init; }

    /// <summary>Feedback to give a student at this level.</summary>
    public string? Feedback { get; init; }
}

/// <summary>A criterion of a rubric, aligned to a skill or to a defense dimension.</summary>
/// <param name="Id">The criterion id (CASE CFRubricCriterion identifier).</param>
/// <param name="Name">The criterion's name (CASE category), e.g. "Effective Communicator".</param>
/// <param name="Position">The criterion's order in the rubric, from 1.</param>
/// <param name="Levels">The levels, lowest first.</param>
public sealed record RubricCriterion(CriterionId Id, string Name, int Position, ValueList<RubricLevel> Levels)
{
    /// <summary>A description of what the criterion looks at.</summary>
    public string? Description { get; init; }

    /// <summary>The skill the criterion scores, when it is aligned to a skill.</summary>
    public SkillId? SkillId { get; init; }

    /// <summary>
    /// The CASE item the criterion is aligned to (CASE CFItemURI) when that item is not one of the
    /// framework's skills: an indicator (then <see cref="SkillId"/> names the indicator's skill) or an item of
    /// another framework.
    /// </summary>
    public Frameworks.NodeReference? AlignedItem { get; init; }

    /// <summary>The defense dimension the criterion scores (e.g. "Presentation"), when not a skill.</summary>
    public string? DefenseDimension { get; init; }

    /// <summary>The criterion's weight (CASE weight), 1 by default.</summary>
    public decimal Weight { get; init; } = 1m;

    /// <summary>The level with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The level id.</param>
    /// <returns>The level.</returns>
    public RubricLevel? FindLevel(LevelId id)
    {
        foreach (var l in Levels)
        {
            if (l.Id == id)
            {
                return l;
            }
        }

        return null;
    }

    /// <summary>The level named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="name">The level name.</param>
    /// <returns>The level.</returns>
    public RubricLevel? FindLevel(string name)
    {
        foreach (var l in Levels)
        {
            if (string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return l;
            }
        }

        return null;
    }
}

/// <summary>Names one version of a rubric.</summary>
/// <param name="Id">The rubric id.</param>
/// <param name="Version">The version number, from 1.</param>
public readonly record struct RubricRef(RubricId Id, int Version)
{
    /// <inheritdoc />
    public override string ToString() => $"{Id} v{Version}";
}

/// <summary>
/// One version of a district rubric. Versions are immutable: a change is a new version, and every score
/// names the version it was given against. <see cref="MeetsLevel"/> names the level from which a result
/// counts as meeting the bar (e.g. "Ready": Ready or Excelling meet it).
/// </summary>
/// <param name="Id">The rubric id, shared by its versions (CASE CFRubric identifier).</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="Title">The rubric's title.</param>
/// <param name="Criteria">The criteria, in order.</param>
/// <param name="MeetsLevel">The name of the lowest level that meets the bar.</param>
public sealed record Rubric(RubricId Id, int Version, string Title, ValueList<RubricCriterion> Criteria, string MeetsLevel)
{
    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>This version's reference.</summary>
    public RubricRef Ref => new(Id, Version);

    /// <summary>The criterion with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The criterion id.</param>
    /// <returns>The criterion.</returns>
    public RubricCriterion? FindCriterion(CriterionId id)
    {
        foreach (var c in Criteria)
        {
            if (c.Id == id)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="level"/> of <paramref name="criterion"/> meets the bar.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <param name="level">A level of it.</param>
    /// <returns>Whether the level is at or above <see cref="MeetsLevel"/>.</returns>
    public bool Meets(RubricCriterion criterion, RubricLevel level)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(level);
        var bar = criterion.FindLevel(MeetsLevel);
        return bar is not null && level.Position >= bar.Position;
    }

    /// <summary>
    /// Every rule this rubric breaks: at least one criterion; each criterion at least two levels with
    /// unique names and positions and scores strictly increasing with position; the meets level present
    /// in every criterion; unique ids.
    /// </summary>
    /// <param name="path">The path prefix.</param>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(string path = "$")
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            problems.Add(new($"{path}.title", "rubric.title.required", "A rubric needs a title."));
        }

        if (Version < 1)
        {
            problems.Add(new($"{path}.version", "rubric.version.positive", $"A rubric version starts at 1 (found {Version})."));
        }

        if (Criteria.Count == 0)
        {
            problems.Add(new($"{path}.criteria", "rubric.criteria.required", "A rubric needs at least one criterion."));
        }

        if (string.IsNullOrWhiteSpace(MeetsLevel))
        {
            problems.Add(new($"{path}.meetsLevel", "rubric.meets-level.required", "A rubric needs a meets level (e.g. Ready)."));
        }

        var ids = new HashSet<Guid>();
        for (var i = 0; i < Criteria.Count; i++)
        {
            var c = Criteria[i];
            var at = $"{path}.criteria[{i}]";
            if (!ids.Add(c.Id.Value))
            {
                problems.Add(new($"{at}.id", "rubric.ids.unique", $"The id {c.Id} is used twice."));
            }

            if (string.IsNullOrWhiteSpace(c.Name))
            {
                problems.Add(new($"{at}.name", "criterion.name.required", "A criterion needs a name."));
            }

            if (c.Levels.Count < 2)
            {
                problems.Add(new($"{at}.levels", "rubric.levels.at-least-two", $"A criterion needs at least two levels (found {c.Levels.Count})."));
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var positions = new HashSet<int>();
            for (var j = 0; j < c.Levels.Count; j++)
            {
                var l = c.Levels[j];
                var lat = $"{at}.levels[{j}]";
                if (!ids.Add(l.Id.Value))
                {
                    problems.Add(new($"{lat}.id", "rubric.ids.unique", $"The id {l.Id} is used twice."));
                }

                if (string.IsNullOrWhiteSpace(l.Name))
                {
                    problems.Add(new($"{lat}.name", "rubric.levels.name-required", "A level needs a name."));
                }
                else if (!names.Add(l.Name.Trim()))
                {
                    problems.Add(new($"{lat}.name", "rubric.levels.unique-names", $"The level name '{l.Name}' is used twice in this criterion."));
                }

                if (!positions.Add(l.Position))
                {
                    problems.Add(new($"{lat}.position", "rubric.levels.unique-positions", $"The level position {l.Position} is used twice in this criterion."));
                }
            }

            var ordered = c.Levels.Select((l, j) => (l, j)).OrderBy(x => x.l.Position).ToArray();
            for (var k = 1; k < ordered.Length; k++)
            {
                if (ordered[k].l.Position != ordered[k - 1].l.Position && ordered[k].l.Score <= ordered[k - 1].l.Score)
                {
                    problems.Add(new(
                        $"{at}.levels[{ordered[k].j}].score",
                        "rubric.levels.scores-increase",
                        $"Level '{ordered[k].l.Name}' (position {ordered[k].l.Position}) scores {ordered[k].l.Score}, not more than '{ordered[k - 1].l.Name}' (position {ordered[k - 1].l.Position}, score {ordered[k - 1].l.Score}): scores must strictly increase with order."));
                }
            }

            if (!string.IsNullOrWhiteSpace(MeetsLevel) && c.FindLevel(MeetsLevel) is null)
            {
                problems.Add(new($"{at}.levels", "rubric.meets-level.present", $"The meets level '{MeetsLevel}' is not a level of this criterion."));
            }
        }

        return problems;
    }

    /// <summary>Throws if the rubric breaks a rule.</summary>
    /// <returns>The rubric.</returns>
    /// <exception cref="BackpackValidationException">Every rule broken.</exception>
    public Rubric EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new BackpackValidationException(problems);
    }
}
