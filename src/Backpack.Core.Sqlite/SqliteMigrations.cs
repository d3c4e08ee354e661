using Backpack.Core.Storage.Relational;

namespace Backpack.Core.Sqlite;

/// <summary>The SQLite schema, as forward-only migrations. Never edit a shipped migration: add a new one.</summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "aggregates, key columns and report side tables", """
            CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);
            CREATE TABLE frameworks (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE rubrics (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id, version));
            CREATE TABLE schools (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE students (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, district_student_id TEXT, google_user_id TEXT, oneroster_sourced_id TEXT, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_students_district_student_id ON students (district_id, district_student_id);
            CREATE INDEX ix_students_google_user_id ON students (district_id, google_user_id);
            CREATE INDEX ix_students_oneroster_sourced_id ON students (district_id, oneroster_sourced_id);
            CREATE TABLE enrollments (district_id TEXT NOT NULL, student_id TEXT NOT NULL, seq INTEGER NOT NULL, year INTEGER NOT NULL, grade INTEGER NOT NULL, school_id TEXT NOT NULL, entry_day INTEGER NOT NULL, PRIMARY KEY (district_id, student_id, seq));
            CREATE INDEX ix_enrollments_year ON enrollments (district_id, year, student_id);
            CREATE TABLE rosters (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, school_id TEXT NOT NULL, year INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE roster_members (district_id TEXT NOT NULL, roster_id TEXT NOT NULL, role INTEGER NOT NULL, member_id TEXT NOT NULL, year INTEGER NOT NULL, PRIMARY KEY (district_id, roster_id, role, member_id));
            CREATE INDEX ix_roster_members_member ON roster_members (district_id, member_id, role, year);
            CREATE TABLE artifacts (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, student_id TEXT NOT NULL, year INTEGER NOT NULL, grade INTEGER NOT NULL, school_id TEXT NOT NULL, state INTEGER NOT NULL, reflection_count INTEGER NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_artifacts_student ON artifacts (district_id, student_id);
            CREATE TABLE artifact_alignments (district_id TEXT NOT NULL, artifact_id TEXT NOT NULL, skill_id TEXT NOT NULL, student_id TEXT NOT NULL, has_reasoning INTEGER NOT NULL, PRIMARY KEY (district_id, artifact_id, skill_id));
            CREATE TABLE evaluations (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, student_id TEXT NOT NULL, rubric_id TEXT NOT NULL, rubric_version INTEGER NOT NULL, year INTEGER NOT NULL, grade INTEGER NOT NULL, school_id TEXT NOT NULL, artifact_id TEXT, milestone_id TEXT, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_evaluations_student ON evaluations (district_id, student_id);
            CREATE TABLE evaluation_scores (district_id TEXT NOT NULL, evaluation_id TEXT NOT NULL, pos INTEGER NOT NULL, rubric_id TEXT NOT NULL, rubric_version INTEGER NOT NULL, year INTEGER NOT NULL, school_id TEXT NOT NULL, grade INTEGER NOT NULL, subject_id TEXT NOT NULL, criterion_id TEXT NOT NULL, level_id TEXT NOT NULL, PRIMARY KEY (district_id, evaluation_id, pos));
            CREATE TABLE milestones (district_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, student_id TEXT NOT NULL, year INTEGER NOT NULL, status INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_milestones_student ON milestones (district_id, student_id)
            """),
        new(2, "audit trail, transactional outbox and sync checkpoints", """
            CREATE TABLE audit (district_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, actor_id TEXT NOT NULL, student_id TEXT, doc TEXT NOT NULL, PRIMARY KEY (district_id, seq));
            CREATE INDEX ix_audit_at ON audit (district_id, at);
            CREATE INDEX ix_audit_student ON audit (district_id, student_id, at);
            CREATE INDEX ix_audit_actor ON audit (district_id, actor_id, at);
            CREATE TABLE outbox (district_id TEXT NOT NULL, id INTEGER NOT NULL, operation TEXT NOT NULL, idempotency_key TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, lease_owner TEXT, lease_until INTEGER, completed_at INTEGER, dead_lettered INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (district_id, id));
            CREATE UNIQUE INDEX ux_outbox_idempotency_key ON outbox (district_id, idempotency_key);
            CREATE TABLE sync_checkpoints (district_id TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (district_id, key))
            """),
        new(3, "indexes for reports and outbox leases", """
            CREATE INDEX ix_outbox_due ON outbox (district_id, completed_at, next_attempt_at);
            CREATE INDEX ix_artifact_alignments_skill ON artifact_alignments (district_id, skill_id);
            CREATE INDEX ix_evaluation_scores_report ON evaluation_scores (district_id, rubric_id, rubric_version, year);
            CREATE INDEX ix_artifacts_evidence ON artifacts (district_id, student_id, state, year, grade, reflection_count, id)
            """),
        new(4, "artifact evidence columns on alignments, covering index for the readiness report (replaces two indexes it no longer reads)", """
            ALTER TABLE artifact_alignments ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN grade INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE artifact_alignments ADD COLUMN reflection_count INTEGER NOT NULL DEFAULT 0;
            UPDATE artifact_alignments SET year = a.year, grade = a.grade, state = a.state, reflection_count = a.reflection_count
                FROM artifacts a WHERE a.district_id = artifact_alignments.district_id AND a.id = artifact_alignments.artifact_id;
            CREATE INDEX ix_artifact_alignments_evidence ON artifact_alignments (district_id, student_id, state, skill_id, year, grade, has_reasoning, reflection_count);
            DROP INDEX ix_artifacts_evidence;
            DROP INDEX ix_artifact_alignments_skill
            """),
        new(5, "maintained evidence counts per student, year, grade and skill; per student and year their placement, skill and group masks; per school, grade and year the report cells; student groups", """
            CREATE TABLE evidence_counts (district_id TEXT NOT NULL, student_id TEXT NOT NULL, year INTEGER NOT NULL, grade INTEGER NOT NULL, skill_id TEXT NOT NULL, artifacts INTEGER NOT NULL, reasoned INTEGER NOT NULL, reflected INTEGER NOT NULL, reasoned_reflected INTEGER NOT NULL, PRIMARY KEY (district_id, student_id, year, grade, skill_id)) WITHOUT ROWID;
            CREATE TABLE skill_slots (district_id TEXT NOT NULL, skill_id TEXT NOT NULL, slot INTEGER NOT NULL, PRIMARY KEY (district_id, skill_id));
            CREATE UNIQUE INDEX ux_skill_slots_slot ON skill_slots (district_id, slot);
            CREATE TABLE student_years (district_id TEXT NOT NULL, year INTEGER NOT NULL, school_id TEXT NOT NULL, grade INTEGER NOT NULL, group_mask INTEGER NOT NULL, student_id TEXT NOT NULL, met_mask INTEGER NOT NULL, year_mask INTEGER NOT NULL, met_lanes0 INTEGER NOT NULL, met_lanes1 INTEGER NOT NULL, year_lanes0 INTEGER NOT NULL, year_lanes1 INTEGER NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask, student_id)) WITHOUT ROWID;
            CREATE INDEX ix_student_years_student ON student_years (district_id, student_id);
            CREATE TABLE student_groups (district_id TEXT NOT NULL, student_id TEXT NOT NULL, group_name TEXT NOT NULL, PRIMARY KEY (district_id, student_id, group_name));
            CREATE TABLE group_slots (district_id TEXT NOT NULL, group_name TEXT NOT NULL, slot INTEGER NOT NULL, PRIMARY KEY (district_id, group_name));
            CREATE UNIQUE INDEX ux_group_slots_slot ON group_slots (district_id, slot);
            CREATE TABLE readiness_cells (district_id TEXT NOT NULL, year INTEGER NOT NULL, school_id TEXT NOT NULL, grade INTEGER NOT NULL, met_mask INTEGER NOT NULL, students INTEGER NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, met_mask));
            CREATE TABLE coverage_cells (district_id TEXT NOT NULL, year INTEGER NOT NULL, school_id TEXT NOT NULL, grade INTEGER NOT NULL, group_mask INTEGER NOT NULL, students INTEGER NOT NULL, met_lanes0 INTEGER NOT NULL, met_lanes1 INTEGER NOT NULL, year_lanes0 INTEGER NOT NULL, year_lanes1 INTEGER NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask));
            CREATE TABLE report_basis (district_id TEXT NOT NULL PRIMARY KEY, basis TEXT NOT NULL);
            INSERT INTO evidence_counts (district_id, student_id, year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected)
                SELECT district_id, student_id, year, grade, skill_id, COUNT(*), SUM(CASE WHEN has_reasoning THEN 1 ELSE 0 END), SUM(CASE WHEN reflection_count > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN has_reasoning AND reflection_count > 0 THEN 1 ELSE 0 END)
                FROM artifact_alignments WHERE state IN (1, 2) GROUP BY district_id, student_id, year, grade, skill_id
            """),
    ];
}
