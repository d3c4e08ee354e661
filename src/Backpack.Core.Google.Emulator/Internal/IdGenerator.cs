using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Deterministic identifiers shaped like Google's, from a seed.</summary>
internal sealed class IdGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private readonly int seed;
    private Random random;

    public IdGenerator(int seed)
    {
        this.seed = seed;
#pragma warning disable CA5394 // Not security relevant: reproducible emulator ids.
        random = new Random(seed);
    }

    public void Reset() => random = new Random(seed);

    public string FileId()
    {
        var chars = new char[33];
        chars[0] = '1';
        for (var i = 1; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    public string Token(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(62)];
        }

        return new string(chars);
    }

    public string Numeric(int length)
    {
        var sb = new StringBuilder(length);
        sb.Append((char)('1' + random.Next(9)));
        while (sb.Length < length)
        {
            sb.Append((char)('0' + random.Next(10)));
        }

        return sb.ToString();
    }
#pragma warning restore CA5394

    /// <summary>A stable numeric id derived from a key (Drive gives one user the same permission id on every file).</summary>
    public static string StableNumeric(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.ToUpperInvariant()));
        var n = BitConverter.ToUInt64(hash, 0) % 90_000_000_000_000_000UL + 10_000_000_000_000_000UL;
        return n.ToString(CultureInfo.InvariantCulture);
    }
}
