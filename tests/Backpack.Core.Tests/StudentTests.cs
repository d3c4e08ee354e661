using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Tests;

public sealed class StudentTests
{
    [Theory]
    [InlineData("PK", -1)]
    [InlineData("KG", 0)]
    [InlineData("k", 0)]
    [InlineData("05", 5)]
    [InlineData("12", 12)]
    public void GradeLevelParse_CommonSpellings_Parse(string text, int ordinal) => Assert.Equal(ordinal, GradeLevel.Parse(text).Ordinal);

    [Theory]
    [InlineData("13")]
    [InlineData("0x")]
    [InlineData("")]
    public void GradeLevelTryParse_NotAGrade_Fails(string text) => Assert.False(GradeLevel.TryParse(text, out _));

    [Property]
    public Property GradeLevel_ToStringThenParse_RoundTrips() =>
        Prop.ForAll(Gen.Choose(-1, 12).ToArbitrary(), o => GradeLevel.Parse(GradeLevel.FromOrdinal(o).ToString()).Ordinal == o);

    [Property]
    public Property SchoolYear_ToStringThenParse_RoundTrips() =>
        Prop.ForAll(Gen.Choose(1950, 2200).ToArbitrary(), y => SchoolYear.Parse(new SchoolYear(y).ToString()) == new SchoolYear(y));

    [Property]
    public Property SchoolYearContaining_AnyDate_FirstDayAndLastDayBracketIt() =>
        Prop.ForAll(Gen.Choose(0, 365 * 50).ToArbitrary(), Gen.Choose(1, 12).ToArbitrary(), (d, month) =>
        {
            var date = new DateOnly(2000, 1, 1).AddDays(d);
            var year = SchoolYear.Containing(date, month);
            return year.FirstDay(month) <= date && date <= year.LastDay(month);
        });

    [Fact]
    public void TransferTo_MidYear_EndsOldEnrollmentAndKeepsOneBackpack()
    {
        var a = SchoolId.New();
        var b = SchoolId.New();
        var year = new SchoolYear(2025);
        var s = new Student(StudentId.New(), "S-1", "Student 1", [new Enrollment(a, GradeLevel.Grade(7), year, new DateOnly(2025, 8, 15))]);

        var moved = s.TransferTo(b, GradeLevel.Grade(7), year, new DateOnly(2026, 1, 10));

        Assert.Equal(s.Id, moved.Id);
        Assert.Equal(new DateOnly(2026, 1, 9), moved.Enrollments[0].ExitDate);
        Assert.Equal(a, moved.EnrollmentOn(new DateOnly(2026, 1, 9))!.SchoolId);
        Assert.Equal(b, moved.EnrollmentOn(new DateOnly(2026, 1, 10))!.SchoolId);
        Assert.Equal(b, moved.LatestEnrollmentIn(year)!.SchoolId);
        Assert.Empty(RosterService.Validate(moved));
    }

    [Fact]
    public void TransferTo_BeforeCurrentEntry_FailsWithPath()
    {
        var s = new Student(StudentId.New(), "S-1", "Student 1", [new Enrollment(SchoolId.New(), GradeLevel.Grade(7), new SchoolYear(2025), new DateOnly(2025, 8, 15))]);
        var ex = Assert.Throws<BackpackValidationException>(() => s.TransferTo(SchoolId.New(), GradeLevel.Grade(7), new SchoolYear(2025), new DateOnly(2025, 8, 1)));
        Assert.Equal("enrollments[0].entryDate", Assert.Single(ex.Problems).Path);
    }
}
