using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>What the story produced, for the report and for other commands; saved in the store as a checkpoint so a later run finds it.</summary>
internal sealed record DemoOutcome(FrameworkId Framework, RubricRef SkillsRubric, RubricRef DefenseRubric, SchoolYear Year, IReadOnlyDictionary<SchoolId, string> Schools, Actor DistrictAdmin)
{
    private const string Key = "sample:demo-district";

    public SyncCheckpoint ToCheckpoint() => new(Key, string.Join('|', Framework, SkillsRubric.Id, DefenseRubric.Id, Year.StartYear, DistrictAdmin.PersonId));

    public static async Task<DemoOutcome?> LoadAsync(Backpack.Core.Storage.IBackpackStore store)
    {
        if (await store.GetCheckpointAsync(Key) is not { } c)
        {
            return null;
        }

        var p = c.Value.Split('|');
        var schools = (await store.ListSchoolsAsync()).ToDictionary(s => s.Id, s => s.Name);
        return new DemoOutcome(FrameworkId.Parse(p[0]), new RubricRef(RubricId.Parse(p[1]), 1), new RubricRef(RubricId.Parse(p[2]), 1), new SchoolYear(int.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture)), schools, Actor.ForDistrictAdmin(PersonId.Parse(p[4])));
    }
}

/// <summary>
/// The whole Backpack story for a small demo district, through the public services only: a framework and
/// rubrics, schools, students and rosters (with mid-year transfers), artifacts with reasoning and
/// reflections, teacher suggestions and scores, the readiness check, Defenses of Learning with panels, and
/// access rules at work. Deterministic from the seed.
/// </summary>
/// <remarks>
/// Resumable: every id comes from the seed and every write is skipped when the store shows it was made, so a run
/// killed at any moment and started again on the same database completes the same district (the chaos harness
/// checks this by killing real processes). <paramref name="createDriveFile"/> gets a stable id and a name and
/// must return the file's id, making the file only once.
/// </remarks>
internal sealed class DemoDistrict(IServiceProvider services, StoryClock clock, int studentsPerGrade, int seed, Func<string, string, Task<string>>? createDriveFile = null, Func<Task>? defenseDay = null)
{
    private static readonly string[] SkillNames =
    [
        "Prepared and Resilient Learner",
        "Globally and Culturally Competent Citizen",
        "Emerging Innovator",
        "Effective Communicator",
        "Productive Collaborator",
    ];

    private static readonly string[] Levels = ["Emerging", "Developing", "Ready", "Excelling"];

    private readonly Random _random = new(seed);
    private readonly SchoolYear _year = new(2025);
    private readonly Dictionary<SchoolId, string> _schools = [];
    private readonly Dictionary<(SchoolId, GradeLevel), Roster> _rosters = [];
    private readonly List<Student> _students = [];
    private readonly Dictionary<StudentId, PersonId> _guardians = [];
    private readonly List<(StudentId Student, MilestoneId Milestone, PersonId Panelist, Actor Teacher)> _defenses = [];
    private readonly List<(string Student, string Reason)> _notReady = [];

    /// <summary>Only the district's framework and rubrics (for <c>case export</c>).</summary>
    public static async Task<DemoOutcome> CreateFrameworkOnlyAsync(IServiceProvider sp, Actor admin)
    {
        var demo = new DemoDistrict(sp, new StoryClock(default), 0, seed: 2025);
        var (framework, skills, defense) = await demo.CreateFrameworkAndRubricsAsync(sp, admin);
        return new DemoOutcome(framework, skills.Ref, defense.Ref, demo._year, demo._schools, admin);
    }

    public async Task<DemoOutcome> RunAsync()
    {
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        var admin = Actor.ForDistrictAdmin(Id<PersonId>());
        FrameworkId framework = default;
        Rubric skillsRubric = null!;
        Rubric defenseRubric = null!;

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var setup = ctx.AddTask("District framework, rubrics, schools", maxValue: 3);
                (framework, skillsRubric, defenseRubric) = await CreateFrameworkAndRubricsAsync(sp, admin);
                setup.Increment(1);
                await CreateSchoolsAsync(sp, admin);
                setup.Increment(1);
                await EnrollStudentsAsync(sp, admin, ctx.AddTask("Students, guardians and rosters", maxValue: studentsPerGrade * 14));
                setup.Increment(1);

                await TransferSomeStudentsAsync(sp, admin, ctx.AddTask("Mid-year transfers", maxValue: 1));
                await CollectEvidenceAsync(sp, framework, skillsRubric, ctx.AddTask("Students collect, align and reflect", maxValue: _students.Count));
                await RunDefensesAsync(sp, framework, defenseRubric, ctx.AddTask("Defenses of Learning", maxValue: 1));
                await GraduateSeniorsAsync(sp, admin, ctx.AddTask("Graduation", maxValue: 1));
            });

        await ShowAccessRulesAsync(sp, admin);
        var outcome = new DemoOutcome(framework, skillsRubric.Ref, defenseRubric.Ref, _year, _schools, admin);
        await sp.GetRequiredService<Backpack.Core.Storage.IBackpackStore>().SaveAsync(new Backpack.Core.Storage.ChangeSet().Put(outcome.ToCheckpoint()));
        return outcome;
    }

    private async Task<(FrameworkId, Rubric, Rubric)> CreateFrameworkAndRubricsAsync(IServiceProvider sp, Actor admin)
    {
        var frameworks = sp.GetRequiredService<FrameworkService>();
        var bands = new[] { new GradeBand(GradeLevel.PreKindergarten, GradeLevel.Grade(5)), new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8)), new GradeBand(GradeLevel.Grade(9), GradeLevel.Grade(12)) };
        var skills = SkillNames.Select((name, i) => new Skill(Id<SkillId>(), name, i + 1)
        {
            Code = $"SS.{i + 1}",
            Indicators = bands.Select((b, j) => new Indicator(Id<IndicatorId>(), $"{name}: what it looks like in grades {b}", b, j + 1)).ToValueList(),
        }).ToValueList();
        var id = Id<FrameworkId>();
        var store = Store(sp);
        var existing = await store.GetFrameworkAsync(id);
        if (existing is null)
        {
            await frameworks.CreateAsync(admin, id, new FrameworkContent("Demo District Success Skills", skills) { Creator = "Demo District", Language = "en" });
        }

        var published = existing?.Current is not null ? existing : await frameworks.PublishAsync(admin, id);

        var skillsRubric = new Rubric(
            Id<RubricId>(), 1, "Success Skills Rubric",
            published.Current!.Content.Skills.Select(s => new RubricCriterion(Id<CriterionId>(), s.Name, s.Position, LevelsFor()) { SkillId = s.Id }).ToValueList(),
            "Ready");
        skillsRubric = await store.GetRubricAsync(skillsRubric.Ref) ?? await frameworks.AddRubricVersionAsync(admin, skillsRubric);
        var dimensions = new[] { "Evidence of growth", "Reflection on learning", "Presentation" };
        var defenseRubric = new Rubric(
            Id<RubricId>(), 1, "Defense of Learning Rubric",
            dimensions.Select((d, i) => new RubricCriterion(Id<CriterionId>(), d, i + 1, LevelsFor()) { DefenseDimension = d }).ToValueList(),
            "Ready");
        defenseRubric = await store.GetRubricAsync(defenseRubric.Ref) ?? await frameworks.AddRubricVersionAsync(admin, defenseRubric);
        return (id, skillsRubric, defenseRubric);
    }

    private ValueList<RubricLevel> LevelsFor() => Levels.Select((l, i) => new RubricLevel(Id<LevelId>(), l, i + 1, i + 1)).ToValueList();

    private async Task CreateSchoolsAsync(IServiceProvider sp, Actor admin)
    {
        var rosters = sp.GetRequiredService<RosterService>();
        var saved = (await Store(sp).ListSchoolsAsync()).Select(s => s.Id).ToHashSet();
        foreach (var name in new[] { "Aspen Elementary", "Birch Elementary", "Cedar Middle", "Dogwood Middle", "Evergreen High" })
        {
            var school = new School(Id<SchoolId>(), name, $"S{_schools.Count + 1:00}");
            if (!saved.Contains(school.Id))
            {
                await rosters.SaveSchoolAsync(admin, school);
            }

            _schools[school.Id] = name;
        }
    }

    private IReadOnlyList<SchoolId> SchoolsFor(GradeLevel grade)
    {
        var ids = _schools.Keys.ToArray();
        return grade <= GradeLevel.Grade(5) ? [ids[0], ids[1]] : grade <= GradeLevel.Grade(8) ? [ids[2], ids[3]] : [ids[4]];
    }

    private async Task EnrollStudentsAsync(IServiceProvider sp, Actor admin, ProgressTask progress)
    {
        var rosters = sp.GetRequiredService<RosterService>();
        var firstDay = _year.FirstDay(8).AddDays(14);
        var number = 0;
        foreach (var grade in GradeLevel.All)
        {
            var schools = SchoolsFor(grade);
            foreach (var school in schools)
            {
                _rosters[(school, grade)] = new Roster(Id<RosterId>(), school, _year, $"Grade {grade} homeroom", [Id<PersonId>()], []);
            }

            for (var i = 0; i < studentsPerGrade; i++)
            {
                number++;
                var school = schools[i % schools.Count];
                var guardian = Id<PersonId>();
                var candidate = new Student(Id<StudentId>(), $"D{number:000000}", $"Student {number:00000}", [new Enrollment(school, grade, _year, firstDay)]) { Guardians = [guardian] };
                var student = await Store(sp).GetStudentAsync(candidate.Id) ?? await rosters.SaveStudentAsync(admin, candidate);
                _students.Add(student);
                _guardians[student.Id] = guardian;
                var key = (school, grade);
                _rosters[key] = _rosters[key] with { Students = _rosters[key].Students.Add(student.Id) };
                progress.Increment(1);
            }
        }

        foreach (var key in _rosters.Keys.ToArray())
        {
            _rosters[key] = await Store(sp).GetRosterAsync(_rosters[key].Id) ?? await rosters.SaveRosterAsync(admin, _rosters[key]);
        }
    }

    private async Task TransferSomeStudentsAsync(IServiceProvider sp, Actor admin, ProgressTask progress)
    {
        var rosters = sp.GetRequiredService<RosterService>();
        clock.Now = new DateTimeOffset(2026, 1, 12, 15, 0, 0, TimeSpan.Zero);
        var moved = 0;
        for (var i = 0; i < _students.Count; i++)
        {
            var s = _students[i];
            var e = s.Enrollments[0]; // the story's enrollment (a resumed run finds the transfer already made)
            var options = SchoolsFor(e.Grade);
            if (options.Count < 2 || _random.NextDouble() > 0.05)
            {
                continue;
            }

            var to = options.First(o => o != e.SchoolId);
            if (s.Enrollments.Count == 1)
            {
                _students[i] = s = await rosters.TransferAsync(admin, s.Id, to, e.Grade, DateOnly.FromDateTime(clock.Now.UtcDateTime));
            }

            var from = (e.SchoolId, e.Grade);
            var into = (to, e.Grade);
            // The transfer took the student off the old school's roster (their old teacher's access ended with it).
            _rosters[from] = await Store(sp).GetRosterAsync(_rosters[from].Id) ?? _rosters[from];
            _rosters[into] = await Store(sp).GetRosterAsync(_rosters[into].Id) ?? _rosters[into];
            if (!_rosters[into].Students.Contains(s.Id))
            {
                _rosters[into] = await rosters.SaveRosterAsync(admin, _rosters[into] with { Students = _rosters[into].Students.Add(s.Id) });
            }

            moved++;
        }

        progress.Description = $"Mid-year transfers ({moved} students changed school; one backpack each)";
        progress.Increment(1);
    }

    private async Task CollectEvidenceAsync(IServiceProvider sp, FrameworkId frameworkId, Rubric rubric, ProgressTask progress)
    {
        var backpack = sp.GetRequiredService<BackpackService>();
        var framework = await sp.GetRequiredService<FrameworkService>().GetAsync(Actor.ForStudent(_students[0].Id), frameworkId);
        var skills = framework.Current!.Content.Skills;
        foreach (var student in _students)
        {
            var me = Actor.ForStudent(student.Id);
            var enrollment = student.Enrollments[^1];
            var teacher = Actor.ForTeacher(_rosters[(enrollment.SchoolId, enrollment.Grade)].Teachers[0]);
            var count = _random.Next(9, 17);
            for (var k = 0; k < count; k++)
            {
                clock.Now = new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero).AddDays(k * 6);
                var suggested = k == 0;
                var fileId = $"demo-{student.DistrictStudentId}-{k}";
                var artifact = suggested
                    ? await backpack.AddArtifactAsync(teacher, student.Id, "Science fair write-up", new ClassroomSubmissionSource("course-1", "work-1", $"sub-{student.DistrictStudentId}", "attachment-1") { AssignmentTitle = "Science fair" })
                    : await backpack.AddArtifactAsync(me, student.Id, $"Project {k}", new DriveFileSource(createDriveFile is null ? fileId : await createDriveFile(fileId, $"Project {k} by student {student.DistrictStudentId}")));

                // Each change below saves the artifact once (version + 1): a resumed run skips the ones already made.
                var made = artifact.Version - 1;
                var step = 0;
                bool Due() => ++step > made;
                if (suggested)
                {
                    if (_random.NextDouble() < 0.3)
                    {
                        continue; // the student has not accepted the suggestion: nothing is published without them
                    }

                    if (Due())
                    {
                        artifact = await backpack.CurateAsync(me, artifact.Id, CurationState.Collected);
                    }
                }

                var skill = skills[_random.Next(skills.Count)];
                if (Due())
                {
                    artifact = await backpack.AlignAsync(me, artifact.Id, skill.Id, "This shows the skill because of how I planned and revised it.");
                }

                if (_random.NextDouble() < 0.5)
                {
                    var also = skills[_random.Next(skills.Count)];
                    if (Due())
                    {
                        artifact = await backpack.AlignAsync(me, artifact.Id, also.Id, "It also shows this skill.");
                    }
                }

                if (_random.NextDouble() < 0.7 && Due())
                {
                    artifact = await backpack.ReflectAsync(me, artifact.Id, "What I learned, what was hard, and what I would do differently.");
                }

                if (_random.NextDouble() < 0.35)
                {
                    var scores = artifact.Alignments
                        .Select(a => rubric.Criteria.First(c => c.SkillId == a.SkillId))
                        .Select(c => new CriterionLevel(c.Name, c.Levels[Math.Min(3, _random.Next(0, 3) + (_random.NextDouble() < 0.5 ? 1 : 0))].Name))
                        .ToArray();
                    if (await Store(sp).GetEvaluationAsync(Evaluation.IdFor(teacher.PersonId!.Value, artifact.Id.Value, rubric.Id)) is null)
                    {
                        await backpack.ScoreArtifactAsync(teacher, artifact.Id, rubric.Ref, scores);
                    }
                }
            }

            progress.Increment(1);
        }
    }

    private async Task RunDefensesAsync(IServiceProvider sp, FrameworkId framework, Rubric rubric, ProgressTask progress)
    {
        var milestones = sp.GetRequiredService<MilestoneService>();
        var backpack = sp.GetRequiredService<BackpackService>();
        clock.Now = new DateTimeOffset(2026, 4, 20, 15, 0, 0, TimeSpan.Zero);
        var transition = _students.Where(s => s.Enrollments[^1].Grade.Ordinal is 5 or 8 or 12).ToArray();
        var held = 0;
        foreach (var group in transition.GroupBy(s => (s.Enrollments[^1].SchoolId, s.Enrollments[^1].Grade)))
        {
            var teacher = Actor.ForTeacher(_rosters[group.Key].Teachers[0]);
            var results = await milestones.CheckReadinessAsync(teacher, framework, group.Select(s => s.Id));
            foreach (var r in results.Where(r => !r.IsReady).Take(2))
            {
                _notReady.Add((_students.First(s => s.Id == r.StudentId).DisplayName, string.Join("; ", r.Gaps.Select(g => g.Reason))));
            }

            foreach (var result in results.Where(r => r.IsReady))
            {
                var at = new DateTimeOffset(2026, 5, 12, 14, 0, 0, TimeSpan.Zero).AddMinutes(held % 200 * 30);
                var panel = new[] { new Panelist(Id<PersonId>(), PanelRole.Educator), new Panelist(Id<PersonId>(), PanelRole.CommunityPartner), new Panelist(_guardians[result.StudentId], PanelRole.FamilyMember) };
                var m = (await Store(sp).ListMilestonesAsync(result.StudentId)).FirstOrDefault(x => x.Kind == MilestoneKind.DefenseOfLearning)
                    ?? await milestones.ScheduleAsync(teacher, result.StudentId, MilestoneKind.DefenseOfLearning, at, rubric.Ref);
                if (m.Panel.Count == 0)
                {
                    m = await milestones.SetPanelAsync(teacher, m.Id, panel);
                }

                if (m.Showcase.Count == 0)
                {
                    var passport = await backpack.GetBackpackAsync(teacher, result.StudentId);
                    var showcase = passport.Artifacts.Where(a => a.IsCollected)
                        .SelectMany(a => a.Alignments.Select(al => (al.SkillId, a.Id)))
                        .GroupBy(x => x.SkillId)
                        .Select(g => new ShowcaseEntry(g.Key, g.Select(x => x.Id).Distinct().Take(2).ToValueList()));
                    m = await milestones.SetShowcaseAsync(Actor.ForStudent(result.StudentId), m.Id, showcase);
                }

                clock.Now = at;
                if (m.Status == MilestoneStatus.Scheduled)
                {
                    m = await milestones.HoldAsync(teacher, m.Id);
                }

                foreach (var p in panel)
                {
                    var scores = rubric.Criteria.Select(c => new CriterionLevel(c.Name, c.Levels[Math.Min(3, 1 + _random.Next(0, 3))].Name)).ToArray();
                    if (m.Status == MilestoneStatus.Held && await Store(sp).GetEvaluationAsync(Evaluation.IdFor(p.PersonId, m.Id.Value, rubric.Id)) is null)
                    {
                        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p.PersonId), m.Id, scores);
                    }
                }

                _defenses.Add((result.StudentId, m.Id, panel[0].PersonId, teacher));
                held++;
            }
        }

        // While the panels are open (the host's outbox worker shares each showcase with its panel, expiring);
        // a week later the defenses close with the panels' combined outcome, and panel access ends.
        if (defenseDay is not null)
        {
            await defenseDay();
        }

        clock.Now = new DateTimeOffset(2026, 6, 1, 15, 0, 0, TimeSpan.Zero);
        foreach (var d in _defenses)
        {
            if ((await Store(sp).GetMilestoneAsync(d.Milestone))?.Status == MilestoneStatus.Held)
            {
                await milestones.CloseAsync(d.Teacher, d.Milestone);
            }
        }

        progress.Description = $"Defenses of Learning ({held} held of {transition.Length} students in grades 5, 8 and 12)";
        progress.Increment(1);
    }

    /// <summary>The story's last moment: the seniors graduate.</summary>
    public static readonly DateTimeOffset StoryEnd = new(2026, 6, 5, 18, 0, 0, TimeSpan.Zero);

    /// <summary>The school year ends: every senior graduates (an exit date and reason on their last enrollment), which takes them off their rosters.</summary>
    private async Task GraduateSeniorsAsync(IServiceProvider sp, Actor admin, ProgressTask progress)
    {
        var rosters = sp.GetRequiredService<RosterService>();
        var store = sp.GetRequiredService<Backpack.Core.Storage.IBackpackStore>();
        clock.Now = StoryEnd;
        var day = new DateOnly(2026, 6, 5);
        var graduates = 0;
        for (var i = 0; i < _students.Count; i++)
        {
            if (await store.GetStudentAsync(_students[i].Id) is not { } s || s.Enrollments[^1] is not { ExitDate: null } last || last.Grade != GradeLevel.Grade(12))
            {
                continue;
            }

            _students[i] = await rosters.SaveStudentAsync(admin, s with { Enrollments = s.Enrollments.SetItem(s.Enrollments.Count - 1, last with { ExitDate = day, ExitReason = ExitReason.Graduated }) });
            graduates++;
        }

        progress.Description = $"Graduation ({graduates} seniors graduated on {day:yyyy-MM-dd})";
        progress.Increment(1);
    }

    private async Task ShowAccessRulesAsync(IServiceProvider sp, Actor admin)
    {
        var backpack = sp.GetRequiredService<BackpackService>();
        var table = new Table().Title("Access rules at work").AddColumns("who", "asks for", "answer");

        async Task TryAsync(string who, string what, Func<Task> action)
        {
            try
            {
                await action();
                table.AddRow(who, what, "[green]allowed[/] (audited)");
            }
            catch (BackpackAccessDeniedException ex)
            {
                table.AddRow(who, what, $"[red]denied[/]: {Markup.Escape(ex.Decision.Reason)}");
            }
        }

        var student = _defenses.Count > 0 ? _defenses[0].Student : _students[^1].Id;
        await TryAsync("district admin", "a student's backpack", () => backpack.GetBackpackAsync(admin, student));
        await TryAsync("the student", "their own backpack", () => backpack.GetBackpackAsync(Actor.ForStudent(student), student));
        await TryAsync("another student", "that backpack", () => backpack.GetBackpackAsync(Actor.ForStudent(_students[0].Id), student));
        if (_defenses.Count > 0)
        {
            var (_, milestone, panelist, _) = _defenses[0];
            await TryAsync("guardian", "their child's showcase", () => backpack.GetShowcaseAsync(Actor.ForGuardian(_guardians[student]), milestone));
            await TryAsync("another student's guardian", "that showcase", () => backpack.GetShowcaseAsync(Actor.ForGuardian(_guardians[_students[0].Id]), milestone));
            await TryAsync("panelist", "the showcase after the defense closed", () => backpack.GetShowcaseAsync(Actor.ForPanelist(panelist), milestone));
        }

        AnsiConsole.Write(table);

        var notReady = new Table().Title("The readiness check tells teachers who is not ready for a Defense of Learning, and why").AddColumns("student", "missing evidence");
        foreach (var (name, reason) in _notReady.Take(6))
        {
            notReady.AddRow(Markup.Escape(name), Markup.Escape(reason));
        }

        AnsiConsole.Write(notReady);
    }

    private static Backpack.Core.Storage.IBackpackStore Store(IServiceProvider sp) => sp.GetRequiredService<Backpack.Core.Storage.IBackpackStore>();

    private T Id<T>()
        where T : struct, IBackpackId<T>
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return T.From(new Guid(bytes));
    }
}
