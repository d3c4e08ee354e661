using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Testing;

/// <summary>What running one operation as a witness actor gave.</summary>
/// <param name="Role">The role.</param>
/// <param name="Operation">The operation.</param>
/// <param name="Relation">The relation the witness stands in.</param>
/// <param name="Allowed">Whether the services let it through (it ran; it was not denied).</param>
/// <param name="Error">An error other than a denial, which means the witness's input was wrong (a bug in the witness).</param>
public sealed record AccessWitnessOutcome(ActorRole Role, BackpackOperation Operation, AccessRelation Relation, bool Allowed, Exception? Error);

/// <summary>
/// A small district, built through the real services, in which every cell of the access table has a witness:
/// an actor standing in a given relation to a student, milestone, school or the district. <see cref="RunAsync"/>
/// runs an operation as that witness through the real services (with valid input, so only the access policy can
/// stop it) and reports whether it was allowed. The tests hold the policy to the README's access table with it,
/// and the sample's <c>access matrix</c> prints the decisions it observes under a district's options.
/// </summary>
/// <remarks>
/// The district: schools A and B; a published framework of three skills and a four-level rubric; student S at A
/// (guardian G, an artifact, four milestones with panelist P: waiting, open, held, closed), student S2 at B,
/// student T who moved from A to B today (so A's teacher is T's former teacher), and student X who graduated from
/// A yesterday (guardian G; the witnesses of <see cref="BackpackOperation.RunHandoff"/> stand to X); a roster at A
/// (teacher tA, S) and one at B (teacher tB, S2, T); administrators of A and of B. Build a new one for every
/// operation that may change it.
/// </remarks>
public sealed class AccessWitnessDistrict
{
    private static readonly string[] LevelNames = ["Emerging", "Developing", "Ready", "Excelling"];
    private readonly IServiceProvider _services;
    private readonly Actor _setup = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacherA = PersonId.New();
    private readonly PersonId _teacherB = PersonId.New();
    private readonly PersonId _adminA = PersonId.New();
    private readonly PersonId _adminB = PersonId.New();
    private readonly PersonId _guardian = PersonId.New();
    private readonly PersonId _otherGuardian = PersonId.New();
    private readonly PersonId _panelist = PersonId.New();
    private readonly PersonId _otherPanelist = PersonId.New();
    private readonly Dictionary<StudentId, Artifact> _artifacts = [];
    private School _schoolA = null!;
    private School _schoolB = null!;
    private Student _s = null!;
    private Student _s2 = null!;
    private Student _t = null!;
    private Student _x = null!;
    private Roster _rosterA = null!;
    private Rubric _rubric = null!;
    private FrameworkId _framework;
    private SkillId _skill;
    private Milestone _waiting = null!;
    private Milestone _open = null!;
    private Milestone _held = null!;
    private Milestone _ended = null!;
    private Milestone _ofT = null!;

    private AccessWitnessDistrict(IServiceProvider services) => _services = services;

    /// <summary>
    /// Builds the district through the services of <paramref name="services"/> (a provider or scope on which
    /// <c>AddBackpack(...)</c> and a store were registered, e.g. <c>UseInMemoryStore()</c>), at the clock's today.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The district.</returns>
    public static async Task<AccessWitnessDistrict> CreateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var district = new AccessWitnessDistrict(services);
        await district.BuildAsync(cancellationToken).ConfigureAwait(false);
        return district;
    }

    /// <summary>
    /// The access matrix: every cell of the table (<see cref="AccessTable.Roles"/> by
    /// <see cref="AccessTable.Operations"/> by <see cref="AccessTable.RelationsFor"/>) run through the real services
    /// on a new witness district each (in memory), under the district options <paramref name="configure"/> sets and
    /// at <paramref name="now"/>. For a privacy officer's review: these are the decisions the services make.
    /// </summary>
    /// <param name="configure">Sets the district's options (as in <c>AddBackpack</c>).</param>
    /// <param name="now">The moment the decisions are taken.</param>
    /// <param name="policy">A custom access policy to evaluate instead of the default, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One outcome per cell, in table order.</returns>
    public static async Task<IReadOnlyList<AccessWitnessOutcome>> EvaluateMatrixAsync(Action<BackpackOptions> configure, DateTimeOffset now, Func<IServiceProvider, IAccessPolicy>? policy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var outcomes = new List<AccessWitnessOutcome>();
        foreach (var role in AccessTable.Roles)
        {
            foreach (var operation in AccessTable.Operations)
            {
                foreach (var relation in AccessTable.RelationsFor(role, operation))
                {
                    var services = new ServiceCollection().AddSingleton(new FixedClock(now) as TimeProvider);
                    if (policy is not null)
                    {
                        services.AddScoped(policy);
                    }

                    services.AddBackpack(configure).UseInMemoryStore();
                    await using var provider = services.BuildServiceProvider();
                    await using var scope = provider.CreateAsyncScope();
                    var district = await CreateAsync(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(await district.RunAsync(role, operation, relation, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> as the witness of <paramref name="role"/> in <paramref name="relation"/>
    /// (one of <see cref="AccessTable.RelationsFor"/>) through the real services.
    /// </summary>
    /// <param name="role">The role.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="relation">The relation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was allowed.</returns>
    public async Task<AccessWitnessOutcome> RunAsync(ActorRole role, BackpackOperation operation, AccessRelation relation, CancellationToken cancellationToken = default)
    {
        var (actor, student) = operation == BackpackOperation.RunHandoff ? ExitedWitness(role, relation) : Witness(role, relation);
        try
        {
            var allowed = await RunAsWitnessAsync(actor, student, operation, relation, cancellationToken).ConfigureAwait(false);
            return new(role, operation, relation, allowed, null);
        }
        catch (BackpackAccessDeniedException)
        {
            return new(role, operation, relation, Allowed: false, null);
        }
        catch (Exception e) when (e is BackpackValidationException or BackpackNotFoundException or BackpackException or InvalidOperationException)
        {
            return new(role, operation, relation, Allowed: true, e);
        }
    }

    /// <summary>Everything the district holds but its audit trail, as one comparable value (for "a denied call changes nothing").</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The snapshot.</returns>
    public async Task<string> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var store = _services.GetRequiredService<IBackpackStore>();
        var parts = new List<string>();
        foreach (var id in new[] { _s.Id, _s2.Id, _t.Id })
        {
            parts.Add(Serialization.BackpackJson.Serialize(await store.LoadPassportAsync(id, cancellationToken).ConfigureAwait(false)));
            parts.AddRange((await store.ListRostersForStudentAsync(id, _rosterA.Year, cancellationToken).ConfigureAwait(false)).Select(Serialization.BackpackJson.Serialize));
        }

        parts.Add(Serialization.BackpackJson.Serialize(await store.GetRosterAsync(_rosterA.Id, cancellationToken).ConfigureAwait(false)));
        parts.AddRange((await store.ListSchoolsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(s => s.Id).Select(Serialization.BackpackJson.Serialize));
        parts.AddRange((await store.ListFrameworksAsync(cancellationToken).ConfigureAwait(false)).OrderBy(f => f.Id).Select(Serialization.BackpackJson.Serialize));
        return string.Join('\n', parts);
    }

    /// <summary>The student whose data a witness's operation touches (for reading the audit trail).</summary>
    /// <param name="role">The role.</param>
    /// <param name="relation">The relation.</param>
    /// <returns>The student.</returns>
    public StudentId StudentOf(ActorRole role, AccessRelation relation) => Witness(role, relation).Student.Id;

    private T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A clock that stays at one moment.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private (Actor Actor, Student Student) Witness(ActorRole role, AccessRelation relation) => (role, relation) switch
    {
        (ActorRole.Student, AccessRelation.OwnWork or AccessRelation.District) => (Actor.ForStudent(_s.Id), _s),
        (ActorRole.Student, _) => (Actor.ForStudent(_s2.Id), _s),
        (ActorRole.Guardian, AccessRelation.OwnChild or AccessRelation.District) => (Actor.ForGuardian(_guardian), _s),
        (ActorRole.Guardian, _) => (Actor.ForGuardian(_otherGuardian), _s),
        (ActorRole.Teacher, AccessRelation.FormerRoster) => (Actor.ForTeacher(_teacherA), _t),
        (ActorRole.Teacher, AccessRelation.CurrentRoster or AccessRelation.District) => (Actor.ForTeacher(_teacherA), _s),
        (ActorRole.Teacher, _) => (Actor.ForTeacher(_teacherB), _s),
        (ActorRole.SchoolAdmin, AccessRelation.OtherSchool) => (Actor.ForSchoolAdmin(_adminB, _schoolB.Id), _s),
        (ActorRole.SchoolAdmin, _) => (Actor.ForSchoolAdmin(_adminA, _schoolA.Id), _s),
        (ActorRole.DistrictAdmin, _) => (Actor.ForDistrictAdmin(PersonId.New()), _s),
        (ActorRole.Panelist, AccessRelation.Unrelated) => (Actor.ForPanelist(_otherPanelist), _s),
        (ActorRole.Panelist, _) => (Actor.ForPanelist(_panelist), _s),
        (ActorRole.RosterSync, _) => (Actor.RosterSync, _s),
        (ActorRole.CourseworkSync, _) => (Actor.CourseworkSync, _s),
        (ActorRole.Retention, _) => (Actor.Retention, _s),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "No witness for this role."),
    };

    /// <summary>The witnesses of an operation on X, who has exited (a teacher of X's school is not on a current roster with X: X left).</summary>
    private (Actor Actor, Student Student) ExitedWitness(ActorRole role, AccessRelation relation) => (role, relation) switch
    {
        (ActorRole.Student, AccessRelation.OwnWork or AccessRelation.District) => (Actor.ForStudent(_x.Id), _x),
        (ActorRole.Student, _) => (Actor.ForStudent(_s2.Id), _x),
        (ActorRole.Teacher, _) => (Actor.ForTeacher(_teacherA), _x),
        _ => (Witness(role, relation).Actor, _x),
    };

    private Milestone MilestoneFor(Student student, BackpackOperation operation, ActorRole role, AccessRelation relation)
    {
        if (student.Id == _t.Id)
        {
            return _ofT;
        }

        if (role == ActorRole.Panelist)
        {
            return relation switch
            {
                AccessRelation.PanelWaiting => _waiting,
                AccessRelation.PanelOpen => _open,
                AccessRelation.PanelEnded => _ended,
                _ => _held,
            };
        }

        return operation switch
        {
            BackpackOperation.SetShowcase => _waiting,
            BackpackOperation.SetPanel or BackpackOperation.HoldMilestone => _open,
            _ => _held,
        };
    }

    private async Task<bool> RunAsWitnessAsync(Actor actor, Student student, BackpackOperation operation, AccessRelation relation, CancellationToken ct)
    {
        var backpack = Get<BackpackService>();
        var milestones = Get<MilestoneService>();
        var rosters = Get<RosterService>();
        var artifact = _artifacts[student.Id];
        var now = Get<TimeProvider>().GetUtcNow();
        var today = Get<IOptions<BackpackOptions>>().Value.TodayAt(now);
        var school = relation is AccessRelation.District && operation == BackpackOperation.ReadReports ? (SchoolId?)null : _schoolA.Id;
        var criterion = _rubric.Criteria[0];
        switch (operation)
        {
            case BackpackOperation.ReadBackpack:
                await backpack.GetBackpackAsync(actor, student.Id, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ReadShowcase:
                await backpack.GetShowcaseAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.CheckReadiness:
                // A batch check reports a denied student in its result instead of throwing.
                var checkedStudents = await milestones.CheckReadinessAsync(actor, _framework, [student.Id], cancellationToken: ct).ConfigureAwait(false);
                return checkedStudents[0].Outcome != ReadinessOutcome.Denied;
            case BackpackOperation.AddArtifact:
                await backpack.AddArtifactAsync(actor, student.Id, "Witness work", new DriveFileSource("witness-file"), cancellationToken: ct).ConfigureAwait(false);
                break;
            case BackpackOperation.AlignArtifact:
                await backpack.AlignAsync(actor, artifact.Id, _skill, "It shows the skill.", ct).ConfigureAwait(false);
                break;
            case BackpackOperation.Reflect:
                await backpack.ReflectAsync(actor, artifact.Id, "What I learned.", ct).ConfigureAwait(false);
                break;
            case BackpackOperation.CurateArtifact:
                await backpack.CurateAsync(actor, artifact.Id, CurationState.Archived, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.GiveFeedback:
                await backpack.GiveFeedbackAsync(actor, artifact.Id, "Clear and well argued.", ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ScoreArtifact:
                await backpack.ScoreArtifactAsync(actor, artifact.Id, _rubric.Ref, [new CriterionLevel(criterion.Name, "Ready")], ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ScoreMilestone:
                await backpack.ScoreMilestoneAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, [new CriterionLevel(criterion.Id.ToString(), "Ready")], ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ScheduleMilestone:
                await milestones.ScheduleAsync(actor, student.Id, MilestoneKind.MiniDefense, now.AddDays(14), _rubric.Ref, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.SetPanel:
                await milestones.SetPanelAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, [new Panelist(_panelist, PanelRole.CommunityPartner), new Panelist(PersonId.New(), PanelRole.Educator)], ct).ConfigureAwait(false);
                break;
            case BackpackOperation.SetShowcase:
                await milestones.SetShowcaseAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, [new ShowcaseEntry(_skill, [artifact.Id])], ct).ConfigureAwait(false);
                break;
            case BackpackOperation.HoldMilestone:
                await milestones.HoldAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.CloseMilestone:
                await milestones.CloseAsync(actor, MilestoneFor(student, operation, actor.Role, relation).Id, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.SaveSchool:
                await rosters.SaveSchoolAsync(actor, _schoolA with { Name = "Aspen Elementary (renamed)" }, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.SaveStudent:
                await rosters.SaveStudentAsync(actor, student with { Guardians = student.Guardians.Add(PersonId.New()) }, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.TransferStudent:
                await rosters.TransferAsync(actor, student.Id, student.Id == _t.Id ? _schoolA.Id : _schoolB.Id, GradeLevel.Grade(5), today.AddDays(1), ct).ConfigureAwait(false);
                break;
            case BackpackOperation.SaveRoster:
                await rosters.SaveRosterAsync(actor, _rosterA with { Name = "Grade 5, period 2" }, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ListStudents:
                await rosters.ListStudentsAsync(actor, _schoolA.Id, GradeLevel.Grade(5), cancellationToken: ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ImportRosters:
                await ImportNothingAsync(actor, rosters, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ReadFramework:
                await Get<FrameworkService>().GetAsync(actor, _framework, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ManageFramework:
                await Get<FrameworkService>().EditDraftAsync(actor, _framework, c => c with { Description = "Edited by a witness." }, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ReadReports:
                await Get<ReportService>().GetReadinessReportAsync(actor, _framework, _rosterA.Year, school, cancellationToken: ct).ConfigureAwait(false);
                break;
            case BackpackOperation.ExportStudentRecord:
                await Get<Lifecycle.StudentRecordService>().ExportStudentRecordAsync(actor, student.Id, ct).ConfigureAwait(false);
                break;
            case BackpackOperation.RunRetention:
                // A real run: X exited yesterday, within any retention period, so it purges nothing.
                await Get<Lifecycle.RetentionService>().RunAsync(actor, cancellationToken: ct).ConfigureAwait(false);
                break;
            case BackpackOperation.RunHandoff:
                using (var archive = new MemoryStream())
                {
                    await Get<Lifecycle.HandoffService>().RunAsync(actor, student.Id, new Lifecycle.HandoffRequest(), archive, ct).ConfigureAwait(false);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "No witness call for this operation.");
        }

        return true;
    }

    // A roster import with nothing to change: the operation is authorized, run and audited like any source's.
    private static Task<int> ImportNothingAsync(Actor actor, RosterService rosters, CancellationToken ct) =>
        rosters.ImportAsync(actor, "witness", (_, _) => Task.FromResult(0), ct);

    private async Task BuildAsync(CancellationToken ct)
    {
        var options = Get<IOptions<BackpackOptions>>().Value;
        var now = Get<TimeProvider>().GetUtcNow();
        var today = options.TodayAt(now);
        var year = options.SchoolYearOf(today);
        var frameworks = Get<FrameworkService>();
        var rosters = Get<RosterService>();
        var backpack = Get<BackpackService>();
        var milestones = Get<MilestoneService>();

        _framework = FrameworkId.New();
        _skill = SkillId.New();
        var content = new FrameworkContent("Witness Skills", ValueList<Skill>.Empty).AddSkill(_skill, "Effective Communicator").AddSkill(SkillId.New(), "Productive Collaborator");
        await frameworks.CreateAsync(_setup, _framework, content, ct).ConfigureAwait(false);
        await frameworks.PublishAsync(_setup, _framework, ct).ConfigureAwait(false);
        var levels = LevelNames.Select((n, i) => new RubricLevel(LevelId.New(), n, i + 1, i + 1)).ToValueList();
        _rubric = await frameworks.AddRubricVersionAsync(_setup, new Rubric(RubricId.New(), 1, "Witness Rubric", [new RubricCriterion(CriterionId.New(), "Communication", 1, levels) { SkillId = _skill }], "Ready"), ct).ConfigureAwait(false);

        _schoolA = await rosters.SaveSchoolAsync(_setup, new School(SchoolId.New(), "Aspen Elementary"), ct).ConfigureAwait(false);
        _schoolB = await rosters.SaveSchoolAsync(_setup, new School(SchoolId.New(), "Birch Elementary"), ct).ConfigureAwait(false);
        var entry = today.AddDays(-30);
        Student New(string number, SchoolId school) => new(StudentId.New(), number, $"Witness {number}", [new Enrollment(school, GradeLevel.Grade(5), year, entry)]);
        _s = await rosters.SaveStudentAsync(_setup, New("W1", _schoolA.Id) with { Guardians = [_guardian] }, ct).ConfigureAwait(false);
        _s2 = await rosters.SaveStudentAsync(_setup, New("W2", _schoolB.Id), ct).ConfigureAwait(false);
        _t = await rosters.SaveStudentAsync(_setup, New("W3", _schoolA.Id), ct).ConfigureAwait(false);
        _rosterA = await rosters.SaveRosterAsync(_setup, new Roster(RosterId.New(), _schoolA.Id, year, "Grade 5", [_teacherA], [_s.Id, _t.Id]), ct).ConfigureAwait(false);
        var rosterB = await rosters.SaveRosterAsync(_setup, new Roster(RosterId.New(), _schoolB.Id, year, "Grade 5", [_teacherB], [_s2.Id]), ct).ConfigureAwait(false);
        _t = await rosters.TransferAsync(_setup, _t.Id, _schoolB.Id, GradeLevel.Grade(5), today, ct).ConfigureAwait(false);
        _rosterA = await Get<IBackpackStore>().GetRosterAsync(_rosterA.Id, ct).ConfigureAwait(false) ?? _rosterA;
        await rosters.SaveRosterAsync(_setup, rosterB with { Students = rosterB.Students.Add(_t.Id) }, ct).ConfigureAwait(false);

        _x = await rosters.SaveStudentAsync(_setup, New("W4", _schoolA.Id) with { Guardians = [_guardian] }, ct).ConfigureAwait(false);
        foreach (var student in new[] { _s, _s2, _t, _x })
        {
            var me = Actor.ForStudent(student.Id);
            var a = await backpack.AddArtifactAsync(me, student.Id, "Water cycle model", new WebLinkSource(new Uri("https://example.org/water-cycle")), cancellationToken: ct).ConfigureAwait(false);
            a = await backpack.AlignAsync(me, a.Id, _skill, "I explained the model to my class.", ct).ConfigureAwait(false);
            _artifacts[student.Id] = await backpack.ReflectAsync(me, a.Id, "I would test it again.", ct).ConfigureAwait(false);
        }

        // X graduated yesterday (after collecting their work).
        _x = await rosters.SaveStudentAsync(_setup, _x with { Enrollments = [_x.Enrollments[0] with { ExitDate = today.AddDays(-1), ExitReason = ExitReason.Graduated }] }, ct).ConfigureAwait(false);

        var teacher = Actor.ForTeacher(_teacherA);
        var showcase = new[] { new ShowcaseEntry(_skill, [_artifacts[_s.Id].Id]) };
        var slot = 0;
        async Task<Milestone> ScheduleAsync(bool withShowcase)
        {
            // One milestone per student, kind and time: each witness milestone gets its own hour.
            var m = await milestones.ScheduleAsync(teacher, _s.Id, MilestoneKind.MiniDefense, now.AddDays(7).AddHours(++slot), _rubric.Ref, ct).ConfigureAwait(false);
            m = await milestones.SetPanelAsync(teacher, m.Id, [new Panelist(_panelist, PanelRole.CommunityPartner)], ct).ConfigureAwait(false);
            return withShowcase ? await milestones.SetShowcaseAsync(Actor.ForStudent(_s.Id), m.Id, showcase, ct).ConfigureAwait(false) : m;
        }

        _waiting = await ScheduleAsync(withShowcase: false).ConfigureAwait(false);
        _open = await ScheduleAsync(withShowcase: true).ConfigureAwait(false);
        _held = await milestones.HoldAsync(teacher, (await ScheduleAsync(withShowcase: true).ConfigureAwait(false)).Id, ct).ConfigureAwait(false);
        _ended = await milestones.CloseAsync(teacher, (await ScheduleAsync(withShowcase: true).ConfigureAwait(false)).Id, ct).ConfigureAwait(false);
        _ofT = await milestones.ScheduleAsync(Actor.ForTeacher(_teacherB), _t.Id, MilestoneKind.MiniDefense, now.AddDays(7), _rubric.Ref, ct).ConfigureAwait(false);
        _ofT = await milestones.SetPanelAsync(Actor.ForTeacher(_teacherB), _ofT.Id, [new Panelist(_panelist, PanelRole.Educator)], ct).ConfigureAwait(false);
    }
}
