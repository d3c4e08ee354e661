using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Tests;

/// <summary>Small hand-built domain values for unit tests.</summary>
internal static class Samples
{
    public static readonly string[] LevelNames = ["Emerging", "Developing", "Ready", "Excelling"];

    public static Guid G(int n) => new($"00000000-0000-4000-8000-{n:000000000000}");

    public static FrameworkContent SuccessSkills() => new(
        "Success Skills",
        ValueList.Of(
            new Skill(SkillId.From(G(1)), "Prepared and Resilient Learner", 1),
            new Skill(SkillId.From(G(2)), "Globally and Culturally Competent Citizen", 2),
            new Skill(SkillId.From(G(3)), "Emerging Innovator", 3),
            new Skill(SkillId.From(G(4)), "Effective Communicator", 4),
            new Skill(SkillId.From(G(5)), "Productive Collaborator", 5)));

    public static ValueList<RubricLevel> Levels(int criterion) =>
        LevelNames.Select((n, i) => new RubricLevel(LevelId.From(G(1000 + (criterion * 10) + i)), n, i + 1, i + 1)).ToValueList();

    public static Rubric FourLevelRubric(int criteria = 5, int version = 1) => new(
        RubricId.From(G(900)),
        version,
        "Success Skills Rubric",
        Enumerable.Range(1, criteria).Select(c => new RubricCriterion(CriterionId.From(G(500 + c)), $"Criterion {c}", c, Levels(c)) { SkillId = SkillId.From(G(c)) }).ToValueList(),
        "Ready");

    public static Artifact Artifact(StudentId student, int year = 2025, int grade = 5, CurationState state = CurationState.Collected) => new(
        ArtifactId.New(), student, "Work", new WebLinkSource(new Uri("https://example.org/work")),
        new CaptureContext(new SchoolYear(year), GradeLevel.FromOrdinal(grade), SchoolId.From(G(77))), state,
        new DateTimeOffset(year, 10, 1, 0, 0, 0, TimeSpan.Zero));
}
