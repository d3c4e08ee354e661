using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.OneRoster.Tests;

public sealed class OneRosterTransferTests
{
    private static readonly SchoolYear Year2025 = new(2025);

    private static SchoolId S(string id) => OneRosterIds.School(id);

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static Task<OneRosterImportResult> ImportAsync(string folder, InstrumentedStore store, DateOnly asOf) =>
        OneRosterImporterTests.ImportAsync(folder, store, asOf);

    [Fact]
    public async Task ImportAsync_MidYearMoveInOneExport_OneStudentWithExitAndNewEnrollment()
    {
        using var b = new OneRosterFolderBuilder().School("a").School("b").Year(2026)
            .Class("ka", "a", 2026, "07").Class("kb", "b", 2026, "07").Student("s", "b", "07")
            .Enroll("s", "ka", "a", "2025-08-15", "2026-01-09").Enroll("s", "kb", "b", "2026-01-12");
        var store = new InstrumentedStore();

        var result = await ImportAsync(b.Write(), store, D(2026, 1, 20));

        var s = Assert.Single(store.Students);
        Assert.Equal(
            [
                new Enrollment(S("a"), GradeLevel.Grade(7), Year2025, D(2025, 8, 15), D(2026, 1, 9)),
                new Enrollment(S("b"), GradeLevel.Grade(7), Year2025, D(2026, 1, 12)),
            ],
            s.Enrollments);
        Assert.Equal(1, result.Transfers);
        Assert.Empty(store.Rosters.Single(r => r.Id == OneRosterIds.Roster("ka")).Students);
        Assert.Equal([s.Id], store.Rosters.Single(r => r.Id == OneRosterIds.Roster("kb")).Students);
    }

    [Fact]
    public async Task ImportAsync_MidYearMoveAcrossExports_ClosesOldEnrollmentDayBefore()
    {
        using var b = new OneRosterFolderBuilder().School("a").School("b").Year(2026)
            .Class("ka", "a", 2026, "07").Class("kb", "b", 2026, "07").Student("s", "a", "07").Enroll("s", "ka", "a");
        var store = new InstrumentedStore();
        await ImportAsync(b.Write(), store, D(2025, 9, 1));
        var id = Assert.Single(store.Students).Id;

        var result = await ImportAsync(b.ClearEnrollments().MoveStudent("s", "b", "07").Enroll("s", "kb", "b", "2026-01-12").Write(), store, D(2026, 1, 20));

        var s = Assert.Single(store.Students);
        Assert.Equal(id, s.Id);
        Assert.Equal((0, 1, 1), (result.StudentsAdded, result.StudentsUpdated, result.Transfers));
        Assert.Equal(
            [
                new Enrollment(S("a"), GradeLevel.Grade(7), Year2025, D(2025, 8, 15), D(2026, 1, 11)),
                new Enrollment(S("b"), GradeLevel.Grade(7), Year2025, D(2026, 1, 12)),
            ],
            s.Enrollments);
        Assert.Equal(S("b"), s.EnrollmentOn(D(2026, 1, 20))!.SchoolId);
    }

    [Fact]
    public async Task ImportAsync_MoveBackAcrossExports_KeepsOneStudentWithThreeStretches()
    {
        using var b = new OneRosterFolderBuilder().School("a").School("b").Year(2026)
            .Class("ka", "a", 2026, "07").Class("kb", "b", 2026, "07").Student("s", "a", "07").Enroll("s", "ka", "a");
        var store = new InstrumentedStore();
        await ImportAsync(b.Write(), store, D(2025, 9, 1));
        await ImportAsync(b.ClearEnrollments().MoveStudent("s", "b", "07").Enroll("s", "kb", "b", "2025-12-01").Write(), store, D(2025, 12, 5));

        var back = await ImportAsync(b.ClearEnrollments().MoveStudent("s", "a", "07").Enroll("s", "ka", "a", "2026-03-02").Write(), store, D(2026, 3, 5));

        var s = Assert.Single(store.Students);
        Assert.Equal(1, back.Transfers);
        Assert.Equal(
            [
                new Enrollment(S("a"), GradeLevel.Grade(7), Year2025, D(2025, 8, 15), D(2025, 11, 30)),
                new Enrollment(S("b"), GradeLevel.Grade(7), Year2025, D(2025, 12, 1), D(2026, 3, 1)),
                new Enrollment(S("a"), GradeLevel.Grade(7), Year2025, D(2026, 3, 2)),
            ],
            s.Enrollments);
        Assert.Empty(RosterService.Validate(s));
    }

    [Fact]
    public async Task ImportAsync_MoveBackInOneExport_ThreeStretchesWithTheirOwnDates()
    {
        using var b = new OneRosterFolderBuilder().School("a").School("b").Year(2026)
            .Class("ka", "a", 2026, "07").Class("kb", "b", 2026, "07").Student("s", "a", "07")
            .Enroll("s", "ka", "a", "2025-08-15", "2025-11-26").Enroll("s", "kb", "b", "2025-12-01", "2026-02-27").Enroll("s", "ka", "a", "2026-03-02");
        var store = new InstrumentedStore();

        var result = await ImportAsync(b.Write(), store, D(2026, 3, 5));

        Assert.Equal(2, result.Transfers);
        Assert.Equal(
            [(S("a"), D(2025, 8, 15), D(2025, 11, 26)), (S("b"), D(2025, 12, 1), D(2026, 2, 27)), (S("a"), D(2026, 3, 2), (DateOnly?)null)],
            Assert.Single(store.Students).Enrollments.Select(e => (e.SchoolId, e.EntryDate, e.ExitDate)));
    }

    [Fact]
    public async Task ImportAsync_NextYearAcrossGradeBands_ClosesElementaryAndOpensMiddleSchool()
    {
        using var b = new OneRosterFolderBuilder().School("elm").School("mid").Year(2026).Year(2027)
            .Class("k5", "elm", 2026, "05").Class("k6", "mid", 2027, "06").Student("s", "elm", "05").Enroll("s", "k5", "elm");
        var store = new InstrumentedStore();
        await ImportAsync(b.Write(), store, D(2025, 9, 1));

        var result = await ImportAsync(b.ClearEnrollments().MoveStudent("s", "mid", "06").Enroll("s", "k6", "mid").Write(), store, D(2026, 9, 1));

        var s = Assert.Single(store.Students);
        Assert.Equal(1, result.Transfers);
        Assert.Equal(
            [
                new Enrollment(S("elm"), GradeLevel.Grade(5), Year2025, D(2025, 8, 15), D(2026, 8, 14)),
                new Enrollment(S("mid"), GradeLevel.Grade(6), new SchoolYear(2026), D(2026, 8, 15)),
            ],
            s.Enrollments);
        Assert.Equal(GradeLevel.Grade(5), s.LatestEnrollmentIn(Year2025)!.Grade);
        var fifth = store.Rosters.Single(r => r.Id == OneRosterIds.Roster("k5"));
        Assert.True(fifth.IsArchived);
        Assert.Empty(fifth.Students);
    }

    [Fact]
    public async Task ImportAsync_SecondClassAtPrimarySchoolElsewhere_StaysAtPrimarySchool()
    {
        using var b = new OneRosterFolderBuilder().School("a").School("cc").Year(2026)
            .Class("ka", "a", 2026, "11").Class("kc", "cc", 2026, "11").Student("s", "a", "11")
            .Enroll("s", "ka", "a").Enroll("s", "kc", "cc", "2025-09-01", "2025-12-19");
        var store = new InstrumentedStore();

        var result = await ImportAsync(b.Write(), store, D(2025, 9, 10));

        Assert.Equal(0, result.Transfers);
        Assert.Equal([(S("a"), D(2025, 8, 15), (DateOnly?)null)], Assert.Single(store.Students).Enrollments.Select(e => (e.SchoolId, e.EntryDate, e.ExitDate)));
        Assert.Single(store.Rosters.Single(r => r.Id == OneRosterIds.Roster("kc")).Students);
    }

    [Fact]
    public async Task ImportAsync_StudentMarkedToBeDeleted_EnrollmentEndsAndRostersDropThem()
    {
        using var b = new OneRosterFolderBuilder().School("a").Year(2026).Class("ka", "a", 2026, "07").Student("s", "a", "07").Enroll("s", "ka", "a");
        var store = new InstrumentedStore();
        await ImportAsync(b.Write(), store, D(2025, 9, 1));
        using var gone = new OneRosterFolderBuilder().School("a").Year(2026).Class("ka", "a", 2026, "07").Student("s", "a", "07", status: "tobedeleted");

        await ImportAsync(gone.Write(), store, D(2026, 2, 2));

        var s = Assert.Single(store.Students);
        Assert.Equal(D(2026, 2, 2), Assert.Single(s.Enrollments).ExitDate);
        Assert.Empty(store.Rosters.Single().Students);
    }

    [Fact]
    public async Task ImportAsync_StudentKnownByDistrictId_GetsOneRosterIdentityInsteadOfADuplicate()
    {
        var store = new InstrumentedStore();
        var known = new Student(StudentId.New(), "ID-s", "From Classroom", []) { GoogleUserId = "g-1" };
        await store.SaveAsync(new ChangeSet().Put(known));
        using var b = new OneRosterFolderBuilder().School("a").Year(2026).Class("ka", "a", 2026, "07").Student("s", "a", "07").Enroll("s", "ka", "a");

        await ImportAsync(b.Write(), store, D(2025, 9, 1));

        var s = Assert.Single(store.Students);
        Assert.Equal((known.Id, "s", "g-1"), (s.Id, s.OneRosterSourcedId, s.GoogleUserId));
    }

    [Fact]
    public async Task ImportAsync_GuardianListsChild_GuardianLinkedAndUnlinkedLater()
    {
        using var b = new OneRosterFolderBuilder().School("a").Year(2026).Class("ka", "a", 2026, "07").Student("s", "a", "07").Guardian("g", "s").Enroll("s", "ka", "a");
        var store = new InstrumentedStore();
        await ImportAsync(b.Write(), store, D(2025, 9, 1));
        Assert.Equal([OneRosterIds.Person("g")], Assert.Single(store.Students).Guardians);

        using var later = new OneRosterFolderBuilder().School("a").Year(2026).Class("ka", "a", 2026, "07").Student("s", "a", "07").Guardian("g", string.Empty).Enroll("s", "ka", "a");
        await ImportAsync(later.Write(), store, D(2025, 10, 1));

        Assert.Empty(Assert.Single(store.Students).Guardians);
    }

    /// <summary>A random history of moves between three schools in one school year, as one bulk export.</summary>
    private static Gen<int[][]> Histories() =>
        Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 2).Zip(Gen.Choose(5, 40), (school, days) => school * 100 + days)).Where(a => a.Length is > 0 and < 5)).Where(s => s.Length is > 0 and < 4)
            .Select(s => s.Select(h => h.ToArray()).ToArray());

    private static OneRosterFolderBuilder Build(int[][] histories)
    {
        var b = new OneRosterFolderBuilder().School("s0").School("s1").School("s2").Year(2026);
        for (var k = 0; k < 3; k++)
        {
            b.Class($"k{k}", $"s{k}", 2026, "08").Teacher($"t{k}", $"s{k}").Enroll($"t{k}", $"k{k}", $"s{k}", role: "teacher");
        }

        for (var i = 0; i < histories.Length; i++)
        {
            var day = new DateOnly(2025, 8, 15);
            var stints = histories[i];
            b.Student($"u{i}", $"s{stints[^1] / 100}", "08");
            for (var j = 0; j < stints.Length; j++)
            {
                var school = stints[j] / 100;
                var end = day.AddDays(stints[j] % 100);
                b.Enroll($"u{i}", $"k{school}", $"s{school}", day.ToString("yyyy-MM-dd"), j == stints.Length - 1 ? null : end.ToString("yyyy-MM-dd"));
                day = end.AddDays(3);
            }
        }

        return b;
    }

    [Property(MaxTest = 25)]
    public Property ImportAsync_AnyHistoryOfMoves_ImportingTwiceEqualsImportingOnce() =>
        Prop.ForAll(Histories().ToArbitrary(), histories =>
        {
            using var b = Build(histories);
            var dir = b.Write();
            var once = new InstrumentedStore();
            var twice = new InstrumentedStore();
            ImportAsync(dir, once, D(2025, 10, 1)).GetAwaiter().GetResult();
            ImportAsync(dir, twice, D(2025, 10, 1)).GetAwaiter().GetResult();
            var second = ImportAsync(dir, twice, D(2025, 10, 1)).GetAwaiter().GetResult();
            return !second.HasChanges && once.Snapshot() == twice.Snapshot();
        });

    [Property(MaxTest = 25)]
    public Property ImportAsync_AnyHistoryOfMoves_OneStudentEachWithOneStretchPerSchoolChange() =>
        Prop.ForAll(Histories().ToArbitrary(), histories =>
        {
            using var b = Build(histories);
            var store = new InstrumentedStore();
            var result = ImportAsync(b.Write(), store, D(2025, 10, 1)).GetAwaiter().GetResult();
            var students = store.Students;
            var changes = histories.Sum(h => h.Zip(h.Skip(1)).Count(p => p.First / 100 != p.Second / 100));
            return students.Count == histories.Length
                && result.Transfers == changes
                && students.All(s => RosterService.Validate(s).Count == 0)
                && histories.Select((h, i) => students.Single(s => s.OneRosterSourcedId == $"u{i}").Enrollments.Count == 1 + h.Zip(h.Skip(1)).Count(p => p.First / 100 != p.Second / 100)).All(x => x);
        });

    [Property(MaxTest = 15)]
    public Property ImportAsync_AnyHistory_Version11LayoutImportsTheSameAsVersion12() =>
        Prop.ForAll(Histories().ToArbitrary(), histories =>
        {
            using var b = Build(histories);
            var v11 = new InstrumentedStore();
            var v12 = new InstrumentedStore();
            ImportAsync(b.Write("1.1"), v11, D(2025, 10, 1)).GetAwaiter().GetResult();
            ImportAsync(b.Write("1.2"), v12, D(2025, 10, 1)).GetAwaiter().GetResult();
            return v11.Snapshot() == v12.Snapshot();
        });

    private static ServiceProvider Services(InstrumentedStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 9, 1, 12, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<IBackpackStore>(store);
        services.AddBackpack(o => o.DistrictId = "jeffco");
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ImportOneRosterAsync_DistrictAdmin_ImportsAndAuditsInTheSameSave()
    {
        var store = new InstrumentedStore();
        using var provider = Services(store);
        using var scope = provider.CreateScope();
        var rosters = scope.ServiceProvider.GetRequiredService<RosterService>();

        var result = await rosters.ImportOneRosterAsync(Actor.ForDistrictAdmin(PersonId.New()), OneRosterImporterTests.Fixture("v1.2"));

        Assert.Equal(2, result.StudentsAdded);
        Assert.Equal(1, store.Saves);
        Assert.Contains(store.Audit, a => a.Action == "oneroster.import" && a.Allowed);
    }

    [Fact]
    public async Task ImportOneRosterAsync_Teacher_DeniedAndNothingImported()
    {
        var store = new InstrumentedStore();
        using var provider = Services(store);
        using var scope = provider.CreateScope();
        var rosters = scope.ServiceProvider.GetRequiredService<RosterService>();

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => rosters.ImportOneRosterAsync(Actor.ForTeacher(PersonId.New()), OneRosterImporterTests.Fixture("v1.2")));

        Assert.Empty(store.Students);
        Assert.DoesNotContain(store.Audit, a => a.Allowed);
    }
}
