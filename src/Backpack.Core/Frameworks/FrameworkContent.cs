using Backpack.Core.Students;

namespace Backpack.Core.Frameworks;

/// <summary>
/// What a framework says: its title and skills. A draft is editable content; a published
/// <see cref="FrameworkVersion"/> freezes a copy. Editing methods return a new value.
/// </summary>
/// <param name="Title">The framework's title, e.g. "Jeffco Generations Success Skills".</param>
/// <param name="Skills">The skills, ordered by <see cref="Skill.Position"/>.</param>
public sealed record FrameworkContent(string Title, ValueList<Skill> Skills)
{
    /// <summary>A description (CASE description).</summary>
    public string? Description { get; init; }

    /// <summary>Who publishes the framework (CASE creator), e.g. the district's name.</summary>
    public string? Creator { get; init; }

    /// <summary>The framework's version label as the district writes it (CASE version).</summary>
    public string? VersionLabel { get; init; }

    /// <summary>The language, e.g. <c>en</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Who publishes the framework when not its creator (CASE publisher).</summary>
    public string? Publisher { get; init; }

    /// <summary>Subjects the framework covers (CASE subject).</summary>
    public ValueList<string> Subjects { get; init; } = ValueList<string>.Empty;

    /// <summary>The licence the framework is published under (CASE licenseURI).</summary>
    public NodeReference? License { get; init; }

    /// <summary>Where the official text of the framework is published (CASE officialSourceURL).</summary>
    public string? OfficialSourceUrl { get; init; }

    /// <summary>The adoption status as the district writes it (CASE adoptionStatus), e.g. <c>Adopted</c>.</summary>
    public string? AdoptionStatus { get; init; }

    /// <summary>Notes about the framework (CASE notes).</summary>
    public string? Notes { get; init; }

    /// <summary>The framework's URI (CASE CFDocument uri) as published.</summary>
    public string? Uri { get; init; }

    /// <summary>When the framework document last changed as published (CASE lastChangeDateTime).</summary>
    public DateTimeOffset? LastChangeDateTime { get; init; }

    /// <summary>Associations to nodes outside the skills tree (exact matches, related items, exemplars).</summary>
    public ValueList<FrameworkAssociation> Associations { get; init; } = ValueList<FrameworkAssociation>.Empty;

    /// <summary>The skill with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The skill id.</param>
    /// <returns>The skill.</returns>
    public Skill? FindSkill(SkillId id)
    {
        foreach (var s in Skills)
        {
            if (s.Id == id)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The skills active in <paramref name="year"/>, in order.</summary>
    /// <param name="year">The school year.</param>
    /// <returns>The active skills.</returns>
    public IReadOnlyList<Skill> ActiveSkills(SchoolYear year) =>
        Skills.Where(s => s.IsActiveIn(year)).OrderBy(s => s.Position).ToArray();

    /// <summary>Adds a skill at the end.</summary>
    /// <param name="id">The new skill's id.</param>
    /// <param name="name">Its name.</param>
    /// <returns>The new content.</returns>
    public FrameworkContent AddSkill(SkillId id, string name) =>
        this with { Skills = Skills.Add(new Skill(id, name, Skills.Count == 0 ? 1 : Skills.Max(s => s.Position) + 1)) };

    /// <summary>Renames a skill; its id, and so its evidence, stays.</summary>
    /// <param name="id">The skill id.</param>
    /// <param name="name">The new name.</param>
    /// <returns>The new content.</returns>
    public FrameworkContent RenameSkill(SkillId id, string name) => Replace(id, s => s with { Name = name });

    /// <summary>Retires a skill from <paramref name="year"/> on; its history stays.</summary>
    /// <param name="id">The skill id.</param>
    /// <param name="year">The first school year it no longer applies to.</param>
    /// <returns>The new content.</returns>
    public FrameworkContent RetireSkill(SkillId id, SchoolYear year) => Replace(id, s => s with { RetiredFrom = year });

    /// <summary>Moves a skill to <paramref name="position"/> (from 1), renumbering the others.</summary>
    /// <param name="id">The skill id.</param>
    /// <param name="position">The new position, from 1.</param>
    /// <returns>The new content.</returns>
    public FrameworkContent MoveSkill(SkillId id, int position)
    {
        var ordered = Skills.OrderBy(s => s.Position).ToList();
        var index = ordered.FindIndex(s => s.Id == id);
        if (index < 0)
        {
            throw new BackpackNotFoundException("skill", id.ToString());
        }

        var skill = ordered[index];
        ordered.RemoveAt(index);
        ordered.Insert(Math.Clamp(position - 1, 0, ordered.Count), skill);
        return this with { Skills = ordered.Select((s, i) => s with { Position = i + 1 }).ToValueList() };
    }

    /// <summary>Adds a grade-band indicator to a skill.</summary>
    /// <param name="skill">The skill id.</param>
    /// <param name="indicator">The indicator.</param>
    /// <returns>The new content.</returns>
    public FrameworkContent AddIndicator(SkillId skill, Indicator indicator) =>
        Replace(skill, s => s with { Indicators = s.Indicators.Add(indicator) });

    private FrameworkContent Replace(SkillId id, Func<Skill, Skill> change)
    {
        for (var i = 0; i < Skills.Count; i++)
        {
            if (Skills[i].Id == id)
            {
                return this with { Skills = Skills.SetItem(i, change(Skills[i])) };
            }
        }

        throw new BackpackNotFoundException("skill", id.ToString());
    }

    /// <summary>Every rule this content breaks: empty names, duplicate ids, duplicate positions.</summary>
    /// <param name="path">The path prefix for problems.</param>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(string path = "$")
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            problems.Add(new($"{path}.title", "framework.title.required", "A framework needs a title."));
        }

        var ids = new HashSet<Guid>();
        var positions = new HashSet<int>();
        for (var i = 0; i < Skills.Count; i++)
        {
            var s = Skills[i];
            var at = $"{path}.skills[{i}]";
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                problems.Add(new($"{at}.name", "skill.name.required", "A skill needs a name."));
            }

            if (!ids.Add(s.Id.Value))
            {
                problems.Add(new($"{at}.id", "framework.ids.unique", $"The id {s.Id} is used twice."));
            }

            if (!positions.Add(s.Position))
            {
                problems.Add(new($"{at}.position", "skill.position.unique", $"Position {s.Position} is used twice."));
            }

            for (var j = 0; j < s.Indicators.Count; j++)
            {
                var ind = s.Indicators[j];
                if (!ids.Add(ind.Id.Value))
                {
                    problems.Add(new($"{at}.indicators[{j}].id", "framework.ids.unique", $"The id {ind.Id} is used twice."));
                }

                if (string.IsNullOrWhiteSpace(ind.Statement))
                {
                    problems.Add(new($"{at}.indicators[{j}].statement", "indicator.statement.required", "An indicator needs a statement."));
                }

                if (ind.Grades.From > ind.Grades.To)
                {
                    problems.Add(new($"{at}.indicators[{j}].grades", "indicator.grades.ordered", $"The grade band {ind.Grades.From}-{ind.Grades.To} runs backwards."));
                }
            }
        }

        return problems;
    }
}

/// <summary>An immutable published version of a framework.</summary>
/// <param name="Number">The version number, from 1.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="Content">What it says.</param>
public sealed record FrameworkVersion(int Number, DateTimeOffset PublishedAt, FrameworkContent Content);

/// <summary>How one skill was named across published versions: the view of change over time.</summary>
/// <param name="Version">The version number.</param>
/// <param name="PublishedAt">When that version was published.</param>
/// <param name="Name">The skill's name in that version.</param>
/// <param name="Position">Its position in that version.</param>
/// <param name="RetiredFrom">The school year it was retired from, as of that version.</param>
public sealed record SkillHistoryEntry(int Version, DateTimeOffset PublishedAt, string Name, int Position, SchoolYear? RetiredFrom);
