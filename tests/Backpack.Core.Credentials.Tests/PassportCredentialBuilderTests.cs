using System.Text.Json.Nodes;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Milestones;

namespace Backpack.Core.Credentials.Tests;

/// <summary>The OB 3.0 / CLR 2.0 mapping on generated students: schema-valid, signed with the pinned contexts in safe mode, verifiable.</summary>
public sealed class PassportCredentialBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Build_GeneratedStudents_EveryCredentialValidatesAgainstSchemasAndVerifies()
    {
        var random = new Random(11);
        var framework = PassportFixtures.Framework(random);
        var rubric = PassportFixtures.DefenseRubric(framework);
        var key = Ed25519IssuerKey.Generate();
        var suite = new EddsaRdfc2022();
        var issued = 0;
        for (var n = 0; n < 12; n++)
        {
            var student = PassportFixtures.Student(random, n);
            var identity = (PassportSubjectIdentity)(n % 4);
            var options = new PassportOptions { SubjectIdentity = identity, CaseBaseUri = n % 2 == 0 ? new Uri("https://district.example/ims/case/v1p1/") : null, IncludeReflections = n % 3 == 0 };
            var builder = new PassportCredentialBuilder(new PassportIssuer("Demo District", key) { Url = new Uri("https://district.example/") }, options, new EvidenceRule());
            var defense = PassportFixtures.ClosedDefense(random, student, framework, rubric);
            var met = MetSkillRule.DefenseOfLearning.Find(defense, rubric).ToArray();
            Assert.All(met, m => Assert.True(rubric.Meets(m.Criterion, m.Level)));
            var signed = new List<JsonObject>();
            foreach (var m in met)
            {
                var credential = builder.AchievementCredential(student, framework, framework.FindSkill(m.SkillId)!, m);
                Assert.Empty(PassportFixtures.ValidateOpenBadge(credential));
                var s = await suite.SignAsync(credential, key, Now);
                Assert.Empty(PassportFixtures.ValidateOpenBadge(s));
                signed.Add(s);
            }

            if (signed.Count == 0)
            {
                continue;
            }

            var clr = await suite.SignAsync(builder.Clr(student, new FrameworkId(Guid.NewGuid()), framework, signed.Select(s => (JsonObject)s["credentialSubject"]!["achievement"]!), signed, Now), key, Now);
            Assert.Empty(PassportFixtures.ValidateClr(clr));
            var result = await suite.VerifyAsync(clr);
            Assert.True(result.Verified, string.Join("; ", result.Errors));
            var text = clr.ToJsonString();
            Assert.Equal(identity == PassportSubjectIdentity.EmailInClear, text.Contains(student.Email!, StringComparison.Ordinal));
            Assert.DoesNotContain(student.DisplayName, text, StringComparison.Ordinal);
            Assert.Equal(options.IncludeReflections, text.Contains("What I learned, privately.", StringComparison.Ordinal));
            issued++;
        }

        Assert.True(issued > 0);
    }

    [Fact]
    public void AchievementCredential_MetSkill_MapsAchievementResultAndEvidence()
    {
        var random = new Random(3);
        var framework = PassportFixtures.Framework(random);
        var rubric = PassportFixtures.DefenseRubric(framework);
        var student = PassportFixtures.Student(random, 1);
        var skill = framework.Skills[0] with { Uri = "https://case.example.org/CFItems/abc" };
        var criterion = rubric.Criteria[0];
        var ready = criterion.FindLevel("Ready")!;
        var defense = PassportFixtures.ClosedDefense(random, student, framework, rubric);
        var builder = new PassportCredentialBuilder(new PassportIssuer("Demo District", Ed25519IssuerKey.Generate()), new PassportOptions(), new EvidenceRule { MinimumArtifactsPerSkill = 2 });

        var credential = builder.AchievementCredential(student, framework, skill, new MetSkill(skill.Id, defense, rubric, criterion, ready));

        Assert.Equal("2026-05-12T14:00:00Z", (string?)credential["validFrom"]);
        Assert.Equal("urn:uuid:" + student.Id, (string?)credential["credentialSubject"]!["id"]);
        var achievement = credential["credentialSubject"]!["achievement"]!;
        Assert.Equal("Competency", (string?)achievement["achievementType"]);
        Assert.Equal("https://case.example.org/CFItems/abc", (string?)achievement["alignment"]![0]!["targetUrl"]);
        Assert.Equal("CFItem", (string?)achievement["alignment"]![0]!["targetType"]);
        Assert.Contains("Ready or Excelling", (string?)achievement["criteria"]!["narrative"], StringComparison.Ordinal);
        Assert.Contains("at least 2 artifact", (string?)achievement["criteria"]!["narrative"], StringComparison.Ordinal);
        var description = achievement["resultDescription"]![0]!;
        Assert.Equal("RubricCriterionLevel", (string?)description["resultType"]);
        Assert.Equal(4, description["rubricCriterionLevel"]!.AsArray().Count);
        var result = credential["credentialSubject"]!["result"]![0]!;
        Assert.Equal((string?)description["id"], (string?)result["resultDescription"]);
        Assert.Equal((string?)description["requiredLevel"], (string?)result["achievedLevel"]);
        Assert.Empty(PassportFixtures.ValidateOpenBadge(credential));
        var broken = (JsonObject)credential.DeepClone();
        broken.Remove("validFrom");
        broken["credentialSubject"]!["achievement"]!.AsObject().Remove("criteria");
        Assert.Equal(2, PassportFixtures.ValidateOpenBadge(broken).Count);
        var evidence = credential["evidence"]!.AsArray();
        Assert.Equal(2, evidence.Count);
        Assert.StartsWith("https://drive.google.com/file/d/drive-", (string?)evidence[0]!["id"], StringComparison.Ordinal);
        Assert.Contains("planned & revised", (string?)evidence[0]!["narrative"], StringComparison.Ordinal);
        Assert.DoesNotContain("Reflection", (string?)evidence[0]!["narrative"], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_DefenseBelowMeetsLevel_GivesNoMetSkill()
    {
        var random = new Random(5);
        var framework = PassportFixtures.Framework(random);
        var rubric = PassportFixtures.DefenseRubric(framework);
        var student = PassportFixtures.Student(random, 2);
        var defense = PassportFixtures.ClosedDefense(random, student, framework, rubric);
        var low = defense with { Outcome = rubric.Criteria.Select(c => new CriterionOutcome(c.Id, c.FindLevel("Developing")!.Id)).ToValueList() };

        Assert.Empty(MetSkillRule.DefenseOfLearning.Find(low, rubric));
        Assert.Empty(MetSkillRule.ShowcasedInMetDefense.Find(low, rubric));
        Assert.Empty(MetSkillRule.DefenseOfLearning.Find(defense with { Status = MilestoneStatus.Held }, rubric));
    }

    [Fact]
    public void Find_ShowcasedRuleAllCriteriaMet_GivesEveryShowcasedSkillAtLowestLevel()
    {
        var random = new Random(6);
        var framework = PassportFixtures.Framework(random);
        var rubric = PassportFixtures.DefenseRubric(framework);
        var student = PassportFixtures.Student(random, 3);
        var defense = PassportFixtures.ClosedDefense(random, student, framework, rubric);
        var met = defense with
        {
            Showcase = framework.Skills.Take(2).Select(s => new ShowcaseEntry(s.Id, ValueList<ArtifactId>.Empty)).ToValueList(),
            Outcome = rubric.Criteria.Select((c, i) => new CriterionOutcome(c.Id, c.FindLevel(i == 0 ? "Ready" : "Excelling")!.Id)).ToValueList(),
        };

        var skills = MetSkillRule.ShowcasedInMetDefense.Find(met, rubric).ToArray();

        Assert.Equal(2, skills.Length);
        Assert.All(skills, s => Assert.Equal("Ready", s.Level.Name));
    }
}
