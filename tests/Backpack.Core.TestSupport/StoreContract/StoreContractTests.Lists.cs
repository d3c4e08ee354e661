using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>The store reads behind class lists and agreement reports agree with the domain's rules on every engine.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task ListStudentsAsync_GeneratedDistrict_EqualsTheEnrollmentRuleOnEveryDay()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 41, students: 80);
        await store.Bulk().LoadAsync(district.Data);
        var days = district.Data.Students.SelectMany(s => s.Enrollments).SelectMany(e => new[] { e.EntryDate, e.EntryDate.AddDays(-1), e.ExitDate ?? e.EntryDate.AddDays(30) }).Distinct().Order().Take(12).ToArray();

        foreach (var school in district.Data.Schools)
        {
            foreach (var day in days)
            {
                var expected = district.Data.Students.Where(s => s.EnrollmentOn(day)?.SchoolId == school.Id).Select(s => s.Id).Order();
                Assert.Equal(expected, (await store.ListStudentsAsync(school.Id, day)).Select(s => s.Id));
            }
        }
    }

    [StoreFact]
    public async Task ListEvaluationsOfRubricAsync_GeneratedDistrict_EqualsTheFilteredEvaluations()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 43, students: 60);
        await store.Bulk().LoadAsync(district.Data);
        var rubric = district.Data.Evaluations.Select(e => e.Rubric).First();

        var listed = await store.ListEvaluationsOfRubricAsync(rubric, TestData.Year);

        var expected = district.Data.Evaluations.Where(e => e.Rubric == rubric && e.Context.Year == TestData.Year).Select(e => e.Id).Order().ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, listed.Select(e => e.Id).Order());
    }
}
