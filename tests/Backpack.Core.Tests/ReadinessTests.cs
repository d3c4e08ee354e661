using Backpack.Core.Artifacts;
using Backpack.Core.Milestones;
using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests;

public sealed class ReadinessTests
{
    private static readonly ArtifactRules Rules = new();
    private static readonly SchoolYear Year = new(2025);
    private static readonly DateTimeOffset At = new(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Check_TwoReasonedArtifactsAndAReflectionPerSkill_Ready()
    {
        var student = StudentId.New();
        var fw = Samples.SuccessSkills();
        var artifacts = fw.Skills.SelectMany(s => new[]
        {
            Samples.Artifact(student).AlignTo(s.Id, "because", Rules).Reflect("I learned", At, Rules),
            Samples.Artifact(student).AlignTo(s.Id, "because", Rules),
        }).ToArray();

        var result = ReadinessCheck.Check(student, fw, Year, TransitionGrades.Default.BandOf(GradeLevel.Grade(5)), artifacts, new EvidenceRule());

        Assert.True(result.IsReady);
    }

    [Fact]
    public void Check_MissingReflectionAndSuggestedOnly_SaysWhyPerSkill()
    {
        var student = StudentId.New();
        var fw = Samples.SuccessSkills();
        var skill = fw.Skills[3];
        var artifacts = new[]
        {
            Samples.Artifact(student).AlignTo(skill.Id, "because", Rules),
            Samples.Artifact(student).AlignTo(skill.Id, "because", Rules),
            Samples.Artifact(student, state: CurationState.Suggested).AlignTo(skill.Id, "because", Rules).Reflect("x", At, Rules),
        };

        var result = ReadinessCheck.Check(student, fw, Year, GradeBand.All, artifacts, new EvidenceRule());

        var gap = Assert.Single(result.Gaps, g => g.SkillId == skill.Id);
        Assert.Equal("Effective Communicator: 2 of 2 collected artifacts with reasoning; 1 only suggested, not collected; 0 of 1 with a reflection", gap.Reason);
        Assert.Equal([ReadinessShortfall.NeedsReflection], gap.Shortfalls);
        Assert.Equal(5, result.Gaps.Count);
    }

    [Fact]
    public void Check_EvidenceFromEarlierGradeBand_DoesNotCount()
    {
        var student = StudentId.New();
        var fw = Samples.SuccessSkills() with { Skills = [Samples.SuccessSkills().Skills[0]] };
        var skill = fw.Skills[0].Id;
        var artifacts = new[]
        {
            Samples.Artifact(student, 2022, 5).AlignTo(skill, "r", Rules).Reflect("x", At, Rules),
            Samples.Artifact(student, 2022, 5).AlignTo(skill, "r", Rules),
        };

        Assert.False(ReadinessCheck.Check(student, fw, Year, TransitionGrades.Default.BandOf(GradeLevel.Grade(8)), artifacts, new EvidenceRule()).IsReady);
        Assert.True(ReadinessCheck.Check(student, fw, Year, TransitionGrades.Default.BandOf(GradeLevel.Grade(5)), artifacts, new EvidenceRule()).IsReady);
    }

    [Fact]
    public void BandOf_DefaultTransitions_SplitsPkTo5And6To8And9To12()
    {
        var t = TransitionGrades.Default;
        Assert.Equal("PK-5", t.BandOf(GradeLevel.Kindergarten).ToString());
        Assert.Equal("6-8", t.BandOf(GradeLevel.Grade(6)).ToString());
        Assert.Equal("6-8", t.BandOf(GradeLevel.Grade(8)).ToString());
        Assert.Equal("9-12", t.BandOf(GradeLevel.Grade(12)).ToString());
    }

    private static Gen<Artifact[]> Backpacks(StudentId student) =>
        Gen.ListOf(
            from skill in Gen.Choose(1, 5)
            from state in Gen.Elements(Enum.GetValues<CurationState>())
            from reasoned in Gen.Elements(true, false)
            from reflected in Gen.Elements(true, false)
            select Make(student, skill, state, reasoned, reflected))
        .Select(l => l.ToArray());

    private static Artifact Make(StudentId student, int skill, CurationState state, bool reasoned, bool reflected)
    {
        var a = Samples.Artifact(student, state: state).AlignTo(SkillId.From(Samples.G(skill)), reasoned ? "because" : null, Rules with { ReasoningRequired = false });
        return reflected ? a.Reflect("reflection", At, Rules) : a;
    }

    [Property(MaxTest = 200)]
    public Property Check_AddingEvidence_NeverMakesAReadyStudentNotReady()
    {
        var student = StudentId.New();
        return Prop.ForAll(Backpacks(student).ToArbitrary(), Backpacks(student).ToArbitrary(), (some, more) =>
        {
            var fw = Samples.SuccessSkills();
            var before = ReadinessCheck.Check(student, fw, Year, GradeBand.All, some, new EvidenceRule());
            var after = ReadinessCheck.Check(student, fw, Year, GradeBand.All, some.Concat(more), new EvidenceRule());
            return (!before.IsReady || after.IsReady) && after.Gaps.Count <= before.Gaps.Count;
        });
    }

    [Property(MaxTest = 200)]
    public Property Check_StricterRule_NeverMakesMoreStudentsReady()
    {
        var student = StudentId.New();
        return Prop.ForAll(Backpacks(student).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Choose(0, 2).ToArbitrary(), (artifacts, extraA, extraR) =>
        {
            var fw = Samples.SuccessSkills();
            var lax = new EvidenceRule { RequireReasoning = false };
            var strict = new EvidenceRule { MinimumArtifactsPerSkill = 2 + extraA, MinimumReflectionsPerSkill = 1 + extraR, RequireReasoning = true };
            var a = ReadinessCheck.Check(student, fw, Year, GradeBand.All, artifacts, lax);
            var b = ReadinessCheck.Check(student, fw, Year, GradeBand.All, artifacts, strict);
            return (!b.IsReady || a.IsReady) && b.Gaps.Count >= a.Gaps.Count;
        });
    }
}
