using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <content>
/// The level-distribution report: evaluations indexed by (rubric version, school year); per subject
/// (artifact or milestone) the evaluators' levels per criterion are combined with
/// <see cref="EvaluationCombiner.CombineLevels"/>, then counted per school, grade and criterion at the
/// context of the subject's latest evaluation (and, with a school filter, kept when that school is named).
/// </content>
public sealed partial class InMemoryBackpackStore
{
    /// <inheritdoc />
    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Rubric);
        cancellationToken.ThrowIfCancellationRequested();
        Evaluation[] evaluations;
        lock (_gate)
        {
            evaluations = _evaluationsByRubricYear.TryGetValue((request.Rubric.Ref, request.Year), out var ids)
                ? ids.Select(id => _evaluations[id]).ToArray()
                : [];
        }

        // Computed outside the lock: the evaluations are immutable values.
        return Task.FromResult(ComputeLevels(request, evaluations));
    }

    private static LevelDistributionReport ComputeLevels(LevelDistributionRequest request, Evaluation[] evaluations)
    {
        var rubric = request.Rubric;
        var criteria = rubric.Criteria.OrderBy(c => c.Position).ToArray();
        var criterionIndex = new Dictionary<CriterionId, int>(criteria.Length);
        var levelsInOrder = new RubricLevel[criteria.Length][];
        for (var i = 0; i < criteria.Length; i++)
        {
            criterionIndex.TryAdd(criteria[i].Id, i);
            levelsInOrder[i] = criteria[i].Levels.OrderBy(l => l.Position).ToArray();
        }

        var bySubject = new Dictionary<(bool IsArtifact, Guid Id), List<Evaluation>>();
        foreach (var e in evaluations)
        {
            (bool, Guid) subject;
            if (e.ArtifactId is ArtifactId a)
            {
                subject = (true, a.Value);
            }
            else if (e.MilestoneId is MilestoneId m)
            {
                subject = (false, m.Value);
            }
            else
            {
                continue;
            }

            if (!bySubject.TryGetValue(subject, out var list))
            {
                bySubject[subject] = list = [];
            }

            list.Add(e);
        }

        var schools = request.Schools.Count == 0 ? null : request.Schools.ToHashSet();
        var counts = new Dictionary<(SchoolId School, GradeLevel Grade, int Criterion), int[]>();
        var given = new List<RubricLevel>[criteria.Length];
        for (var i = 0; i < given.Length; i++)
        {
            given[i] = [];
        }

        foreach (var subjectEvaluations in bySubject.Values)
        {
            var context = LatestContext(subjectEvaluations);
            if ((schools is not null && !schools.Contains(context.SchoolId))
                || (request.Grades.Count > 0 && !request.Grades.Contains(context.Grade))
                || (request.MilestonesOnly && subjectEvaluations[0].MilestoneId is null))
            {
                continue;
            }

            foreach (var list in given)
            {
                list.Clear();
            }

            foreach (var e in subjectEvaluations)
            {
                foreach (var s in e.Scores)
                {
                    if (criterionIndex.TryGetValue(s.CriterionId, out var ci) && criteria[ci].FindLevel(s.LevelId) is { } level)
                    {
                        given[ci].Add(level);
                    }
                }
            }

            for (var ci = 0; ci < criteria.Length; ci++)
            {
                if (given[ci].Count == 0)
                {
                    continue;
                }

                var combined = EvaluationCombiner.CombineLevels(criteria[ci], given[ci], request.Combination);
                var key = (context.SchoolId, context.Grade, ci);
                if (!counts.TryGetValue(key, out var perLevel))
                {
                    counts[key] = perLevel = new int[levelsInOrder[ci].Length];
                }

                perLevel[Array.IndexOf(levelsInOrder[ci], combined)]++;
            }
        }

        var rows = counts
            .OrderBy(kv => kv.Key.School)
            .ThenBy(kv => kv.Key.Grade)
            .ThenBy(kv => kv.Key.Criterion)
            .Select(kv =>
            {
                var criterion = criteria[kv.Key.Criterion];
                var levels = levelsInOrder[kv.Key.Criterion];
                var levelCounts = new LevelCount[levels.Length];
                var meeting = 0;
                var total = 0;
                for (var i = 0; i < levels.Length; i++)
                {
                    levelCounts[i] = new LevelCount(levels[i].Id, levels[i].Name, kv.Value[i]);
                    total += kv.Value[i];
                    if (rubric.Meets(criterion, levels[i]))
                    {
                        meeting += kv.Value[i];
                    }
                }

                return new LevelDistributionRow(kv.Key.School, kv.Key.Grade, criterion.Id, total, ValueList<LevelCount>.FromArray(levelCounts), meeting);
            })
            .ToValueList();
        return new LevelDistributionReport(request.Year, rubric.Ref, rows);
    }

    private static CaptureContext LatestContext(List<Evaluation> evaluations)
    {
        var latest = evaluations[0];
        for (var i = 1; i < evaluations.Count; i++)
        {
            var e = evaluations[i];
            var c = e.ScoredAt.CompareTo(latest.ScoredAt);
            if (c > 0 || (c == 0 && e.Id.CompareTo(latest.Id) > 0))
            {
                latest = e;
            }
        }

        return latest.Context;
    }
}
