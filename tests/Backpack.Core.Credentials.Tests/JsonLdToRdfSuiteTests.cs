using System.Text.Json;
using Backpack.Core.Credentials.JsonLd;
using Backpack.Core.Credentials.Rdf;

namespace Backpack.Core.Credentials.Tests;

/// <summary>
/// The W3C JSON-LD 1.1 toRdf suite (TestData/jsonld-toRdf, see TestData/README.md). Eligible: every test not
/// restricted to JSON-LD 1.0 (specVersion or processingMode json-ld-1.0). Contexts the tests name relative to the
/// suite are served from the local copy; nothing is fetched. TestData/jsonld-toRdf-known-failures.txt lists the
/// eligible tests that fail, each with its reason: every listed test must still fail, every other must pass.
/// </summary>
public sealed class JsonLdToRdfSuiteTests
{
    private const string SuiteBase = "https://w3c.github.io/json-ld-api/tests/";
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "jsonld-toRdf");

    /// <summary>The pass count this implementation reached; it must not drop.</summary>
    private const int AchievedPasses = 445;

    public static TheoryData<string> EligibleTests()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Eligible())
        {
            data.Add(entry.GetProperty("@id").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EligibleTests))]
    public void ToRdf_W3cSuiteEntry_PassesUnlessKnownFailure(string id)
    {
        var entry = Eligible().Single(e => e.GetProperty("@id").GetString() == id);
        var failure = Run(entry);
        if (KnownFailures().TryGetValue(id.TrimStart('#'), out var reason))
        {
            Assert.True(failure is not null, $"{id} is listed as a known failure ({reason}) but passes: remove it from the list.");
        }
        else
        {
            Assert.True(failure is null, $"{id}: {failure}");
        }
    }

    [Fact]
    public void ToRdf_W3cSuite_PassCountDoesNotDrop()
    {
        var eligible = Eligible();
        var passed = eligible.Count(e => Run(e) is null);
        Assert.True(passed >= AchievedPasses, $"{passed} of {eligible.Length} eligible tests pass; {AchievedPasses} did before.");
        Assert.Equal(eligible.Length - KnownFailures().Count, passed);
    }

    private static string? Run(JsonElement entry)
    {
        var input = entry.GetProperty("input").GetString()!;
        var option = entry.TryGetProperty("option", out var o) ? o : default;
        var baseIri = option.ValueKind == JsonValueKind.Object && option.TryGetProperty("base", out var b) ? b.GetString()! : SuiteBase + input;
        var options = new JsonLdOptions
        {
            BaseIri = baseIri,
            DocumentLoader = new SuiteLoader(),
            ProduceGeneralizedRdf = option.ValueKind == JsonValueKind.Object && option.TryGetProperty("produceGeneralizedRdf", out var g) && g.GetBoolean(),
            RdfDirection = option.ValueKind == JsonValueKind.Object && option.TryGetProperty("rdfDirection", out var d)
                ? d.GetString() == "i18n-datatype" ? JsonLdRdfDirection.I18nDatatype : JsonLdRdfDirection.CompoundLiteral
                : JsonLdRdfDirection.None,
        };
        if (option.ValueKind == JsonValueKind.Object && option.TryGetProperty("expandContext", out var ec))
        {
            using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, ec.GetString()!)));
            options = options with { ExpandContext = context.RootElement.Clone() };
        }

        var types = entry.GetProperty("@type").EnumerateArray().Select(t => t.GetString()).ToArray();
        IReadOnlyList<RdfQuad> quads;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, input)));
            quads = JsonLdProcessor.ToRdf(document.RootElement, options);
        }
        catch (JsonLdException e)
        {
            if (types.Contains("jld:NegativeEvaluationTest"))
            {
                var expected = entry.GetProperty("expectErrorCode").GetString();
                return e.Code == expected ? null : $"expected error '{expected}', got '{e.Code}': {e.Message}";
            }

            return $"unexpected error {e.Code}: {e.Message}";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or KeyNotFoundException or InvalidCastException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            return $"crash {e.GetType().Name}: {e.Message}";
        }

        if (types.Contains("jld:NegativeEvaluationTest"))
        {
            return $"expected error '{entry.GetProperty("expectErrorCode").GetString()}', got none";
        }

        if (!entry.TryGetProperty("expect", out var expect))
        {
            return null;
        }

        try
        {
            var expectedCanon = RdfCanonicalizer.CanonicalizeNQuads(File.ReadAllText(Path.Combine(Root, expect.GetString()!))).NQuads;
            var actualCanon = RdfCanonicalizer.Canonicalize(quads).NQuads;
            return expectedCanon == actualCanon ? null : $"different RDF:\nexpected:\n{expectedCanon}\nactual:\n{actualCanon}";
        }
        catch (RdfSyntaxException e)
        {
            return $"expected output not parsed: {e.Message}";
        }
    }

    private static JsonElement[] Eligible()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "toRdf-manifest.jsonld")));
        return manifest.RootElement.GetProperty("sequence").EnumerateArray()
            .Where(e => !(e.TryGetProperty("option", out var o)
                && ((o.TryGetProperty("specVersion", out var v) && v.GetString() == "json-ld-1.0")
                    || (o.TryGetProperty("processingMode", out var m) && m.GetString() == "json-ld-1.0"))))
            .Select(e => e.Clone())
            .ToArray();
    }

    private static Dictionary<string, string> KnownFailures() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "jsonld-toRdf-known-failures.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);

    private sealed class SuiteLoader : IJsonLdDocumentLoader
    {
        public JsonLdRemoteDocument Load(string url)
        {
            if (!url.StartsWith(SuiteBase, StringComparison.Ordinal) || !File.Exists(Path.Combine(Root, url[SuiteBase.Length..])))
            {
                throw new JsonLdException("loading document failed", url, "Not in the local copy of the suite");
            }

            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, url[SuiteBase.Length..])));
            return new JsonLdRemoteDocument(url, document.RootElement.Clone());
        }
    }
}
