using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>
/// The behaviour every <see cref="IBackpackStore"/> must have. Each engine's test project derives from it and
/// supplies a fresh database per test; every test here runs against every engine.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>The database of the current test.</summary>
    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Creates a fresh, empty database.</summary>
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>A store over the current test's database for <paramref name="district"/>.</summary>
    protected IBackpackStore Store(string district = "contract") => Database.CreateStore(district);

    [StoreFact]
    public async Task SaveAsync_EveryAggregateKind_RoundTripsWithVersionOne()
    {
        var store = Store();
        var framework = TestData.Framework();
        var skill = framework.Current!.Content.Skills[0].Id;
        var rubric = TestData.Rubric();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var teacher = PersonId.New();
        var roster = TestData.Roster(school.Id, teacher, student.Id);
        var artifact = TestData.Rich(TestData.Artifact(student.Id, school.Id), skill);
        var link = TestData.Artifact(student.Id, school.Id) with { Source = new WebLinkSource(new Uri("https://example.org/a?b=c")) };
        var classroom = TestData.Artifact(student.Id, school.Id) with { Source = new ClassroomSubmissionSource("c", "w", "s", "f") { AssignedGrade = 9.5, MaxPoints = 10 } };
        var milestone = TestData.Milestone(student.Id, school.Id, rubric);
        var evaluation = TestData.Evaluation(rubric, student.Id, school.Id, artifact.Id);
        var panel = TestData.Evaluation(rubric, student.Id, school.Id, milestone: milestone.Id) with { Role = EvaluatorRole.Panelist };

        await store.SaveAsync(TestData.Set(framework, rubric, school, student, roster, artifact, link, classroom, milestone, evaluation, panel));

        Assert.Equal(framework with { Version = 1 }, await store.GetFrameworkAsync(framework.Id));
        Assert.Equal(rubric, await store.GetRubricAsync(rubric.Ref));
        Assert.Equal(school with { Version = 1 }, Assert.Single(await store.ListSchoolsAsync()));
        Assert.Equal(student with { Version = 1 }, await store.GetStudentAsync(student.Id));
        Assert.Equal(roster with { Version = 1 }, await store.GetRosterAsync(roster.Id));
        Assert.Equal(artifact with { Version = 1 }, await store.GetArtifactAsync(artifact.Id));
        Assert.Equal(link with { Version = 1 }, await store.GetArtifactAsync(link.Id));
        Assert.Equal(classroom with { Version = 1 }, await store.GetArtifactAsync(classroom.Id));
        Assert.Equal(milestone with { Version = 1 }, await store.GetMilestoneAsync(milestone.Id));
        Assert.Equal(evaluation with { Version = 1 }, await store.GetEvaluationAsync(evaluation.Id));
        Assert.Equal(panel with { Version = 1 }, await store.GetEvaluationAsync(panel.Id));
        Assert.Equal(framework with { Version = 1 }, Assert.Single(await store.ListFrameworksAsync()));
    }

    [StoreFact]
    public async Task GetAsync_MissingItems_ReturnNull()
    {
        var store = Store();
        Assert.Null(await store.GetFrameworkAsync(FrameworkId.New()));
        Assert.Null(await store.GetRubricAsync(new RubricRef(RubricId.New(), 1)));
        Assert.Null(await store.GetLatestRubricAsync(RubricId.New()));
        Assert.Null(await store.GetStudentAsync(StudentId.New()));
        Assert.Null(await store.GetRosterAsync(RosterId.New()));
        Assert.Null(await store.GetArtifactAsync(ArtifactId.New()));
        Assert.Null(await store.GetEvaluationAsync(EvaluationId.New()));
        Assert.Null(await store.GetMilestoneAsync(MilestoneId.New()));
        Assert.Null(await store.LoadPassportAsync(StudentId.New()));
        Assert.Null(await store.GetCheckpointAsync("none"));
        Assert.Empty(await store.ListSchoolsAsync());
    }

    [StoreFact]
    public async Task SaveAsync_UpdateAtReadVersion_IncrementsVersion()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var artifact = TestData.Artifact(student.Id, school.Id);
        await store.SaveAsync(TestData.Set(school, student, artifact));

        for (var expected = 2; expected <= 4; expected++)
        {
            var read = (await store.GetArtifactAsync(artifact.Id))!;
            await store.SaveAsync(TestData.Set(read with { Title = $"Title {expected}" }));
            var after = (await store.GetArtifactAsync(artifact.Id))!;
            Assert.Equal(expected, after.Version);
            Assert.Equal($"Title {expected}", after.Title);
        }

        var s = (await store.GetStudentAsync(student.Id))!;
        await store.SaveAsync(TestData.Set(s.TransferTo(SchoolId.New(), GradeLevel.Grade(5), TestData.Year, TestData.Year.FirstDay(8).AddDays(30))));
        Assert.Equal(2, (await store.GetStudentAsync(student.Id))!.Version);
        Assert.Equal(2, (await store.GetStudentAsync(student.Id))!.Enrollments.Count);
    }

    [StoreFact]
    public async Task SaveAsync_StaleVersion_ThrowsConcurrencyAndKeepsStoredItem()
    {
        var store = Store();
        var school = TestData.School();
        await store.SaveAsync(TestData.Set(school));
        await store.SaveAsync(TestData.Set(school with { Version = 1, Name = "Renamed" }));

        var ex = await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(TestData.Set(school with { Version = 1, Name = "Lost update" })));

        Assert.Equal("school", ex.Kind);
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.True(ex.IsTransient);
        Assert.Equal("Renamed", Assert.Single(await store.ListSchoolsAsync()).Name);
    }

    [StoreFact]
    public async Task SaveAsync_InsertOfExistingOrUpdateOfMissing_ThrowsConcurrency()
    {
        var store = Store();
        var school = TestData.School();
        await store.SaveAsync(TestData.Set(school));

        var again = await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(TestData.Set(school)));
        Assert.Equal(0, again.ExpectedVersion);
        Assert.Equal(1, again.ActualVersion);

        var missing = await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(TestData.Set(TestData.School() with { Version = 3 })));
        Assert.Null(missing.ActualVersion);
    }

    [StoreFact]
    public async Task SaveAsync_RubricVersions_AreInsertOnlyAndLatestWins()
    {
        var store = Store();
        var v1 = TestData.Rubric();
        var v2 = v1 with { Version = 2, Title = "Revised" };
        await store.SaveAsync(TestData.Set(v1, v2));

        Assert.Equal(v2, await store.GetLatestRubricAsync(v1.Id));
        Assert.Equal(v1, await store.GetRubricAsync(v1.Ref));
        var ex = await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(TestData.Set(v1 with { Title = "Changed" })));
        Assert.Equal("rubric", ex.Kind);
        Assert.Equal(v1, await store.GetRubricAsync(v1.Ref));
    }

    [StoreFact]
    public async Task SaveAsync_ConflictLateInChangeSet_NothingEarlierApplied()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var artifact = TestData.Artifact(student.Id, school.Id);
        await store.SaveAsync(TestData.Set(school, student, artifact));
        await store.SaveAsync(TestData.Set(artifact with { Version = 1, Title = "v2" }));

        var newSchool = TestData.School("New School");
        var newStudent = TestData.Student(newSchool.Id);
        var changes = TestData.Set(
            newSchool,
            newStudent,
            student with { Version = 1, DisplayName = "Changed" },
            new SyncCheckpoint("drive:changes", "token-1"),
            TestData.Audit("teacher-1", student.Id, TestData.T0),
            new OutboxMessage("drive.ensureFolder", "folder:" + newStudent.Id, "{}", TestData.T0),
            artifact with { Version = 1, Title = "stale" });

        await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(changes));

        Assert.Single(await store.ListSchoolsAsync());
        Assert.Null(await store.GetStudentAsync(newStudent.Id));
        Assert.Equal(1, (await store.GetStudentAsync(student.Id))!.Version);
        Assert.Null(await store.GetCheckpointAsync("drive:changes"));
        Assert.Empty(await store.ReadAuditAsync(new AuditQuery()));
        Assert.Equal(new OutboxCounts(0, 0, 0), await store.Outbox().CountAsync());
        Assert.Equal("v2", (await store.GetArtifactAsync(artifact.Id))!.Title);
    }

    [StoreFact]
    public async Task SaveAsync_ParallelConflictingWriters_ExactlyOneWins()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var artifact = TestData.Artifact(student.Id, school.Id);
        await store.SaveAsync(TestData.Set(school, student, artifact));

        for (var round = 0; round < 5; round++)
        {
            var read = (await store.GetArtifactAsync(artifact.Id))!;
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                try
                {
                    await store.SaveAsync(TestData.Set(read with { Title = $"writer {w}" }, TestData.Audit($"teacher-{w}", student.Id, TestData.T0)));
                    return true;
                }
                catch (BackpackConcurrencyException)
                {
                    return false;
                }
            })).ToArray();
            var results = await Task.WhenAll(writers);

            Assert.Equal(1, results.Count(r => r));
            var after = (await store.GetArtifactAsync(artifact.Id))!;
            Assert.Equal(read.Version + 1, after.Version);
            Assert.Equal($"writer {Array.IndexOf(results, true)}", after.Title);
        }

        Assert.Equal(5, (await store.ReadAuditAsync(new AuditQuery())).Count);
    }

    [StoreFact]
    public async Task SaveAsync_ParallelDisjointWriters_BothSucceed()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var artifacts = Enumerable.Range(0, 4).Select(_ => TestData.Artifact(student.Id, school.Id)).ToArray();
        await store.SaveAsync(TestData.Set([school, student, .. artifacts]));

        await Task.WhenAll(artifacts.Select(a => Task.Run(() => store.SaveAsync(TestData.Set(a with { Version = 1, Title = "changed " + a.Id })))));

        foreach (var a in artifacts)
        {
            var after = (await store.GetArtifactAsync(a.Id))!;
            Assert.Equal(2, after.Version);
            Assert.Equal("changed " + a.Id, after.Title);
        }
    }

    [StoreFact]
    public async Task FindStudentAsync_EachIdentityKind_FindsTheStudent()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id, sis: "12345");
        await store.SaveAsync(TestData.Set(school, student, TestData.Student(school.Id)));

        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, "12345"))!.Id);
        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.GoogleUserId, student.GoogleUserId!))!.Id);
        Assert.Equal(student.Id, (await store.FindStudentAsync(StudentIdentityKind.OneRosterSourcedId, student.OneRosterSourcedId!))!.Id);
        Assert.Null(await store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, "nope"));
    }

    [StoreFact]
    public async Task ListRostersAsync_TeacherAndStudent_FollowRosterChanges()
    {
        var store = Store();
        var school = TestData.School();
        var s1 = TestData.Student(school.Id);
        var s2 = TestData.Student(school.Id);
        var teacher = PersonId.New();
        var roster = TestData.Roster(school.Id, teacher, s1.Id, s2.Id);
        var other = TestData.Roster(school.Id, PersonId.New(), s1.Id);
        await store.SaveAsync(TestData.Set(school, s1, s2, roster, other));

        Assert.Equal([roster.Id], (await store.ListRostersForTeacherAsync(teacher, TestData.Year)).Select(r => r.Id));
        Assert.Equal(new[] { roster.Id, other.Id }.Order(), (await store.ListRostersForStudentAsync(s1.Id, TestData.Year)).Select(r => r.Id).Order());
        Assert.Empty(await store.ListRostersForTeacherAsync(teacher, TestData.Year.Next));

        await store.SaveAsync(TestData.Set(roster with { Version = 1, Students = ValueList.Of(s1.Id) }));

        Assert.Empty(await store.ListRostersForStudentAsync(s2.Id, TestData.Year));
        Assert.Single(await store.ListRostersForTeacherAsync(teacher, TestData.Year));
    }

    [StoreFact]
    public async Task LoadPassportAsync_StudentWithWork_ReturnsEverythingOfTheStudentOnly()
    {
        var store = Store();
        var school = TestData.School();
        var rubric = TestData.Rubric();
        var student = TestData.Student(school.Id);
        var other = TestData.Student(school.Id);
        var artifacts = Enumerable.Range(0, 5).Select(i => TestData.Artifact(student.Id, school.Id, createdAt: TestData.T0.AddDays(5 - i))).ToArray();
        var milestone = TestData.Milestone(student.Id, school.Id, rubric);
        var evaluation = TestData.Evaluation(rubric, student.Id, school.Id, artifacts[0].Id);
        await store.SaveAsync(TestData.Set([school, rubric, student, other, .. artifacts, milestone, evaluation, TestData.Artifact(other.Id, school.Id), TestData.Milestone(other.Id, school.Id)]));

        var passport = (await store.LoadPassportAsync(student.Id))!;

        Assert.Equal(student with { Version = 1 }, passport.Student);
        Assert.Equal(artifacts.OrderBy(a => a.CreatedAt).Select(a => a with { Version = 1 }), passport.Artifacts);
        Assert.Equal(evaluation with { Version = 1 }, Assert.Single(passport.Evaluations));
        Assert.Equal(milestone with { Version = 1 }, Assert.Single(passport.Milestones));
        Assert.Equal(passport.Artifacts, (await store.ListArtifactsAsync(student.Id)).ToValueList());
        Assert.Equal(passport.Evaluations, (await store.ListEvaluationsAsync(student.Id)).ToValueList());
        Assert.Equal(passport.Milestones, (await store.ListMilestonesAsync(student.Id)).ToValueList());
        Assert.Equal(BackpackJson.Serialize(passport), BackpackJson.Serialize((await store.LoadPassportAsync(student.Id))!));
    }

    [StoreFact]
    public async Task ReadAuditAsync_Filters_ReturnOldestFirstWithinLimit()
    {
        var store = Store();
        var s1 = StudentId.New();
        var s2 = StudentId.New();
        await store.SaveAsync(TestData.Set(
            TestData.Audit("teacher-1", s1, TestData.T0.AddMinutes(3)),
            TestData.Audit("teacher-2", s1, TestData.T0.AddMinutes(1)),
            TestData.Audit("admin-1", null, TestData.T0.AddMinutes(2), "report.readiness")));
        await store.SaveAsync(TestData.Set(TestData.Audit("teacher-1", s2, TestData.T0.AddMinutes(4))));

        var all = await store.ReadAuditAsync(new AuditQuery());
        Assert.Equal([1, 2, 3, 4], all.Select(a => (int)(a.At - TestData.T0).TotalMinutes));
        Assert.Equal(TestData.Audit("admin-1", null, TestData.T0.AddMinutes(2), "report.readiness"), all[1]);
        Assert.Equal(2, (await store.ReadAuditAsync(new AuditQuery { StudentId = s1 })).Count);
        Assert.Equal(2, (await store.ReadAuditAsync(new AuditQuery { ActorId = "teacher-1" })).Count);
        Assert.Equal([3, 4], (await store.ReadAuditAsync(new AuditQuery { From = TestData.T0.AddMinutes(3) })).Select(a => (int)(a.At - TestData.T0).TotalMinutes));
        Assert.Equal([1, 2], (await store.ReadAuditAsync(new AuditQuery { Limit = 2 })).Select(a => (int)(a.At - TestData.T0).TotalMinutes));
    }

    [StoreFact]
    public async Task SaveAsync_Checkpoints_VersionedAndListedByPrefix()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(new SyncCheckpoint("classroom:course:2", "b"), new SyncCheckpoint("classroom:course:1", "a"), new SyncCheckpoint("drive:changes", "t1")));
        await store.SaveAsync(TestData.Set(new SyncCheckpoint("drive:changes", "t2", 1)));

        Assert.Equal(new SyncCheckpoint("drive:changes", "t2", 2), await store.GetCheckpointAsync("drive:changes"));
        Assert.Equal(["classroom:course:1", "classroom:course:2"], (await store.ListCheckpointsAsync("classroom:course:")).Select(c => c.Key));
        await Assert.ThrowsAsync<BackpackConcurrencyException>(() => store.SaveAsync(TestData.Set(new SyncCheckpoint("drive:changes", "t3", 1))));
        Assert.Equal("t2", (await store.GetCheckpointAsync("drive:changes"))!.Value);
    }

    [StoreFact]
    public async Task Stores_TwoDistricts_DoNotSeeEachOther()
    {
        var a = Store("district-a");
        var b = Store("district-b");
        var school = TestData.School();
        await a.SaveAsync(TestData.Set(school, new OutboxMessage("op", "key-1", "{}", TestData.T0)));
        await b.SaveAsync(TestData.Set(school, new OutboxMessage("op", "key-1", "{}", TestData.T0)));

        Assert.Single(await a.ListSchoolsAsync());
        Assert.Single(await b.ListSchoolsAsync());
        Assert.Equal(1, (await a.Outbox().CountAsync()).Pending);
        Assert.Equal(1, (await b.Outbox().CountAsync()).Pending);
        await a.SaveAsync(TestData.Set(school with { Version = 1, Name = "Only in A" }));
        Assert.Equal(school.Name, Assert.Single(await b.ListSchoolsAsync()).Name);
    }
}
