using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Students;

namespace Backpack.Core.Milestones;

/// <summary>
/// The district's evidence rule: what a student needs, per skill, to be ready for a defense. Default: per
/// skill, at least two collected artifacts with reasoning and at least one reflection among them.
/// Raising any number can only make fewer students ready; adding evidence can only make more ready.
/// </summary>
public sealed record EvidenceRule
{
    /// <summary>Collected (or showcased) artifacts aligned to each skill (default 2).</summary>
    public int MinimumArtifactsPerSkill { get; init; } = 2;

    /// <summary>Whether an alignment counts only with the student's reasoning (default: yes).</summary>
    public bool RequireReasoning { get; init; } = true;

    /// <summary>Counted artifacts per skill that carry at least one reflection (default 1).</summary>
    public int MinimumReflectionsPerSkill { get; init; } = 1;

    /// <summary>Every rule the evidence rule breaks.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<ValidationProblem> Validate()
    {
        var problems = new List<ValidationProblem>();
        if (MinimumArtifactsPerSkill < 0)
        {
            problems.Add(new("EvidenceRule.MinimumArtifactsPerSkill", "evidence-rule.non-negative", $"MinimumArtifactsPerSkill is {MinimumArtifactsPerSkill}; it cannot be negative."));
        }

        if (MinimumReflectionsPerSkill < 0)
        {
            problems.Add(new("EvidenceRule.MinimumReflectionsPerSkill", "evidence-rule.non-negative", $"MinimumReflectionsPerSkill is {MinimumReflectionsPerSkill}; it cannot be negative."));
        }

        return problems;
    }

    /// <summary>Whether an artifact counts toward <paramref name="skill"/> under this rule.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <param name="skill">The skill.</param>
    /// <returns>Whether it counts.</returns>
    public bool Counts(Artifact artifact, SkillId skill)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (!artifact.IsCollected)
        {
            return false;
        }

        foreach (var a in artifact.Alignments)
        {
            if (a.SkillId == skill && (!RequireReasoning || a.HasReasoning))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The transition grades at which students defend their learning (default 5, 8 and 12). They split the
/// grades into bands (PK-5, 6-8, 9-12 by default); evidence counts toward readiness within the band of
/// the student's grade.
/// </summary>
public sealed record TransitionGrades
{
    /// <summary>Creates the transition grades.</summary>
    /// <param name="grades">The grades, any order; at least one.</param>
    public TransitionGrades(IEnumerable<GradeLevel> grades)
    {
        Grades = grades.Distinct().Order().ToValueList();
        if (Grades.Count == 0)
        {
            throw new BackpackValidationException("TransitionGrades", "transition-grades.required", "At least one transition grade is needed.");
        }
    }

    /// <summary>The district default: 5, 8 and 12.</summary>
    public static TransitionGrades Default { get; } = new([GradeLevel.Grade(5), GradeLevel.Grade(8), GradeLevel.Grade(12)]);

    /// <summary>The transition grades, lowest first.</summary>
    public ValueList<GradeLevel> Grades { get; }

    /// <summary>Whether <paramref name="grade"/> is a transition grade.</summary>
    /// <param name="grade">The grade.</param>
    /// <returns>Whether students defend at it.</returns>
    public bool IsTransition(GradeLevel grade) => Grades.Contains(grade);

    /// <summary>The band of grades <paramref name="grade"/> belongs to: from the grade after the previous transition grade, to the next transition grade.</summary>
    /// <param name="grade">The grade.</param>
    /// <returns>The band.</returns>
    public GradeBand BandOf(GradeLevel grade)
    {
        var from = GradeLevel.Lowest;
        foreach (var t in Grades)
        {
            if (grade <= t)
            {
                return new GradeBand(from, t);
            }

            from = t.Next;
        }

        return new GradeBand(from, GradeLevel.Highest);
    }
}

/// <summary>Why a student is not yet ready in one skill.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="SkillName">The skill's name.</param>
/// <param name="Artifacts">Counted artifacts the student has for the skill.</param>
/// <param name="ArtifactsNeeded">How many the rule asks for.</param>
/// <param name="Reflections">Counted artifacts with a reflection.</param>
/// <param name="ReflectionsNeeded">How many the rule asks for.</param>
public sealed record ReadinessGap(SkillId SkillId, string SkillName, int Artifacts, int ArtifactsNeeded, int Reflections, int ReflectionsNeeded)
{
    /// <summary>A sentence for a teacher, e.g. "Effective Communicator: 1 of 2 artifacts with reasoning; 0 of 1 reflections".</summary>
    public string Reason =>
        $"{SkillName}: {Math.Min(Artifacts, ArtifactsNeeded)} of {ArtifactsNeeded} collected artifacts with reasoning; {Math.Min(Reflections, ReflectionsNeeded)} of {ReflectionsNeeded} reflections";
}

/// <summary>Whether a student is ready for a defense, and if not, why.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="Gaps">The skills where evidence is missing; empty when ready.</param>
public sealed record ReadinessResult(StudentId StudentId, ValueList<ReadinessGap> Gaps)
{
    /// <summary>Whether the student meets the evidence rule in every active skill.</summary>
    public bool IsReady => Gaps.Count == 0;
}

/// <summary>Checks students against the district's evidence rule.</summary>
public static class ReadinessCheck
{
    /// <summary>
    /// Checks one student: for every skill active in <paramref name="year"/>, counts the student's
    /// collected artifacts aligned to it (with reasoning when required) that were captured in
    /// <paramref name="band"/> up to <paramref name="year"/>, and those with a reflection.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="framework">The framework version's content.</param>
    /// <param name="year">The school year.</param>
    /// <param name="band">The grade band whose evidence counts.</param>
    /// <param name="artifacts">The student's artifacts.</param>
    /// <param name="rule">The evidence rule.</param>
    /// <returns>The result.</returns>
    public static ReadinessResult Check(StudentId student, FrameworkContent framework, SchoolYear year, GradeBand band, IEnumerable<Artifact> artifacts, EvidenceRule rule)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(rule);
        var counted = artifacts
            .Where(a => a.StudentId == student && a.Captured.Year <= year && band.Contains(a.Captured.Grade))
            .ToArray();
        var gaps = new List<ReadinessGap>();
        foreach (var skill in framework.ActiveSkills(year))
        {
            var n = 0;
            var reflected = 0;
            foreach (var a in counted)
            {
                if (rule.Counts(a, skill.Id))
                {
                    n++;
                    if (a.Reflections.Count > 0)
                    {
                        reflected++;
                    }
                }
            }

            if (n < rule.MinimumArtifactsPerSkill || reflected < rule.MinimumReflectionsPerSkill)
            {
                gaps.Add(new ReadinessGap(skill.Id, skill.Name, n, rule.MinimumArtifactsPerSkill, reflected, rule.MinimumReflectionsPerSkill));
            }
        }

        return new ReadinessResult(student, gaps.ToValueList());
    }
}
