using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.OneRoster.Tests;

public sealed class OneRosterImporterTests
{
    private static readonly DateOnly September = new(2025, 9, 1);

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "OneRoster", name);

    internal static async Task<OneRosterImportResult> ImportAsync(string folder, InstrumentedStore store, DateOnly asOf)
    {
        // Through the public path a district app takes: the roster sync job, on the day the export describes
        // (noon UTC in a UTC district), its changes and audit record saved together.
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(asOf, new TimeOnly(12, 0), TimeSpan.Zero)));
        services.AddSingleton<IBackpackStore>(store);
        services.AddBackpack(o => o.DistrictId = "test");
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RosterService>().ImportOneRosterAsync(Actor.RosterSync, folder);
    }

    [Fact]
    public async Task ImportAsync_Version12Folder_ImportsSchoolsStudentsGuardiansAndRosters()
    {
        var store = new InstrumentedStore();

        var result = await ImportAsync(Fixture("v1.2"), store, September);

        Assert.Equal("1.2", result.OneRosterVersion);
        Assert.Equal((2, 2, 0, 2, 1), (result.SchoolsAdded, result.StudentsAdded, result.Transfers, result.RostersAdded, store.Saves));
        var (schools, students, rosters) = store.Snapshot();
        var elm = Assert.Single(schools, s => s.Code == "0101");
        Assert.Equal("Lincoln \"Lions\" Elementary, North", elm.Name);
        Assert.Equal(OneRosterIds.School("s-elm"), elm.Id);

        var ana = Assert.Single(students, s => s.OneRosterSourcedId == "u-ana");
        Assert.Equal(OneRosterIds.Student("u-ana"), ana.Id);
        Assert.Equal(("1001", "Ana García", "ana@example.org"), (ana.DistrictStudentId, ana.DisplayName, ana.Email));
        Assert.Equal([OneRosterIds.Person("p-ana")], ana.Guardians);
        Assert.Equal([new Enrollment(elm.Id, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 8, 15))], ana.Enrollments);

        var ben = Assert.Single(students, s => s.OneRosterSourcedId == "u-ben");
        Assert.Equal(new DateOnly(2025, 8, 20), Assert.Single(ben.Enrollments).EntryDate);
        Assert.Equal(GradeLevel.Grade(6), ben.Enrollments[0].Grade);

        var science = Assert.Single(rosters, r => r.Id == OneRosterIds.Roster("k-sci6"));
        Assert.Equal("Science 6\n(lab)", science.Name);
        Assert.Equal(new SchoolYear(2025), science.Year);
        Assert.Equal([OneRosterIds.Person("u-tia")], science.Teachers);
        Assert.Equal([ben.Id], science.Students);
        Assert.False(science.IsArchived);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task ImportAsync_Version11Folder_ImportsTheSameAsVersion12()
    {
        var v11 = new InstrumentedStore();
        var v12 = new InstrumentedStore();

        var result = await ImportAsync(Fixture("v1.1"), v11, September);
        await ImportAsync(Fixture("v1.2"), v12, September);

        Assert.Equal("1.1", result.OneRosterVersion);
        Assert.Equal(v12.Snapshot(), v11.Snapshot());
    }

    [Fact]
    public async Task ImportAsync_SameFolderTwice_SecondChangesNothing()
    {
        var store = new InstrumentedStore();
        await ImportAsync(Fixture("v1.2"), store, September);
        var once = store.Snapshot();

        var again = await ImportAsync(Fixture("v1.2"), store, September);

        Assert.False(again.HasChanges);
        Assert.Equal(0, again.StudentsUpdated + again.RostersUpdated + again.SchoolsUpdated + again.Transfers);
        Assert.Equal(2, store.Saves); // the second import saves its audit record only
        Assert.Equal(once, store.Snapshot());
    }

    [Fact]
    public async Task ImportAsync_BadFolder_ReportsEveryProblemByFileLineAndColumnAndWritesNothing()
    {
        var store = new InstrumentedStore();

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => ImportAsync(Fixture("bad"), store, September));

        var found = ex.Problems.Select(p => (p.Path, p.Rule)).Order().ToArray();
        (string, string)[] expected =
        [
            ("academicSessions.csv:2:7", "oneroster.date"),
            ("classes.csv:2:5", "oneroster.grade.unknown"),
            ("enrollments.csv:3:1", "oneroster.sourcedid.duplicate"),
            ("enrollments.csv:4:4", "oneroster.reference.unknown"),
            ("orgs.csv:4:1", "oneroster.sourcedid.duplicate"),
            ("users.csv:2:14", "oneroster.reference.unknown"),
            ("users.csv:3:2", "oneroster.status.value"),
        ];
        Assert.True(expected.Order().SequenceEqual(found), string.Join("\n", ex.Problems));
        Assert.Equal(0, store.Saves);
        Assert.Equal(new InstrumentedStore().Snapshot(), store.Snapshot());
    }

    [Fact]
    public async Task ImportAsync_MissingFileAndColumn_NamesFileAndColumn()
    {
        var store = new InstrumentedStore();
        using var builder = new OneRosterFolderBuilder().School("a").Year(2026).Class("k", "a", 2026, "05").Student("s", "a", "05").Enroll("s", "k", "a");
        var dir = builder.Write();
        File.Delete(Path.Combine(dir, "roles.csv"));
        File.WriteAllLines(Path.Combine(dir, "classes.csv"), ["sourcedId,title,courseSourcedId,termSourcedIds", "k,K,c-k,y2026"]);

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => ImportAsync(dir, store, September));

        Assert.Contains(ex.Problems, p => p.Path == "roles.csv" && p.Rule == "oneroster.file.missing");
        var column = Assert.Single(ex.Problems, p => p.Rule == "oneroster.column.missing");
        Assert.Equal("classes.csv:1", column.Path);
        Assert.Contains("'schoolSourcedId'", column.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Saves);
    }

    [Theory]
    [InlineData("9.9", "manifest.csv:2:2", "oneroster.version.supported")]
    [InlineData("1.2\nfile.users,sometimes", "manifest.csv:3:2", "oneroster.manifest.file-mode")]
    public async Task ImportAsync_BadManifest_NamesLineAndColumn(string version, string path, string rule)
    {
        using var builder = new OneRosterFolderBuilder();
        var dir = builder.Write();
        File.WriteAllText(Path.Combine(dir, "manifest.csv"), $"propertyName,value\noneroster.version,{version}\n");

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => ImportAsync(dir, new InstrumentedStore(), September));

        Assert.Contains(ex.Problems, p => p.Path == path && p.Rule == rule);
    }

    [Fact]
    public async Task ImportAsync_ConcurrentChangeBeforeSave_ThrowsAndWritesNothing()
    {
        var store = new InstrumentedStore();
        await ImportAsync(Fixture("v1.2"), store, September);
        var before = store.Snapshot();
        var ana = before.Students.Single(s => s.OneRosterSourcedId == "u-ana");
        var delta = Fixture("delta");
        store.BeforeSave = _ =>
        {
            store.BeforeSave = null;
            store.SaveAsync(new Storage.ChangeSet().Put(ana with { DisplayName = "Changed elsewhere" })).GetAwaiter().GetResult();
        };

        await Assert.ThrowsAsync<BackpackConcurrencyException>(() => ImportAsync(delta, store, new DateOnly(2026, 1, 12)));

        var after = store.Snapshot();
        Assert.Equal(before.Rosters, after.Rosters);
        Assert.Equal(ana.Enrollments, after.Students.Single(s => s.Id == ana.Id).Enrollments);
    }

    [Fact]
    public async Task ImportAsync_Delta_DeletedEnrollmentAndNewSchoolRecordTransfer()
    {
        var store = new InstrumentedStore();
        await ImportAsync(Fixture("v1.2"), store, September);

        var result = await ImportAsync(Fixture("delta"), store, new DateOnly(2026, 1, 12));

        Assert.Equal((0, 1, 1, 2), (result.StudentsAdded, result.StudentsUpdated, result.Transfers, result.RostersUpdated));
        var ana = store.Students.Single(s => s.OneRosterSourcedId == "u-ana");
        Assert.Equal(
            [
                new Enrollment(OneRosterIds.School("s-elm"), GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 8, 15), new DateOnly(2026, 1, 11)),
                new Enrollment(OneRosterIds.School("s-mid"), GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2026, 1, 12)),
            ],
            ana.Enrollments);
        Assert.DoesNotContain(ana.Id, store.Rosters.Single(r => r.Id == OneRosterIds.Roster("k-math5")).Students);
        Assert.Contains(ana.Id, store.Rosters.Single(r => r.Id == OneRosterIds.Roster("k-sci6")).Students);

        var again = await ImportAsync(Fixture("delta"), store, new DateOnly(2026, 1, 12));
        Assert.False(again.HasChanges);
    }
}
