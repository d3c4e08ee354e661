using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <summary>
/// Settings of <see cref="SyntheticDistrict.Generate"/>. The same options (including the seed) always give
/// equal data. The defaults give a 2,000-student district; <c>Students = 96_000</c> gives the full-size
/// district of 150 schools and about 1,000,000 artifacts.
/// </summary>
public sealed record SyntheticDistrictOptions
{
    /// <summary>Gets the seed of the random generator (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the number of students (default 2,000).</summary>
    public int Students { get; init; } = 2_000;

    /// <summary>
    /// Gets the number of schools (at least 3: elementary PK-5, middle 6-8 and high 9-12, about 60/20/20);
    /// <see langword="null"/> (the default) for one school per 640 students, so 96,000 students get 150.
    /// </summary>
    public int? Schools { get; init; }

    /// <summary>Gets the mean number of artifacts a student adds per school year (default 3.75: 96,000 students with three years of history give about 1,000,000).</summary>
    public double ArtifactsPerStudentPerYear { get; init; } = 3.75;

    /// <summary>Gets how many school years of history, the current one included (default 3).</summary>
    public int YearsOfHistory { get; init; } = 3;

    /// <summary>Gets the current school year (default 2025-26). Every date is derived from it; nothing reads the clock.</summary>
    public SchoolYear CurrentYear { get; init; } = new(2025);

    /// <summary>Gets the share of student-years with a mid-year transfer (default 0.08); a quarter of those move back, a tenth cross a grade band.</summary>
    public double TransferShare { get; init; } = 0.08;

    /// <summary>Gets the share of collected artifacts scored by 1 to 3 teachers against the skills rubric (default 0.2).</summary>
    public double EvaluatedArtifactShare { get; init; } = 0.2;

    /// <summary>Gets the number of students per roster section (default 25).</summary>
    public int SectionSize { get; init; } = 25;

    /// <summary>Gets the transition grades at which students hold a Defense of Learning (default 5, 8, 12).</summary>
    public TransitionGrades TransitionGrades { get; init; } = TransitionGrades.Default;

    /// <summary>Gets the number of schools generated for these options.</summary>
    public int SchoolCount => Schools ?? Math.Max(3, (int)Math.Round(Students / 640.0, MidpointRounding.AwayFromZero));

    /// <summary>Every rule these options break.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate()
    {
        var problems = new List<ValidationProblem>();
        if (Students < 1)
        {
            problems.Add(new("SyntheticDistrictOptions.Students", "synthetic.students.positive", $"Students is {Students}; at least 1 is needed."));
        }

        if (Schools is < 3)
        {
            problems.Add(new("SyntheticDistrictOptions.Schools", "synthetic.schools.at-least-three", $"Schools is {Schools}; at least 3 are needed (elementary, middle, high)."));
        }

        if (double.IsNaN(ArtifactsPerStudentPerYear) || ArtifactsPerStudentPerYear < 0 || ArtifactsPerStudentPerYear > 100)
        {
            problems.Add(new("SyntheticDistrictOptions.ArtifactsPerStudentPerYear", "synthetic.artifacts.range", $"ArtifactsPerStudentPerYear is {ArtifactsPerStudentPerYear}; it must be between 0 and 100."));
        }

        if (YearsOfHistory is < 1 or > 14)
        {
            problems.Add(new("SyntheticDistrictOptions.YearsOfHistory", "synthetic.years.range", $"YearsOfHistory is {YearsOfHistory}; it must be between 1 and 14."));
        }

        if (CurrentYear.StartYear is < 2000 or > 9000)
        {
            problems.Add(new("SyntheticDistrictOptions.CurrentYear", "synthetic.year.range", $"CurrentYear starts in {CurrentYear.StartYear}; it must start between 2000 and 9000."));
        }

        if (double.IsNaN(TransferShare) || TransferShare is < 0 or > 1)
        {
            problems.Add(new("SyntheticDistrictOptions.TransferShare", "synthetic.share.range", $"TransferShare is {TransferShare}; it must be between 0 and 1."));
        }

        if (double.IsNaN(EvaluatedArtifactShare) || EvaluatedArtifactShare is < 0 or > 1)
        {
            problems.Add(new("SyntheticDistrictOptions.EvaluatedArtifactShare", "synthetic.share.range", $"EvaluatedArtifactShare is {EvaluatedArtifactShare}; it must be between 0 and 1."));
        }

        if (SectionSize < 1)
        {
            problems.Add(new("SyntheticDistrictOptions.SectionSize", "synthetic.section-size.positive", $"SectionSize is {SectionSize}; at least 1 is needed."));
        }

        if (TransitionGrades is null)
        {
            problems.Add(new("SyntheticDistrictOptions.TransitionGrades", "synthetic.transition-grades.required", "TransitionGrades is required."));
        }

        return problems;
    }
}
