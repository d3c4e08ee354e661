using Backpack.Core.Artifacts;
using Backpack.Core.Milestones;

namespace Backpack.Core.Tests;

public sealed class ArtifactTests
{
    private static readonly DateTimeOffset At = new(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reflect_OverTheBound_FailsNamingFieldAndLeavesArtifactUnchanged()
    {
        var rules = new ArtifactRules { MaxReflectionLength = 10 };
        var artifact = Samples.Artifact(StudentId.New());

        var ex = Assert.Throws<BackpackValidationException>(() => artifact.Reflect(new string('x', 11), At, rules));

        var p = Assert.Single(ex.Problems);
        Assert.Equal("reflections.text", p.Path);
        Assert.Equal("reflection.text.max-length", p.Rule);
        Assert.Empty(artifact.Reflections);
    }

    [Fact]
    public void Reflect_Twice_KeepsBothVersions()
    {
        var a = Samples.Artifact(StudentId.New()).Reflect("first", At, new()).Reflect("second", At.AddDays(1), new());
        Assert.Equal([1, 2], a.Reflections.Select(r => r.Version).ToArray());
        Assert.Equal("second", a.CurrentReflection!.Text);
    }

    [Fact]
    public void AlignTo_ReasoningRequiredAndMissing_Fails()
    {
        var ex = Assert.Throws<BackpackValidationException>(() => Samples.Artifact(StudentId.New()).AlignTo(SkillId.New(), " ", new ArtifactRules()));
        Assert.Equal("alignment.reasoning.required", Assert.Single(ex.Problems).Rule);
    }

    [Fact]
    public void AlignTo_SameSkillTwice_ReplacesReasoning()
    {
        var skill = SkillId.New();
        var a = Samples.Artifact(StudentId.New()).AlignTo(skill, "one", new()).AlignTo(skill, "two", new());
        Assert.Equal("two", Assert.Single(a.Alignments).Reasoning);
    }

    [Theory]
    [InlineData(CurationState.Suggested, CurationState.Showcased, false)]
    [InlineData(CurationState.Suggested, CurationState.Collected, true)]
    [InlineData(CurationState.Archived, CurationState.Showcased, false)]
    [InlineData(CurationState.Showcased, CurationState.Collected, true)]
    public void CanMove_CurationTransitions_FollowTheLifecycle(CurationState from, CurationState to, bool allowed) =>
        Assert.Equal(allowed, Artifact.CanMove(from, to));

    [Fact]
    public void WithShowcase_AfterHold_FailsBecauseFrozen()
    {
        var m = new Milestone(MilestoneId.New(), StudentId.New(), MilestoneKind.DefenseOfLearning, Samples.Artifact(StudentId.New()).Captured, At, MilestoneStatus.Scheduled)
            .WithShowcase([new ShowcaseEntry(SkillId.New(), [ArtifactId.New()])])
            .Hold(At);

        var ex = Assert.Throws<BackpackValidationException>(() => m.WithShowcase([]));
        Assert.Equal("milestone.showcase.frozen", Assert.Single(ex.Problems).Rule);
        Assert.True(m.IsOpenToPanel);
        Assert.False(m.Close([], At).IsOpenToPanel);
    }
}
