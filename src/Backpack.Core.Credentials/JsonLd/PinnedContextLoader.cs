using System.Collections.Frozen;
using System.Text.Json;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>
/// The document loader of credentials: serves the JSON-LD contexts pinned in this package (W3C credentials v2 and
/// v1, Data Integrity v2, Open Badges 3.0.3 and its extensions, CLR 2.0.1) and refuses every other URL. It never
/// touches the network.
/// </summary>
public sealed class PinnedContextLoader : IJsonLdDocumentLoader
{
    private readonly FrozenDictionary<string, JsonElement> documents;

    private PinnedContextLoader(FrozenDictionary<string, JsonElement> documents)
    {
        this.documents = documents;
    }

    /// <summary>The loader of the contexts shipped in this package.</summary>
    public static PinnedContextLoader Default { get; } = Create();

    /// <summary>The URLs this loader serves.</summary>
    public IEnumerable<string> Urls => documents.Keys;

    /// <inheritdoc />
    public JsonLdRemoteDocument Load(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return documents.TryGetValue(url, out var document)
            ? new JsonLdRemoteDocument(url, document)
            : throw new JsonLdException("loading remote context failed", url, "The context is not one of the pinned contexts; remote contexts are never fetched");
    }

    private static PinnedContextLoader Create()
    {
        var assembly = typeof(PinnedContextLoader).Assembly;
        using var index = JsonDocument.Parse(Read("index.json"));
        var documents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in index.RootElement.EnumerateObject())
        {
            using var document = JsonDocument.Parse(Read(entry.Value.GetString()!));
            documents[entry.Name] = document.RootElement.Clone();
        }

        return new PinnedContextLoader(documents.ToFrozenDictionary(StringComparer.Ordinal));

        string Read(string file)
        {
            using var stream = assembly.GetManifestResourceStream("Backpack.Core.Credentials.Contexts." + file)
                ?? throw new InvalidOperationException($"The pinned context {file} is missing from the package.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
