using Backpack.Core.Access;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using static Backpack.Core.Testing.Tests.TestData;

namespace Backpack.Core.Testing.Tests;

public sealed class InMemoryBackpackStoreTests
{
    [Fact]
    public async Task SaveAsync_NewItems_StoresVersionOneAndIndexesThem()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);
        var student = Student(1, school.Id);
        var roster = new Roster(RosterId.From(Id(7)), school.Id, new SchoolYear(2025), "Grade 5 Homeroom A", ValueList.Of(PersonId.From(Id(8))), ValueList.Of(student.Id));

        await store.SaveAsync(new ChangeSet().Put(school).Put(student).Put(roster).Put(Artifact(1, student.Id, school.Id)));

        Assert.Equal(1, (await store.GetStudentAsync(student.Id))!.Version);
        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, "S0000001"))!.Id);
        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.GoogleUserId, "g1"))!.Id);
        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.OneRosterSourcedId, "or1"))!.Id);
        Assert.Single(await store.ListRostersForTeacherAsync(PersonId.From(Id(8)), new SchoolYear(2025)));
        Assert.Empty(await store.ListRostersForTeacherAsync(PersonId.From(Id(8)), new SchoolYear(2024)));
        Assert.Single(await store.ListRostersForStudentAsync(student.Id, new SchoolYear(2025)));
        var passport = await store.LoadPassportAsync(student.Id);
        Assert.NotNull(passport);
        Assert.Single(passport.Artifacts);
        Assert.Equal(1, passport.Artifacts[0].Version);
    }

    [Fact]
    public async Task SaveAsync_ChangedIdentity_FindsByNewIdentityOnly()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);
        var student = Student(1, school.Id);
        await store.SaveAsync(new ChangeSet().Put(student));

        await store.SaveAsync(new ChangeSet().Put(student with { Version = 1, GoogleUserId = "g-new" }));

        Assert.Null(await store.FindStudentAsync(StudentIdentityKind.GoogleUserId, "g1"));
        Assert.Equal(2, (await store.FindStudentAsync(StudentIdentityKind.GoogleUserId, "g-new"))!.Version);
    }

    [Fact]
    public async Task SaveAsync_OneStaleItem_ThrowsAndAppliesNothing()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);
        var student = Student(1, school.Id);
        await store.SaveAsync(new ChangeSet().Put(school).Put(student));
        var audit = new AuditRecord(T0, "admin", "student.save", student.Id, null, true);

        var stale = new ChangeSet()
            .Put(School(2))
            .Put(student with { DisplayName = "Student 99999" }) // read at version 0, stored is 1
            .Put(audit)
            .Put(Message(1));
        var ex = await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(stale));

        Assert.Equal("student", ex.Kind);
        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Single(await store.ListSchoolsAsync());
        Assert.Equal("Student 00001", (await store.GetStudentAsync(student.Id))!.DisplayName);
        Assert.Empty(await store.ReadAuditAsync(new AuditQuery()));
        Assert.Equal(new OutboxCounts(0, 0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_SameItemTwiceInOneChangeSet_SecondMustBuildOnFirst()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);

        await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(new ChangeSet().Put(school).Put(school)));
        Assert.Empty(await store.ListSchoolsAsync());

        await store.SaveAsync(new ChangeSet().Put(school).Put(school with { Name = "Renamed", Version = 1 }));
        var saved = Assert.Single(await store.ListSchoolsAsync());
        Assert.Equal(("Renamed", 2L), (saved.Name, saved.Version));
    }

    [Fact]
    public async Task SaveAsync_ExistingRubricVersion_ThrowsConcurrency()
    {
        var store = new InMemoryBackpackStore();
        var rubric = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 1 }).SkillsRubric;
        await store.SaveAsync(new ChangeSet().Put(rubric));

        await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(new ChangeSet().Put(rubric with { Title = "Changed" })));
        await store.SaveAsync(new ChangeSet().Put(rubric with { Version = 2, Title = "Version 2" }));

        Assert.Equal("Version 2", (await store.GetLatestRubricAsync(rubric.Id))!.Title);
        Assert.Equal(rubric.Title, (await store.GetRubricAsync(new RubricRef(rubric.Id, 1)))!.Title);
    }

    [Fact]
    public async Task SaveAsync_DuplicateIdempotencyKey_IsSkipped()
    {
        var store = new InMemoryBackpackStore();

        await store.SaveAsync(new ChangeSet().Put(Message(1)).Put(Message(1)));
        await store.SaveAsync(new ChangeSet().Put(Message(1)).Put(Message(2)));

        Assert.Equal(new OutboxCounts(2, 0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_ParallelWritersOfSameVersion_ExactlyOneWinsEachRound()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);
        await store.SaveAsync(new ChangeSet().Put(school));
        const int rounds = 50;
        const int writers = 6;
        for (var round = 0; round < rounds; round++)
        {
            var read = (await store.ListSchoolsAsync())[0];
            var attempts = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                try
                {
                    await store.SaveAsync(new ChangeSet().Put(read with { Code = $"r{round}w{w}" }));
                    return true;
                }
                catch (BackpackConcurrencyException)
                {
                    return false;
                }
            }));

            var results = await Task.WhenAll(attempts);
            Assert.Equal(1, results.Count(r => r));
        }

        Assert.Equal(rounds + 1, (await store.ListSchoolsAsync())[0].Version);
    }

    [Fact]
    public async Task SaveAsync_ConflictingPairsTouchingTwoItems_OneWinsAndItsChangesAreWhole()
    {
        var store = new InMemoryBackpackStore();
        var a = School(1);
        var b = School(2);
        await store.SaveAsync(new ChangeSet().Put(a).Put(b));
        for (var round = 0; round < 40; round++)
        {
            var schools = (await store.ListSchoolsAsync()).ToDictionary(s => s.Id);
            var readA = schools[a.Id];
            var readB = schools[b.Id];

            // The two writers put the items in opposite orders: no deadlock, no half-applied write.
            var first = Task.Run(() => TrySave(store, new ChangeSet().Put(readA with { Code = "first" }).Put(readB with { Code = "first" })));
            var second = Task.Run(() => TrySave(store, new ChangeSet().Put(readB with { Code = "second" }).Put(readA with { Code = "second" })));
            var results = await Task.WhenAll(first, second);

            Assert.Equal(1, results.Count(r => r));
            var after = await store.ListSchoolsAsync();
            Assert.Single(after.Select(s => s.Code).Distinct());
            Assert.All(after, s => Assert.Equal(readA.Version + 1, s.Version));
        }
    }

    [Fact]
    public async Task SaveAsync_ParallelReadModifyWriteWithRetry_LosesNoUpdate()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1, code: "0");
        await store.SaveAsync(new ChangeSet().Put(school));
        const int writers = 4;
        const int increments = 50;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = (await store.ListSchoolsAsync())[0];
                    var next = current with { Code = (int.Parse(current.Code!, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    if (await TrySave(store, new ChangeSet().Put(next)))
                    {
                        break;
                    }
                }
            }
        })));

        var final = (await store.ListSchoolsAsync())[0];
        Assert.Equal((writers * increments).ToString(System.Globalization.CultureInfo.InvariantCulture), final.Code);
        Assert.Equal((writers * increments) + 1, final.Version);
    }

    [Fact]
    public async Task SaveAsync_ArtifactMovedToAnotherStudent_IsListedUnderTheNewStudentOnly()
    {
        var store = new InMemoryBackpackStore();
        var school = School(1);
        var s1 = Student(1, school.Id);
        var s2 = Student(2, school.Id);
        var artifact = Artifact(1, s1.Id, school.Id);
        await store.SaveAsync(new ChangeSet().Put(s1).Put(s2).Put(artifact));

        await store.SaveAsync(new ChangeSet().Put(artifact with { StudentId = s2.Id, Version = 1 }));

        Assert.Empty(await store.ListArtifactsAsync(s1.Id));
        Assert.Single(await store.ListArtifactsAsync(s2.Id));
    }

    [Fact]
    public async Task ReadAuditAsync_Filters_ReturnsOldestFirstWithinLimit()
    {
        var store = new InMemoryBackpackStore();
        var student = StudentId.From(Id(5));
        await store.SaveAsync(new ChangeSet()
            .Put(new AuditRecord(T0.AddMinutes(2), "t1", "backpack.read", student, null, true))
            .Put(new AuditRecord(T0, "t1", "backpack.read", student, null, true))
            .Put(new AuditRecord(T0.AddMinutes(1), "t2", "backpack.read", null, null, false)));

        var forStudent = await store.ReadAuditAsync(new AuditQuery { StudentId = student });
        var limited = await store.ReadAuditAsync(new AuditQuery { Limit = 1 });
        var recent = await store.ReadAuditAsync(new AuditQuery { From = T0.AddMinutes(1), ActorId = "t2" });

        Assert.Equal([T0, T0.AddMinutes(2)], forStudent.Select(r => r.At));
        Assert.Equal(T0, Assert.Single(limited).At);
        Assert.Equal("t2", Assert.Single(recent).ActorId);
    }

    [Fact]
    public void UseInMemoryStore_CalledTwice_RegistersOneSharedStore()
    {
        var services = new ServiceCollection();
        services.AddBackpack().UseInMemoryStore().UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<InMemoryBackpackStore>();

        Assert.Same(store, provider.GetRequiredService<IBackpackStore>());
        Assert.Same(store, provider.GetRequiredService<IOutboxStore>());
        Assert.Same(store, provider.GetRequiredService<IBulkLoader>());
        Assert.Single(services, d => d.ServiceType == typeof(IBackpackStore));
    }

    private static async Task<bool> TrySave(InMemoryBackpackStore store, ChangeSet changes)
    {
        try
        {
            await store.SaveAsync(changes);
            return true;
        }
        catch (BackpackConcurrencyException)
        {
            return false;
        }
    }
}
