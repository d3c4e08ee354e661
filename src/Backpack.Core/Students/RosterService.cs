using Backpack.Core.Access;
using Backpack.Core.DependencyInjection;
using Backpack.Core.Storage;
using Backpack.Core.Sync;

namespace Backpack.Core.Students;

/// <summary>Keeps schools, students, enrollments and rosters.</summary>
public sealed class RosterService
{
    private readonly ServiceContext _context;

    internal RosterService(ServiceContext context) => _context = context;

    private IBackpackStore Store => _context.Store;

    private AccessGuard Guard => _context.Guard;

    private IReadOnlyList<ISideEffectPlanner> Planners => _context.Planners;

    /// <summary>Adds or changes a school.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageRosters"/>).</param>
    /// <param name="school">The school, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved school.</returns>
    public async Task<School> SaveSchoolAsync(Actor actor, School school, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(school);
        var request = new AccessRequest(AccessRight.ManageRosters) { School = school.Id };
        await Guard.DemandAsync(actor, request, "school.save", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(school.Name))
        {
            throw new BackpackValidationException("$.name", "school.name.required", "A school needs a name.");
        }

        await Store.SaveAsync(new ChangeSet().Put(school), cancellationToken).ConfigureAwait(false);
        return school with { Version = school.Version + 1 };
    }

    /// <summary>Adds or changes a student (identities, enrollments, guardians).</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageRosters"/>).</param>
    /// <param name="student">The student, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved student.</returns>
    public async Task<Student> SaveStudentAsync(Actor actor, Student student, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(student);
        var request = new AccessRequest(AccessRight.ManageRosters) { Student = student.Id, School = student.Enrollments.Count > 0 ? student.Enrollments[^1].SchoolId : null };
        await Guard.DemandAsync(actor, request, "student.save", cancellationToken).ConfigureAwait(false);
        var problems = Validate(student);
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var before = student.Version == 0 ? null : await Store.GetStudentAsync(student.Id, cancellationToken).ConfigureAwait(false);
        var changes = new ChangeSet().Put(student).Put(Guard.Record(actor, "student.save", request, true));
        foreach (var p in Planners)
        {
            p.OnStudentSaved(before, student, changes);
        }

        await Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        return student with { Version = student.Version + 1 };
    }

    /// <summary>Records a move to another school from <paramref name="date"/> on; the backpack stays one.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageRosters"/>).</param>
    /// <param name="student">The student.</param>
    /// <param name="school">The new school.</param>
    /// <param name="grade">The grade at the new school.</param>
    /// <param name="date">The first day at the new school.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved student.</returns>
    public async Task<Student> TransferAsync(Actor actor, StudentId student, SchoolId school, GradeLevel grade, DateOnly date, CancellationToken cancellationToken = default)
    {
        var current = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false)
            ?? throw new BackpackNotFoundException("student", student.ToString());
        return await SaveStudentAsync(actor, current.TransferTo(school, grade, _context.Options.SchoolYearOf(date), date), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or changes a roster; teacher access follows it.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageRosters"/>).</param>
    /// <param name="roster">The roster, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved roster.</returns>
    public async Task<Roster> SaveRosterAsync(Actor actor, Roster roster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var request = new AccessRequest(AccessRight.ManageRosters) { School = roster.SchoolId };
        await Guard.DemandAsync(actor, request, "roster.save", cancellationToken).ConfigureAwait(false);
        var before = roster.Version == 0 ? null : await Store.GetRosterAsync(roster.Id, cancellationToken).ConfigureAwait(false);
        var changes = new ChangeSet().Put(roster with { Teachers = roster.Teachers.Distinct().ToValueList(), Students = roster.Students.Distinct().ToValueList() })
            .Put(Guard.Record(actor, "roster.save", request, true, resource: roster.Id.ToString()));
        foreach (var p in Planners)
        {
            p.OnRosterSaved(before, roster, changes);
        }

        await Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        return roster with { Version = roster.Version + 1 };
    }

    /// <summary>Every rule a student record breaks: a district student id, a name, enrollments that do not overlap.</summary>
    /// <param name="student">The student.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<ValidationProblem> Validate(Student student)
    {
        ArgumentNullException.ThrowIfNull(student);
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(student.DistrictStudentId))
        {
            problems.Add(new("$.districtStudentId", "student.district-id.required", "A student needs the district's student id."));
        }

        if (string.IsNullOrWhiteSpace(student.DisplayName))
        {
            problems.Add(new("$.displayName", "student.name.required", "A student needs a display name."));
        }

        var ordered = student.Enrollments.Select((e, i) => (e, i)).OrderBy(x => x.e.EntryDate).ToArray();
        for (var k = 0; k < ordered.Length; k++)
        {
            var (e, i) = ordered[k];
            if (e.ExitDate is { } exit && exit < e.EntryDate)
            {
                problems.Add(new($"$.enrollments[{i}].exitDate", "enrollment.dates.ordered", $"The exit date {exit:yyyy-MM-dd} is before the entry date {e.EntryDate:yyyy-MM-dd}."));
            }

            if (k > 0 && (ordered[k - 1].e.ExitDate is null || ordered[k - 1].e.ExitDate >= e.EntryDate))
            {
                problems.Add(new($"$.enrollments[{i}].entryDate", "enrollment.dates.no-overlap", $"The enrollment starting {e.EntryDate:yyyy-MM-dd} overlaps the one starting {ordered[k - 1].e.EntryDate:yyyy-MM-dd}."));
            }
        }

        return problems;
    }

    /// <summary>
    /// Imports a OneRoster 1.1 or 1.2 CSV folder (schools, students with enrollment history and transfers,
    /// rosters) for the district, as of today in the district's calendar. Every problem is reported at once
    /// and nothing is written unless the whole folder is valid; the changes and the audit record are saved
    /// together. Importing the same folder again changes nothing.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageRosters"/> for the district).</param>
    /// <param name="folder">The folder holding manifest.csv and the data files.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>What changed, and the warnings.</returns>
    public async Task<OneRoster.OneRosterImportResult> ImportOneRosterAsync(Actor actor, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var request = new AccessRequest(AccessRight.ManageRosters);
        await Guard.DemandAsync(actor, request, "oneroster.import", cancellationToken).ConfigureAwait(false);
        var options = new OneRoster.OneRosterImportOptions { AsOf = _context.Today, SchoolYearStartMonth = _context.Options.SchoolYearStartMonth };
        return await OneRoster.OneRosterImporter.ImportAsync(
            folder,
            Store,
            options,
            Planners,
            changes => changes.Put(Guard.Record(actor, "oneroster.import", request, true)),
            cancellationToken).ConfigureAwait(false);
    }
}
