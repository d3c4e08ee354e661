using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Backpack.Core.Relational;

/// <summary>How a column's value is bound and copied (each dialect maps it to its own type).</summary>
internal enum ColKind
{
    Text,
    Id,
    Int,
    Long,
    Bool,
    Time,
    Json,
}

/// <summary>A column of a table.</summary>
internal readonly record struct Col(string Name, ColKind Kind);

/// <summary>A table: its name and its columns, <c>district_id</c> first.</summary>
internal sealed class TableDef
{
    public TableDef(string name, params Col[] columns)
    {
        Name = name;
        Columns = [new Col("district_id", ColKind.Text), .. columns];
        ColumnList = string.Join(", ", Columns.Select(c => c.Name));
    }

    public string Name { get; }

    public Col[] Columns { get; }

    public string ColumnList { get; }
}

/// <summary>One aggregate as rows: its main row and the rows of its side tables.</summary>
/// <param name="Table">The main table.</param>
/// <param name="Kind">What kind of item (for concurrency errors).</param>
/// <param name="Id">The item id.</param>
/// <param name="ExpectedVersion">The version it was read at (0 = new).</param>
/// <param name="NewVersion">The version to store.</param>
/// <param name="Values">Values of the main table's columns after <c>district_id</c>: id, version, key columns, doc.</param>
/// <param name="Sides">Side-table rows, replaced on every write.</param>
/// <param name="InsertOnly">Whether the item can only be inserted (rubric versions).</param>
internal sealed record AggregateRows(TableDef Table, string Kind, Guid Id, long ExpectedVersion, long NewVersion, object?[] Values, SideRows[] Sides, bool InsertOnly = false)
{
    public string DisplayId => InsertOnly ? $"{Id:D} v{NewVersion}" : Id.ToString("D");
}

/// <summary>Rows of one side table owned by one aggregate (values after <c>district_id</c>, owner first).</summary>
internal sealed record SideRows(TableDef Table, List<object?[]> Rows);

/// <summary>The tables and how aggregates map to rows. Shared by the SQLite and PostgreSQL stores.</summary>
internal static class Schema
{
    public static readonly TableDef Frameworks = Main("frameworks");
    public static readonly TableDef Rubrics = Main("rubrics");
    public static readonly TableDef Schools = Main("schools");

    public static readonly TableDef Students = Main(
        "students",
        new Col("district_student_id", ColKind.Text),
        new Col("google_user_id", ColKind.Text),
        new Col("oneroster_sourced_id", ColKind.Text));

    public static readonly TableDef Enrollments = new(
        "enrollments",
        new Col("student_id", ColKind.Id),
        new Col("seq", ColKind.Int),
        new Col("year", ColKind.Int),
        new Col("grade", ColKind.Int),
        new Col("school_id", ColKind.Id),
        new Col("entry_day", ColKind.Int));

    public static readonly TableDef StudentGroups = new(
        "student_groups",
        new Col("student_id", ColKind.Id),
        new Col("group_name", ColKind.Text));

    public static readonly TableDef Rosters = Main("rosters", new Col("school_id", ColKind.Id), new Col("year", ColKind.Int));

    public static readonly TableDef RosterMembers = new(
        "roster_members",
        new Col("roster_id", ColKind.Id),
        new Col("role", ColKind.Int),
        new Col("member_id", ColKind.Id),
        new Col("year", ColKind.Int));

    public static readonly TableDef Artifacts = Main(
        "artifacts",
        new Col("student_id", ColKind.Id),
        new Col("year", ColKind.Int),
        new Col("grade", ColKind.Int),
        new Col("school_id", ColKind.Id),
        new Col("state", ColKind.Int),
        new Col("reflection_count", ColKind.Int),
        new Col("created_at", ColKind.Time));

    public static readonly TableDef ArtifactAlignments = new(
        "artifact_alignments",
        new Col("artifact_id", ColKind.Id),
        new Col("skill_id", ColKind.Id),
        new Col("student_id", ColKind.Id),
        new Col("has_reasoning", ColKind.Bool),
        new Col("year", ColKind.Int),
        new Col("grade", ColKind.Int),
        new Col("state", ColKind.Int),
        new Col("reflection_count", ColKind.Int));

    public static readonly TableDef Evaluations = Main(
        "evaluations",
        new Col("student_id", ColKind.Id),
        new Col("rubric_id", ColKind.Id),
        new Col("rubric_version", ColKind.Int),
        new Col("year", ColKind.Int),
        new Col("grade", ColKind.Int),
        new Col("school_id", ColKind.Id),
        new Col("artifact_id", ColKind.Id),
        new Col("milestone_id", ColKind.Id));

    public static readonly TableDef EvaluationScores = new(
        "evaluation_scores",
        new Col("evaluation_id", ColKind.Id),
        new Col("pos", ColKind.Int),
        new Col("rubric_id", ColKind.Id),
        new Col("rubric_version", ColKind.Int),
        new Col("year", ColKind.Int),
        new Col("school_id", ColKind.Id),
        new Col("grade", ColKind.Int),
        new Col("subject_id", ColKind.Id),
        new Col("criterion_id", ColKind.Id),
        new Col("level_id", ColKind.Id));

    public static readonly TableDef Milestones = Main(
        "milestones",
        new Col("student_id", ColKind.Id),
        new Col("year", ColKind.Int),
        new Col("status", ColKind.Int));

    /// <summary>Main tables in the order a change set or a bulk load writes them.</summary>
    public static readonly TableDef[] MainTables = [Frameworks, Rubrics, Schools, Students, Rosters, Artifacts, Evaluations, Milestones];

    /// <summary>Side tables, each owned by the main table's item named in its first column.</summary>
    public static readonly TableDef[] SideTables = [Enrollments, StudentGroups, RosterMembers, ArtifactAlignments, EvaluationScores];

    /// <summary>Role of a roster member.</summary>
    public const int TeacherRole = 0;

    /// <summary>Role of a roster member.</summary>
    public const int StudentRole = 1;

    private static TableDef Main(string name, params Col[] keys) =>
        new(name, [new Col("id", ColKind.Id), new Col("version", ColKind.Long), .. keys, new Col("doc", ColKind.Json)]);

    public static AggregateRows Rows(SkillsFramework f, bool utf8Json = false)
    {
        var v = f.Version + 1;
        return new(Frameworks, "framework", f.Id.Value, f.Version, v, [f.Id.Value, v, Doc(utf8Json, f with { Version = v })], []);
    }

    public static AggregateRows Rows(Rubric r, bool utf8Json = false) =>
        new(Rubrics, "rubric", r.Id.Value, 0, r.Version, [r.Id.Value, (long)r.Version, Doc(utf8Json, r)], [], InsertOnly: true);

    public static AggregateRows Rows(School s, bool utf8Json = false)
    {
        var v = s.Version + 1;
        return new(Schools, "school", s.Id.Value, s.Version, v, [s.Id.Value, v, Doc(utf8Json, s with { Version = v })], []);
    }

    public static AggregateRows Rows(Student s, bool utf8Json = false)
    {
        var v = s.Version + 1;
        var enrollments = new List<object?[]>(s.Enrollments.Count);
        for (var i = 0; i < s.Enrollments.Count; i++)
        {
            var e = s.Enrollments[i];
            enrollments.Add([s.Id.Value, i, e.Year.StartYear, e.Grade.Ordinal, e.SchoolId.Value, e.EntryDate.DayNumber]);
        }

        return new(
            Students,
            "student",
            s.Id.Value,
            s.Version,
            v,
            [s.Id.Value, v, s.DistrictStudentId, s.GoogleUserId, s.OneRosterSourcedId, Doc(utf8Json, s with { Version = v })],
            [new SideRows(Enrollments, enrollments), new SideRows(StudentGroups, s.Groups.Distinct(StringComparer.Ordinal).Select(g => new object?[] { s.Id.Value, g }).ToList())]);
    }

    public static AggregateRows Rows(Roster r, bool utf8Json = false)
    {
        var v = r.Version + 1;
        var members = new List<object?[]>(r.Teachers.Count + r.Students.Count);
        foreach (var t in r.Teachers.Distinct())
        {
            members.Add([r.Id.Value, TeacherRole, t.Value, r.Year.StartYear]);
        }

        foreach (var s in r.Students.Distinct())
        {
            members.Add([r.Id.Value, StudentRole, s.Value, r.Year.StartYear]);
        }

        return new(Rosters, "roster", r.Id.Value, r.Version, v, [r.Id.Value, v, r.SchoolId.Value, r.Year.StartYear, Doc(utf8Json, r with { Version = v })], [new SideRows(RosterMembers, members)]);
    }

    public static AggregateRows Rows(Artifact a, bool utf8Json = false)
    {
        var v = a.Version + 1;
        var bySkill = new Dictionary<SkillId, bool>();
        foreach (var al in a.Alignments)
        {
            bySkill[al.SkillId] = (bySkill.TryGetValue(al.SkillId, out var had) && had) || al.HasReasoning;
        }

        var alignments = new List<object?[]>(bySkill.Count);
        foreach (var (skill, reasoning) in bySkill)
        {
            // The artifact's evidence columns are copied on each alignment (rewritten with the artifact), so the
            // readiness report reads alignments alone, through one covering index.
            alignments.Add([a.Id.Value, skill.Value, a.StudentId.Value, reasoning, a.Captured.Year.StartYear, a.Captured.Grade.Ordinal, (int)a.State, a.Reflections.Count]);
        }

        return new(
            Artifacts,
            "artifact",
            a.Id.Value,
            a.Version,
            v,
            [a.Id.Value, v, a.StudentId.Value, a.Captured.Year.StartYear, a.Captured.Grade.Ordinal, a.Captured.SchoolId.Value, (int)a.State, a.Reflections.Count, a.CreatedAt, Doc(utf8Json, a with { Version = v })],
            [new SideRows(ArtifactAlignments, alignments)]);
    }

    public static AggregateRows Rows(Evaluation e, bool utf8Json = false)
    {
        var v = e.Version + 1;
        var subject = e.ArtifactId?.Value ?? e.MilestoneId?.Value ?? e.Id.Value;
        var scores = new List<object?[]>(e.Scores.Count);
        for (var i = 0; i < e.Scores.Count; i++)
        {
            var s = e.Scores[i];
            scores.Add([e.Id.Value, i, e.Rubric.Id.Value, e.Rubric.Version, e.Context.Year.StartYear, e.Context.SchoolId.Value, e.Context.Grade.Ordinal, subject, s.CriterionId.Value, s.LevelId.Value]);
        }

        return new(
            Evaluations,
            "evaluation",
            e.Id.Value,
            e.Version,
            v,
            [e.Id.Value, v, e.StudentId.Value, e.Rubric.Id.Value, e.Rubric.Version, e.Context.Year.StartYear, e.Context.Grade.Ordinal, e.Context.SchoolId.Value, e.ArtifactId?.Value, e.MilestoneId?.Value, Doc(utf8Json, e with { Version = v })],
            [new SideRows(EvaluationScores, scores)]);
    }

    public static AggregateRows Rows(Milestone m, bool utf8Json = false)
    {
        var v = m.Version + 1;
        return new(Milestones, "milestone", m.Id.Value, m.Version, v, [m.Id.Value, v, m.StudentId.Value, m.Context.Year.StartYear, (int)m.Status, Doc(utf8Json, m with { Version = v })], []);
    }

    /// <summary>Every item of a change set as rows, in write order (kind by kind, by id within a kind, so concurrent writers lock rows in the same order).</summary>
    public static IEnumerable<AggregateRows> RowsOf(ChangeSet c) =>
        c.Frameworks.OrderBy(x => x.Id).Select(x => Rows(x))
            .Concat(c.Rubrics.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Schools.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Students.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Rosters.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Artifacts.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Evaluations.OrderBy(x => x.Id).Select(x => Rows(x)))
            .Concat(c.Milestones.OrderBy(x => x.Id).Select(x => Rows(x)));

    /// <summary>Every item of a data set as new rows, table by table.</summary>
    /// <param name="d">The data set.</param>
    /// <param name="utf8Json">Documents as UTF-8 JSON bytes (<see cref="byte"/> arrays) instead of strings.</param>
    public static IEnumerable<AggregateRows> RowsOf(DistrictDataSet d, bool utf8Json = false) =>
        d.Frameworks.Select(x => Rows(x with { Version = 0 }, utf8Json))
            .Concat(d.Rubrics.Select(x => Rows(x, utf8Json)))
            .Concat(d.Schools.Select(x => Rows(x with { Version = 0 }, utf8Json)))
            .Concat(d.Students.Select(x => Rows(x with { Version = 0 }, utf8Json)))
            .Concat(d.Rosters.Select(x => Rows(x with { Version = 0 }, utf8Json)))
            .Concat(d.Artifacts.Select(x => Rows(x with { Version = 0 }, utf8Json)))
            .Concat(d.Evaluations.Select(x => Rows(x with { Version = 0 }, utf8Json)))
            .Concat(d.Milestones.Select(x => Rows(x with { Version = 0 }, utf8Json)));

    /// <summary>A document as JSON: a string, or its UTF-8 bytes (same text, no UTF-16 string in between).</summary>
    private static object Doc<T>(bool utf8Json, T value) =>
        utf8Json
            ? JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)BackpackJson.Options.GetTypeInfo(typeof(T)))
            : BackpackJson.Serialize(value);

    /// <summary>An audit record's column values after <c>district_id</c>: at, actor_id, student_id, doc.</summary>
    public static object?[] AuditValues(AuditRecord r) => [r.At, r.ActorId, r.StudentId?.Value, BackpackJson.Serialize(r)];
}
