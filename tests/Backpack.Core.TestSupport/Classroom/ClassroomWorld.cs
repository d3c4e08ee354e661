using System.Globalization;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Emulator;

namespace Backpack.Core.TestSupport.Classroom;

/// <summary>A Classroom user.</summary>
public sealed record WorldUser(string Id, string FullName, string Email);

/// <summary>A course; its section <c>S{school}-G{grade}</c> is what the test district's mapping reads.</summary>
public sealed record WorldCourse(string Id, string Name, int School, int Grade, string State = "ACTIVE")
{
    public List<string> Students { get; init; } = [];

    public List<string> Teachers { get; init; } = [];

    public string Section => string.Create(CultureInfo.InvariantCulture, $"S{School}-G{Grade}");
}

/// <summary>A coursework item; <see cref="Extra"/> carries fields of later Classroom revisions.</summary>
public sealed record WorldWork(string CourseId, string Id, string Title, string State = "PUBLISHED", string? Description = null, double? MaxPoints = 100)
{
    public JsonObject? Extra { get; init; }
}

/// <summary>An attachment: a Drive file or a link.</summary>
public sealed record WorldAttachment(string? DriveFileId, string? Url, string Title);

/// <summary>A student submission.</summary>
public sealed record WorldSubmission(string CourseId, string WorkId, string Id, string UserId, string State, DateTimeOffset UpdateTime, double? Grade = null)
{
    public List<WorldAttachment> Attachments { get; init; } = [];
}

/// <summary>
/// The whole Classroom state of a test district, seeded into the emulator. The emulator's Classroom is read-only
/// over REST (and has no way to remove a seeded member or coursework), so a change in the district is made by
/// changing the world and seeding it again after a reset (which also resets the emulator's counters).
/// </summary>
public sealed class ClassroomWorld
{
    public Dictionary<string, WorldUser> Users { get; } = new(StringComparer.Ordinal);

    public List<WorldCourse> Courses { get; } = [];

    public List<WorldWork> Work { get; } = [];

    public List<WorldSubmission> Submissions { get; } = [];

    public List<(string Student, string Guardian)> Guardians { get; } = [];

    public static Guid SchoolGuid(int school) => new(school, 0x5c, 0x5c, [0, 0, 0, 0, 0, 0, 0, 1]);

    public static SchoolId School(int school) => SchoolId.From(SchoolGuid(school));

    public WorldCourse Course(string id) => Courses.Single(c => c.Id == id);

    public WorldUser AddUser(string id, string? name = null) => Users[id] = new WorldUser(id, name ?? "Student " + id, id + "@district.example");

    public ClassroomWorld Clone()
    {
        var w = new ClassroomWorld();
        foreach (var (k, v) in Users)
        {
            w.Users[k] = v;
        }

        w.Courses.AddRange(Courses.Select(c => c with { Students = [.. c.Students], Teachers = [.. c.Teachers] }));
        w.Work.AddRange(Work.Select(x => x with { Extra = (JsonObject?)x.Extra?.DeepClone() }));
        w.Submissions.AddRange(Submissions.Select(s => s with { Attachments = [.. s.Attachments] }));
        w.Guardians.AddRange(Guardians);
        return w;
    }

    /// <summary>Resets the emulator and seeds this world (requests are not counted).</summary>
    public void SeedInto(GoogleEmulator emulator)
    {
        emulator.Reset();
        foreach (var u in Users.Values)
        {
            emulator.SeedClassroomUser(new JsonObject
            {
                ["id"] = u.Id,
                ["emailAddress"] = u.Email,
                ["name"] = new JsonObject { ["fullName"] = u.FullName, ["givenName"] = u.FullName.Split(' ')[0] },
            });
        }

        foreach (var c in Courses)
        {
            emulator.SeedClassroomCourse(new JsonObject
            {
                ["id"] = c.Id,
                ["name"] = c.Name,
                ["section"] = c.Section,
                ["courseState"] = c.State,
                ["ownerId"] = c.Teachers.FirstOrDefault(),
                ["updateTime"] = "2025-08-20T12:00:00Z",
                ["creationTime"] = "2025-08-20T12:00:00Z",
            });
            foreach (var t in c.Teachers)
            {
                emulator.EnrollClassroomUser(c.Id, t, asTeacher: true);
            }

            foreach (var s in c.Students)
            {
                emulator.EnrollClassroomUser(c.Id, s);
            }
        }

        foreach (var w in Work)
        {
            var json = w.Extra is null ? [] : (JsonObject)w.Extra.DeepClone();
            json["id"] = w.Id;
            json["title"] = w.Title;
            json["state"] = w.State;
            json["maxPoints"] = w.MaxPoints;
            json["updateTime"] = "2025-09-01T12:00:00Z";
            if (w.Description is not null)
            {
                json["description"] = w.Description;
            }

            emulator.SeedClassroomCourseWork(w.CourseId, json);
        }

        foreach (var s in Submissions)
        {
            var attachments = new JsonArray();
            foreach (var a in s.Attachments)
            {
                attachments.Add(a.DriveFileId is not null
                    ? new JsonObject { ["driveFile"] = new JsonObject { ["id"] = a.DriveFileId, ["title"] = a.Title, ["alternateLink"] = "https://drive.example/" + a.DriveFileId } }
                    : new JsonObject { ["link"] = new JsonObject { ["url"] = a.Url, ["title"] = a.Title } });
            }

            var json = new JsonObject
            {
                ["id"] = s.Id,
                ["userId"] = s.UserId,
                ["state"] = s.State,
                ["updateTime"] = s.UpdateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["assignmentSubmission"] = new JsonObject { ["attachments"] = attachments },
            };
            if (s.Grade is { } g)
            {
                json["assignedGrade"] = g;
            }

            emulator.SeedClassroomSubmission(s.CourseId, s.WorkId, json);
        }

        foreach (var (student, guardian) in Guardians)
        {
            emulator.SeedClassroomGuardian(student, new JsonObject { ["guardianId"] = guardian, ["invitedEmailAddress"] = guardian + "@family.example" });
        }
    }

    /// <summary>
    /// A generated district: <paramref name="schools"/> schools, each with <paramref name="coursesPerSchool"/> courses
    /// of <paramref name="studentsPerCourse"/> students (a student takes every course of their school), one teacher per
    /// course, <paramref name="workPerCourse"/> assignments, and a turned-in or returned submission with a Drive file
    /// for about two thirds of the student-assignment pairs. Deterministic for a seed.
    /// </summary>
    public static ClassroomWorld District(int schools, int coursesPerSchool, int studentsPerCourse, int workPerCourse, int seed = 1)
    {
        var random = new Random(seed);
        var w = new ClassroomWorld();
        var baseTime = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        for (var s = 1; s <= schools; s++)
        {
            var grade = 1 + ((s - 1) % 12);
            var students = Enumerable.Range(1, studentsPerCourse).Select(i => w.AddUser(Id("u", s, i)).Id).ToList();
            for (var c = 1; c <= coursesPerSchool; c++)
            {
                var teacher = w.AddUser(Id("t", s, c), "Teacher " + Id("t", s, c)).Id;
                var course = new WorldCourse(Id("c", s, c), Id("Course ", s, c), s, grade) { Students = [.. students], Teachers = [teacher] };
                w.Courses.Add(course);
                for (var k = 1; k <= workPerCourse; k++)
                {
                    var work = new WorldWork(course.Id, $"{course.Id}w{k}", $"Assignment {k} #communicator");
                    w.Work.Add(work);
                    foreach (var student in students)
                    {
                        var roll = random.Next(3);
                        if (roll == 0)
                        {
                            continue;
                        }

                        w.Submissions.Add(new WorldSubmission(course.Id, work.Id, $"{work.Id}s{student}", student, roll == 1 ? "TURNED_IN" : "RETURNED", baseTime.AddMinutes(random.Next(10_000)), roll == 2 ? random.Next(60, 100) : null)
                        {
                            Attachments = [new WorldAttachment($"f{work.Id}{student}", null, "Work of " + student)],
                        });
                    }
                }
            }

            w.Guardians.Add((students[0], "g" + students[0]));
        }

        return w;
    }

    private static string Id(string prefix, int a, int b) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{a:D3}x{b:D3}");
}
