using System.Data.Common;
using System.Globalization;
using System.Text;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <summary>Reports computed in SQL: the database filters, joins and groups; only the aggregated rows come back.</summary>
internal abstract partial class RelationalStore
{
    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureValid(request.Rule);

        var skills = request.Skills.Distinct().ToArray();
        return Basis.Serves(request.TransitionGrades, request.Rule)
            ? ReadinessFromCountsAsync(request, skills, cancellationToken)
            : ReadinessAsync(request, skills, cancellationToken);
    }

    /// <summary>Refuses a report request whose evidence rule breaks its own rules, before anything is read.</summary>
    private static void EnsureValid(EvidenceRule rule)
    {
        var problems = rule.Validate();
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }
    }

    /// <summary>The SQL filter of a report's grades and schools on <c>student_years</c> (empty lists: all).</summary>
    private string PlacementFilter(ValueList<GradeLevel> grades, ValueList<SchoolId> schools)
    {
        var inv = CultureInfo.InvariantCulture;
        var sql = new StringBuilder();
        if (grades.Count > 0)
        {
            sql.Append(" AND grade IN (").AppendJoin(", ", grades.Select(g => g.Ordinal.ToString(inv))).Append(')');
        }

        if (schools.Count > 0)
        {
            sql.Append(" AND school_id IN (").AppendJoin(", ", schools.Select(s => GuidLiteral(s.Value))).Append(')');
        }

        return sql.ToString();
    }

    /// <summary>
    /// The readiness report from the maintained rows: one statement (one snapshot) over <c>student_years</c> of the
    /// year, one row per student, grouped by school and grade in index order.
    /// </summary>
    private Task<ReadinessReport> ReadinessFromCountsAsync(ReadinessReportRequest request, SkillId[] skills, CancellationToken cancellationToken) =>
        RunAsync(
            "computing the readiness report",
            async c =>
            {
                var inv = CultureInfo.InvariantCulture;
                var slots = await SlotsAsync(c, skills.Select(s => s.Value).ToArray(), cancellationToken).ConfigureAwait(false);
                if (slots.Any(s => s >= MaxSlots))
                {
                    return await ReadinessAsync(request, skills, cancellationToken).ConfigureAwait(false);
                }

                var allMet = skills.Length == 0 || (request.Rule.MinimumArtifactsPerSkill <= 0 && request.Rule.MinimumReflectionsPerSkill <= 0);
                var anyMissing = slots.Any(s => s is null);
                var required = slots.Aggregate(0L, (m, s) => s is { } slot ? m | (1L << slot) : m);
                // The maintained cells: per (school, grade, met skills) the students, a row per distinct mask (about a
                // quarter as many rows as students); per skill, the cells whose mask has its bit.
                var sql = new StringBuilder("SELECT school_id, grade, SUM(students), ");
                sql.Append(anyMissing ? "0" : string.Create(inv, $"SUM(CASE WHEN (met_mask & {required}) = {required} THEN students ELSE 0 END)"));
                foreach (var slot in slots)
                {
                    sql.Append(", ").Append(slot is { } s ? string.Create(inv, $"SUM(CASE WHEN ((met_mask >> {s}) & 1) = 1 THEN students ELSE 0 END)") : "0");
                }

                sql.Append(" FROM readiness_cells WHERE district_id = @p0 AND year = @p1").Append(PlacementFilter(request.Grades, request.Schools)).Append(" GROUP BY school_id, grade HAVING SUM(students) > 0");
                var rows = new List<ReadinessReportRow>();
                var index = skills.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
                var cmd = Command(c, null, sql.ToString(), [D, (ColKind.Int, request.Year.StartYear)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var students = Int(reader, 2);
                            var ready = allMet ? students : Int(reader, 3);
                            int Met(int position) => slots[position] is null ? 0 : Int(reader, 4 + position);
                            var gaps = request.Skills.Select(s => new SkillGapCount(s, allMet ? 0 : students - Met(index[s]))).ToValueList();
                            rows.Add(new ReadinessReportRow(SchoolId.From(reader.GetGuid(0)), GradeLevel.FromOrdinal(Int(reader, 1)), students, ready, gaps));
                        }
                    }
                }

                return new ReadinessReport(request.Year, rows.ToValueList()).Normalize();
            },
            cancellationToken);

    /// <summary>One report part per processor, at most 8.</summary>
    private static readonly int DefaultReportPartitions = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// How many parts the readiness report is split into, each computed by the database on its own connection at
    /// the same time: the students are split by id range, and every part's counts simply add up. At most
    /// <see cref="DefaultReportPartitions"/> parts run at once across all reports of the store.
    /// </summary>
    internal int ReportPartitions { get; set; } = DefaultReportPartitions;

    private async Task<ReadinessReport> ReadinessAsync(ReadinessReportRequest request, SkillId[] skills, CancellationToken cancellationToken)
    {
        // Each part reads in its own transaction: a student (enrollments and alignments) is read within one part,
        // so each student is counted once, as of one moment; a write committed while the report runs may be seen
        // by some parts and not others, as with any report read while the district keeps working.
        var parts = Math.Max(1, ReportPartitions);
        var bounds = Enumerable.Range(0, parts + 1)
            .Select(i => i == 0 || i == parts ? (Guid?)null : new Guid((int)(uint)((ulong)i * 0x1_0000_0000UL / (ulong)parts), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            .ToArray();
        // Task.Run: a SQLite connection's "async" calls complete synchronously, so without it the parts would run one
        // after another on the caller's thread.
        var partials = await Task.WhenAll(Enumerable.Range(0, parts).Select(i => Task.Run(
            async () =>
            {
                await _reportGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await ReadinessPartAsync(request, skills, bounds[i], bounds[i + 1], cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _reportGate.Release();
                }
            },
            cancellationToken))).ConfigureAwait(false);

        var rows = new Dictionary<(Guid School, int Grade), (int Students, int Ready, int[] Met)>();
        foreach (var partial in partials)
        {
            foreach (var (key, value) in partial)
            {
                if (!rows.TryGetValue(key, out var row))
                {
                    row = (0, 0, new int[skills.Length]);
                }

                for (var i = 0; i < skills.Length; i++)
                {
                    row.Met[i] += value.Met[i];
                }

                rows[key] = (row.Students + value.Students, row.Ready + value.Ready, row.Met);
            }
        }

        var allMet = skills.Length == 0 || (request.Rule.MinimumArtifactsPerSkill <= 0 && request.Rule.MinimumReflectionsPerSkill <= 0);
        var index = skills.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var result = rows
            .Where(r => r.Value.Students > 0)
            .Select(r => new ReadinessReportRow(
                SchoolId.From(r.Key.School),
                GradeLevel.FromOrdinal(r.Key.Grade),
                r.Value.Students,
                allMet ? r.Value.Students : r.Value.Ready,
                request.Skills.Select(s => new SkillGapCount(s, allMet ? 0 : r.Value.Students - r.Value.Met[index[s]])).ToValueList()))
            .ToValueList();
        return new ReadinessReport(request.Year, result).Normalize();
    }

    /// <summary>The counts of the students whose id is in [<paramref name="from"/>, <paramref name="to"/>) (open where null).</summary>
    private Task<Dictionary<(Guid School, int Grade), (int Students, int Ready, int[] Met)>> ReadinessPartAsync(ReadinessReportRequest request, SkillId[] skills, Guid? from, Guid? to, CancellationToken cancellationToken)
    {
        var sql = ReadinessSql(request, skills, from, to);
        return RunAsync(
            "computing the readiness report",
            async c =>
            {
                // kind 0: students of a (school, grade); kind 1: how many of them meet skill #pos; kind 2: how many meet every skill.
                var rows = new Dictionary<(Guid School, int Grade), (int Students, int Ready, int[] Met)>();
                var cmd = Command(c, null, sql, [D, (ColKind.Int, request.Year.StartYear), (ColKind.Int, request.Rule.MinimumArtifactsPerSkill), (ColKind.Int, request.Rule.MinimumReflectionsPerSkill)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var kind = Int(reader, 0);
                            var key = (reader.GetGuid(1), Int(reader, 2));
                            if (!rows.TryGetValue(key, out var row))
                            {
                                row = (0, 0, new int[skills.Length]);
                            }

                            switch (kind)
                            {
                                case 0:
                                    row = (Int(reader, 4), row.Ready, row.Met);
                                    break;
                                case 1:
                                    row.Met[Int(reader, 3)] = Int(reader, 4);
                                    break;
                                default:
                                    row = (row.Students, Int(reader, 4), row.Met);
                                    break;
                            }

                            rows[key] = row;
                        }
                    }
                }

                return rows;
            },
            cancellationToken);
    }

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static int Int(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private string ReadinessSql(ReadinessReportRequest request, SkillId[] skills, Guid? from, Guid? to)
    {
        var inv = CultureInfo.InvariantCulture;
        var sql = new StringBuilder("WITH bands(grade, lo, hi) AS (VALUES ");
        sql.AppendJoin(", ", GradeLevel.All.Select(g =>
        {
            var band = request.TransitionGrades.BandOf(g);
            return string.Create(inv, $"({g.Ordinal}, {band.From.Ordinal}, {band.To.Ordinal})");
        }));
        sql.Append(')');
        if (skills.Length > 0)
        {
            sql.Append(", skills(skill_id, pos) AS (VALUES ");
            sql.AppendJoin(", ", skills.Select((s, i) => string.Create(inv, $"({GuidLiteral(s.Value)}, {i})")));
            sql.Append(')');
        }

        sql.Append(
            ", ranked AS (SELECT student_id, school_id, grade, ROW_NUMBER() OVER (PARTITION BY student_id ORDER BY entry_day DESC, seq DESC) AS rn "
            + "FROM enrollments WHERE district_id = @p0 AND year = @p1"
            + (from is { } lo ? " AND student_id >= " + GuidLiteral(lo) : string.Empty)
            + (to is { } hi ? " AND student_id < " + GuidLiteral(hi) : string.Empty)
            + ")"
            + ", cur AS (SELECT student_id, school_id, grade FROM ranked WHERE rn = 1");
        if (request.Grades.Count > 0)
        {
            sql.Append(" AND grade IN (").AppendJoin(", ", request.Grades.Select(g => g.Ordinal.ToString(inv))).Append(')');
        }

        if (request.Schools.Count > 0)
        {
            sql.Append(" AND school_id IN (").AppendJoin(", ", request.Schools.Select(s => GuidLiteral(s.Value))).Append(')');
        }

        sql.Append(')');

        // Students of each (school, grade) first; then, per student and skill, the evidence counts (from the
        // alignments alone, which carry their artifact's year, grade, state and reflection count); the skills a student meets; and from those, per (school, grade), how many students meet
        // each skill and how many meet all of them. Gaps are students minus those meeting the skill (computed by
        // the caller), so no step joins every (student, skill) pair back. A rule of zero artifacts and zero
        // reflections is met by everyone: the caller needs only the student counts.
        const string Students = " SELECT 0 AS kind, school_id, grade, -1 AS pos, COUNT(*) AS a FROM cur GROUP BY school_id, grade";
        if (skills.Length == 0 || (request.Rule.MinimumArtifactsPerSkill <= 0 && request.Rule.MinimumReflectionsPerSkill <= 0))
        {
            return sql.Append(Students).ToString();
        }

        sql.Append(
            ", counts AS (SELECT c.student_id, c.school_id, c.grade, s.pos, COUNT(*) AS n, SUM(CASE WHEN al.reflection_count > 0 THEN 1 ELSE 0 END) AS r "
            + "FROM cur c CROSS JOIN bands b CROSS JOIN artifact_alignments al CROSS JOIN skills s "
            + "WHERE b.grade = c.grade AND al.district_id = @p0 AND al.student_id = c.student_id "
            + "AND al.state IN (" + ((int)Artifacts.CurationState.Collected).ToString(inv) + ", " + ((int)Artifacts.CurationState.Showcased).ToString(inv) + ") "
            + "AND al.year <= @p1 AND al.grade >= b.lo AND al.grade <= b.hi" + (request.Rule.RequireReasoning ? " AND al.has_reasoning " : " ")
            + "AND s.skill_id = al.skill_id GROUP BY c.student_id, c.school_id, c.grade, s.pos)"
            + ", met AS (SELECT student_id, school_id, grade, pos FROM counts WHERE n >= @p2 AND r >= @p3) "
            + Students
            + " UNION ALL SELECT 1, school_id, grade, pos, COUNT(*) FROM met GROUP BY school_id, grade, pos"
            + " UNION ALL SELECT 2, school_id, grade, -1, COUNT(*) FROM (SELECT school_id, grade FROM met GROUP BY student_id, school_id, grade HAVING COUNT(*) = "
            + skills.Length.ToString(inv) + ") AS ready GROUP BY school_id, grade");
        return sql.ToString();
    }

    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rubric = request.Rubric;
        return RunAsync(
            "computing the level distribution",
            async c =>
            {
                // The database filters and groups the scores; each subject's levels are then combined with the
                // engine's own rule (EvaluationCombiner), so every store agrees on median, mean and so on.
                var given = new Dictionary<(Guid School, int Grade, Guid Subject, Guid Criterion), List<RubricLevel>>();
                var cmd = Command(
                    c,
                    null,
                    "SELECT school_id, grade, subject_id, criterion_id, level_id, COUNT(*) FROM evaluation_scores "
                    + "WHERE district_id = @p0 AND rubric_id = @p1 AND rubric_version = @p2 AND year = @p3 "
                    + (request.Schools.Count == 0 ? string.Empty : "AND school_id IN (" + string.Join(", ", request.Schools.Select(s => GuidLiteral(s.Value))) + ") ")
                    + (request.Grades.Count == 0 ? string.Empty : "AND grade IN (" + string.Join(", ", request.Grades.Select(g => g.Ordinal.ToString(CultureInfo.InvariantCulture))) + ") ")
                    + (request.MilestonesOnly ? "AND subject_id IN (SELECT id FROM milestones WHERE district_id = @p0) " : string.Empty)
                    + "GROUP BY school_id, grade, subject_id, criterion_id, level_id",
                    [D, Id(rubric.Id.Value), (ColKind.Int, rubric.Version), (ColKind.Int, request.Year.StartYear)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var criterion = rubric.FindCriterion(CriterionId.From(reader.GetGuid(3)));
                            var level = criterion?.FindLevel(LevelId.From(reader.GetGuid(4)));
                            if (level is null)
                            {
                                continue;
                            }

                            var key = (reader.GetGuid(0), Int(reader, 1), reader.GetGuid(2), criterion!.Id.Value);
                            if (!given.TryGetValue(key, out var list))
                            {
                                given[key] = list = [];
                            }

                            list.AddRange(Enumerable.Repeat(level, Int(reader, 5)));
                        }
                    }
                }

                return BuildDistribution(request, given);
            },
            cancellationToken);
    }

    private static LevelDistributionReport BuildDistribution(LevelDistributionRequest request, Dictionary<(Guid School, int Grade, Guid Subject, Guid Criterion), List<RubricLevel>> given)
    {
        var rubric = request.Rubric;
        var counts = new Dictionary<(Guid School, int Grade, Guid Criterion), Dictionary<LevelId, int>>();
        foreach (var ((school, grade, _, criterionId), levels) in given)
        {
            var criterion = rubric.FindCriterion(CriterionId.From(criterionId))!;
            var combined = EvaluationCombiner.CombineLevels(criterion, levels, request.Combination);
            var key = (school, grade, criterionId);
            if (!counts.TryGetValue(key, out var perLevel))
            {
                counts[key] = perLevel = [];
            }

            perLevel[combined.Id] = perLevel.GetValueOrDefault(combined.Id) + 1;
        }

        var rows = counts
            .Select(kv =>
            {
                var criterion = rubric.FindCriterion(CriterionId.From(kv.Key.Criterion))!;
                var levels = criterion.Levels.OrderBy(l => l.Position).Select(l => new LevelCount(l.Id, l.Name, kv.Value.GetValueOrDefault(l.Id))).ToValueList();
                var meets = criterion.Levels.Where(l => rubric.Meets(criterion, l)).Sum(l => kv.Value.GetValueOrDefault(l.Id));
                return (criterion.Position, Row: new LevelDistributionRow(SchoolId.From(kv.Key.School), GradeLevel.FromOrdinal(kv.Key.Grade), criterion.Id, kv.Value.Values.Sum(), levels, meets));
            })
            .OrderBy(x => x.Row.SchoolId)
            .ThenBy(x => x.Row.Grade)
            .ThenBy(x => x.Position)
            .Select(x => x.Row)
            .ToValueList();
        return new LevelDistributionReport(request.Year, rubric.Ref, rows);
    }
}
