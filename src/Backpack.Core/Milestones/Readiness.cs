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

/// <summary>What keeps a student from being ready in one skill, in terms a teacher can act on.</summary>
public enum ReadinessShortfall
{
    /// <summary>Fewer collected artifacts aligned to the skill than the rule asks for.</summary>
    NeedsMoreArtifacts,

    /// <summary>Artifacts are aligned to the skill but without the student's reasoning (which the district requires).</summary>
    NeedsReasoning,

    /// <summary>Artifacts were only suggested (by a teacher or Classroom); the student has not collected them.</summary>
    OnlySuggested,

    /// <summary>Collected artifacts for the skill come from another grade band, so they do not count now.</summary>
    OutsideGradeBand,

    /// <summary>Too few of the counted artifacts carry a reflection.</summary>
    NeedsReflection,
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
    /// <summary>What is missing, most actionable first.</summary>
    public ValueList<ReadinessShortfall> Shortfalls { get; init; } = ValueList<ReadinessShortfall>.Empty;

    /// <summary>Collected artifacts in the band aligned to the skill without reasoning (when reasoning is required).</summary>
    public int WithoutReasoning { get; init; }

    /// <summary>Artifacts in the band aligned to the skill that are only suggested.</summary>
    public int OnlySuggested { get; init; }

    /// <summary>Collected artifacts aligned to the skill from another grade band.</summary>
    public int OutsideGradeBand { get; init; }

    /// <summary>Whether the rule asks for the student's reasoning.</summary>
    public bool ReasoningRequired { get; init; } = true;

    /// <summary>
    /// A sentence for a teacher, e.g. "Effective Communicator: 1 of 2 collected artifacts with reasoning; 1 aligned
    /// without reasoning; 0 of 1 reflections".
    /// </summary>
    public string Reason
    {
        get
        {
            var parts = new List<string> { $"{Math.Min(Artifacts, ArtifactsNeeded)} of {ArtifactsNeeded} collected artifacts{(ReasoningRequired ? " with reasoning" : string.Empty)}" };
            if (WithoutReasoning > 0)
            {
                parts.Add($"{WithoutReasoning} aligned without reasoning");
            }

            if (OnlySuggested > 0)
            {
                parts.Add($"{OnlySuggested} only suggested, not collected");
            }

            if (OutsideGradeBand > 0)
            {
                parts.Add($"{OutsideGradeBand} collected outside this grade band");
            }

            if (Shortfalls.Contains(ReadinessShortfall.NeedsReflection))
            {
                parts.Add($"{Math.Min(Reflections, ReflectionsNeeded)} of {ReflectionsNeeded} with a reflection");
            }

            return $"{SkillName}: {string.Join("; ", parts)}";
        }
    }
}

/// <summary>How a student's readiness check went.</summary>
public enum ReadinessOutcome
{
    /// <summary>Checked against the evidence rule; see the gaps.</summary>
    Checked,

    /// <summary>Not enrolled on the date: there is no grade band to check against.</summary>
    NotEnrolled,

    /// <summary>The actor may not check this student (the denial is audited); nothing else is said.</summary>
    Denied,
}

/// <summary>Whether a student is ready for a defense, and if not, why.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="Gaps">The skills where evidence is missing; empty when ready.</param>
public sealed record ReadinessResult(StudentId StudentId, ValueList<ReadinessGap> Gaps)
{
    /// <summary>Whether the student was checked, is not enrolled, or may not be checked by the actor.</summary>
    public ReadinessOutcome Outcome { get; init; } = ReadinessOutcome.Checked;

    /// <summary>Whether the student was checked and meets the evidence rule in every skill that applies.</summary>
    public bool IsReady => Outcome == ReadinessOutcome.Checked && Gaps.Count == 0;
}

/// <summary>Checks students against the district's evidence rule.</summary>
public static class ReadinessCheck
{
    /// <summary>
    /// Checks one student: for every skill active in <paramref name="year"/> that applies to
    /// <paramref name="band"/> (<see cref="Skill.AppliesTo"/>), counts the student's collected artifacts aligned to
    /// it (with reasoning when required) that were captured in <paramref name="band"/> up to
    /// <paramref name="year"/>, and those with a reflection; where that falls short, says why.
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
        var mine = artifacts.Where(a => a.StudentId == student && a.Captured.Year <= year).ToArray();
        var gaps = new List<ReadinessGap>();
        foreach (var skill in framework.ActiveSkills(year).Where(s => s.AppliesTo(band)))
        {
            int n = 0, reflected = 0, withoutReasoning = 0, suggested = 0, outside = 0;
            foreach (var a in mine)
            {
                if (a.State == CurationState.Archived || !a.Alignments.Any(x => x.SkillId == skill.Id))
                {
                    continue;
                }

                var reasoned = a.Alignments.Any(x => x.SkillId == skill.Id && (!rule.RequireReasoning || x.HasReasoning));
                if (!band.Contains(a.Captured.Grade))
                {
                    outside += a.IsCollected && reasoned ? 1 : 0;
                }
                else if (!a.IsCollected)
                {
                    suggested++;
                }
                else if (!reasoned)
                {
                    withoutReasoning++;
                }
                else
                {
                    n++;
                    reflected += a.Reflections.Count > 0 ? 1 : 0;
                }
            }

            if (n >= rule.MinimumArtifactsPerSkill && reflected >= rule.MinimumReflectionsPerSkill)
            {
                continue;
            }

            var shortfalls = new List<ReadinessShortfall>();
            if (n < rule.MinimumArtifactsPerSkill)
            {
                if (withoutReasoning > 0)
                {
                    shortfalls.Add(ReadinessShortfall.NeedsReasoning);
                }

                if (suggested > 0)
                {
                    shortfalls.Add(ReadinessShortfall.OnlySuggested);
                }

                if (outside > 0)
                {
                    shortfalls.Add(ReadinessShortfall.OutsideGradeBand);
                }

                shortfalls.Add(ReadinessShortfall.NeedsMoreArtifacts);
            }

            if (reflected < rule.MinimumReflectionsPerSkill)
            {
                shortfalls.Add(ReadinessShortfall.NeedsReflection);
            }

            gaps.Add(new ReadinessGap(skill.Id, skill.Name, n, rule.MinimumArtifactsPerSkill, reflected, rule.MinimumReflectionsPerSkill)
            {
                Shortfalls = shortfalls.ToValueList(),
                WithoutReasoning = withoutReasoning,
                OnlySuggested = suggested,
                OutsideGradeBand = outside,
                ReasoningRequired = rule.RequireReasoning,
            });
        }

        return new ReadinessResult(student, gaps.ToValueList());
    }

    /// <summary>The bands the district's transition grades split PK-12 into, lowest first.</summary>
    /// <param name="transitions">The transition grades.</param>
    /// <returns>The bands.</returns>
    public static IReadOnlyList<GradeBand> Bands(TransitionGrades transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        return GradeLevel.All.Select(transitions.BandOf).Distinct().ToArray();
    }
}
