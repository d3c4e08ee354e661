using Backpack.Core.Artifacts;
using Backpack.Core.Rubrics;

namespace Backpack.Core.Evaluations;

/// <summary>The role an evaluator scored in.</summary>
public enum EvaluatorRole
{
    /// <summary>A teacher of the student.</summary>
    Teacher,

    /// <summary>A member of a defense panel.</summary>
    Panelist,

    /// <summary>The student, scoring their own work.</summary>
    Self,
}

/// <summary>The level given for one criterion.</summary>
/// <param name="CriterionId">The criterion.</param>
/// <param name="LevelId">The level given.</param>
public sealed record CriterionScore(CriterionId CriterionId, LevelId LevelId);

/// <summary>
/// A score as a person gives it: the criterion and the level, each by name (as the rubric shows them, any case)
/// or by id. E.g. <c>new("Evidence of growth", "Ready")</c>.
/// </summary>
/// <param name="Criterion">The criterion's name or id.</param>
/// <param name="Level">The level's name or id.</param>
public sealed record CriterionLevel(string Criterion, string Level)
{
    /// <summary>Finds the criterion and level in <paramref name="rubric"/>.</summary>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="path">The JSON path of this score, for errors.</param>
    /// <param name="problems">Where problems go.</param>
    /// <returns>The score, or <see langword="null"/> when a name or id is unknown (a problem was added).</returns>
    internal CriterionScore? Resolve(Rubric rubric, string path, List<ValidationProblem> problems)
    {
        var criterion = rubric.Criteria.FirstOrDefault(c => Matches(Criterion, c.Id.Value, c.Name));
        if (criterion is null)
        {
            problems.Add(new($"{path}.criterion", "evaluation.criterion.known", $"'{Criterion}' names no criterion of rubric {rubric.Ref} ({string.Join(", ", rubric.Criteria.Select(c => c.Name))})."));
            return null;
        }

        var level = criterion.Levels.FirstOrDefault(l => Matches(Level, l.Id.Value, l.Name));
        if (level is null)
        {
            problems.Add(new($"{path}.level", "evaluation.level.known", $"'{Level}' names no level of criterion '{criterion.Name}' ({string.Join(", ", criterion.Levels.OrderBy(l => l.Position).Select(l => l.Name))})."));
            return null;
        }

        return new CriterionScore(criterion.Id, level.Id);
    }

    private static bool Matches(string given, Guid id, string name) =>
        Guid.TryParse(given, out var g) ? g == id : string.Equals(given?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>An earlier version of an evaluator's scores of one subject, kept when they scored again.</summary>
/// <param name="ScoredAt">When those scores were given.</param>
/// <param name="Scores">The scores then.</param>
public sealed record EvaluationRevision(DateTimeOffset ScoredAt, ValueList<CriterionScore> Scores);

/// <summary>
/// One evaluator's scoring of an artifact or a milestone against one rubric version, per criterion.
/// Several evaluators' evaluations of the same subject are combined by a <see cref="ScoreCombination"/>.
/// </summary>
/// <param name="Id">The evaluation id.</param>
/// <param name="StudentId">Whose work.</param>
/// <param name="Rubric">The rubric version scored against.</param>
/// <param name="EvaluatorId">Who scored.</param>
/// <param name="Role">In which role.</param>
/// <param name="Scores">A level per criterion scored.</param>
/// <param name="ScoredAt">When.</param>
/// <param name="Context">The student's school, grade and year when scored (for reports).</param>
/// <param name="Version">The stored version; 0 before the first save.</param>
public sealed record Evaluation(
    EvaluationId Id,
    StudentId StudentId,
    RubricRef Rubric,
    PersonId EvaluatorId,
    EvaluatorRole Role,
    ValueList<CriterionScore> Scores,
    DateTimeOffset ScoredAt,
    CaptureContext Context,
    long Version = 0) : IVersioned
{
    /// <summary>The artifact scored, when the subject is an artifact.</summary>
    public ArtifactId? ArtifactId { get; init; }

    /// <summary>The milestone scored, when the subject is a milestone (a defense).</summary>
    public MilestoneId? MilestoneId { get; init; }

    /// <summary>The evaluator's earlier scores of this subject, oldest first (one vote each time: the latest counts).</summary>
    public ValueList<EvaluationRevision> History { get; init; } = ValueList<EvaluationRevision>.Empty;

    /// <summary>
    /// The one evaluation an evaluator has of a subject against a rubric: its id is derived from the three, so a
    /// second score replaces the first (and two racing first scores conflict) instead of adding a vote.
    /// </summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="subject">The artifact's or milestone's id.</param>
    /// <param name="rubric">The rubric.</param>
    /// <returns>The evaluation id.</returns>
    public static EvaluationId IdFor(PersonId evaluator, Guid subject, RubricId rubric)
    {
        return EvaluationId.From(NameBasedId.Create($"backpack:evaluation:{evaluator.Value:N}:{subject:N}:{rubric.Value:N}"));
    }

    /// <summary>
    /// This evaluation scored again: the criteria in <paramref name="scores"/> take their new levels, the others
    /// keep theirs, and the previous scores go to <see cref="History"/>.
    /// </summary>
    /// <param name="scores">The new scores.</param>
    /// <param name="at">When.</param>
    /// <returns>The evaluation with one vote per criterion.</returns>
    public Evaluation Rescore(IEnumerable<CriterionScore> scores, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var given = scores.ToArray();
        var kept = Scores.Where(s => !given.Any(g => g.CriterionId == s.CriterionId));
        return this with
        {
            Scores = kept.Concat(given).ToValueList(),
            ScoredAt = at,
            History = History.Add(new EvaluationRevision(ScoredAt, Scores)),
        };
    }

    /// <summary>
    /// Every rule the evaluation breaks against its rubric: exactly one subject; every criterion and
    /// level known to the rubric; each criterion scored at most once.
    /// </summary>
    /// <param name="rubric">The rubric version named by <see cref="Rubric"/>.</param>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        var problems = new List<ValidationProblem>();
        if ((ArtifactId is null) == (MilestoneId is null))
        {
            problems.Add(new("$.subject", "evaluation.subject.one", "An evaluation scores exactly one artifact or one milestone."));
        }

        if (rubric.Ref != Rubric)
        {
            problems.Add(new("$.rubric", "evaluation.rubric.matches", $"The evaluation names rubric {Rubric}, not {rubric.Ref}."));
        }

        var seen = new HashSet<CriterionId>();
        for (var i = 0; i < Scores.Count; i++)
        {
            var s = Scores[i];
            var criterion = rubric.FindCriterion(s.CriterionId);
            if (criterion is null)
            {
                problems.Add(new($"$.scores[{i}].criterionId", "evaluation.criterion.known", $"Criterion {s.CriterionId} is not in rubric {rubric.Ref}."));
            }
            else if (criterion.FindLevel(s.LevelId) is null)
            {
                problems.Add(new($"$.scores[{i}].levelId", "evaluation.level.known", $"Level {s.LevelId} is not a level of criterion '{criterion.Name}'."));
            }

            if (!seen.Add(s.CriterionId))
            {
                problems.Add(new($"$.scores[{i}].criterionId", "evaluation.criterion.once", $"Criterion {s.CriterionId} is scored twice."));
            }
        }

        if (Scores.Count == 0)
        {
            problems.Add(new("$.scores", "evaluation.scores.required", "An evaluation scores at least one criterion."));
        }

        return problems;
    }
}

/// <summary>How several evaluators' levels for one criterion combine into one result.</summary>
public enum ScoreCombination
{
    /// <summary>The median level; with an even count, the lower of the two middle levels (the default).</summary>
    MedianLevel,

    /// <summary>The lowest level given.</summary>
    LowestLevel,

    /// <summary>The highest level given.</summary>
    HighestLevel,

    /// <summary>The mean score, rounded down to the highest level whose score does not exceed it.</summary>
    MeanScore,
}

/// <summary>The combined result of one criterion.</summary>
/// <param name="CriterionId">The criterion.</param>
/// <param name="Level">The combined level.</param>
/// <param name="MeetsBar">Whether the level is at or above the rubric's meets level.</param>
/// <param name="Evaluators">How many evaluators scored the criterion.</param>
public sealed record CriterionResult(CriterionId CriterionId, RubricLevel Level, bool MeetsBar, int Evaluators);

/// <summary>Combines evaluations of one subject.</summary>
public static class EvaluationCombiner
{
    /// <summary>
    /// Combines <paramref name="evaluations"/> (of one subject, against <paramref name="rubric"/>) per
    /// criterion. The result never lies outside the range of levels given, and does not depend on the
    /// order of the evaluations. Scores against other rubric versions and unknown levels are ignored.
    /// </summary>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="evaluations">The evaluations.</param>
    /// <param name="rule">The combination rule.</param>
    /// <returns>One result per criterion that was scored, in rubric order.</returns>
    public static IReadOnlyList<CriterionResult> Combine(Rubric rubric, IEnumerable<Evaluation> evaluations, ScoreCombination rule = ScoreCombination.MedianLevel)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(evaluations);
        var given = new Dictionary<CriterionId, List<RubricLevel>>();
        foreach (var e in evaluations)
        {
            if (e.Rubric != rubric.Ref)
            {
                continue;
            }

            foreach (var s in e.Scores)
            {
                var level = rubric.FindCriterion(s.CriterionId)?.FindLevel(s.LevelId);
                if (level is null)
                {
                    continue;
                }

                if (!given.TryGetValue(s.CriterionId, out var list))
                {
                    given[s.CriterionId] = list = [];
                }

                list.Add(level);
            }
        }

        var results = new List<CriterionResult>();
        foreach (var criterion in rubric.Criteria.OrderBy(c => c.Position))
        {
            if (!given.TryGetValue(criterion.Id, out var levels))
            {
                continue;
            }

            var level = CombineLevels(criterion, levels, rule);
            results.Add(new CriterionResult(criterion.Id, level, rubric.Meets(criterion, level), levels.Count));
        }

        return results;
    }

    /// <summary>Combines the levels given for one criterion.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <param name="levels">The levels given; at least one.</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The combined level.</returns>
    public static RubricLevel CombineLevels(RubricCriterion criterion, IReadOnlyList<RubricLevel> levels, ScoreCombination rule)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
        {
            throw new ArgumentException("At least one level is needed.", nameof(levels));
        }

        var sorted = levels.OrderBy(l => l.Position).ToArray();
        switch (rule)
        {
            case ScoreCombination.LowestLevel:
                return sorted[0];
            case ScoreCombination.HighestLevel:
                return sorted[^1];
            case ScoreCombination.MeanScore:
                var mean = sorted.Average(l => l.Score);
                return criterion.Levels
                    .Where(l => l.Score <= mean && l.Position >= sorted[0].Position)
                    .OrderByDescending(l => l.Position)
                    .FirstOrDefault() ?? sorted[0];
            case ScoreCombination.MedianLevel:
            default:
                return sorted[(sorted.Length - 1) / 2];
        }
    }
}
