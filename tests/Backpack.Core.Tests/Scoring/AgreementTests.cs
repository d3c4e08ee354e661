using Backpack.Core.Evaluations;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests.Scoring;

/// <summary>
/// Inter-rater agreement against published worked examples: Fleiss (1971), Table 1 (30 patients, 6 psychiatrists,
/// 5 diagnoses; kappa 0.430; the data as distributed in the R package irr, dataset "diagnoses"), the Wikipedia
/// worked example of Fleiss' kappa (10 subjects, 14 raters; 0.210), and Krippendorff, "Computing Krippendorff's
/// Alpha-Reliability" (2011), the 4-observer, 12-unit example with missing values (nominal 0.743, ordinal 0.815,
/// interval 0.849).
/// </summary>
public sealed class AgreementTests
{
    private static readonly int[][] Fleiss1971 =
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ];

    // Wikipedia's worked example: per subject, how many of 14 raters chose each of 5 categories.
    private static readonly int[][] WikipediaCounts =
    [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];

    // Krippendorff (2011): observers A-D (rows) by units 1-12 (columns); 0 = missing.
    private static readonly int[][] Krippendorff2011 =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
    ];

    private static IReadOnlyList<int>[] KrippendorffUnits() =>
        Enumerable.Range(0, 12).Select(u => (IReadOnlyList<int>)Krippendorff2011.Select(o => o[u]).Where(v => v > 0).ToArray()).ToArray();

    [Fact]
    public void FleissKappa_Fleiss1971Table1_0430() =>
        Assert.Equal(0.430, InterRaterAgreement.FleissKappa(Fleiss1971)!.Value, 3);

    [Fact]
    public void FleissKappa_WikipediaWorkedExample_0210()
    {
        var units = WikipediaCounts.Select(c => (IReadOnlyList<int>)c.SelectMany((n, category) => Enumerable.Repeat(category + 1, n)).ToArray()).ToArray();
        Assert.Equal(0.210, InterRaterAgreement.FleissKappa(units)!.Value, 3);
    }

    [Theory]
    [InlineData(AlphaMetric.Nominal, 0.743)]
    [InlineData(AlphaMetric.Ordinal, 0.815)]
    [InlineData(AlphaMetric.Interval, 0.849)]
    public void KrippendorffAlpha_Krippendorff2011Example_PublishedValues(AlphaMetric metric, double expected) =>
        Assert.Equal(expected, InterRaterAgreement.KrippendorffAlpha(KrippendorffUnits(), metric)!.Value, 3);

    [Fact]
    public void Compute_CsvOfTheKrippendorffExample_SameAlphaAndPairCounts()
    {
        var lines = new List<string> { "subject,rater,criterion,level" };
        for (var o = 0; o < 4; o++)
        {
            for (var u = 0; u < 12; u++)
            {
                lines.Add($"u{u + 1},{(char)('A' + o)},evidence,{(Krippendorff2011[o][u] == 0 ? string.Empty : Krippendorff2011[o][u])}");
            }
        }

        var result = Assert.Single(InterRaterAgreement.Compute(InterRaterAgreement.ReadCsv("ratings.csv", string.Join('\n', lines))));

        Assert.Equal(0.815, result.KrippendorffAlphaOrdinal!.Value, 3);
        Assert.Equal(12, result.Subjects);
        Assert.Equal(41, result.Ratings);
    }

    [Fact]
    public void ReadCsv_BadLevelAndMissingRater_ErrorsNameLineAndColumn()
    {
        var ex = Assert.Throws<BackpackValidationException>(() => InterRaterAgreement.ReadCsv("r.csv", "subject,rater,criterion,level\ns1,A,c1,2\ns1,,c1,x\n"));

        Assert.Equal(["r.csv:3:2", "r.csv:3:4"], ex.Problems.Select(p => p.Path).Order());
    }

    [Fact]
    public void ReadCsv_WrongHeader_ErrorNamingLineOne()
    {
        var ex = Assert.Throws<BackpackValidationException>(() => InterRaterAgreement.ReadCsv("r.csv", "subject,judge,criterion,level\n"));
        Assert.Equal("r.csv:1", Assert.Single(ex.Problems).Path);
    }

    private static Gen<int[][]> Tables =>
        from subjects in Gen.Choose(2, 12)
        from raters in Gen.Choose(2, 5)
        from rows in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(1, 4), raters), subjects)
        select rows;

    [Property(MaxTest = 200)]
    public Property Compute_IdenticalRaters_EveryStatisticIsOne() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(1, 4), 6).ToArbitrary(), Gen.Choose(2, 5).ToArbitrary(), (levels, raters) =>
        {
            var ratings = levels.SelectMany((level, s) => Enumerable.Range(0, raters).Select(r => new Rating($"s{s}", $"r{r}", "c", level)));
            var a = Assert.Single(InterRaterAgreement.Compute(ratings));
            return a.ExactAgreement == 1 && a.AdjacentAgreement == 1 && Math.Abs(a.FleissKappa!.Value - 1) < 1e-12 && Math.Abs(a.KrippendorffAlphaOrdinal!.Value - 1) < 1e-12;
        });

    [Property(MaxTest = 200)]
    public Property Compute_RenamingRatersAndSubjects_SameStatistics() =>
        Prop.ForAll(Tables.ToArbitrary(), table =>
        {
            var original = table.SelectMany((row, s) => row.Select((level, r) => new Rating($"s{s}", $"r{r}", "c", level))).ToArray();
            var renamed = table.SelectMany((row, s) => row.Select((level, r) => new Rating($"subject-{(s * 7) + 3}", $"rater-{r * 11}", "c", level))).Reverse().ToArray();
            var a = InterRaterAgreement.Compute(original).Single() with { Criterion = "c" };
            var b = InterRaterAgreement.Compute(renamed).Single();
            return Near(a.FleissKappa, b.FleissKappa) && Near(a.KrippendorffAlphaOrdinal, b.KrippendorffAlphaOrdinal) && Near(a.ExactAgreement, b.ExactAgreement) && a.Ratings == b.Ratings;
        });

    private static bool Near(double? x, double? y) => (x is null && y is null) || (x is { } a && y is { } b && Math.Abs(a - b) < 1e-9);
}
