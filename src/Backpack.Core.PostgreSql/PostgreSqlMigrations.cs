using Backpack.Core.Storage.Relational;

namespace Backpack.Core.PostgreSql;

/// <summary>
/// The PostgreSQL schema, as forward-only migrations. Every table's key starts with <c>district_id</c> so it
/// can become the distribution column of a distributed PostgreSQL (Citus). Never edit a shipped migration.
/// </summary>
internal static class PostgreSqlMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "aggregates, key columns and report side tables", """
            CREATE TABLE schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL);
            CREATE TABLE frameworks (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE rubrics (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id, version));
            CREATE TABLE schools (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE students (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, district_student_id text, google_user_id text, oneroster_sourced_id text, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_students_district_student_id ON students (district_id, district_student_id);
            CREATE INDEX ix_students_google_user_id ON students (district_id, google_user_id);
            CREATE INDEX ix_students_oneroster_sourced_id ON students (district_id, oneroster_sourced_id);
            CREATE TABLE enrollments (district_id text NOT NULL, student_id uuid NOT NULL, seq integer NOT NULL, year integer NOT NULL, grade integer NOT NULL, school_id uuid NOT NULL, entry_day integer NOT NULL, PRIMARY KEY (district_id, student_id, seq));
            CREATE INDEX ix_enrollments_year ON enrollments (district_id, year, student_id);
            CREATE TABLE rosters (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, school_id uuid NOT NULL, year integer NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE TABLE roster_members (district_id text NOT NULL, roster_id uuid NOT NULL, role integer NOT NULL, member_id uuid NOT NULL, year integer NOT NULL, PRIMARY KEY (district_id, roster_id, role, member_id));
            CREATE INDEX ix_roster_members_member ON roster_members (district_id, member_id, role, year);
            CREATE TABLE artifacts (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, student_id uuid NOT NULL, year integer NOT NULL, grade integer NOT NULL, school_id uuid NOT NULL, state integer NOT NULL, reflection_count integer NOT NULL, created_at timestamptz NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_artifacts_student ON artifacts (district_id, student_id);
            CREATE TABLE artifact_alignments (district_id text NOT NULL, artifact_id uuid NOT NULL, skill_id uuid NOT NULL, student_id uuid NOT NULL, has_reasoning boolean NOT NULL, PRIMARY KEY (district_id, artifact_id, skill_id));
            CREATE TABLE evaluations (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, student_id uuid NOT NULL, rubric_id uuid NOT NULL, rubric_version integer NOT NULL, year integer NOT NULL, grade integer NOT NULL, school_id uuid NOT NULL, artifact_id uuid, milestone_id uuid, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_evaluations_student ON evaluations (district_id, student_id);
            CREATE TABLE evaluation_scores (district_id text NOT NULL, evaluation_id uuid NOT NULL, pos integer NOT NULL, rubric_id uuid NOT NULL, rubric_version integer NOT NULL, year integer NOT NULL, school_id uuid NOT NULL, grade integer NOT NULL, subject_id uuid NOT NULL, criterion_id uuid NOT NULL, level_id uuid NOT NULL, PRIMARY KEY (district_id, evaluation_id, pos));
            CREATE TABLE milestones (district_id text NOT NULL, id uuid NOT NULL, version bigint NOT NULL, student_id uuid NOT NULL, year integer NOT NULL, status integer NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (district_id, id));
            CREATE INDEX ix_milestones_student ON milestones (district_id, student_id)
            """),
        new(2, "audit trail, transactional outbox and sync checkpoints", """
            CREATE TABLE audit (district_id text NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, actor_id text NOT NULL, student_id uuid, doc jsonb NOT NULL, PRIMARY KEY (district_id, seq));
            CREATE INDEX ix_audit_at ON audit (district_id, at);
            CREATE INDEX ix_audit_student ON audit (district_id, student_id, at);
            CREATE INDEX ix_audit_actor ON audit (district_id, actor_id, at);
            CREATE TABLE outbox (district_id text NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY, operation text NOT NULL, idempotency_key text NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL, attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL, last_error text, lease_owner text, lease_until timestamptz, completed_at timestamptz, dead_lettered boolean NOT NULL DEFAULT false, PRIMARY KEY (district_id, id));
            CREATE UNIQUE INDEX ux_outbox_idempotency_key ON outbox (district_id, idempotency_key);
            CREATE TABLE sync_checkpoints (district_id text NOT NULL, key text NOT NULL, version bigint NOT NULL, value text NOT NULL, PRIMARY KEY (district_id, key))
            """),
        new(3, "indexes for reports and outbox leases", """
            CREATE INDEX ix_outbox_due ON outbox (district_id, completed_at, next_attempt_at);
            CREATE INDEX ix_artifact_alignments_skill ON artifact_alignments (district_id, skill_id);
            CREATE INDEX ix_evaluation_scores_report ON evaluation_scores (district_id, rubric_id, rubric_version, year);
            CREATE INDEX ix_artifacts_evidence ON artifacts (district_id, student_id, state, year, grade, reflection_count, id)
            """),
        new(4, "artifact evidence columns on alignments, covering index for the readiness report (replaces two indexes it no longer reads)", """
            ALTER TABLE artifact_alignments ADD COLUMN year integer NOT NULL DEFAULT 0, ADD COLUMN grade integer NOT NULL DEFAULT 0, ADD COLUMN state integer NOT NULL DEFAULT 0, ADD COLUMN reflection_count integer NOT NULL DEFAULT 0;
            UPDATE artifact_alignments al SET year = a.year, grade = a.grade, state = a.state, reflection_count = a.reflection_count
                FROM artifacts a WHERE a.district_id = al.district_id AND a.id = al.artifact_id;
            CREATE INDEX ix_artifact_alignments_evidence ON artifact_alignments (district_id, student_id, state, skill_id, year, grade, has_reasoning, reflection_count);
            DROP INDEX ix_artifacts_evidence;
            DROP INDEX ix_artifact_alignments_skill
            """),
        new(5, "maintained evidence counts per student, year, grade and skill; per student and year their placement, skill and group masks; per school, grade and year the report cells; student groups", """
            CREATE TABLE evidence_counts (district_id text NOT NULL, student_id uuid NOT NULL, year integer NOT NULL, grade integer NOT NULL, skill_id uuid NOT NULL, artifacts integer NOT NULL, reasoned integer NOT NULL, reflected integer NOT NULL, reasoned_reflected integer NOT NULL, PRIMARY KEY (district_id, student_id, year, grade, skill_id));
            CREATE TABLE skill_slots (district_id text NOT NULL, skill_id uuid NOT NULL, slot integer NOT NULL, PRIMARY KEY (district_id, skill_id));
            CREATE UNIQUE INDEX ux_skill_slots_slot ON skill_slots (district_id, slot);
            CREATE TABLE student_years (district_id text NOT NULL, year integer NOT NULL, school_id uuid NOT NULL, grade integer NOT NULL, group_mask bigint NOT NULL, student_id uuid NOT NULL, met_mask bigint NOT NULL, year_mask bigint NOT NULL, met_lanes0 bigint NOT NULL, met_lanes1 bigint NOT NULL, year_lanes0 bigint NOT NULL, year_lanes1 bigint NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask, student_id) INCLUDE (met_mask, year_mask, met_lanes0, met_lanes1, year_lanes0, year_lanes1));
            CREATE INDEX ix_student_years_student ON student_years (district_id, student_id);
            CREATE TABLE student_groups (district_id text NOT NULL, student_id uuid NOT NULL, group_name text NOT NULL, PRIMARY KEY (district_id, student_id, group_name));
            CREATE TABLE group_slots (district_id text NOT NULL, group_name text NOT NULL, slot integer NOT NULL, PRIMARY KEY (district_id, group_name));
            CREATE UNIQUE INDEX ux_group_slots_slot ON group_slots (district_id, slot);
            CREATE TABLE readiness_cells (district_id text NOT NULL, year integer NOT NULL, school_id uuid NOT NULL, grade integer NOT NULL, met_mask bigint NOT NULL, students integer NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, met_mask));
            CREATE TABLE coverage_cells (district_id text NOT NULL, year integer NOT NULL, school_id uuid NOT NULL, grade integer NOT NULL, group_mask bigint NOT NULL, students integer NOT NULL, met_lanes0 bigint NOT NULL, met_lanes1 bigint NOT NULL, year_lanes0 bigint NOT NULL, year_lanes1 bigint NOT NULL, PRIMARY KEY (district_id, year, school_id, grade, group_mask));
            CREATE TABLE report_basis (district_id text NOT NULL PRIMARY KEY, basis text NOT NULL);
            INSERT INTO evidence_counts (district_id, student_id, year, grade, skill_id, artifacts, reasoned, reflected, reasoned_reflected)
                SELECT district_id, student_id, year, grade, skill_id, COUNT(*), SUM(CASE WHEN has_reasoning THEN 1 ELSE 0 END), SUM(CASE WHEN reflection_count > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN has_reasoning AND reflection_count > 0 THEN 1 ELSE 0 END)
                FROM artifact_alignments WHERE state IN (1, 2) GROUP BY district_id, student_id, year, grade, skill_id
            """),
    ];
}
