// The consumer check's app: a district app as a developer writes it against the packed packages (no project
// references, no InternalsVisibleTo). It runs an embedding story (SQLite file, framework and rubric, schools,
// students and rosters, artifacts, scoring, readiness, CASE export and a OneRoster import, the emulator with Drive, the outbox drained, the access
// table printed), then every C# block of the README as written (ReadmeBlock*.cs, made by readme_blocks.py).
// Exit code 0 only when every step and every check passed.
using System.Text.Json.Nodes;
using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Case;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.OneRoster;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Consumer.Readme;
using Microsoft.Extensions.DependencyInjection;

namespace Consumer;

/// <summary>The district's clock: the story moves it (the library reads time only through <see cref="TimeProvider"/>).</summary>
internal sealed class DistrictClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The app's directory of school accounts (README: <c>services.AddSingleton&lt;IBackpackDirectory, MyDirectory&gt;()</c>).</summary>
internal sealed class MyDirectory : IBackpackDirectory
{
    public ValueTask<string?> FindEmailAsync(PersonId person, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>($"staff-{person.Value:N}@district.example");

    public ValueTask<string?> FindStudentEmailAsync(StudentId student, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>($"student-{student.Value:N}@district.example");
}

/// <summary>What the README's fragments assume exists (see readme-preludes.cs.txt).</summary>
internal sealed class ReadmeContext
{
    public required IServiceScope Scope { get; init; }
    public required BackpackService Backpack { get; init; }
    public required RosterService Rosters { get; init; }
    public required MilestoneService Milestones { get; init; }
    public required Rubric Rubric { get; init; }
    public required PersonId TeacherId { get; init; }
    public required PersonId PanelistId { get; init; }
    public required ArtifactId ArtifactId { get; init; }
    public required MilestoneId DefenseId { get; init; }
    public required SchoolId SchoolId { get; init; }
    public required FrameworkId FrameworkId { get; init; }
    public required StudentId StudentId { get; init; }
    public required StudentId TransferId { get; init; }
    public required JsonObject IncomingClr { get; init; }
    public string PostgresConnectionString { get; init; } = "Host=db;Username=backpack";
}

internal static class Program
{
    private static int failures;

    public static async Task<int> Main()
    {
        var work = Directory.GetCurrentDirectory();
        var clock = new DistrictClock(new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero));
        await using var emulator = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IBackpackDirectory, MyDirectory>();
        services.AddBackpack(o =>
            {
                o.DistrictId = "consumer";
                o.SchoolYearStartMonth = 8;
            })
            .UseSqlite($"Data Source={Path.Combine(work, "district.db")}")
            .AddGoogleDrive(o =>
            {
                o.BaseUri = emulator.DriveBaseUri;
                o.BatchUri = emulator.DriveBatchUri;
                o.AccessToken = "district-app";
            })
            .AddOutboxWorker(o =>
            {
                o.InitialBackoff = TimeSpan.Zero;
                o.MaxBackoff = TimeSpan.Zero;
            })
            .AddPassport();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();
        var sp = scope.ServiceProvider;
        var frameworks = sp.GetRequiredService<FrameworkService>();
        var rosters = sp.GetRequiredService<RosterService>();
        var backpack = sp.GetRequiredService<BackpackService>();
        var milestones = sp.GetRequiredService<MilestoneService>();
        var reports = sp.GetRequiredService<ReportService>();
        var passports = sp.GetRequiredService<PassportService>();

        // The district: a framework with two skills, a rubric whose criteria are those skills, one school.
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var communicator = SkillId.New();
        var collaborator = SkillId.New();
        var frameworkId = FrameworkId.New();
        await frameworks.CreateAsync(admin, frameworkId, new FrameworkContent("Success Skills", [])
            .AddSkill(communicator, "Effective Communicator")
            .AddSkill(collaborator, "Productive Collaborator"));
        await frameworks.PublishAsync(admin, frameworkId);
        string[] levelNames = ["Emerging", "Developing", "Ready", "Excelling"];
        ValueList<RubricLevel> Levels() => levelNames.Select((l, i) => new RubricLevel(LevelId.New(), l, i + 1, i + 1)).ToValueList();
        var rubric = await frameworks.AddRubricVersionAsync(admin, new Rubric(RubricId.New(), 1, "Defense of Learning",
            [
                new RubricCriterion(CriterionId.New(), "Evidence of growth", 1, Levels()) { SkillId = communicator },
                new RubricCriterion(CriterionId.New(), "Presentation", 2, Levels()) { SkillId = collaborator },
            ],
            "Ready"));
        var school = await rosters.SaveSchoolAsync(admin, new School(SchoolId.New(), "Aspen Elementary"));

        // Students in grade 5 with a roster and its teacher; a guardian.
        var today = DateOnly.FromDateTime(clock.Now.UtcDateTime);
        var year = SchoolYear.Containing(today, 8);
        var teacherId = PersonId.New();
        var students = new List<Student>();
        for (var i = 0; i < 3; i++)
        {
            students.Add(await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), $"S-{1001 + i}", $"Student {i + 1}",
                [new Enrollment(school.Id, GradeLevel.Grade(5), year, year.FirstDay(8))])));
        }

        await rosters.SaveRosterAsync(admin, new Roster(RosterId.New(), school.Id, year, "Grade 5", [teacherId], students.Select(s => s.Id).ToValueList()));
        var listed = await rosters.ListStudentsAsync(Actor.ForTeacher(teacherId), school.Id, GradeLevel.Grade(5));
        Check(listed.Count == 3, "the teacher lists the three students of the roster");

        // Artifacts from Drive, aligned with reasoning, reflected on and collected.
        var student = students[0];
        var me = Actor.ForStudent(student.Id);
        var artifacts = new List<Artifact>();
        foreach (var (title, skill) in new[] { ("Water cycle model", communicator), ("Group science fair", collaborator) })
        {
            var fileId = emulator.SeedDriveFile(new JsonObject { ["name"] = title, ["mimeType"] = "application/vnd.google-apps.document" });
            var artifact = await backpack.AddArtifactAsync(me, student.Id, title, new DriveFileSource(fileId));
            await backpack.AlignAsync(me, artifact.Id, skill, "I explained my thinking and answered questions from the class.");
            await backpack.ReflectAsync(me, artifact.Id, "Next time I would plan the model before building it.");
            artifacts.Add(await backpack.ReflectAsync(me, artifact.Id, "I would ask a classmate to check it first."));
        }

        // A Defense of Learning: scheduled by the teacher, a panel of three, the student's showcase, held.
        var panel = new[] { new Panelist(PersonId.New(), PanelRole.Educator), new Panelist(PersonId.New(), PanelRole.CommunityPartner), new Panelist(PersonId.New(), PanelRole.Educator) };
        var teacher = Actor.ForTeacher(teacherId);
        var defense = await milestones.ScheduleAsync(teacher, student.Id, MilestoneKind.DefenseOfLearning, clock.Now.AddDays(7), rubric.Ref);
        await milestones.SetPanelAsync(teacher, defense.Id, panel);
        await milestones.SetShowcaseAsync(me, defense.Id, [new ShowcaseEntry(communicator, [artifacts[0].Id]), new ShowcaseEntry(collaborator, [artifacts[1].Id])]);
        clock.Now = clock.Now.AddDays(7);
        await milestones.HoldAsync(teacher, defense.Id);

        // The outbox drained into the emulator: backpack folders, shortcuts, the frozen showcase, panel sharing.
        var worker = sp.GetRequiredService<OutboxWorker>();
        var delivered = await worker.DrainAsync();
        var outbox = await sp.GetRequiredService<IOutboxStore>().CountAsync();
        Check(delivered > 0 && outbox.Pending == 0 && outbox.DeadLettered == 0, $"the outbox drained into the emulator ({delivered} delivered, {outbox.Pending} pending, {outbox.DeadLettered} dead-lettered)");
        var driveFiles = emulator.GetState()["drive"]?["files"] as JsonArray;
        Check(driveFiles is { Count: > 2 }, "Drive holds the backpack's folders and shortcuts");

        // README blocks 1-4: whole programs and registrations.
        var readme = new ReadmeContext
        {
            Scope = scope,
            Backpack = backpack,
            Rosters = rosters,
            Milestones = milestones,
            Rubric = rubric,
            TeacherId = teacherId,
            PanelistId = panel[0].PersonId,
            ArtifactId = artifacts[0].Id,
            DefenseId = defense.Id,
            SchoolId = school.Id,
            FrameworkId = frameworkId,
            StudentId = student.Id,
            TransferId = students[2].Id,
            IncomingClr = await IncomingTransferClrAsync(passports, frameworkId, students, backpack, milestones, rubric, communicator, teacherId, clock),
        };

        for (var block = 1; block <= ReadmeBlocks.Count; block++)
        {
            if (block == 7)
            {
                // Block 7 issues the story student's passport: the panel finishes scoring and the defense closes first.
                foreach (var p in panel.Skip(1))
                {
                    await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p.PersonId), defense.Id, [new CriterionLevel("Evidence of growth", "Ready"), new CriterionLevel("Presentation", "Ready")]);
                }

                clock.Now = clock.Now.AddDays(1);
                var closed = await milestones.CloseAsync(teacher, defense.Id);
                Check(closed.Outcome.Count > 0, "the defense closed with the panel's combined outcome");
            }

            if (block == 6)
            {
                var unsigned = readme.IncomingClr.DeepClone().AsObject();
                unsigned.Remove("proof");
                await File.WriteAllTextAsync(Path.Combine(work, "clr-unsigned.json"), unsigned.ToJsonString());
            }

            try
            {
                await ReadmeBlocks.RunAsync(readme, block);
                Console.WriteLine($"README C# block {block}: ran");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"README C# block {block}: FAILED {e.GetType().Name}: {e.Message}");
            }
        }

        // What the blocks did, checked through the services.
        var scored = await backpack.GetBackpackAsync(teacher, student.Id);
        Check(scored.Artifacts.Any(a => a.Id == artifacts[0].Id), "the teacher reads the student's backpack");
        Check(File.Exists(Path.Combine(work, "clr.json")), "README block 7 wrote clr.json");
        var clr = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(work, "clr.json")))!;
        Check((await passports.VerifyAsync(clr)).Verified, "the passport README block 7 wrote verifies");
        var imported = (await backpack.GetBackpackAsync(Actor.ForStudent(students[2].Id), students[2].Id)).Artifacts.Count(a => a.Source is ExternalCredentialSource);
        Check(imported > 0, $"README block 7 imported the incoming CLR as external evidence ({imported})");

        // Readiness: the class, and the district's report.
        var readiness = await milestones.CheckReadinessAsync(teacher, frameworkId, students.Select(s => s.Id));
        Check(readiness.Count == 3, "one readiness result per student");
        var report = await reports.GetReadinessReportAsync(admin, frameworkId, year);
        Console.WriteLine($"Readiness report: {report.Rows.Count} rows for {year}");
        Check(report.Rows.All(r => r.SchoolName == "Aspen Elementary"), "the report names the school beside its id");

        // Standard formats, from their own packages: the framework as a CASE package and back; a OneRoster folder.
        var caseJson = await frameworks.ExportCaseAsync(admin, frameworkId, [rubric.Ref]);
        var casePackage = CaseJson.Import(caseJson).Value;
        Check(casePackage.Id == frameworkId && casePackage.Framework.Skills.Count == 2 && casePackage.Rubrics.Count == 1, "the framework exported as CASE reads back with its two skills and its rubric");
        var oneRoster = Directory.CreateDirectory(Path.Combine(work, "oneroster")).FullName;
        var firstDay = year.FirstDay(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var lastDay = year.FirstDay(8).AddMonths(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(oneRoster, "manifest.csv"), "propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\nfile.classes,bulk\nfile.users,bulk\nfile.enrollments,bulk\n");
        File.WriteAllText(Path.Combine(oneRoster, "orgs.csv"), "sourcedId,name,type\nor-birch,Birch Elementary,school\n");
        File.WriteAllText(Path.Combine(oneRoster, "academicSessions.csv"), $"sourcedId,title,type,startDate,endDate,schoolYear\nor-year,School year,schoolYear,{firstDay},{lastDay},{year.EndYear}\n");
        File.WriteAllText(Path.Combine(oneRoster, "courses.csv"), "sourcedId,title,orgSourcedId,grades\nor-c5,Grade 5,or-birch,05\n");
        File.WriteAllText(Path.Combine(oneRoster, "classes.csv"), "sourcedId,title,courseSourcedId,schoolSourcedId,termSourcedIds,grades\nor-k5,Grade 5 Birch,or-c5,or-birch,or-year,05\n");
        File.WriteAllText(Path.Combine(oneRoster, "users.csv"), "sourcedId,givenName,familyName,identifier,grades\nor-u1,Robin,Reed,S-2001,05\n");
        File.WriteAllText(Path.Combine(oneRoster, "enrollments.csv"), "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role\nor-e1,or-k5,or-birch,or-u1,student\n");
        var rostered = await rosters.ImportOneRosterAsync(Actor.RosterSync, oneRoster);
        Check(rostered.SchoolsAdded == 1 && rostered.StudentsAdded == 1 && rostered.RostersAdded == 1, "the OneRoster folder imported one school, one student and one roster");

        // The access table, as the policy applies it.
        var allowed = AccessTable.Roles.Sum(role => AccessTable.Operations.Count(op => AccessTable.RelationsFor(role, op).Any(r => AccessTable.Allows(role, op, r))));
        Console.WriteLine($"Access table: {AccessTable.Roles.Count} roles x {AccessTable.Operations.Count} operations, {allowed} role-operation pairs allowed for some relation");
        foreach (var role in AccessTable.Roles)
        {
            var ops = AccessTable.Operations.Where(op => AccessTable.RelationsFor(role, op).Any(r => AccessTable.Allows(role, op, r)));
            Console.WriteLine($"  {role}: {string.Join(", ", ops)}");
        }

        Check(!AccessTable.Allows(ActorRole.Teacher, BackpackOperation.ReadBackpack, AccessRelation.Unrelated), "a teacher never reads an unrelated student's backpack");
        Console.WriteLine(failures == 0 ? "Consumer check: passed" : $"Consumer check: {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>A CLR from "another district" for the README's import: a student of the story meets a skill there and is issued a passport by a second issuer key.</summary>
    private static async Task<JsonObject> IncomingTransferClrAsync(PassportService passports, FrameworkId framework, List<Student> students, BackpackService backpack, MilestoneService milestones, Rubric rubric, SkillId skill, PersonId teacherId, DistrictClock clock)
    {
        var student = students[1];
        var me = Actor.ForStudent(student.Id);
        var teacher = Actor.ForTeacher(teacherId);
        var artifact = await backpack.AddArtifactAsync(me, student.Id, "Debate notes", new WebLinkSource(new Uri("https://example.org/debate")));
        await backpack.AlignAsync(me, artifact.Id, skill, "I argued both sides and changed my mind with evidence.");
        var panel = new[] { new Panelist(PersonId.New(), PanelRole.Educator), new Panelist(PersonId.New(), PanelRole.CommunityPartner), new Panelist(PersonId.New(), PanelRole.Educator) };
        var defense = await milestones.ScheduleAsync(teacher, student.Id, MilestoneKind.DefenseOfLearning, clock.Now.AddHours(1), rubric.Ref);
        await milestones.SetPanelAsync(teacher, defense.Id, panel);
        await milestones.SetShowcaseAsync(me, defense.Id, [new ShowcaseEntry(skill, [artifact.Id])]);
        clock.Now = clock.Now.AddHours(1);
        await milestones.HoldAsync(teacher, defense.Id);
        foreach (var p in panel)
        {
            await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p.PersonId), defense.Id, [new CriterionLevel("Evidence of growth", "Ready")]);
        }

        await milestones.CloseAsync(teacher, defense.Id);
        var issuer = new PassportIssuer("Other District", Ed25519IssuerKey.Generate());
        var passport = await passports.IssueAsync(Actor.ForStudent(student.Id), student.Id, framework, issuer);
        Check(passport is not null, "the other district's passport has a met skill");
        return passport!.Clr;
    }

    private static void Check(bool ok, string what)
    {
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
        if (!ok)
        {
            failures++;
        }
    }
}
