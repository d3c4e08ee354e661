using System.Security.Cryptography;
using System.Text;

namespace Backpack.Core.OneRoster;

/// <summary>
/// Stable ids for OneRoster records: a name-based (version 5, RFC 4122 / RFC 9562) UUID of
/// <c>oneroster:{kind}:{sourcedId}</c>, so importing the same files again yields the same ids.
/// </summary>
internal static class OneRosterIds
{
    /// <summary>The namespace of Backpack's OneRoster names (a fixed random UUID).</summary>
    internal static readonly Guid Namespace = new("8d6a1f3e-52c4-4b7e-9a0d-3f1c6e2b7a95");

    public static SchoolId School(string sourcedId) => SchoolId.From(Create(Namespace, $"oneroster:school:{sourcedId}"));

    public static StudentId Student(string sourcedId) => StudentId.From(Create(Namespace, $"oneroster:student:{sourcedId}"));

    public static PersonId Person(string sourcedId) => PersonId.From(Create(Namespace, $"oneroster:person:{sourcedId}"));

    public static RosterId Roster(string sourcedId) => RosterId.From(Create(Namespace, $"oneroster:class:{sourcedId}"));

    /// <summary>The version-5 UUID of <paramref name="name"/> in <paramref name="namespaceId"/>.</summary>
    internal static Guid Create(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(data, bigEndian: true, out _);
        nameBytes.CopyTo(data, 16);
#pragma warning disable CA5350 // SHA-1 is what defines version-5 UUIDs; it is not used for security here.
        var hash = SHA1.HashData(data);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
