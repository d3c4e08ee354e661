namespace Backpack.Core.Relational;

/// <summary>A forward-only schema migration.</summary>
/// <param name="Version">The schema version it brings the database to.</param>
/// <param name="Description">What it does.</param>
/// <param name="Sql">The statements in an engine's words, separated by semicolons.</param>
internal sealed record Migration(int Version, string Description, Func<SqlTypes, string> Sql);

/// <summary>
/// The words of an engine's schema: the column type of each <see cref="ColKind"/> (plus <see cref="Long"/> for
/// counters and masks), how a table numbers its rows, and the storage clauses the engine has.
/// </summary>
/// <param name="Id">Identifier columns (GUIDs).</param>
/// <param name="Text">Text columns.</param>
/// <param name="Int">32-bit integer columns.</param>
/// <param name="Long">64-bit integer columns (versions, sequence numbers, bit masks).</param>
/// <param name="Bool">Boolean columns.</param>
/// <param name="False">The false literal of a boolean column's default.</param>
/// <param name="Json">JSON document columns.</param>
/// <param name="Time">Instant columns.</param>
/// <param name="Identity">What follows the type of a column the database numbers itself, or that a statement numbers (<c>NOT NULL</c>).</param>
/// <param name="WithoutRowId">The clause after a table clustered on its primary key (SQLite: <c> WITHOUT ROWID</c>), or empty.</param>
/// <param name="Include">Formats a primary key's covering columns (PostgreSQL: <c> INCLUDE (...)</c>), or empty where the key is the table.</param>
internal sealed record SqlTypes(
    string Id,
    string Text,
    string Int,
    string Long,
    string Bool,
    string False,
    string Json,
    string Time,
    string Identity,
    string WithoutRowId,
    Func<string, string> Include);

/// <summary>
/// The schema, as forward-only migrations written once for every engine in the engine's <see cref="SqlTypes"/>. Every
/// table's key starts with <c>district_id</c> (so it can become the distribution column of a distributed PostgreSQL,
/// Citus). Never change what a shipped migration does: add a new one.
/// </summary>
internal static class RelationalMigrations
{
    /// <summary>The schema version the migrations end at.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>The migrations, in version order, from 1.</summary>
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "aggregates, key columns and report side tables", t => $"""
            CREATE TABLE schema_version (version {t.Int} NOT NULL PRIMARY KEY, description {t.Text} NOT NULL, applied_at {t.Time} NOT NULL);
            CREATE TABLE frameworks (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE rubrics (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id, version));
            CREATE TABLE schools (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE students (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, district_student_id {t.Text}, google_user_id {t.Text}, oneroster_sourced_id {t.Text}, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_students_district_student_id ON students (district_id, district_student_id);
            CREATE INDEX ix_students_google_user_id ON students (district_id, google_user_id);
            CREATE INDEX ix_students_oneroster_sourced_id ON students (district_id, oneroster_sourced_id);
            CREATE TABLE enrollments (district_id {t.Text} NOT NULL, student_id {t.Id} NOT NULL, seq {t.Int} NOT NULL, year {t.Int} NOT NULL, grade {t.Int} NOT NULL, school_id {t.Id} NOT NULL, entry_day {t.Int} NOT NULL, PRIMARY KEY (district_id, student_id, seq));
            CREATE INDEX ix_enrollments_year ON enrollments (district_id, year, student_id);
            CREATE TABLE rosters (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, school_id {t.Id} NOT NULL, year {t.Int} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE roster_members (district_id {t.Text} NOT NULL, roster_id {t.Id} NOT NULL, role {t.Int} NOT NULL, member_id {t.Id} NOT NULL, year {t.Int} NOT NULL, PRIMARY KEY (district_id, roster_id, role, member_id));
            CREATE INDEX ix_roster_members_member ON roster_members (district_id, member_id, role, year);
            CREATE TABLE artifacts (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, student_id {t.Id} NOT NULL, year {t.Int} NOT NULL, grade {t.Int} NOT NULL, school_id {t.Id} NOT NULL, state {t.Int} NOT NULL, reflection_count {t.Int} NOT NULL, created_at {t.Time} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_artifacts_student ON artifacts (district_id, student_id);
            CREATE TABLE artifact_alignments (district_id {t.Text} NOT NULL, artifact_id {t.Id} NOT NULL, skill_id {t.Id} NOT NULL, student_id {t.Id} NOT NULL, has_reasoning {t.Bool} NOT NULL, PRIMARY KEY (district_id, artifact_id, skill_id));
            CREATE TABLE evaluations (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, student_id {t.Id} NOT NULL, rubric_id {t.Id} NOT NULL, rubric_version {t.Int} NOT NULL, year {t.Int} NOT NULL, grade {t.Int} NOT NULL, school_id {t.Id} NOT NULL, artifact_id {t.Id}, milestone_id {t.Id}, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_evaluations_student ON evaluations (district_id, student_id);
            CREATE TABLE evaluation_scores (district_id {t.Text} NOT NULL, evaluation_id {t.Id} NOT NULL, pos {t.Int} NOT NULL, rubric_id {t.Id} NOT NULL, rubric_version {t.Int} NOT NULL, year {t.Int} NOT NULL, school_id {t.Id} NOT NULL, grade {t.Int} NOT NULL, subject_id {t.Id} NOT NULL, criterion_id {t.Id} NOT NULL, level_id {t.Id} NOT NULL, PRIMARY KEY (district_id, evaluation_id, pos));
            CREATE TABLE milestones (district_id {t.Text} NOT NULL, id {t.Id} NOT NULL, version {t.Long} NOT NULL, student_id {t.Id} NOT NULL, year {t.Int} NOT NULL, status {t.Int} NOT NULL, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_milestones_student ON milestones (district_id, student_id)
            """),
        new(2, "audit trail, transactional outbox and sync checkpoints", t => $"""
            CREATE TABLE audit (district_id {t.Text} NOT NULL, seq {t.Long} {t.Identity}, at {t.Time} NOT NULL, actor_id {t.Text} NOT NULL, student_id {t.Id}, doc {t.Json} NOT NULL, PRIMARY KEY (district_id, seq));
            CREATE INDEX ix_audit_at ON audit (district_id, at);
            CREATE INDEX ix_audit_student ON audit (district_id, student_id, at);
            CREATE INDEX ix_audit_actor ON audit (district_id, actor_id, at);
            CREATE TABLE outbox (district_id {t.Text} NOT NULL, id {t.Long} {t.Identity}, operation {t.Text} NOT NULL, idempotency_key {t.Text} NOT NULL, payload {t.Text} NOT NULL, created_at {t.Time} NOT NULL, attempts {t.Int} NOT NULL DEFAULT 0, next_attempt_at {t.Time} NOT NULL, last_error {t.Text}, lease_owner {t.Text}, lease_until {t.Time}, completed_at {t.Time}, dead_lettered {t.Bool} NOT NULL DEFAULT {t.False}, PRIMARY KEY (district_id, id));
            CREATE UNIQUE INDEX ux_outbox_idempotency_key ON outbox (district_id, idempotency_key);
            CREATE TABLE sync_checkpoints (district_id {t.Text} NOT NULL, key {t.Text} NOT NULL, version {t.Long} NOT NULL, value {t.Text} NOT NULL, PRIMARY KEY (district_id, key))
            """),
        new(3, "indexes for reports and outbox leases", _ => """
            CREATE INDEX ix_outbox_due ON outbox (district_id, completed_at, next_attempt_at);
            CREATE INDEX ix_artifact_alignments_skill ON artifact_alignments (district_id, skill_id);
            CREATE INDEX ix_evaluation_scores_report ON evaluation_scores (district_id, rubric_id, rubric_version, year);
            CREATE INDEX ix_artifacts_evidence ON artifacts (district_id, student_id, state, year, grade, reflection_count, id)
            """),
        new(4, "artifact evidence columns on alignments, covering index for the readiness report (replaces two indexes it no longer reads)", t => $"""
            ALTER TABLE artifact_alignments ADD COLUMN year {t.Int} NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN grade {t.Int} NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN state {t.Int} NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN reflection_count {t.Int} NOT NULL DEFAULT 0;
            UPDATE artifact_alignments SET year = a.year, grade = a.grade, state = a.state, reflection_count = a.reflection_count
                FROM artifacts a WHERE a.district_id = artifact_alignments.district_id AND a.id = artifact_alignments.artifact_id;
            CREATE INDEX ix_artifact_alignments_evidence ON artifact_alignments (district_id, student_id, state, skill_id, year, grade, has_reasoning, reflection_count);
            DROP INDEX ix_artifacts_evidence;
            DROP INDEX ix_artifact_alignments_skill
            """),
        new(5, "maintained evidence counts per student, year, grade and skill; per student and year their placement, skill and group masks; per school, grade and year the report cells; student groups", t => $"""
            CREATE TABLE evidence_counts (district_id {t.Text} NOT NULL, student_id {t.Id} NOT NULL, year {t.Int} NOT NULL, grade {t.Int} NOT NULL, skill_id {t.Id} NOT NULL, artifacts {t.Int} NOT NULL, reasoned {t.Int} NOT NULL, reflected {t.Int} NOT NULL, reasoned_reflected {t.Int} NOT NULL, PRIMARY KEY (district_id, student_id, year, grade, skill_id)){t.WithoutRowId};
            CREATE TABLE skill_slots (district_id {t.Text} NOT NULL, skill_id {t.Id} NOT NULL, slot {t.Int} NOT NULL, PRIMARY KEY (district_id, skill_id));
            CREATE UNIQUE INDEX ux_skill_slots_slot ON skill_slots (district_id, slot);
            CREATE TABLE student_years (district_id {t.Text} NOT NULL, year {t.Int} NOT NULL, school_id {t.Id} NOT NULL, grade {t.Int} NOT NULL, group_mask {t.Long} NOT NULL, student_id {t.Id} NOT NULL, met_mask {t.Long} NOT NULL, year_mask {t.Long} NOT NULL, met_lanes0 {t.Long} NOT NULL, met_lanes1 {t.Long} NOT NULL, year_lanes0 {t.Long} NOT NULL, year_lanes1 {t.Long} NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask, student_id){t.Include("met_mask, year_mask, met_lanes0, met_lanes1, year_lanes0, year_lanes1")}){t.WithoutRowId};
            CREATE INDEX ix_student_years_student ON student_years (district_id, student_id);
            CREATE TABLE student_groups (district_id {t.Text} NOT NULL, student_id {t.Id} NOT NULL, group_name {t.Text} NOT NULL, PRIMARY KEY (district_id, student_id, group_name));
            CREATE TABLE group_slots (district_id {t.Text} NOT NULL, group_name {t.Text} NOT NULL, slot {t.Int} NOT NULL, PRIMARY KEY (district_id, group_name));
            CREATE UNIQUE INDEX ux_group_slots_slot ON group_slots (district_id, slot);
            CREATE TABLE readiness_cells (district_id {t.Text} NOT NULL, year {t.Int} NOT NULL, school_id {t.Id} NOT NULL, grade {t.Int} NOT NULL, met_mask {t.Long} NOT NULL, students {t.Int} NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, met_mask));
            CREATE TABLE coverage_cells (district_id {t.Text} NOT NULL, year {t.Int} NOT NULL, school_id {t.Id} NOT NULL, grade {t.Int} NOT NULL, group_mask {t.Long} NOT NULL, students {t.Int} NOT NULL, met_lanes0 {t.Long} NOT NULL, met_lanes1 {t.Long} NOT NULL, year_lanes0 {t.Long} NOT NULL, year_lanes1 {t.Long} NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask));
            CREATE TABLE report_basis (district_id {t.Text} NOT NULL PRIMARY KEY, basis {t.Text} NOT NULL);
            INSERT INTO evidence_counts (district_id, student_id, year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected)
                SELECT district_id, student_id, year, grade, skill_id, COUNT(*), SUM(CASE WHEN has_reasoning THEN 1 ELSE 0 END), SUM(CASE WHEN reflection_count > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN has_reasoning AND reflection_count > 0 THEN 1 ELSE 0 END)
                FROM artifact_alignments WHERE state IN (1, 2) GROUP BY district_id, student_id, year, grade, skill_id
            """),
    ];
}
