using System.Text.Json;
using Backpack.Core.Credentials.Rdf;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>JSON-LD 1.1 processing: a document to an RDF dataset (the toRdf algorithm, with expansion).</summary>
public static class JsonLdProcessor
{
    /// <summary>Converts a JSON-LD document to RDF.</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">Options; defaults (pinned contexts, no base, no safe mode) when null.</param>
    /// <returns>The quads of the dataset, with blank nodes labelled <c>b0</c>, <c>b1</c>, ...</returns>
    /// <exception cref="JsonLdException">The document is not valid JSON-LD, names a context not pinned, or (in safe mode) uses a term no context defines.</exception>
    public static IReadOnlyList<RdfQuad> ToRdf(JsonElement document, JsonLdOptions? options = null)
    {
        options ??= new JsonLdOptions();
        var contexts = new ContextProcessor(options.DocumentLoader ?? PinnedContextLoader.Default);
        var active = new ActiveContext(options.BaseIri);
        if (options.ExpandContext is { } expandContext)
        {
            var context = JsonModel.FromElement(expandContext);
            if (context is Dictionary<string, object?> map && map.TryGetValue("@context", out var inner))
            {
                context = inner;
            }

            active = contexts.Process(active, context, options.BaseIri);
        }

        var expanded = new Expander(contexts, options.SafeMode).ExpandDocument(active, JsonModel.FromElement(document), options.BaseIri);
        return new ToRdfConverter(options).Convert(expanded);
    }
}
