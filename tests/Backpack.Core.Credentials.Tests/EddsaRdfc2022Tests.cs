using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Credentials.Proofs;

namespace Backpack.Core.Credentials.Tests;

/// <summary>eddsa-rdfc-2022 on the W3C vc-di-eddsa vectors and 1EdTech's CLR 2.0 vector (see TestData/README.md).</summary>
public sealed class EddsaRdfc2022Tests
{
    private const string ClrSeed = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4";
    private const string ClrProofValue = "zF52sU1nfPAjcwCqtgxPNSor6SJnAzRBwZW5VNQXPt8xXCHkd39sgqj32DnMjhFCzbyHsLkhQ8HpBqQTkMgXy329";
    private const string ClrMultikey = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData");

    [Fact]
    public async Task SignAsync_W3cVectorCanonicalForms_GivesVectorSignature()
    {
        var key = Ed25519IssuerKey.LoadOrCreateFile(Path.Combine(Data, "vc-di-eddsa", "keyPair.json"));
        Assert.Equal("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", key.PublicKeyMultibase);
        var dir = Path.Combine(Data, "vc-di-eddsa", "eddsa-rdfc-2022");
        var proofHash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(dir, "proofCanonDataInt.txt"))));
        var documentHash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(dir, "canonDocDataInt.txt"))));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "combinedHashDataInt.txt")).Trim(), Convert.ToHexStringLower([.. proofHash, .. documentHash]));
        var signature = await key.SignAsync(new byte[][] { proofHash, documentHash }.SelectMany(b => b).ToArray());
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "sigHexDataInt.txt")).Trim(), Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void CanonicalDocument_ClrVector_IsByteIdentical()
    {
        var document = Load("clr-vector-Document_before_signing.json");
        Assert.Equal(File.ReadAllText(Path.Combine(Data, "openbadges", "clr-document-canon.txt")), new EddsaRdfc2022().CanonicalDocument(document));
    }

    [Fact]
    public void CanonicalProofOptions_ClrVector_IsByteIdentical()
    {
        var document = Load("clr-vector-Document_before_signing.json");
        var proof = Load("clr-vector-Proof.json");
        Assert.Equal(File.ReadAllText(Path.Combine(Data, "openbadges", "clr-proof-canon.txt")), new EddsaRdfc2022().CanonicalProofOptions(document, proof));
    }

    [Fact]
    public async Task SignAsync_ClrVectorSeedAndCreated_GivesVectorProofValue()
    {
        var key = Ed25519IssuerKey.FromSeed(Convert.FromHexString(ClrSeed), "https://example.edu/issuers/565049#" + ClrMultikey);
        Assert.Equal(ClrMultikey, key.PublicKeyMultibase);
        var signed = await new EddsaRdfc2022().SignAsync(Load("clr-vector-Document_before_signing.json"), key, DateTimeOffset.Parse("2010-01-01T19:23:24Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ClrProofValue, (string?)signed["proof"]!["proofValue"]);
    }

    [Fact]
    public async Task VerifyAsync_ClrVectorSignedCredential_Verifies()
    {
        var result = await Suite().VerifyAsync(Load("clr-vector-Signed_credential.json"));
        Assert.True(result.Verified, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task VerifyAsync_OneCharacterTampered_Fails()
    {
        var text = File.ReadAllText(Path.Combine(Data, "openbadges", "clr-vector-Signed_credential.json"));
        var index = text.IndexOf("\"name\": \"", StringComparison.Ordinal) + 9;
        var tampered = text[..index] + (text[index] == 'X' ? 'Y' : 'X') + text[(index + 1)..];
        var result = await Suite().VerifyAsync((JsonObject)JsonNode.Parse(tampered)!);
        Assert.False(result.Verified);
        Assert.Contains(result.Errors, e => e.StartsWith("proof.signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_UndefinedTerm_FailsNamingIt()
    {
        var document = Load("clr-vector-Signed_credential.json");
        document["favouriteColour"] = "blue";
        var result = await Suite().VerifyAsync(document);
        Assert.False(result.Verified);
        Assert.Contains(result.Errors, e => e.Contains("favouriteColour", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignAsync_DidKeyIssuer_VerifiesWithDefaultResolver()
    {
        var key = Ed25519IssuerKey.FromSeed(Convert.FromHexString(ClrSeed));
        Assert.Equal("did:key:" + ClrMultikey + "#" + ClrMultikey, key.VerificationMethod);
        var signed = await new EddsaRdfc2022().SignAsync(Load("clr-vector-Document_before_signing.json"), key, new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True((await new EddsaRdfc2022().VerifyAsync(signed)).Verified);
        Assert.DoesNotContain("6241a409", key.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static EddsaRdfc2022 Suite() => new(resolver: new VectorResolver());

    private static JsonObject Load(string file) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Data, "openbadges", file)))!;

    private sealed class VectorResolver : IVerificationMethodResolver
    {
        public bool TryResolve(string verificationMethod, out byte[] publicKey)
        {
            publicKey = [];
            return verificationMethod == "https://example.edu/issuers/565049#" + ClrMultikey && DidKey.TryParseMultikey(ClrMultikey, out publicKey);
        }
    }
}
