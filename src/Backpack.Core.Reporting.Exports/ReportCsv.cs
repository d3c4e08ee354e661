using System.Globalization;
using Backpack.Core.Students;
using CsvHelper;

namespace Backpack.Core.Reporting.Exports;

/// <summary>
/// Reports as CSV (RFC 4180, through CsvHelper): one line per count, ids beside names, a withheld count as an empty
/// field, shares with four decimals. Names are text from the district: CsvHelper quotes them where needed and escapes a
/// name that a spreadsheet would run as a formula (<see cref="CsvInjection.Escape"/>).
/// </summary>
public static class ReportCsv
{
    /// <summary>The readiness report's columns.</summary>
    public static IReadOnlyList<string> ReadinessColumns { get; } = ["year", "school_id", "school", "grade", "students", "ready", "share_ready", "skill_id", "skill", "not_ready"];

    /// <summary>The coverage report's columns.</summary>
    public static IReadOnlyList<string> CoverageColumns { get; } = ["year", "level", "school_id", "school", "group", "grade", "students", "skill_id", "skill", "with_evidence", "meeting_rule", "share_with_evidence", "district_share_with_evidence", "gap"];

    /// <summary>The growth report's columns.</summary>
    public static IReadOnlyList<string> GrowthColumns { get; } = ["kind", "start_year", "start_grade", "year", "grade", "skill_id", "skill", "results", "meeting", "share_meeting"];

    /// <summary>Writes a readiness report: per school and grade, one line per skill (its not-ready count), or one line without a skill.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where.</param>
    public static void WriteReadiness(ReadinessReport report, TextWriter writer)
    {
        using var csv = Start(report, writer, ReadinessColumns);
        foreach (var row in report.Rows)
        {
            var skills = row.NotReadyBySkill.Count == 0 ? [null] : row.NotReadyBySkill.Select(g => (SkillGapCount?)g).ToArray();
            foreach (var gap in skills)
            {
                Line(csv, report.Year.ToString(), row.SchoolId.ToString(), ReportLabel.Of(row.SchoolName, row.SchoolId), Grade(row.Grade), row.Students, row.Ready, row.ShareReady, gap?.SkillId.ToString() ?? string.Empty, gap is null ? string.Empty : ReportLabel.Of(gap.SkillName, gap.SkillId), gap?.Students);
            }
        }
    }

    /// <summary>Writes a coverage report: school rows, then the district's rows, then group rows; one line per skill.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where.</param>
    public static void WriteCoverage(CoverageReport report, TextWriter writer)
    {
        using var csv = Start(report, writer, CoverageColumns);
        var district = report.District.ToDictionary(r => r.Grade);
        foreach (var (level, group, row) in report.Rows.Select(r => ("school", string.Empty, r))
            .Concat(report.District.Select(r => ("district", string.Empty, r)))
            .Concat(report.Groups.Select(g => ("group", g.Group, g.Row))))
        {
            foreach (var s in row.Skills)
            {
                var share = row.ShareWithEvidence(s.SkillId);
                var districtShare = district.TryGetValue(row.Grade, out var d) ? d.ShareWithEvidence(s.SkillId) : null;
                Line(
                    csv,
                    report.Year.ToString(),
                    level,
                    row.SchoolId?.ToString() ?? string.Empty,
                    row.SchoolId is { } school ? ReportLabel.Of(row.SchoolName, school) : string.Empty,
                    group,
                    Grade(row.Grade),
                    row.Students,
                    s.SkillId.ToString(),
                    ReportLabel.Of(s.SkillName, s.SkillId),
                    s.WithEvidence,
                    s.MeetingRule,
                    share,
                    districtShare,
                    share - districtShare);
            }
        }
    }

    /// <summary>Writes a growth report: the shares by year and skill, then each cohort's points.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where.</param>
    public static void WriteGrowth(GrowthReport report, TextWriter writer)
    {
        using var csv = Start(report, writer, GrowthColumns);
        foreach (var s in report.ByYear)
        {
            Share(csv, "year", string.Empty, string.Empty, s);
        }

        foreach (var c in report.Cohorts)
        {
            foreach (var s in c.Points)
            {
                Share(csv, "cohort", c.StartYear.ToString(), Grade(c.StartGrade), s);
            }
        }
    }

    private static void Share(CsvWriter csv, string kind, string startYear, string startGrade, GrowthShare s) =>
        Line(csv, kind, startYear, startGrade, s.Year.ToString(), s.Grade is { } g ? Grade(g) : string.Empty, s.SkillId?.ToString() ?? string.Empty, s.SkillId is { } skill ? ReportLabel.Of(s.SkillName, skill) : string.Empty, s.Results, s.Meeting, s.Share);

    /// <summary>A grade as the CSV writes it (<c>PK</c>, <c>K</c>, <c>1</c> to <c>12</c>).</summary>
    /// <param name="grade">The grade.</param>
    /// <returns>The text.</returns>
    public static string Grade(GradeLevel grade) => grade.ToString();

    /// <summary>Checks the arguments, opens the CSV writer over <paramref name="writer"/> and writes the header line.</summary>
    private static CsvWriter Start(object report, TextWriter writer, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var csv = Create(writer);
        Header(csv, columns);
        return csv;
    }

    private static CsvWriter Create(TextWriter writer) =>
        CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, true);

    private static void Header(CsvWriter csv, IReadOnlyList<string> columns)
    {
        foreach (var c in columns)
        {
            csv.WriteField(c);
        }

        csv.EndRecord();
    }

    /// <summary>One line: text as text (escaped if a spreadsheet would run it), counts as integers, shares with four decimals, null as an empty field.</summary>
    private static void Line(CsvWriter csv, params object?[] fields)
    {
        foreach (var f in fields)
        {
            switch (f)
            {
                case null:
                    csv.WriteField(string.Empty);
                    break;
                case int n:
                    csv.WriteField(n, default);
                    break;
                case double d:
                    csv.WriteField(d, "0.0000");
                    break;
                default:
                    csv.WriteField((string)f);
                    break;
            }
        }

        csv.EndRecord();
    }
}
