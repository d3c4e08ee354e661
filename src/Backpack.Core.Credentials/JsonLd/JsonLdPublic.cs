using System.Text.Json;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>
/// A JSON-LD processing error: carries the error code the JSON-LD 1.1 API specification names (e.g.
/// <c>invalid term definition</c>, <c>loading remote context failed</c>) and the term or IRI concerned.
/// </summary>
public sealed class JsonLdException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    public JsonLdException()
        : this("JSON-LD processing failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public JsonLdException(string message)
        : base(message)
    {
        Code = "jsonld";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public JsonLdException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = "jsonld";
    }

    /// <summary>Creates the exception for a JSON-LD error code.</summary>
    /// <param name="code">The error code of the JSON-LD 1.1 API, e.g. <c>invalid IRI mapping</c>, or <c>safe mode</c>.</param>
    /// <param name="subject">The term, keyword or IRI concerned.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public JsonLdException(string code, string? subject, string message, Exception? innerException = null)
        : base(subject is null ? $"{message} [{code}]" : $"{message} ('{subject}') [{code}]", innerException)
    {
        Code = code;
        Subject = subject;
    }

    /// <summary>The JSON-LD error code, e.g. <c>invalid term definition</c>; <c>safe mode</c> for a term no context defines.</summary>
    public string Code { get; }

    /// <summary>The term, keyword or IRI concerned, if any.</summary>
    public string? Subject { get; }

    /// <summary><c>jsonld</c>.</summary>
    public override string ErrorCode => "jsonld";
}

/// <summary>A document the loader returns: its final URL and its JSON.</summary>
/// <param name="DocumentUrl">The URL the document was loaded from, the base for its relative IRIs.</param>
/// <param name="Document">The parsed JSON document.</param>
public sealed record JsonLdRemoteDocument(string DocumentUrl, JsonElement Document);

/// <summary>Loads remote JSON-LD documents (contexts). Backpack's loaders never touch the network.</summary>
public interface IJsonLdDocumentLoader
{
    /// <summary>Loads a document.</summary>
    /// <param name="url">The absolute URL.</param>
    /// <returns>The document.</returns>
    /// <exception cref="JsonLdException">The document is not available (<c>loading document failed</c>).</exception>
    JsonLdRemoteDocument Load(string url);
}

/// <summary>How a base direction of a string becomes RDF.</summary>
public enum JsonLdRdfDirection
{
    /// <summary>Dropped (the default).</summary>
    None,

    /// <summary>As a datatype <c>https://www.w3.org/ns/i18n#{language}_{direction}</c>.</summary>
    I18nDatatype,

    /// <summary>As a compound literal node with <c>rdf:value</c>, <c>rdf:language</c> and <c>rdf:direction</c>.</summary>
    CompoundLiteral,
}

/// <summary>Options of JSON-LD to RDF conversion.</summary>
public sealed record JsonLdOptions
{
    /// <summary>The loader of remote contexts; the pinned contexts shipped in this package when null.</summary>
    public IJsonLdDocumentLoader? DocumentLoader { get; init; }

    /// <summary>The base IRI of the document, for its relative IRIs; none by default.</summary>
    public string? BaseIri { get; init; }

    /// <summary>
    /// Safe mode: a property or type that no context defines (and would therefore be dropped silently) makes the
    /// conversion fail with a <see cref="JsonLdException"/> of code <c>safe mode</c> naming it. Signing and
    /// verifying credentials always use safe mode.
    /// </summary>
    public bool SafeMode { get; init; }

    /// <summary>Whether blank nodes may be predicates (generalized RDF); false by default.</summary>
    public bool ProduceGeneralizedRdf { get; init; }

    /// <summary>How base directions become RDF; dropped by default.</summary>
    public JsonLdRdfDirection RdfDirection { get; init; }

    /// <summary>A context applied before the document's own, if any (a JSON object, array or URL string).</summary>
    public JsonElement? ExpandContext { get; init; }
}
