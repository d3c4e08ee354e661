using Backpack.Core.Artifacts;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Testing.Tests;

/// <summary>Small fixed values for store tests (deterministic ids, fixed dates).</summary>
internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

    public static Guid Id(int n) => new($"00000000-0000-4000-8000-{n:D12}");

    public static School School(int n, string? code = null) => new(SchoolId.From(Id(n)), $"School {n:D3}", code);

    public static Student Student(int n, SchoolId school, int grade = 5) =>
        new(StudentId.From(Id(1000 + n)), $"S{n:D7}", $"Student {n:D5}", ValueList.Of(new Enrollment(school, GradeLevel.Grade(grade), new SchoolYear(2025), new DateOnly(2025, 8, 15))))
        {
            GoogleUserId = $"g{n}",
            OneRosterSourcedId = $"or{n}",
        };

    public static Artifact Artifact(int n, StudentId student, SchoolId school) =>
        new(ArtifactId.From(Id(100_000 + n)), student, $"Artifact {n}", new DriveFileSource($"file{n}"), new CaptureContext(new SchoolYear(2025), GradeLevel.Grade(5), school), CurationState.Collected, T0.AddMinutes(n));

    public static OutboxMessage Message(int n) => new("drive.ensureFolder", $"key-{n}", $"{{\"n\":{n}}}", T0);
}
