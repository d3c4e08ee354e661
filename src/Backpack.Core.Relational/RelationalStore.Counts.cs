using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <summary>
/// The transition grades and evidence rule the maintained report rows (<c>student_years</c>) are computed with:
/// the district's own (<c>BackpackOptions.Transitions</c> and <c>EvidenceRule</c>). A report asking for another
/// rule or other transition grades is computed from the alignments instead (same result, slower).
/// </summary>
/// <param name="Transitions">The transition grades (they decide the band whose evidence counts).</param>
/// <param name="Rule">The evidence rule.</param>
internal sealed record ReportBasis(TransitionGrades Transitions, EvidenceRule Rule)
{
    /// <summary>The defaults of <c>BackpackOptions</c>: grades 5, 8 and 12, the default rule.</summary>
    public static ReportBasis Default { get; } = new(TransitionGrades.Default, new EvidenceRule());

    /// <summary>The basis as stored in <c>report_basis</c>.</summary>
    public string Key => string.Create(
        CultureInfo.InvariantCulture,
        $"transitions={string.Join(',', Transitions.Grades.Select(g => g.Ordinal))};artifacts={Rule.MinimumArtifactsPerSkill};reflections={Rule.MinimumReflectionsPerSkill};reasoning={(Rule.RequireReasoning ? 1 : 0)}");

    /// <summary>Whether a report with these transition grades and rule can read the maintained rows.</summary>
    public bool Serves(TransitionGrades transitions, EvidenceRule rule) =>
        rule.MinimumArtifactsPerSkill == Rule.MinimumArtifactsPerSkill
        && rule.MinimumReflectionsPerSkill == Rule.MinimumReflectionsPerSkill
        && rule.RequireReasoning == Rule.RequireReasoning
        && GradeLevel.All.All(g => transitions.BandOf(g) == Transitions.BandOf(g));
}

/// <content>
/// Maintained evidence counts. <c>evidence_counts</c> holds, per student, capture year, capture grade and skill, how
/// many collected (or showcased) artifacts are aligned to the skill, with reasoning, with a reflection, and with
/// both; every write that changes an artifact's alignments, state, reflections or owner adds its difference in the
/// same transaction (the old side rows come back from their <c>DELETE ... RETURNING</c>). <c>student_years</c> holds,
/// per student and school year, where the student ended the year (school and grade of the latest enrollment) and two
/// skill bit masks (bit = the skill's slot in <c>skill_slots</c>): skills met under the <see cref="ReportBasis"/>
/// (evidence of the band up to that year) and skills with at least one collected artifact captured that year. A
/// student's rows are recomputed, in the same transaction, whenever the student or one of their artifacts is written,
/// and the report cells (<c>readiness_cells</c>, <c>coverage_cells</c>) lose the old rows and gain the new ones. Reports
/// then read a few thousand cells: no join, no scan of the alignments.
/// </content>
internal abstract partial class RelationalStore
{
    /// <summary>Slots 0 to 62: a mask is a positive 64-bit integer.</summary>
    internal const int MaxSlots = 63;

    /// <summary>
    /// Skills in slots 0 to 7 also have a 16-bit lane in <c>met_lanes0/1</c> and <c>year_lanes0/1</c> (slot s: bits
    /// 16 x (s mod 4) of column s / 4), so summing one column counts four skills at once; a report over rows of more than
    /// 65,535 students, or over skills in later slots, sums the mask bits instead.
    /// </summary>
    internal const int LaneSlots = 8;

    /// <summary>A skill's count out of the lane sums of a group of rows.</summary>
    internal static int Lane(long lanes0, long lanes1, int slot) => (int)(((slot < 4 ? lanes0 : lanes1) >> (16 * (slot % 4))) & 0xFFFF);

    /// <summary>The lock key of the district's report cells (see <see cref="UpdateCellsAsync"/>).</summary>
    private static readonly Guid CellsLock = new(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private readonly ConcurrentDictionary<Guid, int> _slots = new();

    /// <summary>The rule and transition grades the maintained rows use (set once, before first use).</summary>
    internal ReportBasis Basis { get; set; } = ReportBasis.Default;

    /// <summary>One artifact's alignment row, as stored: what it adds to the counts.</summary>
    private readonly record struct EvidenceKey(Guid Student, int Year, int Grade, Guid Skill);

    /// <summary>Differences to the counts of one change set.</summary>
    private sealed class EvidenceDelta
    {
        public Dictionary<EvidenceKey, (int Artifacts, int Reasoned, int Reflected, int ReasonedReflected)> Counts { get; } = [];

        public HashSet<Guid> Students { get; } = [];

        /// <summary>Adds (sign +1) or removes (sign -1) an alignment row's evidence (nothing unless collected or showcased).</summary>
        public void Add(Guid student, int year, int grade, Guid skill, bool reasoning, int state, int reflections, int sign)
        {
            Students.Add(student);
            if (state != (int)Artifacts.CurationState.Collected && state != (int)Artifacts.CurationState.Showcased)
            {
                return;
            }

            var key = new EvidenceKey(student, year, grade, skill);
            var (a, n, r, nr) = Counts.GetValueOrDefault(key);
            var reflected = reflections > 0;
            Counts[key] = (a + sign, n + (reasoning ? sign : 0), r + (reflected ? sign : 0), nr + (reasoning && reflected ? sign : 0));
        }
    }

    /// <summary>Adds a change set's differences to <c>evidence_counts</c>, then recomputes the touched students' <c>student_years</c>.</summary>
    private async Task ApplyEvidenceAsync(DbConnection c, DbTransaction tx, EvidenceDelta delta, CancellationToken cancellationToken)
    {
        foreach (var (key, (a, n, r, nr)) in delta.Counts)
        {
            if (a == 0 && n == 0 && r == 0 && nr == 0)
            {
                continue;
            }

            await ExecAsync(
                c,
                tx,
                "INSERT INTO evidence_counts (district_id, student_id, year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected) "
                + "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8) ON CONFLICT (district_id, student_id, year, grade, skill_id) DO UPDATE SET "
                + "artifacts = evidence_counts.artifacts + excluded.artifacts, reasoned = evidence_counts.reasoned + excluded.reasoned, "
                + "reflected = evidence_counts.reflected + excluded.reflected, reasoned_reflected = evidence_counts.reasoned_reflected + excluded.reasoned_reflected",
                [D, Id(key.Student), (ColKind.Int, key.Year), (ColKind.Int, key.Grade), Id(key.Skill), (ColKind.Int, a), (ColKind.Int, n), (ColKind.Int, r), (ColKind.Int, nr)],
                cancellationToken).ConfigureAwait(false);
        }

        if (delta.Students.Count == 0)
        {
            return;
        }

        // Concurrent writers recompute a student's rows one after the other (locks taken last, in id order: no cycle).
        foreach (var student in delta.Students.Order())
        {
            await LockAsync(c, tx, LockKey(student), cancellationToken).ConfigureAwait(false);
        }

        // The report cells are shared by every student of a school and grade: their updates run one writer at a time
        // (a lock taken last, after the students': no cycle).
        await LockAsync(c, tx, LockKey(CellsLock), cancellationToken).ConfigureAwait(false);
        foreach (var chunk in delta.Students.Order().Chunk(200))
        {
            var filter = InList(chunk);
            if (delta.Counts.Count > 0)
            {
                await ExecAsync(c, tx, "DELETE FROM evidence_counts WHERE district_id = @p0 AND artifacts = 0 AND student_id IN " + filter, [D], cancellationToken).ConfigureAwait(false);
            }

            await RefreshStudentYearsAsync(c, tx, filter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a statement without a command timeout (the district-wide recounts of a bulk load or a basis change).</summary>
    private async Task ExecUnboundedAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken cancellationToken)
    {
        var cmd = Command(c, tx, sql, [D]);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the tables the district-wide recount reads (PostgreSQL: <c>ANALYZE</c>, which
    /// may run in a transaction; without it, tables a bulk load just filled look empty and the recount takes minutes).
    /// </summary>
    protected virtual Task AnalyzeAsync(DbConnection connection, DbTransaction tx, string tables, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes a lock held until <paramref name="tx"/> ends, on engines where concurrent writers need one (PostgreSQL); SQLite's writer is alone already.</summary>
    protected virtual Task LockAsync(DbConnection connection, DbTransaction tx, long key, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A lock key for a student (or the district's skill slots, for <see cref="Guid.Empty"/>) of this district, the same in every process.</summary>
    private long LockKey(Guid id)
    {
        // FNV-1a over the district id and the student id's bytes.
        var hash = 14695981039346656037UL;
        foreach (var ch in DistrictId)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        foreach (var b in id.ToByteArray())
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private string InList(IEnumerable<Guid> ids) => "(" + string.Join(", ", ids.Select(GuidLiteral)) + ")";

    /// <summary>
    /// Recomputes <c>student_years</c> of the students in <paramref name="studentFilter"/> (an SQL <c>IN</c> list), or
    /// of every student of the district when <see langword="null"/>; slots are assigned to skills first seen.
    /// </summary>
    private async Task RefreshStudentYearsAsync(DbConnection c, DbTransaction tx, string? studentFilter, CancellationToken cancellationToken)
    {
        var onStudents = studentFilter is null ? string.Empty : " AND e.student_id IN " + studentFilter;
        const string Missing = " AND NOT EXISTS (SELECT 1 FROM skill_slots s WHERE s.district_id = @p0 AND s.skill_id = e.skill_id)";
        long missingSkills;
        var missing = Command(c, tx, "SELECT COUNT(*) FROM evidence_counts e WHERE e.district_id = @p0" + onStudents + Missing, [D]);
        await using (missing.ConfigureAwait(false))
        {
            missingSkills = Convert.ToInt64(await missing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (missingSkills > 0)
        {
            // New skills get the next free slots, one writer at a time.
            await LockAsync(c, tx, LockKey(Guid.Empty), cancellationToken).ConfigureAwait(false);
            await ExecAsync(
                c,
                tx,
                "INSERT INTO skill_slots (district_id, skill_id, slot) SELECT @p0, n.skill_id, (SELECT COALESCE(MAX(slot), -1) FROM skill_slots WHERE district_id = @p0) + ROW_NUMBER() OVER (ORDER BY n.skill_id) "
                + "FROM (SELECT DISTINCT e.skill_id FROM evidence_counts e WHERE e.district_id = @p0" + onStudents
                + Missing + ") n",
                [D],
                cancellationToken).ConfigureAwait(false);
        }

        // Groups first seen get the next free group slots, the same way.
        var onGroupStudents = studentFilter is null ? string.Empty : " AND g.student_id IN " + studentFilter;
        const string MissingGroup = " AND NOT EXISTS (SELECT 1 FROM group_slots s WHERE s.district_id = @p0 AND s.group_name = g.group_name)";
        var missingGroups = Command(c, tx, "SELECT COUNT(*) FROM student_groups g WHERE g.district_id = @p0" + onGroupStudents + MissingGroup, [D]);
        long newGroups;
        await using (missingGroups.ConfigureAwait(false))
        {
            newGroups = Convert.ToInt64(await missingGroups.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (newGroups > 0)
        {
            await LockAsync(c, tx, LockKey(new Guid(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), cancellationToken).ConfigureAwait(false);
            await ExecAsync(
                c,
                tx,
                "INSERT INTO group_slots (district_id, group_name, slot) SELECT @p0, n.group_name, (SELECT COALESCE(MAX(slot), -1) FROM group_slots WHERE district_id = @p0) + ROW_NUMBER() OVER (ORDER BY n.group_name) "
                + "FROM (SELECT DISTINCT g.group_name FROM student_groups g WHERE g.district_id = @p0" + onGroupStudents + MissingGroup + ") n",
                [D],
                cancellationToken).ConfigureAwait(false);
        }

        // The students' rows leave the report cells (all rows: the cells are rebuilt below), then come back recomputed.
        await UpdateCellsAsync(c, tx, studentFilter, -1, cancellationToken).ConfigureAwait(false);
        await ExecUnboundedAsync(c, tx, "DELETE FROM student_years WHERE district_id = @p0" + (studentFilter is null ? string.Empty : " AND student_id IN " + studentFilter), cancellationToken).ConfigureAwait(false);
        await ExecUnboundedAsync(
            c,
            tx,
            MasksSql(Basis.Transitions, Basis.Rule, studentFilter, year: null) + " INSERT INTO student_years (district_id, year, school_id, grade, student_id, met_mask, year_mask, group_mask, met_lanes0, met_lanes1, year_lanes0, year_lanes1) " + MaskSelect,
            cancellationToken).ConfigureAwait(false);
        await UpdateCellsAsync(c, tx, studentFilter, +1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds (<paramref name="sign"/> +1) or removes (-1) the <c>student_years</c> rows of the students in
    /// <paramref name="studentFilter"/> to or from the report cells: per year, school, grade and met mask the students
    /// (<c>readiness_cells</c>), and per year, school, grade and group mask the students and the summed lanes
    /// (<c>coverage_cells</c>). With no filter the district's cells are emptied (-1) or rebuilt (+1). Cells that fall to
    /// zero students stay (they add nothing; reports skip them).
    /// </summary>
    private async Task UpdateCellsAsync(DbConnection c, DbTransaction tx, string? studentFilter, int sign, CancellationToken cancellationToken)
    {
        if (studentFilter is null)
        {
            if (sign < 0)
            {
                await ExecUnboundedAsync(c, tx, "DELETE FROM readiness_cells WHERE district_id = @p0", cancellationToken).ConfigureAwait(false);
                await ExecUnboundedAsync(c, tx, "DELETE FROM coverage_cells WHERE district_id = @p0", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ExecUnboundedAsync(c, tx, "INSERT INTO readiness_cells (district_id, year, school_id, grade, met_mask, students) SELECT @p0, year, school_id, grade, met_mask, COUNT(*) FROM student_years WHERE district_id = @p0 GROUP BY year, school_id, grade, met_mask", cancellationToken).ConfigureAwait(false);
                await ExecUnboundedAsync(c, tx, "INSERT INTO coverage_cells (district_id, year, school_id, grade, group_mask, students, met_lanes0, met_lanes1, year_lanes0, year_lanes1) SELECT @p0, year, school_id, grade, group_mask, COUNT(*), SUM(met_lanes0), SUM(met_lanes1), SUM(year_lanes0), SUM(year_lanes1) FROM student_years WHERE district_id = @p0 GROUP BY year, school_id, grade, group_mask", cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var mine = " FROM student_years WHERE district_id = @p0 AND student_id IN " + studentFilter;
        if (sign < 0)
        {
            await ExecAsync(
                c,
                tx,
                "UPDATE readiness_cells SET students = readiness_cells.students - x.n FROM (SELECT year, school_id, grade, met_mask, COUNT(*) AS n" + mine + " GROUP BY year, school_id, grade, met_mask) AS x "
                + "WHERE readiness_cells.district_id = @p0 AND readiness_cells.year = x.year AND readiness_cells.school_id = x.school_id AND readiness_cells.grade = x.grade AND readiness_cells.met_mask = x.met_mask",
                [D],
                cancellationToken).ConfigureAwait(false);
            await ExecAsync(
                c,
                tx,
                "UPDATE coverage_cells SET students = coverage_cells.students - x.n, met_lanes0 = coverage_cells.met_lanes0 - x.ml0, met_lanes1 = coverage_cells.met_lanes1 - x.ml1, "
                + "year_lanes0 = coverage_cells.year_lanes0 - x.yl0, year_lanes1 = coverage_cells.year_lanes1 - x.yl1 "
                + "FROM (SELECT year, school_id, grade, group_mask, COUNT(*) AS n, SUM(met_lanes0) AS ml0, SUM(met_lanes1) AS ml1, SUM(year_lanes0) AS yl0, SUM(year_lanes1) AS yl1" + mine + " GROUP BY year, school_id, grade, group_mask) AS x "
                + "WHERE coverage_cells.district_id = @p0 AND coverage_cells.year = x.year AND coverage_cells.school_id = x.school_id AND coverage_cells.grade = x.grade AND coverage_cells.group_mask = x.group_mask",
                [D],
                cancellationToken).ConfigureAwait(false);
            return;
        }

        await ExecAsync(
            c,
            tx,
            "INSERT INTO readiness_cells (district_id, year, school_id, grade, met_mask, students) SELECT @p0, year, school_id, grade, met_mask, COUNT(*)" + mine
            + " GROUP BY year, school_id, grade, met_mask ON CONFLICT (district_id, year, school_id, grade, met_mask) DO UPDATE SET students = readiness_cells.students + excluded.students",
            [D],
            cancellationToken).ConfigureAwait(false);
        await ExecAsync(
            c,
            tx,
            "INSERT INTO coverage_cells (district_id, year, school_id, grade, group_mask, students, met_lanes0, met_lanes1, year_lanes0, year_lanes1) "
            + "SELECT @p0, year, school_id, grade, group_mask, COUNT(*), SUM(met_lanes0), SUM(met_lanes1), SUM(year_lanes0), SUM(year_lanes1)" + mine
            + " GROUP BY year, school_id, grade, group_mask ON CONFLICT (district_id, year, school_id, grade, group_mask) DO UPDATE SET students = coverage_cells.students + excluded.students, "
            + "met_lanes0 = coverage_cells.met_lanes0 + excluded.met_lanes0, met_lanes1 = coverage_cells.met_lanes1 + excluded.met_lanes1, "
            + "year_lanes0 = coverage_cells.year_lanes0 + excluded.year_lanes0, year_lanes1 = coverage_cells.year_lanes1 + excluded.year_lanes1",
            [D],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Per student and school year (or one <paramref name="year"/>): the placement (school and grade of the latest
    /// enrollment), and the masks of skills met under <paramref name="rule"/> (evidence captured in the band of that
    /// grade up to that year) and of skills with a collected artifact captured that year, from <c>evidence_counts</c>.
    /// The common table expressions; <see cref="MaskSelect"/> selects the rows from them (columns district_id, year,
    /// school_id, grade, student_id, met_mask, year_mask).
    /// </summary>
    private static string MasksSql(TransitionGrades transitions, EvidenceRule rule, string? studentFilter, int? year)
    {
        var inv = CultureInfo.InvariantCulture;
        var sql = new StringBuilder("WITH bands(grade, lo, hi) AS (VALUES ");
        sql.AppendJoin(", ", GradeLevel.All.Select(g =>
        {
            var band = transitions.BandOf(g);
            return string.Create(inv, $"({g.Ordinal}, {band.From.Ordinal}, {band.To.Ordinal})");
        }));
        var n = rule.RequireReasoning ? "reasoned" : "artifacts";
        var r = rule.RequireReasoning ? "reasoned_reflected" : "reflected";
        var inBand = "e.year <= c.year AND e.grade >= c.lo AND e.grade <= c.hi";
        var met = string.Create(inv, $"ev.n >= {rule.MinimumArtifactsPerSkill} AND ev.r >= {rule.MinimumReflectionsPerSkill}");
        sql.Append(
            "), ranked AS (SELECT student_id, year, school_id, grade, ROW_NUMBER() OVER (PARTITION BY student_id, year ORDER BY entry_day DESC, seq DESC) AS rn "
            + "FROM enrollments WHERE district_id = @p0"
            + (studentFilter is null ? string.Empty : " AND student_id IN " + studentFilter)
            + (year is { } y ? string.Create(inv, $" AND year = {y}") : string.Empty)
            + "), cur AS (SELECT r.student_id, r.year, r.school_id, r.grade, b.lo, b.hi FROM ranked r CROSS JOIN bands b WHERE r.rn = 1 AND b.grade = r.grade)"
            + ", ev AS (SELECT c.student_id, c.year, e.skill_id, "
            + $"SUM(CASE WHEN {inBand} THEN e.{n} ELSE 0 END) AS n, SUM(CASE WHEN {inBand} THEN e.{r} ELSE 0 END) AS r, "
            + "SUM(CASE WHEN e.year = c.year THEN e.artifacts ELSE 0 END) AS y "
            + "FROM cur c CROSS JOIN evidence_counts e WHERE e.district_id = @p0 AND e.student_id = c.student_id AND e.year <= c.year GROUP BY c.student_id, c.year, e.skill_id)"
            + ", bits AS (SELECT ev.student_id, ev.year, "
            + string.Create(inv, $"SUM(CASE WHEN {met} THEN (CAST(1 AS BIGINT) << s.slot) ELSE 0 END) AS met, ")
            + "SUM(CASE WHEN ev.y > 0 THEN (CAST(1 AS BIGINT) << s.slot) ELSE 0 END) AS yr, "
            + string.Create(inv, $"SUM(CASE WHEN {met} AND s.slot < 4 THEN (CAST(1 AS BIGINT) << (16 * s.slot)) ELSE 0 END) AS ml0, ")
            + string.Create(inv, $"SUM(CASE WHEN {met} AND s.slot >= 4 AND s.slot < 8 THEN (CAST(1 AS BIGINT) << (16 * (s.slot - 4))) ELSE 0 END) AS ml1, ")
            + "SUM(CASE WHEN ev.y > 0 AND s.slot < 4 THEN (CAST(1 AS BIGINT) << (16 * s.slot)) ELSE 0 END) AS yl0, "
            + "SUM(CASE WHEN ev.y > 0 AND s.slot >= 4 AND s.slot < 8 THEN (CAST(1 AS BIGINT) << (16 * (s.slot - 4))) ELSE 0 END) AS yl1 "
            + string.Create(inv, $"FROM ev CROSS JOIN skill_slots s WHERE s.district_id = @p0 AND s.skill_id = ev.skill_id AND s.slot < {MaxSlots} GROUP BY ev.student_id, ev.year)")
            + ", gbits AS (SELECT g.student_id, SUM(CAST(1 AS BIGINT) << s.slot) AS gm FROM student_groups g CROSS JOIN group_slots s WHERE g.district_id = @p0"
            + (studentFilter is null ? string.Empty : " AND g.student_id IN " + studentFilter)
            + string.Create(inv, $" AND s.district_id = @p0 AND s.group_name = g.group_name AND s.slot < {MaxSlots} GROUP BY g.student_id)"));
        return sql.ToString();
    }

    /// <summary>The rows of <see cref="MasksSql"/>.</summary>
    private const string MaskSelect =
        "SELECT @p0 AS district_id, c.year AS year, c.school_id AS school_id, c.grade AS grade, c.student_id AS student_id, CAST(COALESCE(b.met, 0) AS BIGINT) AS met_mask, CAST(COALESCE(b.yr, 0) AS BIGINT) AS year_mask, "
        + "CAST(COALESCE(gb.gm, 0) AS BIGINT) AS group_mask, CAST(COALESCE(b.ml0, 0) AS BIGINT) AS met_lanes0, CAST(COALESCE(b.ml1, 0) AS BIGINT) AS met_lanes1, "
        + "CAST(COALESCE(b.yl0, 0) AS BIGINT) AS year_lanes0, CAST(COALESCE(b.yl1, 0) AS BIGINT) AS year_lanes1 FROM cur c LEFT JOIN bits b ON b.student_id = c.student_id AND b.year = c.year LEFT JOIN gbits gb ON gb.student_id = c.student_id";

    /// <summary>Recounts <c>evidence_counts</c> of the district from the alignments, then rebuilds <c>student_years</c> (bulk load).</summary>
    private async Task RecountAllAsync(DbConnection c, DbTransaction tx, CancellationToken cancellationToken)
    {
        await AnalyzeAsync(c, tx, "enrollments, artifact_alignments", cancellationToken).ConfigureAwait(false);
        await ExecUnboundedAsync(c, tx, "DELETE FROM evidence_counts WHERE district_id = @p0", cancellationToken).ConfigureAwait(false);
        await ExecUnboundedAsync(
            c,
            tx,
            "INSERT INTO evidence_counts (district_id, student_id, year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected) "
            + "SELECT district_id, student_id, year, grade, skill_id, COUNT(*), SUM(CASE WHEN has_reasoning THEN 1 ELSE 0 END), SUM(CASE WHEN reflection_count > 0 THEN 1 ELSE 0 END), "
            + "SUM(CASE WHEN has_reasoning AND reflection_count > 0 THEN 1 ELSE 0 END) FROM artifact_alignments WHERE district_id = @p0 AND state IN ("
            + ((int)Artifacts.CurationState.Collected).ToString(CultureInfo.InvariantCulture) + ", " + ((int)Artifacts.CurationState.Showcased).ToString(CultureInfo.InvariantCulture)
            + ") GROUP BY district_id, student_id, year, grade, skill_id",
            cancellationToken).ConfigureAwait(false);
        await AnalyzeAsync(c, tx, "evidence_counts", cancellationToken).ConfigureAwait(false);
        await RefreshStudentYearsAsync(c, tx, null, cancellationToken).ConfigureAwait(false);
        await AnalyzeAsync(c, tx, "student_years, skill_slots", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After migrating: when the district's <c>student_years</c> were computed with another basis (or never), rebuilds
    /// them with <see cref="Basis"/> and records it, in one transaction.
    /// </summary>
    private async Task EnsureReportBasisAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var key = Basis.Key;
            if (await ReadBasisAsync(connection, null, cancellationToken).ConfigureAwait(false) == key)
            {
                return;
            }

            var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                if (await ReadBasisAsync(connection, tx, cancellationToken).ConfigureAwait(false) != key)
                {
                    await AnalyzeAsync(connection, tx, "enrollments, evidence_counts", cancellationToken).ConfigureAwait(false);
                    await RefreshStudentYearsAsync(connection, tx, null, cancellationToken).ConfigureAwait(false);
                    await WriteBasisAsync(connection, tx, cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> ReadBasisAsync(DbConnection c, DbTransaction? tx, CancellationToken cancellationToken)
    {
        var cmd = Command(c, tx, "SELECT basis FROM report_basis WHERE district_id = @p0", [D]);
        await using (cmd.ConfigureAwait(false))
        {
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    private async Task WriteBasisAsync(DbConnection c, DbTransaction tx, CancellationToken cancellationToken)
    {
        await ExecAsync(c, tx, "DELETE FROM report_basis WHERE district_id = @p0", [D], cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, tx, "INSERT INTO report_basis (district_id, basis) VALUES (@p0, @p1)", [D, (ColKind.Text, Basis.Key)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The slots of <paramref name="skills"/> (missing: never seen in any evidence), read once and cached (a slot never changes).</summary>
    private async Task<int?[]> SlotsAsync(DbConnection c, IReadOnlyList<Guid> skills, CancellationToken cancellationToken)
    {
        if (skills.Any(s => !_slots.ContainsKey(s)))
        {
            var cmd = Command(c, null, "SELECT skill_id, slot FROM skill_slots WHERE district_id = @p0", [D]);
            await using (cmd.ConfigureAwait(false))
            {
                var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _slots[reader.GetGuid(0)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        return skills.Select(s => _slots.TryGetValue(s, out var slot) ? slot : (int?)null).ToArray();
    }

    /// <summary>
    /// How many report cells differ from the same cells grouped afresh from <c>student_years</c> (cells of zero students
    /// ignored): 0 when the maintained cells are right (for the contract tests).
    /// </summary>
    internal Task<long> CountCellMismatchesAsync(CancellationToken cancellationToken) =>
        RunAsync(
            "checking the report cells",
            async c =>
            {
                const string Readiness = "SELECT year, school_id, grade, met_mask, students FROM readiness_cells WHERE district_id = @p0 AND students <> 0";
                const string ReadinessFresh = "SELECT year, school_id, grade, met_mask, COUNT(*) FROM student_years WHERE district_id = @p0 GROUP BY year, school_id, grade, met_mask";
                const string Coverage = "SELECT year, school_id, grade, group_mask, students, met_lanes0, met_lanes1, year_lanes0, year_lanes1 FROM coverage_cells WHERE district_id = @p0 AND students <> 0";
                const string CoverageFresh = "SELECT year, school_id, grade, group_mask, COUNT(*), SUM(met_lanes0), SUM(met_lanes1), SUM(year_lanes0), SUM(year_lanes1) FROM student_years WHERE district_id = @p0 GROUP BY year, school_id, grade, group_mask";
                var total = 0L;
                foreach (var (a, b) in new[] { (Readiness, ReadinessFresh), (ReadinessFresh, Readiness), (Coverage, CoverageFresh), (CoverageFresh, Coverage) })
                {
                    var cmd = Command(c, null, $"SELECT COUNT(*) FROM ({a} EXCEPT {b}) AS d", [D]);
                    await using (cmd.ConfigureAwait(false))
                    {
                        total += Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                    }
                }

                return total;
            },
            cancellationToken);

    /// <summary>The district's group slots (slot to group name), read fresh: a group's slot never changes, and a mask names only slots committed before it.</summary>
    private async Task<SortedDictionary<int, string>> GroupSlotsAsync(DbConnection c, CancellationToken cancellationToken)
    {
        var slots = new SortedDictionary<int, string>();
        var cmd = Command(c, null, "SELECT slot, group_name FROM group_slots WHERE district_id = @p0", [D]);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    slots[Int(reader, 0)] = reader.GetString(1);
                }
            }
        }

        return slots;
    }

    /// <summary>
    /// The maintained counts of one student as stored (for the contract tests' recount): evidence rows, and
    /// (year, school, grade, met skills, skills with evidence that year) rows.
    /// </summary>
    internal Task<(List<(int Year, int Grade, Guid Skill, int Artifacts, int Reasoned, int Reflected, int ReasonedReflected)> Counts, List<(int Year, Guid School, int Grade, Guid[] Met, Guid[] WithEvidence, string[] Groups)> Years)> ReadMaintainedAsync(Guid student, CancellationToken cancellationToken) =>
        RunAsync(
            "reading maintained counts",
            async c =>
            {
                var counts = new List<(int, int, Guid, int, int, int, int)>();
                var cmd = Command(c, null, "SELECT year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected FROM evidence_counts WHERE district_id = @p0 AND student_id = @p1", [D, Id(student)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            counts.Add((Int(reader, 0), Int(reader, 1), reader.GetGuid(2), Int(reader, 3), Int(reader, 4), Int(reader, 5), Int(reader, 6)));
                        }
                    }
                }

                var slots = new Dictionary<int, Guid>();
                var slotCmd = Command(c, null, "SELECT skill_id, slot FROM skill_slots WHERE district_id = @p0", [D]);
                await using (slotCmd.ConfigureAwait(false))
                {
                    var reader = await slotCmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            slots[Int(reader, 1)] = reader.GetGuid(0);
                        }
                    }
                }

                var groupSlots = await GroupSlotsAsync(c, cancellationToken).ConfigureAwait(false);
                var years = new List<(int, Guid, int, Guid[], Guid[], string[])>();
                var yearCmd = Command(c, null, "SELECT year, school_id, grade, met_mask, year_mask, group_mask FROM student_years WHERE district_id = @p0 AND student_id = @p1", [D, Id(student)]);
                await using (yearCmd.ConfigureAwait(false))
                {
                    var reader = await yearCmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var met = Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
                            var withEvidence = Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture);
                            var groupMask = Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture);
                            years.Add((Int(reader, 0), reader.GetGuid(1), Int(reader, 2), Bits(met), Bits(withEvidence), groupSlots.Where(g => ((groupMask >> g.Key) & 1) == 1).Select(g => g.Value).Order(StringComparer.Ordinal).ToArray()));
                        }
                    }
                }

                return (counts, years);

                Guid[] Bits(long mask) => slots.Where(s => ((mask >> s.Key) & 1) == 1).Select(s => s.Value).Order().ToArray();
            },
            cancellationToken);
}

/// <content>The coverage report and the scores of growth reports.</content>
internal abstract partial class RelationalStore
{
    public Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureValid(request.Rule);

        var skills = request.Skills.Distinct().ToArray();
        return RunAsync(
            "computing the coverage report",
            async c =>
            {
                var inv = CultureInfo.InvariantCulture;
                var slots = await SlotsAsync(c, skills.Select(s => s.Value).ToArray(), cancellationToken).ConfigureAwait(false);
                var allMet = request.Rule.MinimumArtifactsPerSkill <= 0 && request.Rule.MinimumReflectionsPerSkill <= 0;

                // The maintained rows when they were computed with the request's rule and bands; otherwise the same rows
                // computed for this report from the counts (one statement either way: one snapshot).
                var fast = Basis.Serves(request.TransitionGrades, request.Rule);
                var with = fast ? string.Empty : MasksSql(request.TransitionGrades, request.Rule, null, request.Year.StartYear) + ", m AS (" + MaskSelect + ") ";
                var source = fast ? "student_years" : "m";

                // One pass over the year's rows, one per student, in index order: per (school, grade, groups) the students
                // and per skill those with evidence and those meeting the rule (four skills per summed lane column when
                // the skills have lanes); the district's groups are the sums over the rows whose group mask has the group's bit.
                var groupSlots = await GroupSlotsAsync(c, cancellationToken).ConfigureAwait(false);
                var lanes = slots.All(x => x is null or < LaneSlots);
                var sums = lanes
                    ? ", SUM(y.met_lanes0), SUM(y.met_lanes1), SUM(y.year_lanes0), SUM(y.year_lanes1)"
                    : string.Concat(slots.Select(x => x is { } s && s < MaxSlots ? string.Create(inv, $", SUM(CAST((y.met_mask >> {s}) & 1 AS INTEGER)), SUM(CAST((y.year_mask >> {s}) & 1 AS INTEGER))") : ", 0, 0"));
                var where = " WHERE y.district_id = @p0 AND y.year = @p1" + PlacementFilter(request.Grades, request.Schools).Replace(" AND grade", " AND y.grade", StringComparison.Ordinal).Replace(" AND school_id", " AND y.school_id", StringComparison.Ordinal);
                // Fast, with lanes: the maintained cells, one row per (school, grade, groups): a few thousand rows.
                var sql = fast && lanes
                    ? "SELECT y.school_id, y.grade, y.group_mask, y.students, y.met_lanes0, y.met_lanes1, y.year_lanes0, y.year_lanes1 FROM coverage_cells y" + where + " AND y.students > 0"
                    : with + "SELECT y.school_id, y.grade, y.group_mask, COUNT(*)" + sums + " FROM " + source + " y" + where + " GROUP BY y.school_id, y.grade, y.group_mask";
                var bySchool = new Dictionary<(Guid School, int Grade), (int Students, int[] WithEvidence, int[] Meeting)>();
                var byGroup = new Dictionary<(string Group, int Grade), (int Students, int[] WithEvidence, int[] Meeting)>();
                var index = skills.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
                var withEvidence = new int[skills.Length];
                var meeting = new int[skills.Length];
                var cmd = Command(c, null, sql, [D, (ColKind.Int, request.Year.StartYear)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var students = Int(reader, 3);
                            if (lanes && students > 0xFFFF)
                            {
                                throw new InvalidOperationException("More than 65,535 students in one school and grade overflow a lane.");
                            }

                            for (var i = 0; i < skills.Length; i++)
                            {
                                if (slots[i] is not { } s)
                                {
                                    (withEvidence[i], meeting[i]) = (0, 0);
                                }
                                else if (lanes)
                                {
                                    meeting[i] = Lane(Long(reader, 4), Long(reader, 5), s);
                                    withEvidence[i] = Lane(Long(reader, 6), Long(reader, 7), s);
                                }
                                else
                                {
                                    meeting[i] = Int(reader, 4 + (2 * i));
                                    withEvidence[i] = Int(reader, 5 + (2 * i));
                                }

                                meeting[i] = allMet ? students : meeting[i];
                            }

                            var grade = Int(reader, 1);
                            Accumulate(bySchool, (reader.GetGuid(0), grade), students);
                            var groupMask = Long(reader, 2);
                            foreach (var (slot, name) in groupSlots)
                            {
                                if (slot < MaxSlots && ((groupMask >> slot) & 1) == 1)
                                {
                                    Accumulate(byGroup, (name, grade), students);
                                }
                            }
                        }
                    }
                }

                void Accumulate<TKey>(Dictionary<TKey, (int Students, int[] WithEvidence, int[] Meeting)> into, TKey key, int students)
                    where TKey : notnull
                {
                    if (!into.TryGetValue(key, out var row))
                    {
                        row = (0, new int[skills.Length], new int[skills.Length]);
                    }

                    for (var i = 0; i < skills.Length; i++)
                    {
                        row.WithEvidence[i] += withEvidence[i];
                        row.Meeting[i] += meeting[i];
                    }

                    into[key] = (row.Students + students, row.WithEvidence, row.Meeting);
                }

                ValueList<CoverageSkillCount> Counts((int Students, int[] WithEvidence, int[] Meeting) row) =>
                    request.Skills.Select(s => new CoverageSkillCount(s, row.WithEvidence[index[s]], row.Meeting[index[s]])).ToValueList();

                var rows = bySchool.Select(kv => new CoverageReportRow(SchoolId.From(kv.Key.School), GradeLevel.FromOrdinal(kv.Key.Grade), kv.Value.Students, Counts(kv.Value))).ToList();
                var groups = byGroup.Select(kv => new CoverageGroupRow(kv.Key.Group, new CoverageReportRow(null, GradeLevel.FromOrdinal(kv.Key.Grade), kv.Value.Students, Counts(kv.Value)))).ToList();
                return new CoverageReport(
                    request.Year,
                    rows.OrderBy(r => r.SchoolId).ThenBy(r => r.Grade).ToValueList())
                {
                    Groups = groups.OrderBy(g => g.Group, StringComparer.Ordinal).ThenBy(g => g.Row.Grade).ToValueList(),
                };
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<ScoreRecord>>(
            "listing scores",
            async c =>
            {
                var list = new List<ScoreRecord>();
                var cmd = Command(
                    c,
                    null,
                    "SELECT e.student_id, s.rubric_id, s.rubric_version, s.subject_id, e.milestone_id, s.year, s.grade, s.school_id, s.criterion_id, s.level_id "
                    + "FROM evaluation_scores s CROSS JOIN evaluations e WHERE s.district_id = @p0 AND s.year >= @p1 AND s.year <= @p2 AND e.district_id = @p0 AND e.id = s.evaluation_id",
                    [D, (ColKind.Int, first.StartYear), (ColKind.Int, last.StartYear)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            list.Add(new ScoreRecord(
                                StudentId.From(reader.GetGuid(0)),
                                new Rubrics.RubricRef(RubricId.From(reader.GetGuid(1)), Int(reader, 2)),
                                reader.GetGuid(3),
                                !reader.IsDBNull(4),
                                new Artifacts.CaptureContext(new SchoolYear(Int(reader, 5)), GradeLevel.FromOrdinal(Int(reader, 6)), SchoolId.From(reader.GetGuid(7))),
                                CriterionId.From(reader.GetGuid(8)),
                                LevelId.From(reader.GetGuid(9))));
                        }
                    }
                }

                return list;
            },
            cancellationToken);
}
