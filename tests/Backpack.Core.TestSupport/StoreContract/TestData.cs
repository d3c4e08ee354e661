using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>Hand-built domain values for the store contract tests.</summary>
public static class TestData
{
    public static readonly DateTimeOffset T0 = new(2025, 9, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly SchoolYear Year = new(2025);
    public static readonly string[] LevelNames = ["Emerging", "Developing", "Ready", "Excelling"];

    public static FrameworkContent Content(int skills = 4) => new(
        "Success Skills",
        Enumerable.Range(1, skills).Select(i => new Skill(SkillId.New(), $"Skill {i}", i)).ToValueList());

    public static SkillsFramework Framework(FrameworkContent? content = null) =>
        SkillsFramework.Create(FrameworkId.New(), content ?? Content()).Publish(T0);

    public static Rubric Rubric(int criteria = 3, int version = 1, RubricId? id = null) => new(
        id ?? RubricId.New(),
        version,
        "Success Skills Rubric",
        Enumerable.Range(1, criteria).Select(c => new RubricCriterion(
            CriterionId.New(),
            $"Criterion {c}",
            c,
            LevelNames.Select((n, i) => new RubricLevel(LevelId.New(), n, i + 1, i + 1)).ToValueList())).ToValueList(),
        "Ready");

    public static School School(string name = "Lincoln Elementary") => new(SchoolId.New(), name, "S-" + name.Length);

    public static Student Student(SchoolId school, int grade = 5, SchoolYear? year = null, string? sis = null) =>
        new(
            StudentId.New(),
            sis ?? "SIS-" + Guid.NewGuid().ToString("N")[..8],
            "Ada Student",
            ValueList.Of(new Enrollment(school, GradeLevel.FromOrdinal(grade), year ?? Year, (year ?? Year).FirstDay(8))))
        {
            GoogleUserId = "g-" + Guid.NewGuid().ToString("N")[..10],
            OneRosterSourcedId = "or-" + Guid.NewGuid().ToString("N")[..10],
            Email = "ada@example.org",
            Guardians = ValueList.Of(PersonId.New()),
        };

    public static Artifact Artifact(StudentId student, SchoolId school, int grade = 5, SchoolYear? year = null, CurationState state = CurationState.Collected, DateTimeOffset? createdAt = null) =>
        new(
            ArtifactId.New(),
            student,
            "Water cycle poster",
            new DriveFileSource("file-" + Guid.NewGuid().ToString("N")[..8], "image/png"),
            new CaptureContext(year ?? Year, GradeLevel.FromOrdinal(grade), school, "Science"),
            state,
            createdAt ?? T0);

    public static Artifact Rich(Artifact a, SkillId skill) => a
        .AlignTo(skill, "It shows how I explain ideas.", new ArtifactRules())
        .Reflect("I learned to revise my work.", T0.AddDays(1), new ArtifactRules())
        .GiveFeedback(PersonId.New(), "Great progress!", T0.AddDays(2), new ArtifactRules());

    public static Evaluation Evaluation(Rubric rubric, StudentId student, SchoolId school, ArtifactId? artifact = null, MilestoneId? milestone = null, int[]? levels = null, int grade = 5, SchoolYear? year = null)
    {
        var scores = rubric.Criteria.Select((c, i) => new CriterionScore(c.Id, c.Levels[(levels is null ? 2 : levels[i % levels.Length]) % c.Levels.Count].Id)).ToValueList();
        return new Evaluation(EvaluationId.New(), student, rubric.Ref, PersonId.New(), EvaluatorRole.Teacher, scores, T0.AddDays(3), new CaptureContext(year ?? Year, GradeLevel.FromOrdinal(grade), school))
        {
            ArtifactId = artifact ?? (milestone is null ? global::Backpack.Core.ArtifactId.New() : null),
            MilestoneId = milestone,
        };
    }

    public static Milestone Milestone(StudentId student, SchoolId school, Rubric? rubric = null) =>
        new(MilestoneId.New(), student, MilestoneKind.DefenseOfLearning, new CaptureContext(Year, GradeLevel.Grade(5), school), T0.AddMonths(6), MilestoneStatus.Scheduled)
        {
            Rubric = rubric?.Ref,
            Panel = ValueList.Of(new Panelist(PersonId.New(), PanelRole.CommunityPartner)),
        };

    public static Roster Roster(SchoolId school, PersonId teacher, params StudentId[] students) =>
        new(RosterId.New(), school, Year, "Grade 5 Science", ValueList.Of(teacher), students.ToValueList()) { ClassroomCourseId = "course-1" };

    public static AuditRecord Audit(string actor, StudentId? student, DateTimeOffset at, string action = "backpack.read") =>
        new(at, actor, action, student, "res-1", true) { Detail = "rule:teacher-roster" };

    public static ChangeSet Set(params object[] items)
    {
        var c = new ChangeSet();
        foreach (var item in items)
        {
            switch (item)
            {
                case SkillsFramework x: c.Put(x); break;
                case Rubric x: c.Put(x); break;
                case School x: c.Put(x); break;
                case Student x: c.Put(x); break;
                case Roster x: c.Put(x); break;
                case Artifact x: c.Put(x); break;
                case Evaluation x: c.Put(x); break;
                case Milestone x: c.Put(x); break;
                case AuditRecord x: c.Put(x); break;
                case Sync.OutboxMessage x: c.Put(x); break;
                case Sync.SyncCheckpoint x: c.Put(x); break;
                default: throw new ArgumentException($"Unknown item {item.GetType().Name}.", nameof(items));
            }
        }

        return c;
    }
}
