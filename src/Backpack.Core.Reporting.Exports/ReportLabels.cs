using System.Globalization;

namespace Backpack.Core.Reporting.Exports;

/// <summary>Names to print beside the ids of a report (schools, skills); an id without a name prints as itself.</summary>
public sealed class ReportLabels
{
    private readonly IReadOnlyDictionary<SchoolId, string> _schools;
    private readonly IReadOnlyDictionary<SkillId, string> _skills;

    /// <summary>Creates the labels.</summary>
    /// <param name="schools">School names by id.</param>
    /// <param name="skills">Skill names by id.</param>
    public ReportLabels(IReadOnlyDictionary<SchoolId, string>? schools = null, IReadOnlyDictionary<SkillId, string>? skills = null)
    {
        _schools = schools ?? new Dictionary<SchoolId, string>();
        _skills = skills ?? new Dictionary<SkillId, string>();
    }

    /// <summary>No names: ids only.</summary>
    public static ReportLabels None { get; } = new();

    /// <summary>The school's name, or its id.</summary>
    /// <param name="school">The school.</param>
    /// <returns>The label.</returns>
    public string School(SchoolId school) => _schools.TryGetValue(school, out var name) ? name : school.ToString();

    /// <summary>The skill's name, or its id.</summary>
    /// <param name="skill">The skill.</param>
    /// <returns>The label.</returns>
    public string Skill(SkillId skill) => _skills.TryGetValue(skill, out var name) ? name : skill.ToString();

    internal static string Share(double? share) => share is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : string.Empty;
}
