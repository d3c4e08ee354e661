using System.Text.Json.Nodes;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Credentials.Tests;

/// <summary>The passport service through core's public services, with actors and the access policy.</summary>
public sealed class PassportServiceTests
{
    [Fact]
    public async Task IssueAsync_StudentWithMetDefense_IssuesSignedClrThatVerifiesAndTamperingFails()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 1, 15, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddBackpack(o => { o.DistrictId = "passport-test"; o.MinimumArtifactsPerSkill = 1; }).UseInMemoryStore().AddPassport();
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var sp = scope.ServiceProvider;
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var frameworks = sp.GetRequiredService<FrameworkService>();
        var skill = SkillId.New();
        var frameworkId = FrameworkId.New();
        await frameworks.CreateAsync(admin, frameworkId, new FrameworkContent("Success Skills", []).AddSkill(skill, "Effective Communicator"));
        await frameworks.PublishAsync(admin, frameworkId);
        var rubric = await frameworks.AddRubricVersionAsync(admin, new Rubric(RubricId.New(), 1, "Defense of Learning Rubric",
            [new RubricCriterion(CriterionId.New(), "Communicates", 1, PassportFixtures.Levels()) { SkillId = skill }], "Ready"));
        var rosters = sp.GetRequiredService<RosterService>();
        var school = await rosters.SaveSchoolAsync(admin, new School(SchoolId.New(), "Aspen Elementary"));
        var year = new SchoolYear(2025);
        var student = await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), "S-1", "Ana", [new Enrollment(school.Id, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]));
        var other = await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), "S-2", "Ben", [new Enrollment(school.Id, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]));
        var teacher = PersonId.New();
        await rosters.SaveRosterAsync(admin, new Roster(RosterId.New(), school.Id, year, "Grade 5", [teacher], [student.Id, other.Id]));
        var backpack = sp.GetRequiredService<BackpackService>();
        var me = Actor.ForStudent(student.Id);
        var artifact = await backpack.AddArtifactAsync(me, student.Id, "Water cycle model", new DriveFileSource("drive-file-1"));
        await backpack.CurateAsync(me, artifact.Id, CurationState.Collected);
        await backpack.AlignAsync(me, artifact.Id, skill, "I explained the model to my class.");
        await backpack.ReflectAsync(me, artifact.Id, "A private reflection.");
        var milestones = sp.GetRequiredService<MilestoneService>();
        var defenseAt = new DateTimeOffset(2026, 5, 12, 14, 0, 0, TimeSpan.Zero);
        var m = await milestones.ScheduleAsync(Actor.ForTeacher(teacher), student.Id, MilestoneKind.DefenseOfLearning, defenseAt, rubric.Ref);
        var panel = new[] { new Panelist(PersonId.New(), PanelRole.Educator), new Panelist(PersonId.New(), PanelRole.CommunityPartner), new Panelist(PersonId.New(), PanelRole.CommunityPartner) };
        await milestones.SetPanelAsync(Actor.ForTeacher(teacher), m.Id, panel);
        await milestones.SetShowcaseAsync(me, m.Id, [new ShowcaseEntry(skill, [artifact.Id])]);
        clock.SetUtcNow(defenseAt);
        await milestones.HoldAsync(Actor.ForTeacher(teacher), m.Id);
        foreach (var p in panel)
        {
            await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p.PersonId), m.Id, [new CriterionLevel("Communicates", "Excelling")]);
        }

        clock.SetUtcNow(defenseAt.AddDays(2));
        await milestones.CloseAsync(Actor.ForTeacher(teacher), m.Id);
        var passports = sp.GetRequiredService<PassportService>();
        var issuer = new PassportIssuer("Demo District", Ed25519IssuerKey.Generate());

        var issued = await passports.IssueAsync(me, student.Id, frameworkId, issuer);
        var none = await passports.IssueAsync(Actor.ForStudent(other.Id), other.Id, frameworkId, issuer);

        Assert.NotNull(issued);
        Assert.Null(none);
        Assert.Single(issued.Credentials);
        Assert.Empty(PassportFixtures.ValidateClr(issued.Clr));
        Assert.Empty(PassportFixtures.ValidateOpenBadge(issued.Credentials[0]));
        var verified = await passports.VerifyAsync(issued.Clr);
        Assert.True(verified.Verified, string.Join("; ", verified.Errors));
        var text = issued.Clr.ToJsonString();
        Assert.Contains("https://drive.google.com/file/d/drive-file-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("A private reflection.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana", text, StringComparison.Ordinal);
        var tampered = JsonNode.Parse(text.Replace("Excelling work\",\"level\":\"4", "Excelling work\",\"level\":\"5", StringComparison.Ordinal).Replace("I explained", "I Explained", StringComparison.Ordinal))!.AsObject();
        var rejected = await passports.VerifyAsync(tampered);
        Assert.False(rejected.Verified);
        Assert.Contains(rejected.Errors, e => e.Contains("proof.signature", StringComparison.Ordinal));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => passports.IssueAsync(Actor.ForStudent(other.Id), student.Id, frameworkId, issuer));

        // A transfer student's verified passport comes in as read-only evidence with its issuer, once.
        var incoming = (JsonObject)JsonNode.Parse(text)!;
        var imported = await passports.ImportAsync(Actor.ForStudent(other.Id), other.Id, incoming);
        var again = await passports.ImportAsync(Actor.ForStudent(other.Id), other.Id, (JsonObject)JsonNode.Parse(text)!);
        var evidence = Assert.Single(imported);
        var source = Assert.IsType<ExternalCredentialSource>(evidence.Source);
        Assert.Equal((issuer.Key.IssuerId, (string?)issued.Credentials[0]["id"]), (source.Issuer, (string?)source.CredentialId));
        Assert.Empty(again);
        var readOnly = await Assert.ThrowsAsync<BackpackValidationException>(() => backpack.AlignAsync(Actor.ForStudent(other.Id), evidence.Id, skill, "Mine now."));
        Assert.Equal("artifact.external.read-only", readOnly.Problems[0].Rule);
        var refused = await Assert.ThrowsAsync<BackpackValidationException>(() => passports.ImportAsync(Actor.ForStudent(other.Id), other.Id, tampered));
        Assert.All(refused.Problems, p => Assert.Equal("credential.verified", p.Rule));
    }
}
