namespace Backpack.Core.Credentials.Rdf;

/// <summary>N-Quads text broke the grammar: says on which line and column, and which rule.</summary>
public sealed class RdfSyntaxException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    public RdfSyntaxException()
        : this("The N-Quads text is not valid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public RdfSyntaxException(string message)
        : base(message)
    {
        Rule = "nquads.syntax";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RdfSyntaxException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Rule = "nquads.syntax";
    }

    /// <summary>Creates the exception for a place in the text.</summary>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    /// <param name="rule">The grammar rule broken, e.g. <c>nquads.iri</c>.</param>
    /// <param name="message">What is wrong.</param>
    public RdfSyntaxException(int line, int column, string rule, string message)
        : base($"N-Quads line {line}, column {column}: {message} [{rule}]")
    {
        Line = line;
        Column = column;
        Rule = rule;
    }

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>The grammar rule broken.</summary>
    public string Rule { get; }

    /// <summary><c>rdf.syntax</c>.</summary>
    public override string ErrorCode => "rdf.syntax";
}

/// <summary>
/// Canonicalization gave up: the dataset needs more work than the configured limit allows (a "poison graph",
/// e.g. a clique of blank nodes), so no canonical form is produced.
/// </summary>
public sealed class RdfCanonicalizationException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    public RdfCanonicalizationException()
        : this("The dataset could not be canonicalized.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public RdfCanonicalizationException(string message)
        : base(message)
    {
        Rule = "rdfc10";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RdfCanonicalizationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Rule = "rdfc10";
    }

    /// <summary>Creates the exception for a limit that was reached.</summary>
    /// <param name="rule">The limit, e.g. <c>rdfc10.max-deep-iterations</c>.</param>
    /// <param name="limit">Its value.</param>
    /// <param name="message">What happened.</param>
    public RdfCanonicalizationException(string rule, int limit, string message)
        : base($"{message} [{rule} = {limit}]")
    {
        Rule = rule;
        Limit = limit;
    }

    /// <summary>The rule or limit concerned.</summary>
    public string Rule { get; }

    /// <summary>The value of the limit that was reached, if one was.</summary>
    public int Limit { get; }

    /// <summary><c>rdf.canonicalization</c>.</summary>
    public override string ErrorCode => "rdf.canonicalization";
}
