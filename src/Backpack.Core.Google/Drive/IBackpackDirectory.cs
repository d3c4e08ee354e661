using System.Collections.Concurrent;

namespace Backpack.Core.Google.Drive;

/// <summary>
/// Resolves the people Backpack knows by id to their Google Workspace email addresses (the core keeps ids only).
/// Districts implement it over their directory (Google Admin SDK, SIS, OneRoster users).
/// </summary>
public interface IBackpackDirectory
{
    /// <summary>Finds an adult's email (teacher, panelist, guardian).</summary>
    /// <param name="person">The person.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The email, or <see langword="null"/> when unknown (nothing is shared with them).</returns>
    ValueTask<string?> FindEmailAsync(PersonId person, CancellationToken cancellationToken = default);

    /// <summary>Finds a student's email, when the student record has none.</summary>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The email, or <see langword="null"/>.</returns>
    ValueTask<string?> FindStudentEmailAsync(StudentId student, CancellationToken cancellationToken = default);
}

/// <summary>An in-memory <see cref="IBackpackDirectory"/>, for tests and samples.</summary>
internal sealed class InMemoryBackpackDirectory : IBackpackDirectory
{
    private readonly ConcurrentDictionary<PersonId, string> people = new();
    private readonly ConcurrentDictionary<StudentId, string> students = new();

    /// <summary>Sets an adult's email.</summary>
    /// <param name="person">The person.</param>
    /// <param name="email">The email.</param>
    /// <returns>This directory.</returns>
    public InMemoryBackpackDirectory Add(PersonId person, string email)
    {
        people[person] = email;
        return this;
    }

    /// <summary>Sets a student's email.</summary>
    /// <param name="student">The student.</param>
    /// <param name="email">The email.</param>
    /// <returns>This directory.</returns>
    public InMemoryBackpackDirectory Add(StudentId student, string email)
    {
        students[student] = email;
        return this;
    }

    /// <inheritdoc />
    public ValueTask<string?> FindEmailAsync(PersonId person, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(people.TryGetValue(person, out var e) ? e : null);

    /// <inheritdoc />
    public ValueTask<string?> FindStudentEmailAsync(StudentId student, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(students.TryGetValue(student, out var e) ? e : null);
}
