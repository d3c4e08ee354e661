using Backpack.Core.Artifacts;
using Backpack.Core.Reporting;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <content>
/// The coverage report and the scores of growth reports. Coverage is one pass over the students' maintained counts,
/// like the readiness report: per student of the year, which skills have a collected artifact captured that year and
/// which meet the rule (evidence of the band up to the year).
/// </content>
public sealed partial class InMemoryBackpackStore
{
    /// <inheritdoc />
    public Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Rule);
        ArgumentNullException.ThrowIfNull(request.TransitionGrades);
        var problems = request.Rule.Validate();
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(ComputeCoverage(request));
        }
    }

    private CoverageReport ComputeCoverage(CoverageReportRequest request)
    {
        var year = request.Year.StartYear;
        var skills = request.Skills;
        var rule = request.Rule;
        var positionsOf = new int[]?[_skillIndex.Count];
        for (var i = 0; i < skills.Count; i++)
        {
            if (_skillIndex.TryGetValue(skills[i], out var index))
            {
                positionsOf[index] = [.. positionsOf[index] ?? [], i];
            }
        }

        int[] n = new int[skills.Count], r = new int[skills.Count], y = new int[skills.Count];
        var rows = new Dictionary<(SchoolId School, int Grade), (int Students, int[] WithEvidence, int[] Meeting)>();
        var groups = new Dictionary<(string Group, int Grade), (int Students, int[] WithEvidence, int[] Meeting)>();
        var schools = request.Schools.Count == 0 ? null : request.Schools.ToHashSet();
        var withEvidence = new bool[skills.Count];
        var meeting = new bool[skills.Count];
        foreach (var state in _studentOrder)
        {
            if (state.Student is null || !Array.Exists(state.Placements, p => p.Year == year))
            {
                continue;
            }

            var placement = Array.Find(state.Placements, p => p.Year == year);
            var grade = GradeLevel.FromOrdinal(placement.Grade);
            var school = _schoolIds[placement.School];
            if ((request.Grades.Count > 0 && !request.Grades.Contains(grade)) || (schools is not null && !schools.Contains(school)))
            {
                continue;
            }

            // One pass over the student's counts, per-position counters (a skill named twice counts in both positions).
            var band = request.TransitionGrades.BandOf(grade);
            Array.Clear(n);
            Array.Clear(r);
            Array.Clear(y);
            foreach (var c in state.Counts)
            {
                if (c.Year > year || c.Skill >= positionsOf.Length || positionsOf[c.Skill] is not { } positions)
                {
                    continue;
                }

                var inBand = c.Grade >= band.From.Ordinal && c.Grade <= band.To.Ordinal;
                foreach (var i in positions)
                {
                    y[i] += c.Year == year ? c.Artifacts : 0;
                    n[i] += inBand ? (rule.RequireReasoning ? c.Reasoned : c.Artifacts) : 0;
                    r[i] += inBand ? (rule.RequireReasoning ? c.ReasonedReflected : c.Reflected) : 0;
                }
            }

            for (var i = 0; i < skills.Count; i++)
            {
                withEvidence[i] = y[i] > 0;
                meeting[i] = n[i] >= rule.MinimumArtifactsPerSkill && r[i] >= rule.MinimumReflectionsPerSkill;
            }

            Add(rows, (school, placement.Grade));
            foreach (var g in state.Student.Groups.Distinct(StringComparer.Ordinal))
            {
                Add(groups, (g, placement.Grade));
            }
        }

        return new CoverageReport(
            request.Year,
            rows.OrderBy(kv => kv.Key.School).ThenBy(kv => kv.Key.Grade).Select(kv => Row(kv.Key.School, kv.Key.Grade, kv.Value)).ToValueList())
        {
            Groups = groups.OrderBy(kv => kv.Key.Group, StringComparer.Ordinal).ThenBy(kv => kv.Key.Grade).Select(kv => new CoverageGroupRow(kv.Key.Group, Row(null, kv.Key.Grade, kv.Value))).ToValueList(),
        };

        void Add<TKey>(Dictionary<TKey, (int Students, int[] WithEvidence, int[] Meeting)> into, TKey key)
            where TKey : notnull
        {
            if (!into.TryGetValue(key, out var row))
            {
                row = (0, new int[skills.Count], new int[skills.Count]);
            }

            for (var i = 0; i < skills.Count; i++)
            {
                row.WithEvidence[i] += withEvidence[i] ? 1 : 0;
                row.Meeting[i] += meeting[i] ? 1 : 0;
            }

            into[key] = (row.Students + 1, row.WithEvidence, row.Meeting);
        }

        CoverageReportRow Row(SchoolId? school, int grade, (int Students, int[] WithEvidence, int[] Meeting) row) =>
            new(school, GradeLevel.FromOrdinal(grade), row.Students, skills.Select((s, i) => new CoverageSkillCount(s, row.WithEvidence[i], row.Meeting[i])).ToValueList());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ScoreRecord>>(_evaluations.Values
                .Where(e => e.Context.Year >= first && e.Context.Year <= last)
                .SelectMany(e => e.Scores.Select(s => new ScoreRecord(e.StudentId, e.Rubric, e.ArtifactId?.Value ?? e.MilestoneId?.Value ?? e.Id.Value, e.MilestoneId is not null, new CaptureContext(e.Context.Year, e.Context.Grade, e.Context.SchoolId), s.CriterionId, s.LevelId)))
                .ToArray());
        }
    }
}
