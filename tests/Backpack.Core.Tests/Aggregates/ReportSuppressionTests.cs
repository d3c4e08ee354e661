using Backpack.Core.Reporting;
using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests.Aggregates;

/// <summary>A random pair of reports (readiness and levels) over a few schools and grades, and a minimum cell size; built from the seed, so a failure is reproducible.</summary>
/// <param name="Seed">Drives every count.</param>
/// <param name="MinimumCellSize">k.</param>
/// <param name="Schools">How many schools.</param>
/// <param name="Grades">How many grades.</param>
/// <param name="Skills">How many skills in the readiness report (0 to 3).</param>
/// <param name="MaxGroup">The largest group.</param>
/// <param name="RowShare">Percent of (school, grade) pairs with a row.</param>
public sealed record SuppressionCase(int Seed, int MinimumCellSize, int Schools, int Grades, int Skills, int MaxGroup, int RowShare)
{
    private static readonly SchoolId[] SchoolIds = Enumerable.Range(1, 6).Select(i => SchoolId.From(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).ToArray();
    private static readonly SkillId[] SkillIds = Enumerable.Range(1, 3).Select(i => SkillId.From(new Guid(i, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0))).ToArray();

    /// <summary>Two criteria: four levels meeting from the third, two levels meeting at the second.</summary>
    public static readonly (CriterionId Id, LevelId[] Levels, bool[] Meets)[] Criteria =
    [
        (CriterionId.From(new Guid(1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)), Enumerable.Range(1, 4).Select(i => LevelId.From(new Guid(i, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0))).ToArray(), [false, false, true, true]),
        (CriterionId.From(new Guid(2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)), Enumerable.Range(5, 2).Select(i => LevelId.From(new Guid(i, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0))).ToArray(), [false, true]),
    ];

    /// <summary>Which levels meet the bar, per criterion.</summary>
    public static IReadOnlyDictionary<CriterionId, bool[]> Meets => Criteria.ToDictionary(c => c.Id, c => c.Meets);

    /// <summary>The readiness report: per row, students each with a random set of skills not met (ready when none).</summary>
    /// <returns>A consistent report, as a store returns it.</returns>
    public ReadinessReport Readiness()
    {
        var rng = new Random(Seed);
        var rows = new List<ReadinessReportRow>();
        foreach (var (school, grade) in Cells(rng))
        {
            var students = rng.Next(1, MaxGroup + 1);
            var gaps = new int[Skills];
            var ready = 0;
            var missRate = rng.NextDouble() * 0.5;
            for (var i = 0; i < students; i++)
            {
                var any = false;
                for (var s = 0; s < Skills; s++)
                {
                    if (rng.NextDouble() < missRate)
                    {
                        gaps[s]++;
                        any = true;
                    }
                }

                ready += any ? 0 : 1;
            }

            rows.Add(new ReadinessReportRow(school, grade, students, ready, gaps.Select((g, s) => new SkillGapCount(SkillIds[s], g)).ToValueList()));
        }

        return new ReadinessReport(new SchoolYear(2025), rows.ToValueList());
    }

    /// <summary>The level distribution: per row and criterion, random level counts.</summary>
    /// <returns>A consistent report, as a store returns it.</returns>
    public LevelDistributionReport Levels()
    {
        var rng = new Random(Seed + 1);
        var rows = new List<LevelDistributionRow>();
        foreach (var (school, grade) in Cells(rng))
        {
            foreach (var (id, levels, meets) in Criteria)
            {
                var total = rng.Next(1, MaxGroup + 1);
                var counts = new int[levels.Length];
                var bias = rng.Next(levels.Length);
                for (var i = 0; i < total; i++)
                {
                    counts[rng.NextDouble() < 0.5 ? bias : rng.Next(levels.Length)]++;
                }

                rows.Add(new LevelDistributionRow(
                    school,
                    grade,
                    id,
                    total,
                    counts.Select((c, i) => new LevelCount(levels[i], $"L{i}", c)).ToValueList(),
                    counts.Where((_, i) => meets[i]).Sum()));
            }
        }

        return new LevelDistributionReport(new SchoolYear(2025), new Rubrics.RubricRef(RubricId.From(new Guid(9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 1), rows.ToValueList());
    }

    private List<(SchoolId, GradeLevel)> Cells(Random rng)
    {
        var cells = new List<(SchoolId, GradeLevel)>();
        for (var s = 0; s < Schools; s++)
        {
            for (var g = 0; g < Grades; g++)
            {
                if (rng.Next(100) < RowShare)
                {
                    cells.Add((SchoolIds[s], GradeLevel.FromOrdinal(g + 3)));
                }
            }
        }

        return cells;
    }
}

/// <summary>Explicit arbitraries for the suppression properties.</summary>
public static class SuppressionArbitraries
{
    public static Arbitrary<SuppressionCase> SuppressionCase() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from k in Gen.Frequency((1, Gen.Constant(1)), (1, Gen.Constant(2)), (6, Gen.Choose(3, 12)))
         from schools in Gen.Choose(1, 6)
         from grades in Gen.Choose(1, 4)
         from skills in Gen.Choose(0, 3)
         from maxGroup in Gen.Elements(3, 8, 15, 30, 60)
         from rowShare in Gen.Elements(40, 80, 100)
         select new SuppressionCase(seed, k, schools, grades, skills, maxGroup, rowShare)).ToArbitrary();
}

/// <summary>
/// Small-cell suppression on random reports: what is shown belongs to groups of at least k, no withheld count
/// follows from one equation of shown counts, k = 1 changes nothing, and suppressing twice is suppressing once.
/// The equations are written out here independently of the implementation.
/// </summary>
[Properties(Arbitrary = [typeof(SuppressionArbitraries)], MaxTest = 300)]
public sealed class ReportSuppressionTests
{
    [Property]
    public void Suppress_Readiness_ShownCountsBelongToGroupsOfAtLeastK(SuppressionCase c)
    {
        var raw = c.Readiness();
        var shown = ReportSuppression.Suppress(raw, c.MinimumCellSize);

        Assert.Equal(raw.Rows.Select(r => (r.SchoolId, r.Grade)), shown.Rows.Select(r => (r.SchoolId, r.Grade)));
        foreach (var (before, after) in raw.Rows.Zip(shown.Rows))
        {
            var n = before.Students!.Value;
            foreach (var (value, shownValue) in Counts(before).Zip(Counts(after)))
            {
                if (shownValue is { } v)
                {
                    Assert.Equal(value, v);
                    Assert.True(n >= c.MinimumCellSize, $"a count of a group of {n} shown with k = {c.MinimumCellSize}");
                    Assert.False(Small(v, c.MinimumCellSize) || (value != n && Small(n - v, c.MinimumCellSize)), $"count {v} of {n} shown with k = {c.MinimumCellSize}");
                }
            }
        }
    }

    [Property]
    public void Suppress_Levels_ShownCountsBelongToGroupsOfAtLeastK(SuppressionCase c)
    {
        var raw = c.Levels();
        var shown = ReportSuppression.Suppress(raw, SuppressionCase.Meets, c.MinimumCellSize);

        Assert.Equal(raw.Rows.Select(r => (r.SchoolId, r.Grade, r.CriterionId)), shown.Rows.Select(r => (r.SchoolId, r.Grade, r.CriterionId)));
        foreach (var (before, after) in raw.Rows.Zip(shown.Rows))
        {
            var n = before.Total!.Value;
            foreach (var (value, shownValue) in Counts(before).Zip(Counts(after)))
            {
                if (shownValue is { } v)
                {
                    Assert.Equal(value, v);
                    Assert.True(n >= c.MinimumCellSize, $"a count of a group of {n} shown with k = {c.MinimumCellSize}");
                    Assert.False(Small(v, c.MinimumCellSize) || (value != n && Small(n - v, c.MinimumCellSize)), $"count {v} of {n} shown with k = {c.MinimumCellSize}");
                }
            }
        }
    }

    [Property]
    public void Suppress_Readiness_NoWithheldCountFollowsFromOneEquation(SuppressionCase c)
    {
        var raw = c.Readiness();
        var shown = ReportSuppression.Suppress(raw, c.MinimumCellSize);
        var rows = raw.Rows;

        // Cells: (row, 0) students, (row, 1) ready, (row, 2 + s) not ready in skill s.
        int? Value(ReadinessReport report, (int Row, int Kind) cell)
        {
            var row = report.Rows[cell.Row];
            return cell.Kind switch { 0 => row.Students, 1 => row.Ready, _ => row.NotReadyBySkill[cell.Kind - 2].Students };
        }

        var equations = new List<(string What, (int Row, int Kind)[] Cells)>();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.NotReadyBySkill.Count == 0)
            {
                equations.Add(($"row {r}: ready = students (no skills)", [(r, 0), (r, 1)]));
            }

            for (var s = 0; s < row.NotReadyBySkill.Count; s++)
            {
                if (row.NotReadyBySkill[s].Students == row.Students - row.Ready)
                {
                    equations.Add(($"row {r}: students - ready = not ready in skill {s}", [(r, 0), (r, 1), (r, 2 + s)]));
                }
            }
        }

        var kinds = Enumerable.Range(0, 2 + c.Skills).ToArray();
        AddMargins(equations, rows.Select(r => ((object)r.SchoolId, (object)r.Grade)).ToList(), kinds);
        AssertNoSingleWithheld(equations, cell => Value(shown, cell), c);
        Assert.Equal(shown.Rows.Where(r => r.Students is not null && r.Ready is not null).Sum(r => r.Students!.Value), shown.Students);
        Assert.Equal(shown.Rows.Where(r => r.Students is not null && r.Ready is not null).Sum(r => r.Ready!.Value), shown.Ready);
    }

    [Property]
    public void Suppress_Levels_NoWithheldCountFollowsFromOneEquation(SuppressionCase c)
    {
        var raw = c.Levels();
        var shown = ReportSuppression.Suppress(raw, SuppressionCase.Meets, c.MinimumCellSize);

        // Cells: (row, 0) total, (row, 1) at or above meets, (row, 2 + i) level i.
        int? Value((int Row, int Kind) cell)
        {
            var row = shown.Rows[cell.Row];
            return cell.Kind switch { 0 => row.Total, 1 => row.AtOrAboveMeets, _ => row.Levels[cell.Kind - 2].Count };
        }

        var equations = new List<(string What, (int Row, int Kind)[] Cells)>();
        foreach (var (id, levels, meets) in SuppressionCase.Criteria)
        {
            var rowsOfCriterion = Enumerable.Range(0, raw.Rows.Count).Where(r => raw.Rows[r].CriterionId == id).ToList();
            foreach (var r in rowsOfCriterion)
            {
                var levelCells = Enumerable.Range(0, levels.Length).Select(i => (r, 2 + i)).ToArray();
                equations.Add(($"row {r}: total = levels", [(r, 0), .. levelCells]));
                equations.Add(($"row {r}: meets = meeting levels", [(r, 1), .. levelCells.Where((_, i) => meets[i])]));
                equations.Add(($"row {r}: total - meets = other levels", [(r, 0), (r, 1), .. levelCells.Where((_, i) => !meets[i])]));
            }

            var margins = new List<(string, (int, int)[])>();
            AddMargins(margins, rowsOfCriterion.Select(r => ((object)raw.Rows[r].SchoolId, (object)raw.Rows[r].Grade)).ToList(), Enumerable.Range(0, 2 + levels.Length).ToArray());
            equations.AddRange(margins.Select(m => ($"criterion {id}: {m.Item1}", m.Item2.Select(x => (rowsOfCriterion[x.Item1], x.Item2)).ToArray())));
        }

        AssertNoSingleWithheld(equations, Value, c);
    }

    [Property]
    public void Suppress_MinimumCellSizeOne_ReportsUnchanged(SuppressionCase c)
    {
        Assert.Equal(c.Readiness(), ReportSuppression.Suppress(c.Readiness(), 1));
        Assert.Equal(c.Levels(), ReportSuppression.Suppress(c.Levels(), SuppressionCase.Meets, 1));
    }

    [Property]
    public void Suppress_Twice_SameAsOnce(SuppressionCase c)
    {
        var readiness = ReportSuppression.Suppress(c.Readiness(), c.MinimumCellSize);
        var levels = ReportSuppression.Suppress(c.Levels(), SuppressionCase.Meets, c.MinimumCellSize);

        Assert.Equal(readiness, ReportSuppression.Suppress(readiness, c.MinimumCellSize));
        Assert.Equal(levels, ReportSuppression.Suppress(levels, SuppressionCase.Meets, c.MinimumCellSize));
    }

    [Fact]
    public void Suppress_OneStudentInASchoolAndGrade_EveryCountWithheld()
    {
        var school = SchoolId.New();
        var skill = SkillId.New();
        var raw = new ReadinessReport(new SchoolYear(2025), [new ReadinessReportRow(school, GradeLevel.Grade(5), 1, 1, [new SkillGapCount(skill, 0)])]);

        var shown = ReportSuppression.Suppress(raw, 10);

        var row = Assert.Single(shown.Rows);
        Assert.Equal(new ReadinessReportRow(school, GradeLevel.Grade(5), null, null, [new SkillGapCount(skill, null)]), row);
        Assert.Null(row.ShareReady);
        Assert.True(row.HasWithheldCounts);
        Assert.Equal(0, shown.Students);
        Assert.Equal(0, shown.Ready);
    }

    [Fact]
    public void Suppress_SmallCountInOneGrade_ComplementWithheldInTheSameGradeAndSchool()
    {
        // Ready: A5 = 3 of 40 (small), A6 = 30 of 40, B5 = 25 of 40, B6 = 20 of 40. Withholding A5 alone would let the
        // grade-5 and school-A margins give it away, so one more count is withheld in each, and then in B6.
        var (a, b) = (SchoolId.From(new Guid(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), SchoolId.From(new Guid(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        var skill = SkillId.New();
        ReadinessReportRow Row(SchoolId s, int grade, int ready) => new(s, GradeLevel.Grade(grade), 40, ready, [new SkillGapCount(skill, 40 - ready)]);
        var raw = new ReadinessReport(new SchoolYear(2025), [Row(a, 5, 3), Row(a, 6, 30), Row(b, 5, 25), Row(b, 6, 20)]);

        var shown = ReportSuppression.Suppress(raw, 10);

        Assert.All(shown.Rows, r => Assert.Equal(40, r.Students));
        Assert.All(shown.Rows, r => Assert.Null(r.Ready));
        Assert.All(shown.Rows, r => Assert.Null(r.NotReadyBySkill[0].Students));
        Assert.Equal(0, shown.Ready);
    }

    [Fact]
    public void Suppress_ZeroCounts_Shown()
    {
        var raw = new ReadinessReport(new SchoolYear(2025), [new ReadinessReportRow(SchoolId.New(), GradeLevel.Grade(5), 12, 12, [new SkillGapCount(SkillId.New(), 0)])]);

        Assert.Equal(raw, ReportSuppression.Suppress(raw, 10));
    }

    private static bool Small(int count, int k) => count > 0 && count < k;

    private static IEnumerable<int?> Counts(ReadinessReportRow row) => new[] { row.Students, row.Ready }.Concat(row.NotReadyBySkill.Select(g => g.Students));

    private static IEnumerable<int?> Counts(LevelDistributionRow row) => new[] { row.Total, row.AtOrAboveMeets }.Concat(row.Levels.Select(l => l.Count));

    /// <summary>For each kind of cell: its sum over the rows of each grade (across schools), of each school (across grades), and over all rows.</summary>
    private static void AddMargins(List<(string What, (int Row, int Kind)[] Cells)> equations, List<(object School, object Grade)> rows, int[] kinds)
    {
        var all = Enumerable.Range(0, rows.Count).ToList();
        foreach (var kind in kinds)
        {
            foreach (var g in all.GroupBy(r => rows[r].Grade))
            {
                equations.Add(($"kind {kind} over the schools of grade {g.Key}", g.Select(r => (r, kind)).ToArray()));
            }

            foreach (var s in all.GroupBy(r => rows[r].School))
            {
                equations.Add(($"kind {kind} over the grades of school {s.Key}", s.Select(r => (r, kind)).ToArray()));
            }

            equations.Add(($"kind {kind} over the report", all.Select(r => (r, kind)).ToArray()));
        }
    }

    private static void AssertNoSingleWithheld(List<(string What, (int Row, int Kind)[] Cells)> equations, Func<(int Row, int Kind), int?> value, SuppressionCase c)
    {
        foreach (var (what, cells) in equations.Where(e => e.Cells.Length >= 2))
        {
            var withheld = cells.Count(cell => value(cell) is null);
            Assert.True(withheld != 1, $"{what}: exactly one count withheld, so it follows from the others ({c})");
        }
    }
}
