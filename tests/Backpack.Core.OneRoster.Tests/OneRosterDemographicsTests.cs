using Backpack.Core.TestSupport;

namespace Backpack.Core.OneRoster.Tests;

/// <summary>demographics.csv, when the manifest names it, gives students their reporting groups (<see cref="Student.Groups"/>).</summary>
public sealed class OneRosterDemographicsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oneroster-demographics", Guid.NewGuid().ToString("N"));

    public OneRosterDemographicsTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(OneRosterImporterTests.Fixture("v1.2")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(_folder, "manifest.csv");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("file.demographics,absent", "file.demographics,bulk", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ImportAsync_DemographicsInManifest_TrueFlagsAndSexBecomeGroups()
    {
        File.WriteAllLines(Path.Combine(_folder, "demographics.csv"),
        [
            "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity",
            "u-ana,active,,2015-03-01,female,false,false,false,false,false,false,true",
            "u-ben,active,,2014-05-02,,false,TRUE,false,false,true,true,",
        ]);
        var store = new InstrumentedStore();

        var result = await OneRosterImporterTests.ImportAsync(_folder, store, new DateOnly(2025, 9, 1));

        var (_, students, _) = store.Snapshot();
        Assert.Equal(["hispanicOrLatinoEthnicity", "sex:female"], students.Single(s => s.OneRosterSourcedId == "u-ana").Groups);
        Assert.Equal(["asian", "white", "demographicRaceTwoOrMoreRaces"], students.Single(s => s.OneRosterSourcedId == "u-ben").Groups);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task ImportAsync_BadDemographicValues_ProblemsByLineAndColumnAndNothingWritten()
    {
        File.WriteAllLines(Path.Combine(_folder, "demographics.csv"),
        [
            "sourcedId,status,dateLastModified,birthDate,sex,asian",
            "u-ana,active,,2015-03-01,girl,yes",
        ]);
        var store = new InstrumentedStore();

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => OneRosterImporterTests.ImportAsync(_folder, store, new DateOnly(2025, 9, 1)));

        Assert.Contains(ex.Problems, p => p.Path == "demographics.csv:2:6" && p.Rule == "oneroster.demographics.boolean");
        Assert.Contains(ex.Problems, p => p.Path == "demographics.csv:2:5" && p.Rule == "oneroster.demographics.sex");
        var (_, students, _) = store.Snapshot();
        Assert.Empty(students);
    }
}
