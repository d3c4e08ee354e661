using System.Security.Cryptography;
using System.Text;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// Deterministic ids (RFC 9562 name-based, version 5) for what Classroom sync creates, so that a re-run, a retry
/// after a crash, or two instances syncing at once arrive at the same ids and never duplicate anything. Teachers'
/// <see cref="PersonId"/>s are derived from their Google user id the same way, so every adapter agrees on them.
/// </summary>
internal static class ClassroomIds
{
    private static readonly Guid Namespace = new("6f1c6f0e-8a43-5f1e-9b7a-0c1a55300001");

    public static PersonId Teacher(string googleUserId) => PersonId.From(Create("google-user:" + googleUserId));

    public static PersonId Guardian(string guardianId) => PersonId.From(Create("google-guardian:" + guardianId));

    public static StudentId Student(string googleUserId) => StudentId.From(Create("google-student:" + googleUserId));

    public static RosterId Roster(string courseId) => RosterId.From(Create("classroom-course:" + courseId));

    public static ArtifactId Artifact(string courseId, string courseWorkId, string submissionId, string attachmentKey) =>
        ArtifactId.From(Create(string.Join('\n', "classroom-attachment", courseId, courseWorkId, submissionId, attachmentKey)));

    /// <summary>A version 5 UUID of <paramref name="name"/> in the adapter's namespace.</summary>
    public static Guid Create(string name)
    {
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var text = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + text.Length];
        ns.CopyTo(input);
        text.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for name-based version 5 UUIDs; it is not used for security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
