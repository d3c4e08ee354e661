using System.Text.Json.Nodes;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using NJsonSchema;

namespace Backpack.Core.Credentials.Tests;

/// <summary>Generated frameworks, rubrics and students for the passport tests, and the OB 3.0 / CLR 2.0 schema checks.</summary>
internal static class PassportFixtures
{
    public static readonly string[] LevelNames = ["Emerging", "Developing", "Ready", "Excelling"];
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData", "openbadges");
    private static readonly Lazy<JsonSchema> ObSchema = new(() => LoadSchema("ob_v3p0_achievementcredential_schema_draft4.json"));
    private static readonly Lazy<JsonSchema> ClrSchema = new(() => LoadSchema("clr_v2p0_clrcredential_schema_draft4.json"));

    public static FrameworkContent Framework(Random random) => new(
        "Success Skills",
        new[] { "Prepared and Resilient Learner", "Globally and Culturally Competent Citizen", "Emerging Innovator", "Effective Communicator", "Productive Collaborator" }
            .Select((n, i) => new Skill(new SkillId(Guid.NewGuid()), n, i + 1) { Code = $"SS.{i + 1}", Uri = random.Next(2) == 0 ? $"https://case.example.org/ims/case/v1p1/CFItems/{Guid.NewGuid()}" : null })
            .ToValueList());

    public static Rubric DefenseRubric(FrameworkContent framework) => new(
        new RubricId(Guid.NewGuid()),
        1,
        "Defense of Learning Rubric",
        framework.Skills.Select(s => new RubricCriterion(new CriterionId(Guid.NewGuid()), s.Name, s.Position, Levels()) { SkillId = s.Id }).ToValueList(),
        "Ready");

    public static ValueList<RubricLevel> Levels() =>
        LevelNames.Select((l, i) => new RubricLevel(new LevelId(Guid.NewGuid()), l, i + 1, i + 1) { Description = $"{l} work" }).ToValueList();

    public static Student Student(Random random, int n) => new(
        new StudentId(Guid.NewGuid()),
        $"S-{1000 + n}",
        $"Student {n}",
        [new Enrollment(new SchoolId(Guid.NewGuid()), GradeLevel.Grade(random.Next(2) == 0 ? 5 : 8), new SchoolYear(2025), new DateOnly(2025, 8, 20))])
    {
        Email = $"student{n}@district.example",
    };

    /// <summary>A closed Defense of Learning with random panel outcomes and a frozen showcase of two artifacts per skill.</summary>
    public static Milestone ClosedDefense(Random random, Student student, FrameworkContent framework, Rubric rubric)
    {
        var held = new DateTimeOffset(2026, 5, 12, 14, 0, 0, TimeSpan.Zero);
        var context = new CaptureContext(new SchoolYear(2025), student.Enrollments[0].Grade, student.Enrollments[0].SchoolId);
        var snapshot = framework.Skills.Select(s => new ShowcaseSkill(s.Id, Enumerable.Range(1, 2).Select(k => new ShowcaseItem(
            new ArtifactId(Guid.NewGuid()),
            $"Project {k} <for> \"{s.Name}\"",
            k == 1 ? new ShowcaseSource($"drive-{random.Next(100_000)}", null) : new ShowcaseSource(null, new Uri($"https://sites.example.org/p/{random.Next(100_000)}")),
            $"I show {s.Name} because I planned & revised it.",
            new Reflection(1, "What I learned, privately.", held.AddDays(-3)))).ToValueList())).ToValueList();
        var scheduled = new Milestone(new MilestoneId(Guid.NewGuid()), student.Id, MilestoneKind.DefenseOfLearning, context, held, MilestoneStatus.Scheduled) { Rubric = rubric.Ref };
        return scheduled.Hold(held, snapshot).Close(
            rubric.Criteria.Select(c => new CriterionOutcome(c.Id, c.Levels[random.Next(c.Levels.Count)].Id) { Evaluators = 3, QuorumMet = true }),
            held.AddDays(7));
    }

    public static ICollection<NJsonSchema.Validation.ValidationError> ValidateOpenBadge(JsonObject credential) => ObSchema.Value.Validate(credential.ToJsonString());

    public static ICollection<NJsonSchema.Validation.ValidationError> ValidateClr(JsonObject credential) => ClrSchema.Value.Validate(credential.ToJsonString());

    /// <summary>
    /// The 1EdTech schemas shipped here predate VC 2.0 and require <c>issuanceDate</c>, which the VC 2.0 context the
    /// credentials use does not define (safe mode would refuse it); its VC 2.0 successor <c>validFrom</c> is required in its place.
    /// </summary>
    private static JsonSchema LoadSchema(string file)
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Data, file)))!.AsObject();
        Replace(schema["required"]);
        Replace(schema["$defs"]?["VerifiableCredential"]?["required"]);
        // Draft 4 keeps definitions under "definitions"; NJsonSchema resolves only those.
        var text = schema.ToJsonString().Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal).Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();

        static void Replace(JsonNode? required)
        {
            if (required is JsonArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if ((string?)list[i] == "issuanceDate")
                    {
                        list[i] = "validFrom";
                    }
                }
            }
        }
    }
}
