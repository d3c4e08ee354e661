using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core.Credentials.JsonLd;
using Backpack.Core.Credentials.Rdf;
using SimpleBase;

namespace Backpack.Core.Credentials.Proofs;

/// <summary>Finds the Ed25519 public key a proof's verification method names.</summary>
public interface IVerificationMethodResolver
{
    /// <summary>Resolves a verification method.</summary>
    /// <param name="verificationMethod">The IRI, e.g. <c>did:key:z6Mk...#z6Mk...</c>.</param>
    /// <param name="publicKey">The 32-byte Ed25519 key.</param>
    /// <returns>Whether the method is known.</returns>
    bool TryResolve(string verificationMethod, out byte[] publicKey);
}

/// <summary>The outcome of verifying a credential: never an exception for a credential that does not verify.</summary>
/// <param name="Verified">Whether every check passed.</param>
/// <param name="Errors">What failed, each naming the rule; empty when verified.</param>
public sealed record CredentialVerificationResult(bool Verified, IReadOnlyList<string> Errors);

/// <summary>
/// The <c>eddsa-rdfc-2022</c> Data Integrity cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0): the
/// document and the proof options are converted to RDF with the pinned contexts in safe mode, canonicalized with
/// RDFC-1.0, hashed with SHA-256 and signed with Ed25519.
/// </summary>
public sealed class EddsaRdfc2022
{
    /// <summary>The cryptosuite name.</summary>
    public const string Cryptosuite = "eddsa-rdfc-2022";

    private readonly JsonLdOptions jsonLd;
    private readonly IVerificationMethodResolver resolver;

    /// <summary>Creates the suite.</summary>
    /// <param name="documentLoader">The context loader; the pinned contexts when null.</param>
    /// <param name="resolver">Resolves verification methods; did:key only when null.</param>
    public EddsaRdfc2022(IJsonLdDocumentLoader? documentLoader = null, IVerificationMethodResolver? resolver = null)
    {
        jsonLd = new JsonLdOptions { DocumentLoader = documentLoader ?? PinnedContextLoader.Default, SafeMode = true };
        this.resolver = resolver ?? new DidKeyResolver();
    }

    /// <summary>Adds a proof to a document.</summary>
    /// <param name="document">The unsigned document (a JSON object with <c>@context</c>); not changed.</param>
    /// <param name="key">The issuer's key.</param>
    /// <param name="created">When the proof is created (from the caller's clock).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A copy of the document with its <c>proof</c>.</returns>
    /// <exception cref="JsonLdException">A term no pinned context defines (code <c>safe mode</c>) or a context not pinned.</exception>
    public async Task<JsonObject> SignAsync(JsonObject document, IIssuerKey key, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (Malformed(document) is { } malformed)
        {
            throw new JsonLdException("invalid input", null, $"The document is not well-formed JSON: {malformed}.");
        }

        ArgumentNullException.ThrowIfNull(key);
        var unsigned = (JsonObject)document.DeepClone();
        unsigned.Remove("proof");
        var proof = new JsonObject
        {
            ["type"] = "DataIntegrityProof",
            ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["verificationMethod"] = key.VerificationMethod,
            ["cryptosuite"] = Cryptosuite,
            ["proofPurpose"] = "assertionMethod",
        };
        var hashData = HashData(unsigned, proof);
        var signature = await key.SignAsync(hashData, cancellationToken).ConfigureAwait(false);
        proof["proofValue"] = "z" + Base58.Bitcoin.Encode(signature);
        unsigned["proof"] = proof;
        return unsigned;
    }

    /// <summary>The canonical N-Quads of a document without its proof (the signed "document" half).</summary>
    /// <param name="document">The document.</param>
    /// <returns>The canonical N-Quads.</returns>
    public string CanonicalDocument(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var unsigned = (JsonObject)document.DeepClone();
        unsigned.Remove("proof");
        return Canonicalize(unsigned);
    }

    /// <summary>The canonical N-Quads of proof options (without <c>proofValue</c>) in the document's contexts.</summary>
    /// <param name="document">The document whose <c>@context</c> applies.</param>
    /// <param name="proof">The proof or proof options.</param>
    /// <returns>The canonical N-Quads.</returns>
    public string CanonicalProofOptions(JsonObject document, JsonObject proof)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(proof);
        var options = (JsonObject)proof.DeepClone();
        options.Remove("proofValue");
        options["@context"] = document["@context"]?.DeepClone();
        return Canonicalize(options);
    }

    /// <summary>Verifies a signed document's <c>eddsa-rdfc-2022</c> proof.</summary>
    /// <param name="document">The signed document.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome, with every error found.</returns>
    public Task<CredentialVerificationResult> VerifyAsync(JsonObject document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new List<string>();
        if (Malformed(document) is { } malformed)
        {
            errors.Add($"document.json: {malformed}");
            return Task.FromResult(new CredentialVerificationResult(false, errors));
        }

        var proofNode = document["proof"] is JsonArray { Count: 1 } proofs ? proofs[0] : document["proof"];
        if (proofNode is not JsonObject proof)
        {
            errors.Add("proof.missing: the document has no single proof object");
            return Task.FromResult(new CredentialVerificationResult(false, errors));
        }

        if ((string?)proof["type"] != "DataIntegrityProof")
        {
            errors.Add("proof.type: the proof is not a DataIntegrityProof");
        }

        if ((string?)proof["cryptosuite"] != Cryptosuite)
        {
            errors.Add($"proof.cryptosuite: the cryptosuite is not {Cryptosuite}");
        }

        if ((string?)proof["proofPurpose"] != "assertionMethod")
        {
            errors.Add("proof.proofPurpose: the proof purpose is not assertionMethod");
        }

        byte[] signature = [];
        if (proof["proofValue"]?.GetValueKind() != JsonValueKind.String || (string?)proof["proofValue"] is not ['z', ..] proofValue)
        {
            errors.Add("proof.proofValue: the proof value is not a base58btc multibase string");
        }
        else
        {
            if (!DidKey.TryDecodeBase58(proofValue.AsSpan(1), out signature))
            {
                errors.Add("proof.proofValue: the proof value is not base58btc");
            }

            if (signature.Length != 64 && errors.Count == 0)
            {
                errors.Add("proof.proofValue: an Ed25519 signature has 64 bytes");
            }
        }

        byte[] publicKey = [];
        var method = proof["verificationMethod"]?.GetValueKind() == JsonValueKind.String ? (string?)proof["verificationMethod"] : null;
        if (method is null || !resolver.TryResolve(method, out publicKey))
        {
            errors.Add($"proof.verificationMethod: the verification method '{method}' cannot be resolved");
        }

        if (errors.Count > 0)
        {
            return Task.FromResult(new CredentialVerificationResult(false, errors));
        }

        try
        {
            var unsigned = (JsonObject)document.DeepClone();
            unsigned.Remove("proof");
            var hashData = HashData(unsigned, proof);
            if (!Ed25519IssuerKey.Verify(publicKey, hashData, signature))
            {
                errors.Add("proof.signature: the signature does not match the document");
            }
        }
        catch (BackpackException e)
        {
            errors.Add("jsonld: " + e.Message);
        }

        return Task.FromResult(new CredentialVerificationResult(errors.Count == 0, errors));
    }

    private byte[] HashData(JsonObject unsigned, JsonObject proof)
    {
        var proofHash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalProofOptions(unsigned, proof)));
        var documentHash = SHA256.HashData(Encoding.UTF8.GetBytes(Canonicalize(unsigned)));
        return [.. proofHash, .. documentHash];
    }

    private string Canonicalize(JsonObject node)
    {
        var element = JsonSerializer.SerializeToElement(node, CredentialsJsonContext.Default.JsonObject);
        return RdfCanonicalizer.Canonicalize(JsonLdProcessor.ToRdf(element, jsonLd)).NQuads;
    }

    private sealed class DidKeyResolver : IVerificationMethodResolver
    {
        public bool TryResolve(string verificationMethod, out byte[] publicKey) => DidKey.TryResolve(verificationMethod, out publicKey);
    }

    /// <summary>
    /// What is wrong with a parsed document that System.Text.Json only notices when the node is read (a property
    /// name twice, a string that is not UTF-8), or <see langword="null"/> when it is well-formed.
    /// </summary>
    internal static string? Malformed(JsonObject document)
    {
        try
        {
            Walk(document);
            return null;
        }
        catch (ArgumentException)
        {
            return "a property name appears twice in one object";
        }
        catch (InvalidOperationException)
        {
            return "a string is not valid UTF-8";
        }

        // Reading every property and string makes System.Text.Json build each object (duplicate names throw) and
        // transcode each string (invalid UTF-8 throws) now, not later inside the proof's processing.
        static void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, value) in o)
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    _ = v.GetValue<string>();
                    break;
            }
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class CredentialsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
