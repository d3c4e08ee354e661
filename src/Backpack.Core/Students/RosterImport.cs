using Backpack.Core.Access;
using Backpack.Core.Storage;

namespace Backpack.Core.Students;

/// <summary>
/// One authorized roster import in progress (see <see cref="RosterService.ImportAsync{TResult}"/>): what a roster
/// source (a OneRoster folder, a SIS feed) may read to plan its changes, and where it puts them. Nothing is saved
/// until the import's plan returns; then every change and the audit record are saved in one change set, and the
/// ids they name are checked. A source never decides who may import: the access policy did, before the plan ran.
/// </summary>
public sealed class RosterImport
{
    private readonly Command _command;

    internal RosterImport(Command command) => _command = command;

    /// <summary>Today in the district's time zone: the date the import describes.</summary>
    public DateOnly Today => _command.Today;

    /// <summary>The month (1-12) the district's school year starts in.</summary>
    public int SchoolYearStartMonth => _command.Options.SchoolYearStartMonth;

    /// <summary>Extra detail (ids and counts only, never names) for the import's audit record.</summary>
    public string? Detail
    {
        get => _command.Detail;
        set => _command.Detail = value;
    }

    /// <summary>Every school.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The schools.</returns>
    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) =>
        _command.Store.ListSchoolsAsync(cancellationToken);

    /// <summary>Finds a student by one of their identities.</summary>
    /// <param name="kind">The identity.</param>
    /// <param name="value">Its value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The student, or <see langword="null"/>.</returns>
    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default) =>
        _command.Store.FindStudentAsync(kind, value, cancellationToken);

    /// <summary>Gets a roster.</summary>
    /// <param name="id">The roster id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The roster, or <see langword="null"/>.</returns>
    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) =>
        _command.Store.GetRosterAsync(id, cancellationToken);

    /// <summary>The rosters a student is on in a school year.</summary>
    /// <param name="student">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rosters.</returns>
    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) =>
        _command.Store.ListRostersForStudentAsync(student, year, cancellationToken);

    /// <summary>Adds or changes a school.</summary>
    /// <param name="school">The school, with the version it was read at.</param>
    /// <returns>The school as it will be saved.</returns>
    /// <exception cref="BackpackValidationException">The school has no name.</exception>
    public School Put(School school)
    {
        ArgumentNullException.ThrowIfNull(school);
        return string.IsNullOrWhiteSpace(school.Name)
            ? throw new BackpackValidationException("$.name", "school.name.required", "A school needs a name.")
            : _command.Put(school);
    }

    /// <summary>Adds or changes a student.</summary>
    /// <param name="before">The stored student, or <see langword="null"/> for a new one.</param>
    /// <param name="after">The student after the import.</param>
    /// <returns>The student as it will be saved.</returns>
    /// <exception cref="BackpackValidationException">The student breaks a rule of <see cref="RosterService.Validate"/>.</exception>
    public Student Put(Student? before, Student after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var problems = RosterService.Validate(after);
        return problems.Count > 0 ? throw new BackpackValidationException(problems) : _command.Put(before, after);
    }

    /// <summary>Adds or changes a roster.</summary>
    /// <param name="before">The stored roster, or <see langword="null"/> for a new one.</param>
    /// <param name="after">The roster after the import.</param>
    /// <returns>The roster as it will be saved.</returns>
    public Roster Put(Roster? before, Roster after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return _command.Put(before, after);
    }
}
