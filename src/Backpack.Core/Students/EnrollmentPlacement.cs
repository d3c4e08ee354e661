namespace Backpack.Core.Students;

/// <summary>
/// One class a student is in, as a roster source says it: the class's school, the student's grade in it, its
/// school year, and the days the student is in it.
/// </summary>
/// <param name="School">The class's school.</param>
/// <param name="Grade">The student's grade in the class.</param>
/// <param name="Year">The class's school year.</param>
/// <param name="Begin">The first day the student is in the class.</param>
/// <param name="End">The last day, or <see langword="null"/> while it goes on.</param>
public sealed record ClassMembership(SchoolId School, GradeLevel Grade, SchoolYear Year, DateOnly Begin, DateOnly? End = null)
{
    /// <summary>
    /// Whether the school is the one the source names as the student's primary school (OneRoster's
    /// <c>primaryOrgSourcedId</c>): on a day with classes at several schools, those at the primary school place the student.
    /// </summary>
    public bool AtPrimarySchool { get; init; }

    /// <summary>Whether the student is in the class on <paramref name="date"/>.</summary>
    /// <param name="date">The day.</param>
    /// <returns><see langword="true"/> when <see cref="Begin"/> &lt;= date &lt;= <see cref="End"/>.</returns>
    public bool IsActiveOn(DateOnly date) => Begin <= date && (End is null || End.Value >= date);
}

/// <summary>
/// The one roster-placement rule: which school, grade and school year a student's classes put them at, and the
/// enrollments, transfers and exits that follow. Every roster source uses it (Classroom sync from today's
/// courses, the OneRoster import from dated enrollments), so a student placed by either gets the same history.
/// </summary>
/// <remarks>
/// On a day, among the classes active that day: only the latest school year counts; when some are at the
/// primary school, only those; the school is the one the student is already at if a class is there, else the
/// school of the latest-begun class, then the one with the most classes, then the lowest id; the grade is the
/// one most of the student's classes at that school are for, a tie going to the grade the student is already in,
/// then to the latest begun, then to the higher grade. A change of school, grade or year starts a new enrollment
/// and ends the previous one the day before; days with no class do not end one. The source is the authority from
/// its first day on: earlier enrollments are kept (an open one ends the day before, or continues when it is the
/// same school, grade and year), later ones are replaced. Applying the same classes again changes nothing.
/// </remarks>
public static class EnrollmentPlacement
{
    /// <summary>Where the classes active on <paramref name="date"/> place the student.</summary>
    /// <param name="classes">The student's classes (inactive ones are ignored).</param>
    /// <param name="date">The day.</param>
    /// <param name="current">The enrollment the student is in (preferred on ties), or <see langword="null"/>.</param>
    /// <returns>An open enrollment from <paramref name="date"/>, or <see langword="null"/> when no class is active.</returns>
    public static Enrollment? Place(IEnumerable<ClassMembership> classes, DateOnly date, Enrollment? current)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var active = classes.Where(c => c.IsActiveOn(date)).ToList();
        if (active.Count == 0)
        {
            return null;
        }

        var year = active.Max(c => c.Year);
        active = active.Where(c => c.Year == year).ToList();
        if (active.Exists(c => c.AtPrimarySchool))
        {
            active = active.Where(c => c.AtPrimarySchool).ToList();
        }

        var school = current is not null && active.Exists(c => c.School == current.SchoolId)
            ? current.SchoolId
            : active.GroupBy(c => c.School)
                .OrderByDescending(g => g.Max(c => c.Begin))
                .ThenByDescending(g => g.Count())
                .ThenBy(g => g.Key)
                .First().Key;
        var grade = active.Where(c => c.School == school).GroupBy(c => c.Grade)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => current is not null && current.SchoolId == school && current.Grade == g.Key)
            .ThenByDescending(g => g.Max(c => c.Begin))
            .ThenByDescending(g => g.Key)
            .First().Key;
        return new Enrollment(school, grade, year, date);
    }

    /// <summary>
    /// The enrollments the classes make, in date order: the placement of each day, one enrollment per stretch of
    /// days at the same school, grade and year.
    /// </summary>
    /// <param name="classes">The student's classes.</param>
    /// <param name="current">The enrollment the student is in on the first day (preferred on ties), or <see langword="null"/>.</param>
    /// <returns>The stretches; the last is open when its classes go on.</returns>
    public static IReadOnlyList<Enrollment> Stretches(IEnumerable<ClassMembership> classes, Enrollment? current = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var list = classes.ToList();
        var points = list.Select(c => c.Begin)
            .Concat(list.Where(c => c.End is not null).Select(c => c.End!.Value.AddDays(1)))
            .Distinct().Order().ToList();
        var result = new List<Enrollment>();
        Enrollment? stretch = null;
        DateOnly? lastTo = null;
        for (var k = 0; k < points.Count; k++)
        {
            var from = points[k];
            DateOnly? to = k + 1 < points.Count ? points[k + 1].AddDays(-1) : null;
            if (Place(list, from, stretch ?? current) is not { } placed)
            {
                continue;
            }

            if (stretch is not null && SameKey(stretch, placed))
            {
                lastTo = to;
                continue;
            }

            if (stretch is not null)
            {
                result.Add(stretch with { ExitDate = lastTo });
            }

            stretch = placed;
            lastTo = to;
        }

        if (stretch is not null)
        {
            result.Add(stretch with { ExitDate = lastTo });
        }

        return result;
    }

    /// <summary>
    /// Merges a source's stretches into a stored history: the source is the authority from its first date on;
    /// earlier enrollments are kept (an open one ends the day before the first stretch, or continues into it when
    /// it is the same school, grade and year). Merging the same stretches again changes nothing.
    /// </summary>
    /// <param name="history">The stored enrollments.</param>
    /// <param name="stretches">The source's stretches, in date order (see <see cref="Stretches"/>).</param>
    /// <returns>The merged history.</returns>
    public static ValueList<Enrollment> Merge(ValueList<Enrollment> history, IReadOnlyList<Enrollment> stretches)
    {
        ArgumentNullException.ThrowIfNull(stretches);
        if (stretches.Count == 0)
        {
            return history;
        }

        var first = stretches[0].EntryDate;
        var kept = history.Where(e => e.EntryDate < first).OrderBy(e => e.EntryDate).ToList();
        var merged = stretches.ToList();
        if (kept.Count > 0 && kept[^1] is var last && SameKey(last, merged[0]))
        {
            merged[0] = merged[0] with { EntryDate = last.EntryDate };
            kept.RemoveAt(kept.Count - 1);
        }

        var result = kept.Concat(merged).ToList();
        for (var i = 0; i < result.Count - 1; i++)
        {
            var next = result[i + 1].EntryDate;
            if (result[i].ExitDate is null || result[i].ExitDate >= next)
            {
                result[i] = result[i] with { ExitDate = next.AddDays(-1) };
            }
        }

        return result.ToValueList();
    }

    /// <summary>
    /// A student's history after a source's classes: <see cref="Stretches"/> (preferring the enrollment the student
    /// is in on the first day) merged into <paramref name="history"/> by <see cref="Merge"/>.
    /// </summary>
    /// <param name="history">The stored enrollments.</param>
    /// <param name="classes">The student's classes, as the source says them.</param>
    /// <returns>The new history; <paramref name="history"/> itself when there are no classes.</returns>
    public static ValueList<Enrollment> Apply(ValueList<Enrollment> history, IEnumerable<ClassMembership> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var list = classes.ToList();
        if (list.Count == 0)
        {
            return history;
        }

        var first = list.Min(c => c.Begin);
        var current = history.Where(e => e.EntryDate <= first && (e.ExitDate is null || e.ExitDate >= first)).MaxBy(e => e.EntryDate);
        return Merge(history, Stretches(list, current));
    }

    private static bool SameKey(Enrollment a, Enrollment b) => a.SchoolId == b.SchoolId && a.Grade == b.Grade && a.Year == b.Year;
}
