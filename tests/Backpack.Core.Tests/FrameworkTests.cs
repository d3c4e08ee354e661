using Backpack.Core.Frameworks;
using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests;

public sealed class FrameworkTests
{
    private static readonly DateTimeOffset T0 = new(2025, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Publish_RenameAndReorder_KeepsSkillIdsAndHistory()
    {
        var f = SkillsFramework.Create(FrameworkId.New(), Samples.SuccessSkills()).Publish(T0);
        var communicator = f.Current!.Content.Skills[3].Id;

        var v2 = f.EditDraft(c => c.RenameSkill(communicator, "Effective Communicator and Listener").MoveSkill(communicator, 1)).Publish(T0.AddYears(1));

        Assert.Equal(2, v2.Versions.Count);
        Assert.Equal(1, v2.Current!.Content.FindSkill(communicator)!.Position);
        var history = v2.HistoryOf(communicator);
        Assert.Equal(["Effective Communicator", "Effective Communicator and Listener"], history.Select(h => h.Name).ToArray());
        Assert.Equal([4, 1], history.Select(h => h.Position).ToArray());
        Assert.Equal("Effective Communicator", v2.GetVersion(1)!.Content.FindSkill(communicator)!.Name);
    }

    [Fact]
    public void Publish_SkillRemoved_FailsNamingTheRuleAndChangesNothing()
    {
        var f = SkillsFramework.Create(FrameworkId.New(), Samples.SuccessSkills()).Publish(T0);
        var edited = f.EditDraft(c => c with { Skills = c.Skills.RemoveAt(0) });

        var ex = Assert.Throws<BackpackValidationException>(() => edited.Publish(T0.AddDays(1)));

        Assert.Contains(ex.Problems, p => p.Rule == "framework.skills.keep-history");
        Assert.Single(edited.Versions);
    }

    [Fact]
    public void RetireSkill_FromYear_ActiveBeforeNotAfter()
    {
        var content = Samples.SuccessSkills();
        var id = content.Skills[2].Id;
        var retired = content.RetireSkill(id, new SchoolYear(2026));

        Assert.Contains(retired.ActiveSkills(new SchoolYear(2025)), s => s.Id == id);
        Assert.DoesNotContain(retired.ActiveSkills(new SchoolYear(2026)), s => s.Id == id);
        Assert.Equal(5, retired.Skills.Count);
    }

    [Fact]
    public void Validate_DuplicateSkillIds_NamesPath()
    {
        var content = Samples.SuccessSkills();
        var bad = content with { Skills = content.Skills.Add(content.Skills[0] with { Position = 9 }) };
        Assert.Contains(bad.Validate(), p => p.Path == "$.skills[5].id" && p.Rule == "framework.ids.unique");
    }

    [Property]
    public Property Publish_AnySequenceOfEdits_NeverChangesEarlierVersions() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 3 * 5 - 1)).ToArbitrary(), edits =>
        {
            var f = SkillsFramework.Create(FrameworkId.New(), Samples.SuccessSkills()).Publish(T0);
            var first = f.Versions[0];
            var i = 0;
            foreach (var e in edits)
            {
                var skill = f.Current!.Content.Skills.OrderBy(s => s.Id).ElementAt(e % 5).Id;
                f = (e / 5) switch
                {
                    0 => f.EditDraft(c => c.RenameSkill(skill, $"Renamed {i}")),
                    1 => f.EditDraft(c => c.MoveSkill(skill, (e % 5) + 1)),
                    _ => f.EditDraft(c => c.RetireSkill(skill, new SchoolYear(2030 + i))),
                };
                f = f.Publish(T0.AddDays(++i));
            }

            return f.Versions[0] == first
                && f.Versions.Count == edits.Count + 1
                && f.Versions.All(v => v.Content.Skills.Select(s => s.Id).Order().SequenceEqual(first.Content.Skills.Select(s => s.Id).Order()))
                && f.Current!.Content.Skills.Select(s => s.Position).Order().SequenceEqual([1, 2, 3, 4, 5]);
        });
}
