using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class ClassroomTests
{
    private static (string Course, string[] Students, string Teacher, string[] Work) Seed(GoogleEmulator emu, int studentCount = 5, int workCount = 3)
    {
        var course = emu.SeedClassroomCourse(new JsonObject { ["name"] = "Biology", ["section"] = "P1" });
        emu.SeedClassroomCourse(new JsonObject { ["name"] = "Old", ["courseState"] = "ARCHIVED" });
        var teacher = emu.SeedClassroomUser(new JsonObject { ["emailAddress"] = "teacher@d.org" });
        emu.EnrollClassroomUser(course, teacher, asTeacher: true);
        var students = new string[studentCount];
        for (var i = 0; i < studentCount; i++)
        {
            students[i] = emu.SeedClassroomUser(new JsonObject { ["emailAddress"] = $"s{i}@d.org", ["name"] = new JsonObject { ["fullName"] = $"Student {i}" } });
            emu.EnrollClassroomUser(course, students[i]);
        }

        var work = new string[workCount];
        for (var w = 0; w < workCount; w++)
        {
            work[w] = emu.SeedClassroomCourseWork(course, new JsonObject { ["title"] = $"W{w}", ["state"] = w == 0 ? "DRAFT" : "PUBLISHED" });
            foreach (var s in students)
            {
                emu.SeedClassroomSubmission(course, work[w], new JsonObject { ["userId"] = s, ["state"] = "TURNED_IN", ["late"] = s == students[0] });
            }
        }

        return (course, students, teacher, work);
    }

    [Fact]
    public async Task CoursesList_FiltersByStateStudentAndTeacher()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (course, students, _, _) = Seed(emu);
        using var http = new Http(emu);
        var all = await http.Get("v1/courses");
        Assert.Equal(2, all.Json["courses"]!.AsArray().Count);
        var active = await http.Get("v1/courses?courseStates=ACTIVE");
        Assert.Equal(course, Assert.Single(active.Json["courses"]!.AsArray())!["id"]!.GetValue<string>());
        var both = await http.Get("v1/courses?courseStates=ACTIVE&courseStates=ARCHIVED");
        Assert.Equal(2, both.Json["courses"]!.AsArray().Count);
        var byStudent = await http.Get($"v1/courses?studentId={students[1]}");
        Assert.Single(byStudent.Json["courses"]!.AsArray());
        var byEmail = await http.Get("v1/courses?teacherId=teacher@d.org");
        Assert.Single(byEmail.Json["courses"]!.AsArray());
        using var me = new Http(emu, "s2@d.org");
        Assert.Single((await me.Get("v1/courses?studentId=me")).Json["courses"]!.AsArray());
    }

    [Fact]
    public async Task StudentsList_Paging_ReturnsEveryStudentOnceWithProfiles()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (course, students, _, _) = Seed(emu, studentCount: 45);
        using var http = new Http(emu);
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var reply = await http.Get($"v1/courses/{course}/students" + (token is null ? string.Empty : "?pageToken=" + Q.Enc(token)));
            reply.AssertStatus(HttpStatusCode.OK);
            foreach (var s in reply.Json["students"]!.AsArray())
            {
                seen.Add(s!["userId"]!.GetValue<string>());
                Assert.NotNull(s["profile"]!["emailAddress"]);
            }

            token = reply.Json["nextPageToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(2, pages);
        Assert.Equal(students, seen);
        var teachers = await http.Get($"v1/courses/{course}/teachers");
        Assert.Single(teachers.Json["teachers"]!.AsArray());
        (await http.Get("v1/courses/404/students")).AssertStatus(HttpStatusCode.NotFound);
        (await http.Get($"v1/courses/{course}/students?pageSize=-1")).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CourseWorkAndSubmissions_DefaultsAndDashCourseWorkId()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (course, students, _, work) = Seed(emu);
        using var http = new Http(emu);
        var published = await http.Get($"v1/courses/{course}/courseWork");
        Assert.Equal(2, published.Json["courseWork"]!.AsArray().Count);
        var all = await http.Get($"v1/courses/{course}/courseWork?courseWorkStates=PUBLISHED&courseWorkStates=DRAFT&orderBy=updateTime%20asc");
        Assert.Equal(3, all.Json["courseWork"]!.AsArray().Count);
        (await http.Get($"v1/courses/{course}/courseWork?orderBy=title")).AssertStatus(HttpStatusCode.BadRequest);

        var dash = await http.Get($"v1/courses/{course}/courseWork/-/studentSubmissions?pageSize=1000");
        Assert.Equal(15, dash.Json["studentSubmissions"]!.AsArray().Count);
        var one = await http.Get($"v1/courses/{course}/courseWork/{work[1]}/studentSubmissions?userId={students[0]}");
        var sub = Assert.Single(one.Json["studentSubmissions"]!.AsArray())!;
        Assert.Equal(work[1], sub["courseWorkId"]!.GetValue<string>());
        var late = await http.Get($"v1/courses/{course}/courseWork/-/studentSubmissions?late=LATE_ONLY&states=TURNED_IN");
        Assert.Equal(3, late.Json["studentSubmissions"]!.AsArray().Count);
        (await http.Get($"v1/courses/{course}/courseWork/nope/studentSubmissions")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UserProfilesAndGuardians_LookUpByIdEmailAndDash()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (_, students, _, _) = Seed(emu);
        emu.SeedClassroomGuardian(students[0], new JsonObject { ["invitedEmailAddress"] = "mom@home.org" });
        emu.SeedClassroomGuardian(students[1], new JsonObject { ["invitedEmailAddress"] = "dad@home.org" });
        using var http = new Http(emu);
        var profile = await http.Get("v1/userProfiles/s0@d.org");
        Assert.Equal(students[0], profile.Json["id"]!.GetValue<string>());
        (await http.Get("v1/userProfiles/nobody")).AssertStatus(HttpStatusCode.NotFound);
        var mine = await http.Get($"v1/userProfiles/{students[0]}/guardians");
        Assert.Single(mine.Json["guardians"]!.AsArray());
        var all = await http.Get("v1/userProfiles/-/guardians");
        Assert.Equal(2, all.Json["guardians"]!.AsArray().Count);
        var filtered = await http.Get("v1/userProfiles/-/guardians?invitedEmailAddress=dad@home.org");
        Assert.Equal(students[1], Assert.Single(filtered.Json["guardians"]!.AsArray())!["studentId"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegistrationsCreate_ValidatesFeedAndTopic()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        var (course, _, _, _) = Seed(emu);
        using var http = new Http(emu);
        var ok = await http.Post("v1/registrations", new JsonObject
        {
            ["feed"] = new JsonObject { ["feedType"] = "COURSE_WORK_CHANGES", ["courseWorkChangesInfo"] = new JsonObject { ["courseId"] = course } },
            ["cloudPubsubTopic"] = new JsonObject { ["topicName"] = "projects/p/topics/t" },
        });
        ok.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("2025-01-08T00:00:00.000Z", ok.Json["expiryTime"]!.GetValue<string>());
        (await http.Post("v1/registrations", new JsonObject { ["feed"] = new JsonObject { ["feedType"] = "NOPE" }, ["cloudPubsubTopic"] = new JsonObject { ["topicName"] = "projects/p/topics/t" } })).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Post("v1/registrations", new JsonObject { ["feed"] = new JsonObject { ["feedType"] = "DOMAIN_ROSTER_CHANGES" } })).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Single(emu.GetState()["classroom"]!["registrations"]!.AsArray());
    }

    [Fact]
    public async Task ComputeClassroomMinimumRequests_MatchesAnOptimalFullRead()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (course, _, _, _) = Seed(emu, studentCount: 1100, workCount: 1);
        using var http = new Http(emu);
        var max = GoogleEmulator.ClassroomMaxPageSize;

        async Task ReadAll(string path, string collection)
        {
            string? token = null;
            do
            {
                var sep = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
                var reply = await http.Get($"{path}{sep}pageSize={max}" + (token is null ? string.Empty : "&pageToken=" + Q.Enc(token)));
                reply.AssertStatus(HttpStatusCode.OK);
                token = reply.Json["nextPageToken"]?.GetValue<string>();
            }
            while (token is not null);
        }

        var courses = (await http.Get($"v1/courses?pageSize={max}")).Json["courses"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        foreach (var c in courses)
        {
            await ReadAll($"v1/courses/{c}/students", "students");
            await ReadAll($"v1/courses/{c}/teachers", "teachers");
            await ReadAll($"v1/courses/{c}/courseWork?courseWorkStates=PUBLISHED&courseWorkStates=DRAFT", "courseWork");
            await ReadAll($"v1/courses/{c}/courseWork/-/studentSubmissions", "studentSubmissions");
        }

        await ReadAll("v1/userProfiles/-/guardians", "guardians");

        // 1 courses + Biology (2 student pages + 1 + 1 + 2 submission pages) + Old (4 empty lists) + 1 guardians.
        Assert.Equal(12, emu.ComputeClassroomMinimumRequests());
        Assert.Equal(emu.ComputeClassroomMinimumRequests(), emu.GetStatistics().TotalMethodCalls);
        Assert.Contains(course, courses);
    }

    [Fact]
    public async Task Classroom_QuotaAndFaults_ApplyLikeDrive()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            TimeProvider = clock,
            ClassroomQuota = new QuotaOptions { PerUserPerMinute = 2, Use429 = true },
            Faults = new FaultOptions { Schedule = { new ScheduledFault("classroom.courses.list", 1, FaultKind.ServiceUnavailable) } },
        });
        Seed(emu);
        using var http = new Http(emu);
        (await http.Get("v1/courses")).AssertStatus(HttpStatusCode.ServiceUnavailable);
        (await http.Get("v1/courses")).AssertStatus(HttpStatusCode.OK);
        var limited = await http.Get("v1/courses");
        limited.AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Equal("RESOURCE_EXHAUSTED", limited.Json["error"]!["status"]!.GetValue<string>());

        // Drive has its own quota.
        (await http.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClassroomBatch_ListsInOneHttpRequest()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var (course, _, _, _) = Seed(emu);
        using var http = new Http(emu);
        using var batch = new MultipartContent("mixed", "b");
        foreach (var path in new[] { $"/v1/courses/{course}/students", $"/v1/courses/{course}/teachers", "/drive/v3/files" })
        {
            var part = new StringContent($"GET {emu.BaseUri.ToString().TrimEnd('/')}{path}\r\n");
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/http");
            batch.Add(part);
        }

        using var response = await http.Client.PostAsync("batch", batch);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, text.Split("HTTP/1.1 200", StringSplitOptions.None).Length - 1);
        Assert.Contains("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Equal(1, emu.GetStatistics().HttpRequests);
    }
}
