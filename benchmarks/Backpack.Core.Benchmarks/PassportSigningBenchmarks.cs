using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Backpack.Core.Credentials.Proofs;

namespace Backpack.Core.Benchmarks;

/// <summary>
/// Signing a CLR 2.0 credential that embeds five skill credentials with eddsa-rdfc-2022 (JSON-LD to RDF with the
/// pinned contexts in safe mode, RDFC-1.0 of document and proof options, SHA-256, Ed25519), against the canonical
/// form of the same document alone. The CLR is 1EdTech's vector with its embedded credential repeated five times
/// (distinct ids).
/// </summary>
[MemoryDiagnoser]
public class PassportSigningBenchmarks
{
    private readonly EddsaRdfc2022 suite = new();
    private readonly Ed25519IssuerKey key = Ed25519IssuerKey.FromSeed(Convert.FromHexString("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"));
    private readonly DateTimeOffset created = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private JsonObject clr = null!;

    [GlobalSetup]
    public void Setup()
    {
        clr = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "clr-vector.json")))!;
        var credentials = (JsonArray)clr["credentialSubject"]!["verifiableCredential"]!;
        var template = credentials[0]!;
        credentials.Clear();
        for (var i = 0; i < 5; i++)
        {
            var credential = template.DeepClone();
            credential["id"] = $"urn:uuid:00000000-0000-4000-8000-00000000000{i}";
            credentials.Add(credential);
        }
    }

    [Benchmark(Baseline = true)]
    public string CanonicalizeOnly() => suite.CanonicalDocument(clr);

    [Benchmark]
    public async Task<JsonObject> SignClrWithFiveCredentials() => await suite.SignAsync(clr, key, created);
}
