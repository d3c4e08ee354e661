namespace Backpack.Core.Credentials.Rdf;

/// <summary>The kind of an RDF term.</summary>
public enum RdfTermKind
{
    /// <summary>An absolute IRI.</summary>
    Iri,

    /// <summary>A blank node, identified by a label local to its dataset.</summary>
    BlankNode,

    /// <summary>A literal with a datatype and, for language-tagged strings, a language.</summary>
    Literal,
}

/// <summary>An RDF term: an IRI, a blank node or a literal. Immutable, with value equality.</summary>
public sealed record RdfTerm
{
    /// <summary>The IRI of <c>xsd:string</c>, the datatype of plain literals.</summary>
    public const string XsdString = "http://www.w3.org/2001/XMLSchema#string";

    /// <summary>The IRI of <c>rdf:langString</c>, the datatype of language-tagged literals.</summary>
    public const string RdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

    private RdfTerm(RdfTermKind kind, string value, string? datatype, string? language)
    {
        Kind = kind;
        Value = value;
        Datatype = datatype;
        Language = language;
    }

    /// <summary>What kind of term this is.</summary>
    public RdfTermKind Kind { get; }

    /// <summary>The IRI, the blank node label (without <c>_:</c>), or the literal's lexical form.</summary>
    public string Value { get; }

    /// <summary>The datatype IRI of a literal; <see langword="null"/> for IRIs and blank nodes.</summary>
    public string? Datatype { get; }

    /// <summary>The language tag of a language-tagged literal, otherwise <see langword="null"/>.</summary>
    public string? Language { get; }

    /// <summary>Whether this is a blank node.</summary>
    public bool IsBlankNode => Kind == RdfTermKind.BlankNode;

    /// <summary>Creates an IRI term.</summary>
    /// <param name="iri">The IRI.</param>
    /// <returns>The term.</returns>
    public static RdfTerm Iri(string iri)
    {
        ArgumentNullException.ThrowIfNull(iri);
        return new RdfTerm(RdfTermKind.Iri, iri, null, null);
    }

    /// <summary>Creates a blank node term.</summary>
    /// <param name="label">The label, without <c>_:</c>.</param>
    /// <returns>The term.</returns>
    public static RdfTerm BlankNode(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return new RdfTerm(RdfTermKind.BlankNode, label, null, null);
    }

    /// <summary>Creates a literal term.</summary>
    /// <param name="lexicalForm">The lexical form.</param>
    /// <param name="datatype">The datatype IRI; <see langword="null"/> means <c>xsd:string</c>, or <c>rdf:langString</c> with a language.</param>
    /// <param name="language">The language tag, if any.</param>
    /// <returns>The term.</returns>
    public static RdfTerm Literal(string lexicalForm, string? datatype = null, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(lexicalForm);
        return new RdfTerm(RdfTermKind.Literal, lexicalForm, datatype ?? (language is null ? XsdString : RdfLangString), language);
    }

    /// <summary>The term in canonical N-Quads form, e.g. <c>&lt;urn:x&gt;</c>, <c>_:b0</c> or <c>"v"@en</c>.</summary>
    /// <returns>The N-Quads form.</returns>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        NQuads.WriteTerm(builder, this, null);
        return builder.ToString();
    }
}

/// <summary>An RDF quad: a triple and the graph it belongs to.</summary>
/// <param name="Subject">An IRI or a blank node.</param>
/// <param name="Predicate">An IRI.</param>
/// <param name="Object">An IRI, a blank node or a literal.</param>
/// <param name="Graph">The graph name (an IRI or a blank node), or <see langword="null"/> for the default graph.</param>
#pragma warning disable CA1720 // "Object" is the RDF name of a triple's third term.
public sealed record RdfQuad(RdfTerm Subject, RdfTerm Predicate, RdfTerm Object, RdfTerm? Graph)
{
    /// <summary>The quad as one canonical N-Quads line, with its final newline.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => NQuads.Serialize(this);
}
#pragma warning restore CA1720
