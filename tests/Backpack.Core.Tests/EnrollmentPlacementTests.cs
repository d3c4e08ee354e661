using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests;

/// <summary>
/// The one roster-placement rule. Classroom sync applies it to a snapshot (every class from today on); the OneRoster
/// import to dated enrollments. These properties hold the dated path to the per-day rule, the snapshot path to a
/// plain transfer, and both to idempotence.
/// </summary>
public sealed class EnrollmentPlacementTests
{
    private static readonly SchoolId[] Schools = [SchoolId.From(new Guid("00000000-0000-4000-8000-000000000001")), SchoolId.From(new Guid("00000000-0000-4000-8000-000000000002")), SchoolId.From(new Guid("00000000-0000-4000-8000-000000000003"))];

    private static readonly DateOnly Day0 = new(2025, 8, 15);

    private static Gen<ClassMembership> Class(bool open = false) =>
        from school in Gen.Elements(Schools)
        from grade in Gen.Choose(5, 7)
        from year in Gen.Choose(2025, 2026)
        from begin in Gen.Choose(0, 60)
        from length in open ? Gen.Constant(-1) : Gen.Choose(-1, 60)
        from primary in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new ClassMembership(school, GradeLevel.Grade(grade), new SchoolYear(year), Day0.AddDays(begin), length < 0 ? null : Day0.AddDays(begin + length)) { AtPrimarySchool = primary };

    private static Gen<ClassMembership[]> Classes => Gen.Choose(0, 6).SelectMany(n => Class().ArrayOf(n));

    private static bool SameKey(Enrollment a, Enrollment b) => a.SchoolId == b.SchoolId && a.Grade == b.Grade && a.Year == b.Year;

    private static bool Ordered(IReadOnlyList<Enrollment> list) =>
        list.Zip(list.Skip(1)).All(p => p.First.ExitDate is { } exit && exit < p.Second.EntryDate && p.First.EntryDate <= exit);

    [Property(MaxTest = 300)]
    public Property Stretches_AnyClasses_EachDayWithClassesPlacedByTheDayRule() =>
        Prop.ForAll(Classes.ToArbitrary(), classes =>
        {
            var stretches = EnrollmentPlacement.Stretches(classes);
            Enrollment? previous = null;
            for (var d = Day0; d <= Day0.AddDays(125); d = d.AddDays(1))
            {
                var covering = stretches.SingleOrDefault(e => e.IsActiveOn(d));
                var expected = EnrollmentPlacement.Place(classes, d, previous);
                if (expected is not null && (covering is null || !SameKey(covering, expected)))
                {
                    return false;
                }

                previous = stretches.LastOrDefault(e => e.EntryDate <= d) ?? previous;
            }

            return Ordered(stretches) && (stretches.Count == 0) == (classes.Length == 0);
        });

    [Property(MaxTest = 300)]
    public Property Apply_SameClassesTwice_SecondChangesNothing() =>
        Prop.ForAll(Classes.ToArbitrary(), Classes.ToArbitrary(), (earlier, later) =>
        {
            var history = EnrollmentPlacement.Apply([], earlier);
            var once = EnrollmentPlacement.Apply(history, later);
            return EnrollmentPlacement.Apply(once, later) == once && Ordered(once);
        });

    [Property(MaxTest = 300)]
    public Property Apply_ClassroomSnapshot_StaysOrTransfersLikeStudentTransferTo() =>
        Prop.ForAll(Class(open: true).ToArbitrary(), Gen.Choose(1, 4).SelectMany(n => Class(open: true).ArrayOf(n)).ToArbitrary(), Gen.Choose(1, 90).ToArbitrary(), (start, snapshot, days) =>
        {
            // The student is where an earlier snapshot put them; today's snapshot lists the classes they are in now.
            var today = start.Begin.AddDays(days);
            var history = EnrollmentPlacement.Apply([], [start]);
            var classes = snapshot.Select(c => c with { Begin = today, End = null }).ToArray();
            var student = new Student(StudentId.New(), "d", "n", history);

            var after = EnrollmentPlacement.Apply(history, classes);

            var place = EnrollmentPlacement.Place(classes, today, student.EnrollmentOn(today))!;
            var expected = SameKey(history[0], place) ? history : student.TransferTo(place.SchoolId, place.Grade, place.Year, today).Enrollments;
            return after == expected;
        });

    [Fact]
    public void Place_ClassesAtTwoSchools_StaysAtTheCurrentSchoolWithTheMajorityGrade()
    {
        var (a, b) = (Schools[0], Schools[1]);
        var year = new SchoolYear(2025);
        ClassMembership[] classes =
        [
            new(b, GradeLevel.Grade(6), year, Day0), new(b, GradeLevel.Grade(6), year, Day0),
            new(a, GradeLevel.Grade(5), year, Day0), new(a, GradeLevel.Grade(6), year, Day0), new(a, GradeLevel.Grade(6), year, Day0),
        ];

        var stays = EnrollmentPlacement.Place(classes, Day0, new Enrollment(a, GradeLevel.Grade(5), year, Day0.AddDays(-30)));
        var fresh = EnrollmentPlacement.Place(classes, Day0, null);

        Assert.Equal((a, GradeLevel.Grade(6)), (stays!.SchoolId, stays.Grade));
        Assert.Equal((a, GradeLevel.Grade(6)), (fresh!.SchoolId, fresh.Grade)); // three classes at a beat two at b
    }

    [Fact]
    public void Place_ClassAtPrimarySchool_WinsOverLaterClasses()
    {
        var year = new SchoolYear(2025);
        ClassMembership[] classes =
        [
            new(Schools[0], GradeLevel.Grade(5), year, Day0) { AtPrimarySchool = true },
            new(Schools[1], GradeLevel.Grade(5), year, Day0.AddDays(3)),
            new(Schools[1], GradeLevel.Grade(5), year, Day0.AddDays(3)),
        ];

        Assert.Equal(Schools[0], EnrollmentPlacement.Place(classes, Day0.AddDays(5), null)!.SchoolId);
    }
}
