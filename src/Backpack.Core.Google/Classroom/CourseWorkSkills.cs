using System.Text;
using System.Text.RegularExpressions;
using Backpack.Core.Frameworks;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// A Classroom coursework item as the skill strategies see it. Fields that only later Classroom revisions have
/// (rubric criteria, learning standards) are read tolerantly and are empty when absent.
/// </summary>
/// <param name="CourseId">The course id.</param>
/// <param name="Id">The coursework id.</param>
/// <param name="Title">The title.</param>
public sealed record ClassroomCourseWork(string CourseId, string Id, string Title)
{
    /// <summary>The description, when set.</summary>
    public string? Description { get; init; }

    /// <summary>The titles of the coursework's rubric criteria, when Classroom returns a rubric.</summary>
    public IReadOnlyList<string> RubricCriteria { get; init; } = [];

    /// <summary>CASE item identifiers (GUIDs) of learning standards linked to the coursework, when Classroom returns them.</summary>
    public IReadOnlyList<Guid> LearningStandards { get; init; } = [];
}

/// <summary>
/// Suggests which skills a coursework item gives evidence for. The suggestions travel with the artifacts Classroom
/// sync suggests, for the student to confirm with their reasoning; strategies never align anything themselves.
/// </summary>
public interface ICourseWorkSkillStrategy
{
    /// <summary>The skills <paramref name="courseWork"/> suggests.</summary>
    /// <param name="courseWork">The coursework.</param>
    /// <param name="skills">The skills of the district's published frameworks.</param>
    /// <returns>The suggested skills (duplicates are ignored).</returns>
    IEnumerable<SkillId> SuggestSkills(ClassroomCourseWork courseWork, IReadOnlyList<Skill> skills);
}

/// <summary>
/// Tags in a coursework's title or description, such as <c>#communicator</c> or <c>[Effective Communicator]</c>,
/// mapped to skills through a district dictionary (keys without <c>#</c> or brackets, compared ignoring case).
/// A bracketed tag that names a skill (or its code) matches it even when the dictionary does not list it.
/// </summary>
public sealed partial class TagSkillStrategy : ICourseWorkSkillStrategy
{
    private readonly Dictionary<string, SkillId> tags;

    /// <summary>Creates the strategy.</summary>
    /// <param name="tags">Tag (without <c>#</c> or brackets) to skill.</param>
    public TagSkillStrategy(IEnumerable<KeyValuePair<string, SkillId>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        this.tags = new Dictionary<string, SkillId>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            this.tags[SkillText.Normalize(key)] = value;
        }
    }

    /// <inheritdoc />
    public IEnumerable<SkillId> SuggestSkills(ClassroomCourseWork courseWork, IReadOnlyList<Skill> skills)
    {
        ArgumentNullException.ThrowIfNull(courseWork);
        ArgumentNullException.ThrowIfNull(skills);
        var found = new List<SkillId>();
        foreach (var text in new[] { courseWork.Title, courseWork.Description })
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (Match m in HashTag().Matches(text))
            {
                if (tags.TryGetValue(SkillText.Normalize(m.Groups[1].Value), out var id))
                {
                    found.Add(id);
                }
            }

            foreach (Match m in Bracketed().Matches(text))
            {
                var key = SkillText.Normalize(m.Groups[1].Value);
                if (tags.TryGetValue(key, out var id))
                {
                    found.Add(id);
                }
                else if (SkillText.FindByName(key, skills) is { } skill)
                {
                    found.Add(skill);
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"(?<![\w#])#([\p{L}\p{N}_-]{1,64})", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HashTag();

    [GeneratedRegex(@"\[([^\[\]]{1,120})\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Bracketed();
}

/// <summary>
/// Rubric criteria titles that name a skill (or its code), or that the district dictionary maps to one: a rubric
/// criterion "Effective Communicator" suggests that skill.
/// </summary>
public sealed class RubricCriteriaSkillStrategy : ICourseWorkSkillStrategy
{
    private readonly Dictionary<string, SkillId> aliases;

    /// <summary>Creates the strategy.</summary>
    /// <param name="aliases">Extra criterion titles (compared ignoring case and punctuation) mapped to skills.</param>
    public RubricCriteriaSkillStrategy(IEnumerable<KeyValuePair<string, SkillId>>? aliases = null)
    {
        this.aliases = new Dictionary<string, SkillId>(StringComparer.Ordinal);
        foreach (var (key, value) in aliases ?? [])
        {
            this.aliases[SkillText.Normalize(key)] = value;
        }
    }

    /// <inheritdoc />
    public IEnumerable<SkillId> SuggestSkills(ClassroomCourseWork courseWork, IReadOnlyList<Skill> skills)
    {
        ArgumentNullException.ThrowIfNull(courseWork);
        ArgumentNullException.ThrowIfNull(skills);
        foreach (var criterion in courseWork.RubricCriteria)
        {
            var key = SkillText.Normalize(criterion);
            if (aliases.TryGetValue(key, out var id))
            {
                yield return id;
            }
            else if (SkillText.FindByName(key, skills) is { } skill)
            {
                yield return skill;
            }
        }
    }
}

/// <summary>Learning standards linked to the coursework whose CASE item ids are the ids of the framework's skills.</summary>
public sealed class LearningStandardSkillStrategy : ICourseWorkSkillStrategy
{
    /// <inheritdoc />
    public IEnumerable<SkillId> SuggestSkills(ClassroomCourseWork courseWork, IReadOnlyList<Skill> skills)
    {
        ArgumentNullException.ThrowIfNull(courseWork);
        ArgumentNullException.ThrowIfNull(skills);
        var known = skills.Select(s => s.Id.Value).ToHashSet();
        return courseWork.LearningStandards.Where(known.Contains).Select(SkillId.From);
    }
}

/// <summary>Several strategies together: the union of their suggestions, in first-seen order.</summary>
public sealed class CompositeSkillStrategy : ICourseWorkSkillStrategy
{
    private readonly ICourseWorkSkillStrategy[] strategies;

    /// <summary>Creates the composition.</summary>
    /// <param name="strategies">The strategies.</param>
    public CompositeSkillStrategy(IEnumerable<ICourseWorkSkillStrategy> strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        this.strategies = strategies.ToArray();
        if (this.strategies.Any(s => s is null))
        {
            throw new ArgumentException("A strategy is null.", nameof(strategies));
        }
    }

    /// <summary>The composed strategies.</summary>
    public IReadOnlyList<ICourseWorkSkillStrategy> Strategies => strategies;

    /// <inheritdoc />
    public IEnumerable<SkillId> SuggestSkills(ClassroomCourseWork courseWork, IReadOnlyList<Skill> skills) =>
        strategies.SelectMany(s => s.SuggestSkills(courseWork, skills)).Distinct();
}

/// <summary>Comparing tags, criteria and skill names: case, punctuation and spacing ignored.</summary>
internal static class SkillText
{
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Trim().TrimStart('#'))
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    public static SkillId? FindByName(string normalized, IReadOnlyList<Skill> skills)
    {
        if (normalized.Length == 0)
        {
            return null;
        }

        foreach (var s in skills)
        {
            if (Normalize(s.Name) == normalized || (s.Code is { } code && Normalize(code) == normalized))
            {
                return s.Id;
            }
        }

        return null;
    }
}
