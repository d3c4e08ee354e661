using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Testing.Tests;

/// <summary>A random small district, a random report request over it, and random edits after loading.</summary>
public sealed record DistrictCase(
    int Seed,
    int Students,
    int Schools,
    int YearsOfHistory,
    double ArtifactsPerYear,
    double TransferShare,
    int[] TransitionGrades,
    int YearOffset,
    EvidenceRule Rule,
    int[] SkillPicks,
    bool UnknownSkill,
    int[] GradeFilter,
    int[] SchoolFilter,
    int Edits,
    ScoreCombination Combination)
{
    public SyntheticDistrictOptions Options => new()
    {
        Seed = Seed,
        Students = Students,
        Schools = Schools,
        YearsOfHistory = YearsOfHistory,
        ArtifactsPerStudentPerYear = ArtifactsPerYear,
        TransferShare = TransferShare,
        EvaluatedArtifactShare = 0.5,
        SectionSize = 7,
        TransitionGrades = new TransitionGrades(TransitionGrades.Select(GradeLevel.FromOrdinal)),
    };

    public override string ToString() =>
        $"Seed={Seed} Students={Students} Schools={Schools} Years={YearsOfHistory} Artifacts/yr={ArtifactsPerYear:0.00} Transfers={TransferShare:0.00} "
        + $"Transitions=[{string.Join(",", TransitionGrades)}] YearOffset={YearOffset} Rule=({Rule.MinimumArtifactsPerSkill},{Rule.RequireReasoning},{Rule.MinimumReflectionsPerSkill}) "
        + $"Skills=[{string.Join(",", SkillPicks)}] Unknown={UnknownSkill} Grades=[{string.Join(",", GradeFilter)}] Schools=[{string.Join(",", SchoolFilter)}] Edits={Edits} {Combination}";
}

/// <summary>Explicit arbitraries for the report properties.</summary>
public static class DistrictArbitraries
{
    public static Arbitrary<DistrictCase> DistrictCase()
    {
        var grades = Enumerable.Range(-1, 14).ToArray();
        var gen =
            from seed in Gen.Choose(0, 1_000_000)
            from students in Gen.Choose(1, 90)
            from schools in Gen.Choose(3, 6)
            from years in Gen.Choose(1, 4)
            from artifacts in Gen.Choose(0, 60).Select(n => n / 10.0)
            from transfers in Gen.Elements(0.0, 0.2, 0.6)
            from transitions in Gen.NonEmptyListOf(Gen.Elements(grades)).Select(l => l.Distinct().ToArray())
            from yearOffset in Gen.Elements(0, 0, 0, -1, -2, 1)
            from minArtifacts in Gen.Choose(0, 4)
            from reasoning in Gen.Elements(true, false)
            from minReflections in Gen.Choose(0, 2)
            from skillPicks in Gen.Shuffle(Enumerable.Range(0, 5)).SelectMany(s => Gen.Choose(0, 5).Select(n => s.Take(n).ToArray()))
            from unknownSkill in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            from gradeFilter in Gen.Frequency((3, Gen.Constant(Array.Empty<int>())), (1, Gen.SubListOf(grades).Select(l => l.ToArray())))
            from schoolFilter in Gen.Frequency((3, Gen.Constant(Array.Empty<int>())), (1, Gen.SubListOf(Enumerable.Range(0, 6)).Select(l => l.ToArray())))
            from edits in Gen.Choose(0, 25)
            from combination in Gen.Elements(Enum.GetValues<ScoreCombination>())
            select new DistrictCase(
                seed,
                students,
                schools,
                years,
                artifacts,
                transfers,
                transitions,
                yearOffset,
                new EvidenceRule { MinimumArtifactsPerSkill = minArtifacts, RequireReasoning = reasoning, MinimumReflectionsPerSkill = minReflections },
                skillPicks,
                unknownSkill,
                gradeFilter,
                schoolFilter,
                edits,
                combination);
        return gen.ToArbitrary();
    }
}

[Properties(Arbitrary = [typeof(DistrictArbitraries)], MaxTest = 60)]
public sealed class ReportPropertyTests
{
    [Property]
    public async Task GetReadinessReportAsync_RandomDistrictAndEdits_EqualsNaiveReadinessCheck(DistrictCase c)
    {
        var district = SyntheticDistrict.Generate(c.Options);
        var store = new InMemoryBackpackStore();
        await store.LoadAsync(district.Data);
        await ApplyRandomEditsAsync(store, district, c);
        var (students, artifacts) = await ReadBackAsync(store, district);

        var skills = c.SkillPicks.Select(i => district.Skills[i]).ToList();
        if (c.UnknownSkill)
        {
            skills.Insert(skills.Count / 2, SkillId.From(new Guid("00000000-0000-4000-8000-00000000abcd")));
        }

        var request = new ReadinessReportRequest(new SchoolYear(district.CurrentYear.StartYear + c.YearOffset), skills.ToValueList(), c.Rule, c.Options.TransitionGrades)
        {
            Grades = c.GradeFilter.Select(GradeLevel.FromOrdinal).ToValueList(),
            Schools = c.SchoolFilter.Where(i => i < district.Schools.Count).Select(i => district.Schools[i]).ToValueList(),
        };

        var fast = await store.GetReadinessReportAsync(request);
        var reference = NaiveReports.ReadinessWithCheck(students, artifacts, request);
        var linq = NaiveReports.ReadinessWithLinq(students, artifacts, request);

        Assert.Equal(reference, fast);
        Assert.Equal(reference, linq);
        Assert.Equal(fast, fast.Normalize());
        Assert.All(fast.Rows, r => Assert.Equal(request.Skills, r.NotReadyBySkill.Select(g => g.SkillId).ToValueList()));
    }

    [Property]
    public async Task GetLevelDistributionAsync_RandomDistrict_TotalsEqualEvaluatedSubjectsAndMatchCombiner(DistrictCase c)
    {
        var district = SyntheticDistrict.Generate(c.Options);
        var store = new InMemoryBackpackStore();
        await store.LoadAsync(district.Data);

        foreach (var rubric in new[] { district.SkillsRubric, district.DefenseRubric })
        {
            var year = new SchoolYear(district.CurrentYear.StartYear + c.YearOffset);
            var request = new LevelDistributionRequest(year, rubric, c.Combination);
            var report = await store.GetLevelDistributionAsync(request);

            Assert.Equal(NaiveReports.LevelsWithCombiner(district.Data.Evaluations, request), report);
            var evaluations = district.Data.Evaluations.Where(e => e.Rubric == rubric.Ref && e.Context.Year == year).ToList();
            foreach (var criterion in rubric.Criteria)
            {
                var subjects = evaluations
                    .Where(e => e.Scores.Any(s => s.CriterionId == criterion.Id))
                    .Select(e => e.ArtifactId?.Value ?? e.MilestoneId!.Value.Value)
                    .Distinct()
                    .Count();
                Assert.Equal(subjects, report.Rows.Where(r => r.CriterionId == criterion.Id).Sum(r => r.Total));
            }

            Assert.All(report.Rows, r =>
            {
                Assert.InRange(r.ShareMeeting!.Value, 0, 1);
                Assert.Equal(r.Levels.Sum(l => l.Count), r.Total);
                Assert.True(r.Total > 0);
                var levels = rubric.FindCriterion(r.CriterionId)!.Levels.OrderBy(l => l.Position).Select(l => l.Id);
                Assert.Equal(levels, r.Levels.Select(l => l.LevelId));
            });
        }
    }

    /// <summary>Edits after the bulk load, through SaveAsync, so the incremental indexes are exercised too.</summary>
    private static async Task ApplyRandomEditsAsync(InMemoryBackpackStore store, SyntheticDistrict district, DistrictCase c)
    {
        var rng = new Random(c.Seed);
        var data = district.Data;
        for (var i = 0; i < c.Edits; i++)
        {
            var roll = rng.Next(6);
            if (roll < 5 && data.Artifacts.Count > 0)
            {
                var artifact = (await store.GetArtifactAsync(data.Artifacts[rng.Next(data.Artifacts.Count)].Id))!;
                var skill = district.Skills[rng.Next(district.Skills.Count)];
                Artifact edited = roll switch
                {
                    0 => artifact with { State = (CurationState)rng.Next(4) },
                    1 => artifact with { Reflections = artifact.Reflections.Count > 0 ? ValueList<Reflection>.Empty : ValueList.Of(new Reflection(1, "Edited reflection.", artifact.CreatedAt)) },
                    2 => artifact with { Alignments = artifact.Alignments.Add(new SkillAlignment(skill, rng.Next(2) == 0 ? null : "Edited reasoning.")) },
                    3 => artifact.Unalign(skill),
                    _ => artifact with { Captured = artifact.Captured with { Grade = GradeLevel.FromOrdinal(rng.Next(-1, 13)) } },
                };
                await store.SaveAsync(new ChangeSet().Put(edited));
            }
            else
            {
                var student = (await store.GetStudentAsync(data.Students[rng.Next(data.Students.Count)].Id))!;
                var latest = student.Enrollments.MaxBy(e => e.EntryDate)!;
                var date = latest.EntryDate.AddDays(rng.Next(1, 30));
                var moved = student.TransferTo(district.Schools[rng.Next(district.Schools.Count)], GradeLevel.FromOrdinal(rng.Next(-1, 13)), latest.Year, date);
                await store.SaveAsync(new ChangeSet().Put(moved));
            }
        }
    }

    private static async Task<(List<Student> Students, List<Artifact> Artifacts)> ReadBackAsync(InMemoryBackpackStore store, SyntheticDistrict district)
    {
        var students = new List<Student>();
        var artifacts = new List<Artifact>();
        foreach (var s in district.Data.Students)
        {
            students.Add((await store.GetStudentAsync(s.Id))!);
            artifacts.AddRange(await store.ListArtifactsAsync(s.Id));
        }

        return (students, artifacts);
    }
}
