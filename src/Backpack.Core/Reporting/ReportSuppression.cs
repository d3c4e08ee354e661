namespace Backpack.Core.Reporting;

/// <summary>
/// Small-cell suppression of aggregate reports: pure functions from a report and a minimum cell size k to the
/// report with some counts withheld (<see langword="null"/>).
/// </summary>
/// <remarks>
/// <para>
/// Primary suppression (decided from the row alone, so every report that contains a row withholds the same
/// counts of it): a row whose group (readiness: students; level distribution: results) is smaller than k has
/// every count withheld; otherwise a count is withheld when it, or its complement within the row (the group
/// minus the count), is 1 to k-1. Zeros are shown.
/// </para>
/// <para>
/// Complementary suppression: the counts are tied by equations a reader could subtract with. Within a row:
/// results = the sum of the level counts, at-or-above-meets = the sum of the meeting levels' counts, and
/// results - at-or-above-meets = the sum of the other levels' counts; readiness: students - ready = not ready
/// in skill s whenever every student not ready overall is not ready in s (in particular with one skill, or
/// with none: ready = students). Across rows (the margins, assumed known to the reader even though a report
/// does not print them): each measure summed over the schools of one grade, over the grades of one school
/// (per criterion for levels), and over the whole report. Whenever an equation has exactly one withheld
/// count, another of its counts is withheld (the smallest non-zero count, a row total last), until no
/// equation of two or more counts has exactly one. A margin of a single count equals that count and cannot
/// be protected by other cells; the reports do not print margins.
/// </para>
/// <para>
/// With k = 1 nothing is withheld. Suppressing a suppressed report changes nothing (withheld counts stay
/// withheld; equations whose terms are withheld are not re-derived).
/// </para>
/// </remarks>
internal static class ReportSuppression
{
    /// <summary>Withholds the counts of small groups from a readiness report.</summary>
    /// <param name="report">The report, possibly already suppressed.</param>
    /// <param name="minimumCellSize">The smallest group shown, at least 1 (1: nothing is withheld).</param>
    /// <returns>The report with withheld counts set to <see langword="null"/>; rows, order and ids unchanged.</returns>
    public static ReadinessReport Suppress(ReadinessReport report, int minimumCellSize)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCellSize, 1);
        if (minimumCellSize == 1)
        {
            return report;
        }

        var k = minimumCellSize;
        var table = new SuppressionTable();
        var rows = report.Rows;
        var studentCells = new int[rows.Count];
        var readyCells = new int[rows.Count];
        var gapCells = new int[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var n = row.Students;
            studentCells[r] = table.Add(n, isRowTotal: true);
            readyCells[r] = table.Add(row.Ready);
            gapCells[r] = row.NotReadyBySkill.Select(g => table.Add(g.Students)).ToArray();

            // Primary suppression, from the row alone.
            WithholdPrimary(table, studentCells[r], n, [(readyCells[r], row.Ready), .. gapCells[r].Select((cell, s) => (cell, row.NotReadyBySkill[s].Students))], k);

            // Within the row: students - ready = not ready in s, when s's gaps are exactly the overall gaps.
            if (n is { } all && row.Ready is { } ready)
            {
                if (gapCells[r].Length == 0)
                {
                    table.Equation([studentCells[r], readyCells[r]]);
                }

                for (var s = 0; s < gapCells[r].Length; s++)
                {
                    if (row.NotReadyBySkill[s].Students == all - ready)
                    {
                        table.Equation([studentCells[r], readyCells[r], gapCells[r][s]]);
                    }
                }
            }
        }

        // Across rows: students, ready and each skill's gaps over the schools of a grade, the grades of a school, and all rows.
        var skillCount = rows.Count == 0 ? 0 : rows.Max(r => r.NotReadyBySkill.Count);
        AddMargins(table, Enumerable.Range(0, rows.Count), r => rows[r].Grade, r => rows[r].SchoolId, Measures(studentCells, readyCells, gapCells, skillCount));

        table.Complete();
        var result = new ReadinessReportRow[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var gaps = new SkillGapCount[row.NotReadyBySkill.Count];
            for (var s = 0; s < gaps.Length; s++)
            {
                gaps[s] = row.NotReadyBySkill[s] with { Students = table.Shown(gapCells[r][s]) };
            }

            result[r] = row with { Students = table.Shown(studentCells[r]), Ready = table.Shown(readyCells[r]), NotReadyBySkill = ValueList<SkillGapCount>.FromArray(gaps) };
        }

        return report with { Rows = ValueList<ReadinessReportRow>.FromArray(result) };
    }

    /// <summary>Withholds the counts of small groups from a level-distribution report.</summary>
    /// <param name="report">The report, possibly already suppressed.</param>
    /// <param name="meets">Per criterion, which level positions (lowest first) count as meeting the bar; a criterion missing here has its at-or-above-meets equations left out.</param>
    /// <param name="minimumCellSize">The smallest group shown, at least 1 (1: nothing is withheld).</param>
    /// <returns>The report with withheld counts set to <see langword="null"/>; rows, order and ids unchanged.</returns>
    public static LevelDistributionReport Suppress(LevelDistributionReport report, IReadOnlyDictionary<CriterionId, bool[]> meets, int minimumCellSize)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(meets);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCellSize, 1);
        if (minimumCellSize == 1)
        {
            return report;
        }

        var k = minimumCellSize;
        var table = new SuppressionTable();
        var rows = report.Rows;
        var totalCells = new int[rows.Count];
        var meetsCells = new int[rows.Count];
        var levelCells = new int[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            totalCells[r] = table.Add(row.Total, isRowTotal: true);
            meetsCells[r] = table.Add(row.AtOrAboveMeets);
            levelCells[r] = row.Levels.Select(l => table.Add(l.Count)).ToArray();
            WithholdPrimary(table, totalCells[r], row.Total, [(meetsCells[r], row.AtOrAboveMeets), .. levelCells[r].Select((cell, i) => (cell, row.Levels[i].Count))], k);

            // Within the row: total = all levels; at or above meets = the meeting levels; total - meets = the others.
            table.Equation([totalCells[r], .. levelCells[r]]);
            if (meets.TryGetValue(row.CriterionId, out var meeting) && meeting.Length == levelCells[r].Length)
            {
                table.Equation([meetsCells[r], .. levelCells[r].Where((_, i) => meeting[i])]);
                table.Equation([totalCells[r], meetsCells[r], .. levelCells[r].Where((_, i) => !meeting[i])]);
            }
        }

        // Across rows of one criterion: total, at-or-above-meets and each level over the schools of a grade, the grades of a school, and all rows.
        foreach (var criterion in Enumerable.Range(0, rows.Count).GroupBy(r => rows[r].CriterionId))
        {
            var levelCount = criterion.Max(r => levelCells[r].Length);
            AddMargins(table, criterion, r => rows[r].Grade, r => rows[r].SchoolId, Measures(totalCells, meetsCells, levelCells, levelCount));
        }

        table.Complete();
        var result = new LevelDistributionRow[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var levels = new LevelCount[row.Levels.Count];
            for (var i = 0; i < levels.Length; i++)
            {
                levels[i] = row.Levels[i] with { Count = table.Shown(levelCells[r][i]) };
            }

            result[r] = row with { Total = table.Shown(totalCells[r]), AtOrAboveMeets = table.Shown(meetsCells[r]), Levels = ValueList<LevelCount>.FromArray(levels) };
        }

        return report with { Rows = ValueList<LevelDistributionRow>.FromArray(result) };
    }

    /// <summary>
    /// Withholds the counts of small groups from a coverage report: primary suppression of every row (school rows,
    /// district rows and group rows: students, and per skill those with evidence and those meeting the rule), then
    /// complementary suppression of the school rows against their margins (each measure over the schools of one grade,
    /// which the district rows print, over the grades of one school, and over the report).
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="minimumCellSize">The smallest group shown, at least 1 (1: nothing is withheld).</param>
    /// <returns>The report with withheld counts set to <see langword="null"/>; rows, order and ids unchanged.</returns>
    public static CoverageReport Suppress(CoverageReport report, int minimumCellSize)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCellSize, 1);
        if (minimumCellSize == 1)
        {
            return report;
        }

        var k = minimumCellSize;
        var table = new SuppressionTable();
        var rows = report.Rows;
        var studentCells = new int[rows.Count];
        var skillCells = new Dictionary<(int Row, SkillId Skill, bool Meeting), int>();
        for (var r = 0; r < rows.Count; r++)
        {
            var (students, cells) = AddCoverageRow(table, rows[r], k);
            studentCells[r] = students;
            foreach (var (skill, meeting, cell) in cells)
            {
                skillCells[(r, skill, meeting)] = cell;
            }
        }

        var measures = new List<Func<int, int>> { r => studentCells[r] };
        foreach (var skill in rows.SelectMany(r => r.Skills.Select(s => s.SkillId)).Distinct())
        {
            foreach (var meeting in new[] { false, true })
            {
                measures.Add(r => skillCells.TryGetValue((r, skill, meeting), out var cell) ? cell : -1);
            }
        }

        AddMargins(table, Enumerable.Range(0, rows.Count), r => rows[r].Grade, r => rows[r].SchoolId ?? default, measures);
        table.Complete();
        var shownRows = new CoverageReportRow[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            shownRows[r] = row with
            {
                Students = table.Shown(studentCells[r]),
                Skills = row.Skills.Select(s => s with { WithEvidence = table.Shown(skillCells[(r, s.SkillId, false)]), MeetingRule = table.Shown(skillCells[(r, s.SkillId, true)]) }).ToValueList(),
            };
        }

        return report with
        {
            Rows = ValueList<CoverageReportRow>.FromArray(shownRows),
            District = report.District.Select(r => PrimaryOnly(r, k)).ToValueList(),
            Groups = report.Groups.Select(g => g with { Row = PrimaryOnly(g.Row, k) }).ToValueList(),
        };
    }

    /// <summary>Adds a coverage row's cells with their primary suppression; returns the student cell and each skill's two cells.</summary>
    private static (int Students, List<(SkillId Skill, bool Meeting, int Cell)> Cells) AddCoverageRow(SuppressionTable table, CoverageReportRow row, int k)
    {
        var students = table.Add(row.Students, isRowTotal: true);
        var cells = new List<(SkillId, bool, int)>();
        foreach (var s in row.Skills)
        {
            cells.Add((s.SkillId, false, table.Add(s.WithEvidence)));
            cells.Add((s.SkillId, true, table.Add(s.MeetingRule)));
        }

        WithholdPrimary(table, students, row.Students, [.. cells.Select(c => (c.Item3, row.Skills.First(x => x.SkillId == c.Item1) is var x && c.Item2 ? x.MeetingRule : x.WithEvidence))], k);

        return (students, cells);
    }

    /// <summary>A row with primary suppression only (rows no other shown row sums to).</summary>
    private static CoverageReportRow PrimaryOnly(CoverageReportRow row, int k)
    {
        var table = new SuppressionTable();
        var (students, cells) = AddCoverageRow(table, row, k);
        return row with
        {
            Students = table.Shown(students),
            Skills = row.Skills.Select(s => s with
            {
                WithEvidence = table.Shown(cells.First(c => c.Skill == s.SkillId && !c.Meeting).Cell),
                MeetingRule = table.Shown(cells.First(c => c.Skill == s.SkillId && c.Meeting).Cell),
            }).ToValueList(),
        };
    }

    /// <summary>
    /// Withholds small counts from a growth report: a share of fewer than k results has both counts withheld; otherwise
    /// the meeting count is withheld when it, or the results not meeting, is 1 to k-1. The report prints no totals
    /// across skills or years, so no complements are needed.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="minimumCellSize">The smallest group shown, at least 1.</param>
    /// <returns>The report with withheld counts set to <see langword="null"/>.</returns>
    public static GrowthReport Suppress(GrowthReport report, int minimumCellSize)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCellSize, 1);
        var k = minimumCellSize;
        GrowthShare One(GrowthShare s) => s.Results is not { } n ? s
            : n < k ? s with { Results = null, Meeting = null }
            : s.Meeting is { } m && ((m > 0 && m < k) || (n - m > 0 && n - m < k)) ? s with { Meeting = null }
            : s;
        return k == 1 ? report : new GrowthReport(
            report.ByYear.Select(One).ToValueList(),
            report.Cohorts.Select(c => c with { Points = c.Points.Select(One).ToValueList() }).ToValueList());
    }

    /// <summary>
    /// Primary suppression of one row, from the row alone: a group of fewer than k (its total 1 to k-1) has the total and
    /// every part withheld; otherwise each part is withheld when it or its complement is 1 to k-1 (<see cref="WithholdIfSmall"/>).
    /// </summary>
    private static void WithholdPrimary(SuppressionTable table, int totalCell, int? total, (int Cell, int? Count)[] parts, int k)
    {
        if (total is { } group && group < k)
        {
            table.Withhold(totalCell);
            Array.ForEach(parts, p => table.Withhold(p.Cell));
        }
        else if (total is { } size)
        {
            foreach (var (cell, count) in parts)
            {
                WithholdIfSmall(table, cell, count, size, k);
            }
        }
    }

    /// <summary>The measures of a row's margins: its total cell, its summary cell, and each position of its detail cells (-1 where a row has fewer).</summary>
    private static List<Func<int, int>> Measures(int[] totalCells, int[] summaryCells, int[][] detailCells, int detailCount)
    {
        var measures = new List<Func<int, int>> { r => totalCells[r], r => summaryCells[r] };
        for (var i = 0; i < detailCount; i++)
        {
            var position = i;
            measures.Add(r => position < detailCells[r].Length ? detailCells[r][position] : -1);
        }

        return measures;
    }

    /// <summary>Primary suppression of one count of a group of <paramref name="size"/> (at least k): withheld when it or its complement is 1 to k-1.</summary>
    private static void WithholdIfSmall(SuppressionTable table, int cell, int? count, int size, int k)
    {
        if (count is { } c && ((c > 0 && c < k) || (size - c > 0 && size - c < k)))
        {
            table.Withhold(cell);
        }
    }

    /// <summary>Each measure summed over the schools of one grade, over the grades of one school, and over all <paramref name="rows"/>: one equation per margin.</summary>
    private static void AddMargins(SuppressionTable table, IEnumerable<int> rows, Func<int, Students.GradeLevel> grade, Func<int, SchoolId> school, IReadOnlyList<Func<int, int>> measures)
    {
        var all = rows.ToArray();
        IEnumerable<IEnumerable<int>> margins = [.. all.GroupBy(grade), .. all.GroupBy(school), all];
        foreach (var margin in margins)
        {
            foreach (var measure in measures)
            {
                table.Equation(margin.Select(measure).Where(c => c >= 0).ToArray());
            }
        }
    }
}
