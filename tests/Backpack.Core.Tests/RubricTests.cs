using Backpack.Core.Evaluations;
using Backpack.Core.Rubrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests;

public sealed class RubricTests
{
    [Fact]
    public void Validate_FourLevelRubric_HasNoProblems() => Assert.Empty(Samples.FourLevelRubric().Validate());

    [Fact]
    public void EnsureValid_DuplicateLevelNames_NamesPathAndRule()
    {
        var rubric = Samples.FourLevelRubric(1);
        var c = rubric.Criteria[0];
        var bad = rubric with { Criteria = [c with { Levels = c.Levels.SetItem(1, c.Levels[1] with { Name = "emerging" }) }] };

        var ex = Assert.Throws<BackpackValidationException>(() => bad.EnsureValid());

        var p = Assert.Single(ex.Problems, p => p.Rule == "rubric.levels.unique-names");
        Assert.Equal("$.criteria[0].levels[1].name", p.Path);
    }

    [Fact]
    public void EnsureValid_ScoresNotIncreasing_ReportsEveryProblem()
    {
        var rubric = Samples.FourLevelRubric(1);
        var c = rubric.Criteria[0];
        var levels = c.Levels.SetItem(2, c.Levels[2] with { Score = 1 });
        var bad = rubric with { Criteria = [c with { Levels = levels }, c with { Id = CriterionId.New(), Levels = [levels[0]] }] };

        var ex = Assert.Throws<BackpackValidationException>(() => bad.EnsureValid());

        Assert.Contains(ex.Problems, p => p.Rule == "rubric.levels.scores-increase" && p.Path == "$.criteria[0].levels[2].score");
        Assert.Contains(ex.Problems, p => p.Rule == "rubric.levels.at-least-two" && p.Path == "$.criteria[1].levels");
        Assert.Contains(ex.Problems, p => p.Rule == "rubric.ids.unique");
    }

    [Fact]
    public void Validate_MeetsLevelMissing_NamesTheLevel()
    {
        var bad = Samples.FourLevelRubric(1) with { MeetsLevel = "Proficient" };
        Assert.Contains(bad.Validate(), p => p.Rule == "rubric.meets-level.present" && p.Message.Contains("Proficient", StringComparison.Ordinal));
    }

    [Fact]
    public void Meets_ReadyOrExcelling_MeetsTheBar()
    {
        var rubric = Samples.FourLevelRubric(1);
        var c = rubric.Criteria[0];
        Assert.Equal([false, false, true, true], c.Levels.Select(l => rubric.Meets(c, l)).ToArray());
    }

    private static Gen<int[]> LevelPositions => Gen.ListOf(Gen.Choose(0, 3)).Where(l => l.Count > 0).Select(l => l.ToArray());

    [Property]
    public Property CombineLevels_AnyRule_StaysWithinGivenRangeAndIgnoresOrder() =>
        Prop.ForAll(LevelPositions.ToArbitrary(), Gen.Elements(Enum.GetValues<ScoreCombination>()).ToArbitrary(), (positions, rule) =>
        {
            var c = Samples.FourLevelRubric(1).Criteria[0];
            var given = positions.Select(p => c.Levels[p]).ToArray();
            var combined = EvaluationCombiner.CombineLevels(c, given, rule);
            var reversed = EvaluationCombiner.CombineLevels(c, given.Reverse().ToArray(), rule);
            return combined.Position >= given.Min(l => l.Position)
                && combined.Position <= given.Max(l => l.Position)
                && combined == reversed;
        });

    [Property]
    public Property CombineLevels_Median_IsMonotoneInEachScore() =>
        Prop.ForAll(LevelPositions.ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (positions, pick) =>
        {
            var c = Samples.FourLevelRubric(1).Criteria[0];
            var i = pick % positions.Length;
            var raised = positions.ToArray();
            raised[i] = Math.Min(3, raised[i] + 1);
            var before = EvaluationCombiner.CombineLevels(c, positions.Select(p => c.Levels[p]).ToArray(), ScoreCombination.MedianLevel);
            var after = EvaluationCombiner.CombineLevels(c, raised.Select(p => c.Levels[p]).ToArray(), ScoreCombination.MedianLevel);
            return after.Position >= before.Position;
        });

    [Fact]
    public void Combine_TwoEvaluators_MedianTakesLowerMiddle()
    {
        var rubric = Samples.FourLevelRubric(1);
        var c = rubric.Criteria[0];
        var student = StudentId.New();
        Evaluation E(int level) => new(EvaluationId.New(), student, rubric.Ref, PersonId.New(), EvaluatorRole.Panelist,
            [new CriterionScore(c.Id, c.Levels[level].Id)], default, Samples.Artifact(student).Captured) { MilestoneId = MilestoneId.New() };

        var result = Assert.Single(EvaluationCombiner.Combine(rubric, [E(1), E(3)]));

        Assert.Equal("Developing", result.Level.Name);
        Assert.False(result.MeetsBar);
        Assert.Equal(2, result.Evaluators);
    }
}
