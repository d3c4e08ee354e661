using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SimpleBase;

namespace Backpack.Core.Credentials.Proofs;

/// <summary>
/// An issuer's signing key, wherever the district keeps it (a secret store, an HSM, a file). The library asks it
/// to sign bytes and never sees, logs or stores the private key.
/// </summary>
public interface IIssuerKey
{
    /// <summary>The issuer's identifier, e.g. <c>did:key:z6Mk...</c>.</summary>
    string IssuerId { get; }

    /// <summary>The verification method a proof names, e.g. <c>did:key:z6Mk...#z6Mk...</c>.</summary>
    string VerificationMethod { get; }

    /// <summary>Signs data with Ed25519.</summary>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The 64-byte signature.</returns>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}

/// <summary>did:key for Ed25519 public keys (multicodec <c>0xed01</c>, multibase base58btc: <c>z6Mk...</c>).</summary>
public static class DidKey
{
    private static readonly byte[] PublicPrefix = [0xED, 0x01];
    private static readonly byte[] PrivatePrefix = [0x80, 0x26];

    /// <summary>The multikey form of an Ed25519 public key: <c>z6Mk...</c>.</summary>
    /// <param name="publicKey">The 32-byte public key.</param>
    /// <returns>The multibase string.</returns>
    public static string ToMultikey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key has 32 bytes.", nameof(publicKey));
        }

        return "z" + Base58.Bitcoin.Encode([.. PublicPrefix, .. publicKey]);
    }

    /// <summary>The did:key of an Ed25519 public key.</summary>
    /// <param name="publicKey">The 32-byte public key.</param>
    /// <returns><c>did:key:z6Mk...</c>.</returns>
    public static string ToDid(ReadOnlySpan<byte> publicKey) => "did:key:" + ToMultikey(publicKey);

    /// <summary>Reads an Ed25519 public key from a multikey (<c>z6Mk...</c>).</summary>
    /// <param name="multikey">The multibase string.</param>
    /// <param name="publicKey">The 32-byte key.</param>
    /// <returns>Whether the string is an Ed25519 multikey.</returns>
    public static bool TryParseMultikey(string multikey, out byte[] publicKey)
    {
        publicKey = [];
        if (string.IsNullOrEmpty(multikey) || multikey[0] != 'z')
        {
            return false;
        }

        if (!TryDecodeBase58(multikey.AsSpan(1), out var bytes))
        {
            return false;
        }

        if (bytes.Length != 34 || bytes[0] != PublicPrefix[0] || bytes[1] != PublicPrefix[1])
        {
            return false;
        }

        publicKey = bytes[2..];
        return true;
    }

    /// <summary>Reads the Ed25519 public key of a did:key verification method (<c>did:key:z6Mk...#z6Mk...</c>) or DID.</summary>
    /// <param name="didOrVerificationMethod">The DID or verification method.</param>
    /// <param name="publicKey">The 32-byte key.</param>
    /// <returns>Whether it is an Ed25519 did:key whose fragment, if any, names the same key.</returns>
    public static bool TryResolve(string didOrVerificationMethod, out byte[] publicKey)
    {
        publicKey = [];
        if (didOrVerificationMethod is null || !didOrVerificationMethod.StartsWith("did:key:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = didOrVerificationMethod["did:key:".Length..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        var key = hash < 0 ? rest : rest[..hash];
        return (hash < 0 || rest[(hash + 1)..] == key) && TryParseMultikey(key, out publicKey);
    }

    /// <summary>
    /// Decodes base58btc, refusing any character outside its alphabet first (the decoder indexes a table by the
    /// character and fails with <see cref="IndexOutOfRangeException"/> on anything else: found by fuzzing).
    /// </summary>
    internal static bool TryDecodeBase58(ReadOnlySpan<char> text, out byte[] bytes)
    {
        const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        bytes = [];
        foreach (var c in text)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        try
        {
            bytes = Base58.Bitcoin.Decode(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static byte[] ParsePrivateMultikey(string multikey)
    {
        var bytes = multikey.Length > 1 && multikey[0] == 'z' && TryDecodeBase58(multikey.AsSpan(1), out var decoded) ? decoded : [];
        if (bytes.Length != 34 || bytes[0] != PrivatePrefix[0] || bytes[1] != PrivatePrefix[1])
        {
            throw new BackpackValidationException("privateKeyMultibase", "multikey.ed25519-private", "The private key is not an Ed25519 multikey (z3u2...)");
        }

        return bytes[2..];
    }

    internal static string ToPrivateMultikey(ReadOnlySpan<byte> seed) => "z" + Base58.Bitcoin.Encode([.. PrivatePrefix, .. seed]);
}

/// <summary>An Ed25519 issuer key held in memory, identified as a did:key unless told otherwise. Its text form never shows the key.</summary>
public sealed class Ed25519IssuerKey : IIssuerKey
{
    private readonly Ed25519PrivateKeyParameters privateKey;

    private Ed25519IssuerKey(byte[] seed, string? verificationMethod)
    {
        privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        PublicKey = privateKey.GeneratePublicKey().GetEncoded();
        PublicKeyMultibase = DidKey.ToMultikey(PublicKey.Span);
        IssuerId = verificationMethod is null ? "did:key:" + PublicKeyMultibase : verificationMethod.Split('#')[0];
        VerificationMethod = verificationMethod ?? IssuerId + "#" + PublicKeyMultibase;
    }

    /// <inheritdoc />
    public string IssuerId { get; }

    /// <inheritdoc />
    public string VerificationMethod { get; }

    /// <summary>The 32-byte public key.</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The public key as a multikey, <c>z6Mk...</c>.</summary>
    public string PublicKeyMultibase { get; }

    /// <summary>Creates a key from its 32-byte seed.</summary>
    /// <param name="seed">The seed (the Ed25519 private key).</param>
    /// <param name="verificationMethod">The verification method to name in proofs; the did:key one when null.</param>
    /// <returns>The key.</returns>
    public static Ed25519IssuerKey FromSeed(ReadOnlySpan<byte> seed, string? verificationMethod = null)
    {
        if (seed.Length != 32)
        {
            throw new BackpackValidationException("seed", "ed25519.seed-length", "An Ed25519 seed has 32 bytes");
        }

        return new Ed25519IssuerKey(seed.ToArray(), verificationMethod);
    }

    /// <summary>Creates a new random key.</summary>
    /// <returns>The key.</returns>
    public static Ed25519IssuerKey Generate() => new(RandomNumberGenerator.GetBytes(32), null);

    /// <summary>
    /// Loads a key from a JSON file <c>{"publicKeyMultibase": "z6Mk...", "privateKeyMultibase": "z3u2..."}</c>
    /// (the W3C test vectors' layout), creating the file with a new key when it does not exist.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The key.</returns>
    public static Ed25519IssuerKey LoadOrCreateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var created = new Ed25519IssuerKey(seed, null);
            var json = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["publicKeyMultibase"] = created.PublicKeyMultibase,
                ["privateKeyMultibase"] = DidKey.ToPrivateMultikey(seed),
            });
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, json);
            return created;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("privateKeyMultibase", out var privateKey) || privateKey.GetString() is not { } multikey)
        {
            throw new BackpackValidationException(path, "issuer-key.file", "The key file has no privateKeyMultibase");
        }

        return new Ed25519IssuerKey(DidKey.ParsePrivateMultikey(multikey), null);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, privateKey);
        signer.BlockUpdate(data.Span);
        return ValueTask.FromResult(signer.GenerateSignature());
    }

    /// <summary>The verification method only; never the key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Ed25519 issuer key {VerificationMethod}";

    internal static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.BlockUpdate(data);
        return verifier.VerifySignature(signature.ToArray());
    }
}
