using System.Text.Json;
using Backpack.Core.Credentials.Rdf;

namespace Backpack.Core.Credentials.Tests;

/// <summary>The W3C RDFC-1.0 test suite (TestData/rdf-canon, see TestData/README.md), every entry of its manifest.</summary>
public sealed class RdfCanonSuiteTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "rdf-canon");

    public static TheoryData<string> Entries()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Manifest())
        {
            data.Add(entry.GetProperty("id").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Manifest_EveryEntry_IsRun()
    {
        Assert.Equal(86, Manifest().Length);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Canonicalize_W3cSuiteEntry_MatchesExpected(string id)
    {
        var entry = Manifest().Single(e => e.GetProperty("id").GetString() == id);
        var type = entry.GetProperty("type").GetString();
        var input = File.ReadAllText(Path.Combine(Root, entry.GetProperty("action").GetString()!));
        var options = entry.TryGetProperty("hashAlgorithm", out var hash) && hash.GetString() == "SHA384"
            ? RdfCanonicalizationOptions.Default with { Hash = RdfCanonicalizationHash.Sha384 }
            : RdfCanonicalizationOptions.Default;
        switch (type)
        {
            case "rdfc:RDFC10EvalTest":
                var expected = File.ReadAllText(Path.Combine(Root, entry.GetProperty("result").GetString()!));
                Assert.Equal(expected, RdfCanonicalizer.CanonicalizeNQuads(input, options).NQuads);
                break;
            case "rdfc:RDFC10MapTest":
                var map = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Root, entry.GetProperty("result").GetString()!)))!;
                var issued = RdfCanonicalizer.CanonicalizeNQuads(input, options).IssuedIdentifiers;
                Assert.Equal(map.OrderBy(p => p.Key, StringComparer.Ordinal), issued.OrderBy(p => p.Key, StringComparer.Ordinal));
                break;
            case "rdfc:RDFC10NegativeEvalTest":
                var error = Assert.Throws<RdfCanonicalizationException>(() => RdfCanonicalizer.CanonicalizeNQuads(input, options));
                Assert.Equal("rdfc10.max-deep-iterations", error.Rule);
                break;
            default:
                Assert.Fail($"Unknown test type {type}");
                break;
        }
    }

    private static JsonElement[] Manifest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.jsonld")));
        return document.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
