namespace Backpack.Core;

/// <summary>
/// What every exception the library throws on purpose carries, whatever built-in type it derives from
/// (<see cref="BackpackException"/> and its subclasses, <see cref="BackpackValidationException"/>,
/// <see cref="BackpackNotFoundException"/>, <see cref="BackpackAccessDeniedException"/>): whether a retry can help,
/// and a short stable code. Classify failures with <c>ex is IBackpackError { IsTransient: true }</c>; the outbox
/// worker does the same.
/// </summary>
public interface IBackpackError
{
    /// <summary>Whether retrying the same operation later can succeed.</summary>
    bool IsTransient { get; }

    /// <summary>
    /// A short, stable, lower-case code of the kind of failure, e.g. <c>validation</c>, <c>not-found</c>,
    /// <c>access-denied</c>, <c>concurrency</c>, <c>store</c>, <c>google.invalid_grant</c>. It never carries
    /// personal data, so it may be logged.
    /// </summary>
    string ErrorCode { get; }
}

/// <summary>
/// The base of every exception the library throws on purpose. Provider errors (Google, Npgsql, SQLite)
/// never escape raw: they arrive wrapped in a subclass that says what failed and whether a retry can help.
/// </summary>
public class BackpackException : Exception, IBackpackError
{
    /// <summary>Creates an exception.</summary>
    public BackpackException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public BackpackException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public BackpackException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether retrying the same operation later can succeed.</summary>
    public virtual bool IsTransient => false;

    /// <inheritdoc />
    public virtual string ErrorCode => "error";
}

/// <summary>One broken rule: where (a field, JSON path, or file, line and column) and which rule.</summary>
/// <param name="Path">Where the problem is, e.g. <c>$.CFItems[3].identifier</c> or <c>users.csv:12:4</c>.</param>
/// <param name="Rule">A short stable name of the rule, e.g. <c>rubric.levels.unique-names</c>.</param>
/// <param name="Message">A sentence a district developer can act on.</param>
public sealed record ValidationProblem(string Path, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} [{Rule}]";
}

/// <summary>Input broke one or more rules; every problem found is listed, not just the first.</summary>
public sealed class BackpackValidationException : ArgumentException, IBackpackError
{
    /// <summary>Creates the exception from a list of problems.</summary>
    /// <param name="problems">The problems; at least one.</param>
    public BackpackValidationException(IEnumerable<ValidationProblem> problems)
        : this(problems.ToValueList())
    {
    }

    private BackpackValidationException(ValueList<ValidationProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="path">Where.</param>
    /// <param name="rule">Which rule.</param>
    /// <param name="message">What is wrong.</param>
    public BackpackValidationException(string path, string rule, string message)
        : this([new ValidationProblem(path, rule, message)])
    {
    }

    /// <summary>Every problem found.</summary>
    public ValueList<ValidationProblem> Problems { get; }

    /// <summary>Always <see langword="false"/>: the same input breaks the same rules again.</summary>
    public bool IsTransient => false;

    /// <summary><c>validation</c>.</summary>
    public string ErrorCode => "validation";

    private static string Describe(ValueList<ValidationProblem> problems) => problems.Count switch
    {
        0 => "The input is not valid.",
        1 => $"The input is not valid: {problems[0]}",
        _ => $"The input is not valid ({problems.Count} problems): {string.Join("; ", problems.Take(10))}"
            + (problems.Count > 10 ? "; ..." : string.Empty),
    };
}

/// <summary>A requested item does not exist.</summary>
public sealed class BackpackNotFoundException : KeyNotFoundException, IBackpackError
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What kind of item, e.g. <c>student</c>.</param>
    /// <param name="id">Its identifier.</param>
    public BackpackNotFoundException(string kind, string id)
        : base($"No {kind} with id '{id}' exists.")
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>What kind of item was looked for.</summary>
    public string Kind { get; }

    /// <summary>The identifier looked for.</summary>
    public string Id { get; }

    /// <summary>Always <see langword="false"/>: the store commits atomically, so a missing item does not appear by waiting.</summary>
    public bool IsTransient => false;

    /// <summary><c>not-found</c>.</summary>
    public string ErrorCode => "not-found";
}

/// <summary>The access policy denied an operation. The message names the role, the permission and the rule.</summary>
public sealed class BackpackAccessDeniedException : UnauthorizedAccessException, IBackpackError
{
    /// <summary>Creates the exception.</summary>
    /// <param name="decision">The denying decision.</param>
    public BackpackAccessDeniedException(Access.AccessDecision decision)
        : base(decision?.Reason ?? "Access denied.")
    {
        Decision = decision!;
    }

    /// <summary>The decision, with the reason.</summary>
    public Access.AccessDecision Decision { get; }

    /// <summary>Always <see langword="false"/>: the same actor asking again is denied again.</summary>
    public bool IsTransient => false;

    /// <summary><c>access-denied</c>.</summary>
    public string ErrorCode => "access-denied";
}

/// <summary>
/// Someone else changed the same item since it was read: the write was not applied. Read the item again,
/// re-apply the change and retry.
/// </summary>
public sealed class BackpackConcurrencyException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What kind of item.</param>
    /// <param name="id">Its identifier.</param>
    /// <param name="expectedVersion">The version the writer read.</param>
    /// <param name="actualVersion">The version found in the store, or <see langword="null"/> if absent.</param>
    public BackpackConcurrencyException(string kind, string id, long expectedVersion, long? actualVersion)
        : base($"The {kind} '{id}' was changed by someone else (expected version {expectedVersion}, found {(actualVersion is null ? "none" : actualVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}); nothing was saved. Read it again and retry.")
    {
        Kind = kind;
        Id = id;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>What kind of item.</summary>
    public string Kind { get; }

    /// <summary>Its identifier.</summary>
    public string Id { get; }

    /// <summary>The version the writer read.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version in the store, if any.</summary>
    public long? ActualVersion { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;

    /// <summary><c>concurrency</c>.</summary>
    public override string ErrorCode => "concurrency";
}

/// <summary>A store (SQLite, PostgreSQL) failed. Says what failed and whether retrying can help.</summary>
public sealed class BackpackStoreException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isTransient">Whether a retry can help.</param>
    /// <param name="innerException">The provider's exception.</param>
    public BackpackStoreException(string message, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        Transient = isTransient;
    }

    private bool Transient { get; }

    /// <inheritdoc />
    public override bool IsTransient => Transient;

    /// <summary><c>store</c>.</summary>
    public override string ErrorCode => "store";
}

/// <summary>The result of an import: the imported value and any warnings (problems that did not stop it).</summary>
/// <typeparam name="T">The imported value's type.</typeparam>
/// <param name="Value">The imported value.</param>
/// <param name="Warnings">What was accepted with a warning.</param>
public sealed record ImportResult<T>(T Value, ValueList<ValidationProblem> Warnings);
