using Backpack.Core.Artifacts;
using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Testing.Tests;

public sealed class SyntheticDistrictTests
{
    private static readonly SyntheticDistrictOptions Small = new() { Seed = 42, Students = 600 };

    [Fact]
    public void Generate_SameSeed_GivesEqualData()
    {
        var a = SyntheticDistrict.Generate(Small);
        var b = SyntheticDistrict.Generate(Small);

        Assert.Equal(a.Data.Frameworks, b.Data.Frameworks);
        Assert.Equal(a.Data.Rubrics, b.Data.Rubrics);
        Assert.Equal(a.Data.Schools, b.Data.Schools);
        Assert.Equal(a.Data.Students, b.Data.Students);
        Assert.Equal(a.Data.Rosters, b.Data.Rosters);
        Assert.Equal(a.Data.Artifacts, b.Data.Artifacts);
        Assert.Equal(a.Data.Evaluations, b.Data.Evaluations);
        Assert.Equal(a.Data.Milestones, b.Data.Milestones);
        Assert.Equal(a.Skills, b.Skills);
        Assert.Equal(a.Schools, b.Schools);
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentData()
    {
        var a = SyntheticDistrict.Generate(Small);
        var b = SyntheticDistrict.Generate(Small with { Seed = 43 });

        Assert.NotEqual(a.FrameworkId, b.FrameworkId);
        Assert.NotEqual(a.Data.Students.Select(s => s.Id), b.Data.Students.Select(s => s.Id));
    }

    [Fact]
    public void Generate_SmallDistrict_HasTheExpectedShape()
    {
        var district = SyntheticDistrict.Generate(Small);
        var data = district.Data;
        var year = district.CurrentYear;

        // Framework and rubrics.
        var content = district.Framework.Current!.Content;
        Assert.Equal(
            ["Prepared and Resilient Learner", "Globally and Culturally Competent Citizen", "Emerging Innovator", "Effective Communicator", "Productive Collaborator"],
            content.Skills.Select(s => s.Name));
        Assert.All(content.Skills, s => Assert.Equal(3, s.Indicators.Count));
        Assert.Empty(content.Validate());
        Assert.Empty(district.SkillsRubric.Validate());
        Assert.Empty(district.DefenseRubric.Validate());
        Assert.Equal("Ready", district.SkillsRubric.MeetsLevel);
        Assert.Equal(["Emerging", "Developing", "Ready", "Excelling"], district.SkillsRubric.Criteria[0].Levels.Select(l => l.Name));
        Assert.Equal(district.Skills, district.SkillsRubric.Criteria.Select(c => c.SkillId!.Value));

        // Schools, students and enrollments.
        Assert.Equal(3, data.Schools.Count);
        Assert.Contains(data.Schools, s => s.Name.StartsWith("Elementary School", StringComparison.Ordinal));
        Assert.Contains(data.Schools, s => s.Name.StartsWith("Middle School", StringComparison.Ordinal));
        Assert.Contains(data.Schools, s => s.Name.StartsWith("High School", StringComparison.Ordinal));
        Assert.Equal(600, data.Students.Count);
        Assert.Equal("Student 00001", data.Students[0].DisplayName);
        Assert.All(data.Students, s => Assert.Empty(RosterService.Validate(s)));
        Assert.All(data.Students, s => Assert.NotNull(s.LatestEnrollmentIn(year)));
        Assert.All(data.Students, s => Assert.InRange(s.Guardians.Count, 1, 2));
        Assert.Equal(data.Students.Count, data.Students.Select(s => s.DistrictStudentId).Distinct().Count());
        var transferYears = data.Students.SelectMany(s => s.Enrollments.GroupBy(e => e.Year)).Where(g => g.Count() > 1).ToList();
        Assert.InRange(transferYears.Count, 1, data.Students.Count);
        Assert.Contains(transferYears, g => g.Count() == 3 && g.First().SchoolId == g.Last().SchoolId);

        // Artifacts: about 3.75 per student-year, every state present, student text from the pools.
        var studentYears = data.Students.Sum(s => s.Enrollments.Select(e => e.Year).Distinct().Count());
        Assert.InRange(data.Artifacts.Count / (double)studentYears, 3.3, 4.2);
        Assert.Equal(Enum.GetValues<CurationState>().Order(), data.Artifacts.Select(a => a.State).Distinct().Order());
        Assert.Contains(data.Artifacts, a => a.Reflections.Count > 0);
        Assert.Contains(data.Artifacts, a => a.Alignments.Any(l => !l.HasReasoning));
        Assert.All(data.Artifacts, a => Assert.Equal(a.Alignments.Count, a.Alignments.Select(l => l.SkillId).Distinct().Count()));
        var byStudent = data.Students.ToDictionary(s => s.Id);
        Assert.All(data.Artifacts, a =>
        {
            var enrollment = byStudent[a.StudentId].Enrollments.Single(e => e.Year == a.Captured.Year && e.IsActiveOn(DateOnly.FromDateTime(a.CreatedAt.UtcDateTime)));
            Assert.Equal((enrollment.SchoolId, enrollment.Grade), (a.Captured.SchoolId, a.Captured.Grade));
        });

        // Evaluations: valid against their rubric; 1 to 3 teachers per artifact.
        var rubrics = data.Rubrics.ToDictionary(r => r.Ref);
        Assert.All(data.Evaluations, e => Assert.Empty(e.Validate(rubrics[e.Rubric])));
        Assert.All(data.Evaluations.Where(e => e.ArtifactId is not null).GroupBy(e => e.ArtifactId), g => Assert.InRange(g.Count(), 1, 3));

        // Defenses at transition grades only; held ones frozen and scored by their panel.
        Assert.NotEmpty(data.Milestones);
        Assert.All(data.Milestones, m =>
        {
            Assert.Equal(MilestoneKind.DefenseOfLearning, m.Kind);
            Assert.True(district.Options.TransitionGrades.IsTransition(m.Context.Grade));
            Assert.InRange(m.Panel.Count, 3, 4);
        });
        var held = data.Milestones.Where(m => m.Status is MilestoneStatus.Held or MilestoneStatus.Closed).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, m => Assert.True(m.IsShowcaseFrozen));
        Assert.Contains(data.Milestones, m => m.Status == MilestoneStatus.Scheduled && !m.IsShowcaseFrozen);
        var panelEvaluations = data.Evaluations.Where(e => e.MilestoneId is not null).ToLookup(e => e.MilestoneId!.Value);
        Assert.All(held, m => Assert.Equal(m.Panel.Count, panelEvaluations[m.Id].Count()));
        var artifactIds = data.Artifacts.ToDictionary(a => a.Id);
        Assert.All(data.Milestones.SelectMany(m => m.ShowcasedArtifacts.Select(id => (m, id))), x => Assert.Equal(x.m.StudentId, artifactIds[x.id].StudentId));

        // Rosters: every student of the current year on a roster at the school of their latest enrollment.
        var current = data.Rosters.Where(r => r.Year == year).ToList();
        Assert.All(current, r => Assert.False(r.IsArchived));
        Assert.All(data.Rosters.Where(r => r.Year < year), r => Assert.True(r.IsArchived));
        var onRoster = current.SelectMany(r => r.Students.Select(s => (s, r.SchoolId))).ToHashSet();
        Assert.All(data.Students, s => Assert.Contains((s.Id, s.LatestEnrollmentIn(year)!.SchoolId), onRoster));
        Assert.All(data.Rosters, r => Assert.InRange(r.Students.Count, 1, district.Options.SectionSize));
    }

    [Fact]
    public async Task LoadAsync_GeneratedDistrict_StoresEverything()
    {
        var district = SyntheticDistrict.Generate(Small);
        var store = new InMemoryBackpackStore();

        await store.LoadAsync(district.Data);

        Assert.Equal(district.Data.Students.Count, store.StudentCount);
        Assert.Equal(district.Data.Artifacts.Count, store.ArtifactCount);
        Assert.Equal(district.Data.Schools.Count, (await store.ListSchoolsAsync()).Count);
        var teacher = district.Data.Rosters.First(r => r.Year == district.CurrentYear).Teachers[0];
        Assert.NotEmpty(await store.ListRostersForTeacherAsync(teacher, district.CurrentYear));
        var student = district.Data.Students[^1];
        var passport = await store.LoadPassportAsync(student.Id);
        Assert.Equal(district.Data.Artifacts.Count(a => a.StudentId == student.Id), passport!.Artifacts.Count);
        await Assert.ThrowsAsync<BackpackStoreException>(() => store.LoadAsync(district.Data));
    }

    [Fact]
    public void Generate_InvalidOptions_ThrowsNamingEveryProblem()
    {
        var ex = Assert.Throws<BackpackValidationException>(() => SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 0, Schools = 2, TransferShare = 2 }));

        Assert.Equal(
            ["SyntheticDistrictOptions.Students", "SyntheticDistrictOptions.Schools", "SyntheticDistrictOptions.TransferShare"],
            ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void SchoolCount_FullDistrict_Is150()
    {
        Assert.Equal(150, new SyntheticDistrictOptions { Students = 96_000 }.SchoolCount);
        Assert.Equal(3, new SyntheticDistrictOptions().SchoolCount);
    }
}
