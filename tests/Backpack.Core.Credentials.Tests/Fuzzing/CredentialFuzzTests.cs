using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.Credentials.Tests.Fuzzing;

/// <summary>
/// Hostile credentials at volume: mutated signed credentials (bit flips, truncations, duplicated and deleted
/// slices, splices) that are still JSON objects either verify (only when the mutation left the signed statements
/// unchanged) or are rejected with errors, or fail with a Backpack exception naming the place; never another
/// exception, never a hang.
/// </summary>
public sealed class CredentialFuzzTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData", "openbadges");

    [Fact]
    public async Task VerifyAsync_MutatedSignedCredentials_ResultOrBackpackExceptionOnly()
    {
        var key = Ed25519IssuerKey.FromSeed(new byte[32]);
        var suite = new EddsaRdfc2022();
        var document = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Data, "clr-vector-Document_before_signing.json")))!;
        document["issuer"]!["id"] = key.IssuerId;
        var signed = await suite.SignAsync(document, key, new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True((await suite.VerifyAsync((JsonObject)signed.DeepClone())).Verified);
        var seeds = new[] { Encoding.UTF8.GetBytes(signed.ToJsonString()), File.ReadAllBytes(Path.Combine(Data, "clr-vector-Signed_credential.json")) };
        var failures = new List<string>();
        var rejected = 0;

        Check.One(Mutations.Config, Prop.ForAll(Mutations.Of(seeds).ToArbitrary(), bytes =>
        {
            JsonObject? candidate;
            try
            {
                candidate = JsonNode.Parse(bytes) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return true; // not JSON: the caller's parser refuses it before the library sees it
            }

            if (candidate is null)
            {
                return true;
            }

            try
            {
                var result = suite.VerifyAsync(candidate).GetAwaiter().GetResult();
                rejected += result.Verified ? 0 : 1;
            }
            catch (BackpackException)
            {
                rejected++;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()} for input {Convert.ToBase64String(bytes)}");
            }

            return true;
        }));

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(10)));
        Assert.True(rejected > 0, "no mutation was rejected");
    }

    // Found by the fuzzer: a character outside base58btc in a proof value or did:key made the decoder throw IndexOutOfRangeException.
    [Theory]
    [InlineData("proofValue")]
    [InlineData("verificationMethod")]
    public async Task VerifyAsync_NonBase58Character_RejectedWithAnError(string field)
    {
        var key = Ed25519IssuerKey.FromSeed(new byte[32]);
        var document = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Data, "clr-vector-Document_before_signing.json")))!;
        document["issuer"]!["id"] = key.IssuerId;
        var signed = await new EddsaRdfc2022().SignAsync(document, key, new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        var value = (string)signed["proof"]![field]!;
        signed["proof"]![field] = value[..^3] + "é0l";

        var result = await new EddsaRdfc2022().VerifyAsync(signed);

        Assert.False(result.Verified);
    }

    // Found by the fuzzer: System.Text.Json noticed a duplicate property or invalid UTF-8 only when the library read
    // the node, so ArgumentException / InvalidOperationException escaped from VerifyAsync.
    [Theory]
    [InlineData("{\"proof\":{},\"proof\":{}}", "a property name appears twice")]
    [InlineData("{\"name\":\"\u00ff\"}", null)]
    public async Task VerifyAsync_DuplicatePropertyOrBadUtf8_RejectedWithAnErrorNotAnException(string json, string? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (expected is null)
        {
            bytes = [.. Encoding.UTF8.GetBytes("{\"name\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];
            expected = "not valid UTF-8";
        }

        var result = await new EddsaRdfc2022().VerifyAsync((JsonObject)JsonNode.Parse(bytes)!);

        Assert.False(result.Verified);
        Assert.Contains(expected, Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
