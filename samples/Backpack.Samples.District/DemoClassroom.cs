using System.Globalization;
using System.Text.Json.Nodes;
using Backpack.Core;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Students;

namespace Backpack.Samples.District;

/// <summary>A small demo district in Google Classroom: three schools, two courses each, tagged coursework and turned-in work.</summary>
internal static class DemoClassroom
{
    public static readonly SchoolId[] Schools = [SchoolId.Parse("5c000000-0000-4000-8000-000000000001"), SchoolId.Parse("5c000000-0000-4000-8000-000000000002"), SchoolId.Parse("5c000000-0000-4000-8000-000000000003")];

    public static readonly string[] SchoolNames = ["Aspen Elementary", "Cedar Middle", "Evergreen High"];

    private static readonly int[] Grades = [5, 8, 12];

    public static readonly (string Tag, SkillId Skill)[] SkillTags =
    [
        ("communicator", SkillId.Parse("5a000000-0000-4000-8000-000000000004")),
        ("collaborator", SkillId.Parse("5a000000-0000-4000-8000-000000000005")),
        ("innovator", SkillId.Parse("5a000000-0000-4000-8000-000000000003")),
    ];

    /// <summary>Maps a course by its section ("school-index:grade") to a school and grade.</summary>
    public static CoursePlacement? Place(ClassroomCourse course)
    {
        var parts = (course.Section ?? string.Empty).Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var s) && s < Schools.Length && GradeLevel.TryParse(parts[1], out var g)
            ? new CoursePlacement(Schools[s], g)
            : null;
    }

    public static (int Courses, int Students, int Submissions) SeedInto(GoogleEmulator emulator)
    {
        var students = 0;
        var submissions = 0;
        var courses = 0;
        for (var s = 0; s < Schools.Length; s++)
        {
            for (var c = 0; c < 2; c++)
            {
                var courseId = $"course-{s}-{c}";
                var teacher = $"teacher-{s}-{c}";
                emulator.SeedClassroomUser(new JsonObject { ["id"] = teacher, ["emailAddress"] = $"{teacher}@demo-district.example", ["name"] = new JsonObject { ["fullName"] = $"Teacher {s}{c}" } });
                emulator.SeedClassroomCourse(new JsonObject { ["id"] = courseId, ["name"] = $"{SchoolNames[s]} grade {Grades[s]} section {c + 1}", ["section"] = $"{s}:{Grades[s]}", ["courseState"] = "ACTIVE", ["ownerId"] = teacher });
                emulator.EnrollClassroomUser(courseId, teacher, asTeacher: true);
                courses++;
                var work = new List<string>();
                for (var w = 0; w < SkillTags.Length; w++)
                {
                    work.Add(emulator.SeedClassroomCourseWork(courseId, new JsonObject { ["id"] = $"{courseId}-work-{w}", ["title"] = $"Project {w + 1} #{SkillTags[w].Tag}", ["state"] = "PUBLISHED", ["maxPoints"] = 100, ["workType"] = "ASSIGNMENT" }));
                }

                for (var k = 0; k < 10; k++)
                {
                    var student = $"student-{s}-{c}-{k}";
                    emulator.SeedClassroomUser(new JsonObject { ["id"] = student, ["emailAddress"] = $"{student}@demo-district.example", ["name"] = new JsonObject { ["fullName"] = $"Student {s}{c}{k:00}" } });
                    emulator.EnrollClassroomUser(courseId, student);
                    students++;
                    for (var w = 0; w < work.Count; w++)
                    {
                        var turnedIn = (k + w) % 4 != 0;
                        var fileId = emulator.SeedDriveFile(new JsonObject { ["name"] = $"Project {w + 1} by {student}", ["mimeType"] = "application/vnd.google-apps.document" });
                        emulator.SeedClassroomSubmission(courseId, work[w], new JsonObject
                        {
                            ["id"] = $"{courseId}-sub-{w}-{k}",
                            ["userId"] = student,
                            ["state"] = turnedIn ? (k % 3 == 0 ? "RETURNED" : "TURNED_IN") : "CREATED",
                            ["updateTime"] = "2025-10-01T12:00:00.000Z",
                            ["assignedGrade"] = k % 3 == 0 ? 80 + k : null,
                            ["assignmentSubmission"] = new JsonObject { ["attachments"] = new JsonArray(new JsonObject { ["driveFile"] = new JsonObject { ["id"] = fileId, ["title"] = $"Project {w + 1}" } }) },
                        });
                        submissions += turnedIn ? 1 : 0;
                    }
                }
            }
        }

        return (courses, students, submissions);
    }

    public static IEnumerable<(string Label, string First, string Second)> Describe(ClassroomSyncResult a, ClassroomSyncResult b)
    {
        static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        yield return ("courses synced", N(a.Courses), N(b.Courses));
        yield return ("students created / transferred", $"{a.StudentsCreated} / {a.StudentsTransferred}", $"{b.StudentsCreated} / {b.StudentsTransferred}");
        yield return ("rosters saved", N(a.RostersSaved), N(b.RostersSaved));
        yield return ("suggested artifacts", N(a.ArtifactsSuggested), N(b.ArtifactsSuggested));
        yield return ("submissions not turned in (skipped)", N(a.SubmissionsSkipped), N(b.SubmissionsSkipped));
        yield return ("Classroom requests", N(a.Requests), N(b.Requests));
        yield return ("change sets saved", N(a.ChangeSetsSaved), N(b.ChangeSetsSaved));
    }
}
