using System.IO.Compression;
using System.Text;
using AngleSharp.Html.Parser;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests;

/// <summary>
/// The graduation and withdrawal handoff in core (no Drive, no passport): the record and the planners' side effects, the
/// offline archive (index.html parsed as a browser parses it), re-runs, bad input and access.
/// </summary>
public sealed class HandoffTests : IAsyncLifetime
{
    private const string Script = "<script>alert('x')</script> I learned to <b>listen</b>.";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 4, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly Actor _district = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacher = PersonId.New();
    private readonly PersonId _adminA = PersonId.New();
    private readonly SchoolId _schoolA = SchoolId.New();
    private readonly SchoolId _schoolB = SchoolId.New();
    private readonly SchoolYear _year = new(2025);
    private readonly RecordingPlanner _planner = new();
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private Student _student = null!;
    private Artifact _drive = null!;
    private Artifact _link = null!;
    private Artifact _unsafe = null!;
    private Milestone _defense = null!;
    private SkillsFramework _framework = null!;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton<ISideEffectPlanner>(_planner);
        services.AddBackpack(o =>
        {
            o.DistrictId = "handoff";
            o.HandoffSharing = true;
            o.HandoffSharingDays = 90;
        }).UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        var frameworks = Get<FrameworkService>();
        _framework = await frameworks.PublishAsync(_district, (await frameworks.CreateAsync(_district, FrameworkId.New(), Samples.SuccessSkills())).Id);
        var rubric = await frameworks.AddRubricVersionAsync(_district, Samples.FourLevelRubric(2));
        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_district, new School(_schoolA, "Aspen High"));
        await rosters.SaveSchoolAsync(_district, new School(_schoolB, "Birch High"));
        _student = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "H1", "Hana <Student>", [new Enrollment(_schoolA, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20))]) { Email = "hana@district.example" });
        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _schoolA, _year, "Grade 5", [_teacher], [_student.Id]));

        var backpack = Get<BackpackService>();
        var me = Actor.ForStudent(_student.Id);
        var communicator = Skill(4);
        var collaborator = Skill(5);
        _drive = await backpack.AddArtifactAsync(me, _student.Id, "Water cycle model", new DriveFileSource("drive-file-1"));
        _drive = await backpack.AlignAsync(me, _drive.Id, communicator, "I explained the model to my class.");
        _drive = await backpack.AlignAsync(me, _drive.Id, collaborator, "We built it as a team of three.");
        _drive = await backpack.ReflectAsync(me, _drive.Id, "First thoughts.");
        _drive = await backpack.ReflectAsync(me, _drive.Id, Script);
        _clock.Advance(TimeSpan.FromMinutes(5));
        _link = await backpack.AddArtifactAsync(me, _student.Id, "Podcast <episode> & notes", new WebLinkSource(new Uri("https://example.org/podcast?a=1&b=2")));
        _link = await backpack.AlignAsync(me, _link.Id, communicator, "People asked questions and I answered.");
        _unsafe = await backpack.AddArtifactAsync(me, _student.Id, "A bookmarklet", new WebLinkSource(new Uri("javascript:alert(1)")));
        await backpack.GiveFeedbackAsync(Actor.ForTeacher(_teacher), _drive.Id, "Well argued.");

        var milestones = Get<MilestoneService>();
        var teacher = Actor.ForTeacher(_teacher);
        PersonId p1 = PersonId.New(), p2 = PersonId.New();
        _defense = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow().AddDays(1), rubric.Ref);
        _defense = await milestones.SetPanelAsync(teacher, _defense.Id, [new Panelist(p1, PanelRole.Educator), new Panelist(p2, PanelRole.CommunityPartner)]);
        _defense = await milestones.SetShowcaseAsync(me, _defense.Id, [new ShowcaseEntry(communicator, [_drive.Id, _link.Id])]);
        _clock.Advance(TimeSpan.FromDays(1));
        _defense = await milestones.HoldAsync(teacher, _defense.Id);
        foreach (var p in new[] { p1, p2 })
        {
            await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p), _defense.Id, [new CriterionLevel("Criterion 1", "Excelling"), new CriterionLevel("Criterion 2", "Developing")]);
        }

        _clock.Advance(TimeSpan.FromDays(1));
        _defense = await milestones.CloseAsync(teacher, _defense.Id);
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_GraduatedStudent_ArchiveListsSkillsYearsReasoningReflectionsLinksAndOutcomes()
    {
        await GraduateAsync();

        using var zip = new MemoryStream();
        var result = await Get<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana.personal@example.org" }, zip);

        Assert.False(result.Resumed);
        Assert.Equal(["index.html"], result.Files);
        Assert.Equal(3, result.Artifacts);
        Assert.Equal(1, result.Milestones);
        var html = ReadEntry(zip.ToArray(), "index.html");
        var page = new HtmlParser().ParseDocument(html);

        // Static: no script, nothing loaded from anywhere (no src, no stylesheet link, no url() in the inline style).
        Assert.Empty(page.QuerySelectorAll("script, iframe, object, embed, img, link, base, form"));
        Assert.Empty(page.QuerySelectorAll("[src], [srcset], [style]"));
        Assert.DoesNotContain("url(", page.QuerySelector("style")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(page.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
        Assert.All(page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!), href => Assert.True(href.StartsWith('#') || href.StartsWith("https://", StringComparison.Ordinal), href));

        // The student's text is there as text, encoded: the <script> reflection is not an element.
        Assert.Equal("Hana <Student>'s backpack", page.QuerySelector("h1")!.TextContent);
        Assert.Contains(page.QuerySelectorAll(".reflection .text"), e => e.TextContent == Script);
        Assert.Contains(page.QuerySelectorAll(".reflection .text"), e => e.TextContent == "First thoughts.");
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        // By skill, then by year, with the reasoning for that skill.
        var skills = page.QuerySelectorAll("section.skill");
        Assert.Equal(["Effective Communicator", "Productive Collaborator", "Not aligned to a skill"], skills.Select(s => s.QuerySelector("h3")!.TextContent));
        var communicator = skills[0];
        Assert.Equal(["School year 2025-26"], communicator.QuerySelectorAll("section.year h4").Select(h => h.TextContent));
        Assert.Equal(["Water cycle model", "Podcast <episode> & notes"], communicator.QuerySelectorAll("article.artifact h5").Select(h => h.TextContent));
        Assert.Equal(["I explained the model to my class.", "People asked questions and I answered."], communicator.QuerySelectorAll(".reasoning .text").Select(t => t.TextContent));
        Assert.Equal("We built it as a team of three.", skills[1].QuerySelector(".reasoning .text")!.TextContent);
        Assert.Contains(page.QuerySelectorAll(".feedback .text"), e => e.TextContent == "Well argued.");

        // Links: the Drive file, the web link (encoded), and a javascript: link shown as text only.
        var links = page.QuerySelectorAll("article.artifact .link a").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Contains("https://drive.google.com/file/d/drive-file-1/view", links);
        Assert.Contains("https://example.org/podcast?a=1&b=2", links);
        Assert.DoesNotContain(links, l => l!.Contains("javascript", StringComparison.OrdinalIgnoreCase));
        var bookmarklet = page.QuerySelectorAll("article.artifact").Single(a => a.QuerySelector("h5")!.TextContent == "A bookmarklet");
        Assert.Empty(bookmarklet.QuerySelectorAll("a"));

        // The defense: kind, showcase and outcome by criterion and level.
        var defense = Assert.Single(page.QuerySelectorAll("article.milestone"));
        Assert.StartsWith("Defense of Learning", defense.QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Water cycle model", defense.QuerySelector(".showcase")!.TextContent, StringComparison.Ordinal);
        var rows = defense.QuerySelectorAll("table.outcome tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToArray();
        Assert.Equal(["Criterion 1", "Excelling", "yes", "2"], rows[0]);
        Assert.Equal(["Criterion 2", "Developing", "no", "2"], rows[1]);

        // Sharing: the address and the expiry; the record keeps both.
        Assert.Contains("hana.personal@example.org", page.QuerySelector("#sharing")!.TextContent, StringComparison.Ordinal);
        var handoff = Handoff.FromCheckpoint(await Store.GetCheckpointAsync(Handoff.CheckpointKey(_student.Id)));
        Assert.Equal(result.Handoff, handoff);
        Assert.Equal(ExitReason.Graduated, handoff!.ExitReason);
        Assert.Equal(handoff.StartedAt.AddDays(90), handoff.SharedUntil);

        // Audited with ids only: never the email or student text.
        var audit = Store.Audit.Where(a => a.StudentId == _student.Id && a.Action.StartsWith("handoff.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["handoff.start", "handoff.run"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.DoesNotContain("example.org", a.Detail ?? string.Empty, StringComparison.Ordinal));
        Assert.Contains(result.ArchiveSha256, audit[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Twice_SameArchiveBytesAndNoNewOutboxMessage()
    {
        await GraduateAsync();
        var service = Get<HandoffService>();
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        var run1 = await service.RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana.personal@example.org" }, first);
        var pending = (await Store.CountAsync()).Pending;
        _clock.Advance(TimeSpan.FromDays(3));
        var run2 = await service.RunAsync(_district, _student.Id, new HandoffRequest(), second);

        Assert.True(run2.Resumed);
        Assert.Equal(run1.Handoff, run2.Handoff);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(run1.ArchiveSha256, run2.ArchiveSha256);
        Assert.Equal(pending, (await Store.CountAsync()).Pending);
        Assert.Equal([run1.Handoff, run1.Handoff], _planner.HandedOff);
        Assert.Single(Store.Audit, a => a.Action == "handoff.start");
        Assert.Equal(2, Store.Audit.Count(a => a.Action == "handoff.run"));
    }

    [Fact]
    public async Task RunAsync_EmailAddedOnASecondRun_RecordUpdatedAndPlannedOnceMore()
    {
        await GraduateAsync();
        var service = Get<HandoffService>();
        await service.RunAsync(_district, _student.Id, new HandoffRequest(), Stream.Null);
        _clock.Advance(TimeSpan.FromDays(2));

        var run = await service.RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana.personal@example.org" }, Stream.Null);

        Assert.Equal("hana.personal@example.org", run.Handoff.PersonalEmail);
        Assert.Equal(_clock.GetUtcNow().AddDays(90), run.Handoff.SharedUntil);
        Assert.Equal([null, "hana.personal@example.org"], _planner.HandedOff.Select(h => h.PersonalEmail));
        Assert.Equal(2, (await Store.CountAsync()).Pending);
        Assert.Single(Store.Audit, a => a.Action == "handoff.share");
    }

    [Fact]
    public async Task RunAsync_StudentStillEnrolled_ValidationErrorNamingTheStudentAndNothingChanged()
    {
        var audit = Store.Audit.Count;

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest(), Stream.Null));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("$.student", problem.Path);
        Assert.Equal("handoff.student.exited", problem.Rule);
        Assert.Null(await Store.GetCheckpointAsync(Handoff.CheckpointKey(_student.Id)));
        Assert.Empty(_planner.HandedOff);
        Assert.Equal(audit, Store.Audit.Count);
    }

    [Fact]
    public async Task RunAsync_ExitDateLaterThanToday_ValidationError()
    {
        await GraduateAsync(on: DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(10));

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest(), Stream.Null));

        Assert.Equal("handoff.student.exited", Assert.Single(e.Problems).Rule);
    }

    [Theory]
    [InlineData("plain words")]
    [InlineData("hana@")]
    [InlineData("@example.org")]
    [InlineData("hana@example")]
    [InlineData("hana@@example.org")]
    [InlineData("Hana <hana@example.org>")]
    [InlineData("hana@exa mple.org")]
    [InlineData("hana..x@example.org")]
    [InlineData("hana@-example.org")]
    [InlineData("")]
    public async Task RunAsync_EmailNotAnEmail_ValidationErrorNamingTheFieldAndNothingChanged(string email)
    {
        await GraduateAsync();
        var audit = Store.Audit.Count;

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = email }, Stream.Null));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("$.personalEmail", problem.Path);
        Assert.Equal("handoff.personal-email.format", problem.Rule);
        Assert.DoesNotContain(email.Length > 0 ? email : "\u0000", e.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetCheckpointAsync(Handoff.CheckpointKey(_student.Id)));
        Assert.Equal(audit, Store.Audit.Count);
    }

    [Theory]
    [InlineData("hana@example.org")]
    [InlineData("hana.o'neil+backpack@mail.example.co.uk")]
    [InlineData(" hana@example.org ")]
    public void CheckEmail_Addresses_Accepted(string email) => Assert.Equal(email.Trim(), HandoffService.CheckEmail(email));

    [Fact]
    public async Task RunAsync_EmailWhenTheDistrictDoesNotShare_ValidationErrorAndNothingChanged()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton<IBackpackStore>(Store);
        services.AddBackpack(o => o.DistrictId = "handoff");
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        await GraduateAsync();

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => scope.ServiceProvider.GetRequiredService<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana@example.org" }, Stream.Null));

        Assert.Equal(("$.personalEmail", "handoff.personal-email.sharing-disabled"), (Assert.Single(e.Problems).Path, e.Problems[0].Rule));
        Assert.Null(await Store.GetCheckpointAsync(Handoff.CheckpointKey(_student.Id)));
    }

    [Fact]
    public async Task RunAsync_AnotherEmailThanTheRecordedOne_ValidationErrorAndRecordKept()
    {
        await GraduateAsync();
        var service = Get<HandoffService>();
        var run = await service.RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana@example.org" }, Stream.Null);

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => service.RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "someone.else@example.org" }, Stream.Null));

        Assert.Equal("handoff.personal-email.changed", Assert.Single(e.Problems).Rule);
        Assert.Equal(run.Handoff, Handoff.FromCheckpoint(await Store.GetCheckpointAsync(Handoff.CheckpointKey(_student.Id))));
        Assert.Equal(run.Handoff, (await service.RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "HANA@example.org" }, Stream.Null)).Handoff);
    }

    [Fact]
    public async Task RunAsync_AdminOfTheSchoolTheStudentLeft_AllowedOthersDenied()
    {
        await GraduateAsync();
        var service = Get<HandoffService>();

        await service.RunAsync(Actor.ForSchoolAdmin(_adminA, _schoolA), _student.Id, new HandoffRequest(), Stream.Null);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => service.RunAsync(Actor.ForSchoolAdmin(PersonId.New(), _schoolB), _student.Id, new HandoffRequest(), Stream.Null));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => service.RunAsync(Actor.ForTeacher(_teacher), _student.Id, new HandoffRequest(), Stream.Null));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => service.RunAsync(Actor.ForStudent(_student.Id), _student.Id, new HandoffRequest(), Stream.Null));
        await Assert.ThrowsAsync<BackpackNotFoundException>(() => service.RunAsync(_district, StudentId.New(), new HandoffRequest(), Stream.Null));

        Assert.Equal(3, Store.Audit.Count(a => a.Action == "handoff.run" && !a.Allowed));
        Assert.Single(Store.Audit, a => a.Action == "handoff.run" && a.Allowed);
    }

    [Fact]
    public async Task RunAsync_ContributorFiles_BesideIndexAndListed()
    {
        await GraduateAsync();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton<IBackpackStore>(Store)
            .AddSingleton<IHandoffContributor>(new FileContributor(new HandoffFile("clr.json", "Your record <signed>", "{\"a\":1}")));
        services.AddBackpack(o => o.DistrictId = "handoff");
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        using var zip = new MemoryStream();

        var result = await scope.ServiceProvider.GetRequiredService<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest(), zip);

        Assert.Equal(["index.html", "clr.json"], result.Files);
        Assert.Equal("{\"a\":1}", ReadEntry(zip.ToArray(), "clr.json"));
        var page = new HtmlParser().ParseDocument(ReadEntry(zip.ToArray(), "index.html"));
        var file = Assert.Single(page.QuerySelectorAll("#part-1 .files a"));
        Assert.Equal("clr.json", file.GetAttribute("href"));
        Assert.Contains("Your record <signed>", file.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("../evil.json")]
    [InlineData("Upper.json")]
    [InlineData(".hidden")]
    public async Task RunAsync_ContributorFileBadlyNamed_ValidationErrorNamingTheFile(string name)
    {
        await GraduateAsync();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton<IBackpackStore>(Store)
            .AddSingleton<IHandoffContributor>(new FileContributor(new HandoffFile(name, "x", "x")));
        services.AddBackpack(o => o.DistrictId = "handoff");
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        using var zip = new MemoryStream();

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => scope.ServiceProvider.GetRequiredService<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest(), zip));

        Assert.Equal(("$.contributions[0].files[0].name", "handoff.file.name"), (e.Problems[0].Path, e.Problems[0].Rule));
        Assert.Equal(0, zip.Length);
    }

    [Fact]
    public async Task ExportStudentRecordAsync_AfterHandoff_HoldsTheRecordWithThePersonalEmailAndFitsTheSchema()
    {
        await GraduateAsync();
        var run = await Get<HandoffService>().RunAsync(_district, _student.Id, new HandoffRequest { PersonalEmail = "hana.personal@example.org" }, Stream.Null);

        var json = await Get<StudentRecordService>().ExportStudentRecordAsync(Actor.ForStudent(_student.Id), _student.Id);

        Assert.Empty((await NJsonSchema.JsonSchema.FromJsonAsync(StudentRecordService.JsonSchema)).Validate(json));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var handoff = doc.RootElement.GetProperty("handoff");
        Assert.Equal("hana.personal@example.org", handoff.GetProperty("personalEmail").GetString());
        Assert.Equal("Graduated", handoff.GetProperty("exitReason").GetString());
        Assert.Equal(run.Handoff, Serialization.BackpackJson.Deserialize<Handoff>(handoff.GetRawText()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void BackpackOptionsValidator_HandoffSharingDaysOutOfRange_FailsNamingTheSetting(int days)
    {
        var result = new BackpackOptionsValidator().Validate(null, new BackpackOptions { DistrictId = "x", HandoffSharingDays = days });

        Assert.True(result.Failed);
        Assert.Contains("HandoffSharingDays", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ExitedFrom_TransferThenGraduation_TheEnrollmentEndingLast()
    {
        var first = new Enrollment(_schoolA, GradeLevel.Grade(12), _year, new DateOnly(2025, 8, 20), new DateOnly(2026, 1, 9));
        var last = new Enrollment(_schoolB, GradeLevel.Grade(12), _year, new DateOnly(2026, 1, 10), new DateOnly(2026, 6, 5)) { ExitReason = ExitReason.Graduated };

        Assert.Equal(last, (_student with { Enrollments = [first, last] }).ExitedFrom());
        Assert.Null((_student with { Enrollments = [first, last with { ExitDate = null, ExitReason = null }] }).ExitedFrom());
    }

    private SkillId Skill(int position) => _framework.Current!.Content.Skills.Single(s => s.Position == position).Id;

    private async Task GraduateAsync(DateOnly? on = null)
    {
        var day = on ?? DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        var current = (await Store.GetStudentAsync(_student.Id))!;
        _student = await Get<RosterService>().SaveStudentAsync(_district, current with { Enrollments = [current.Enrollments[0] with { ExitDate = day, ExitReason = ExitReason.Graduated }] });
        if (on is null)
        {
            _clock.Advance(TimeSpan.FromDays(1));
        }
    }

    private static string ReadEntry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Records the handoffs the core asks planners to plan for, and enqueues one message each (deterministic key).</summary>
    private sealed class RecordingPlanner : ISideEffectPlanner
    {
        public List<Handoff> HandedOff { get; } = [];

        public void OnStudentHandedOff(Handoff handoff, ChangeSet changes)
        {
            HandedOff.Add(handoff);
            changes.Put(new OutboxMessage("test.handoff", $"test.handoff:{handoff.StudentId}:{handoff.PersonalEmail is not null}", $"{{\"student\":\"{handoff.StudentId}\"}}", handoff.StartedAt));
        }
    }

    private sealed class FileContributor(HandoffFile file) : IHandoffContributor
    {
        public Task<HandoffContribution?> ContributeAsync(HandoffContext context, CancellationToken cancellationToken) =>
            Task.FromResult<HandoffContribution?>(new HandoffContribution("Passport", "Signed by the district.", [file]));
    }
}
