using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backpack.Core.Students;

namespace Backpack.Core.Case;

/// <summary>Small CASE conventions shared by the reader and the writer.</summary>
internal static class CaseFormat
{
    public const string IsChildOf = "isChildOf";

    public const string CaseVersion = "1.1";

    /// <summary>The association types CASE 1.1 defines; anything else must start with <c>ext:</c>.</summary>
    public static readonly IReadOnlySet<string> KnownAssociationTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy",
        "exemplar", "hasSkillLevel", "isTranslationOf",
    };

    private static readonly Guid HierarchyNamespace = new("6f3c9a52-1d0b-4c1e-9a57-2b8e4d6c0f11");

    /// <summary>Parses the hyphenated 8-4-4-4-12 form CASE identifiers use.</summary>
    public static bool TryParseIdentifier(string? text, out Guid value) =>
        Guid.TryParseExact(text, "D", out value);

    /// <summary>Whether the identifier has RFC 9562 version (1-8) and variant (10xx) bits.</summary>
    public static bool HasUuidVersionAndVariant(string text) =>
        text.Length == 36 && text[14] is >= '1' and <= '8' && text[19] is '8' or '9' or 'a' or 'b' or 'A' or 'B';

    /// <summary>
    /// A stable identifier for the isChildOf association from <paramref name="child"/> to
    /// <paramref name="parent"/>: a name-based UUID (version 8, SHA-256), so every export names it the same.
    /// </summary>
    public static Guid HierarchyAssociationId(Guid child, Guid parent)
    {
        Span<byte> input = stackalloc byte[48];
        HierarchyNamespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        child.TryWriteBytes(input.Slice(16, 16), bigEndian: true, out _);
        parent.TryWriteBytes(input.Slice(32, 16), bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// Writes a time in UTC (<c>2017-10-24T17:19:51Z</c>), with fractions only when present; UTC keeps the
    /// text free of <c>+</c>, which the safe JSON encoder would escape.
    /// </summary>
    public static string FormatTime(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.ToString(
            utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
            CultureInfo.InvariantCulture);
    }

    /// <summary>Reads an ISO 8601 date-time; a time without offset is taken as UTC.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary>The CEDS grade code CASE uses for a grade: PK, KG, 01..12.</summary>
    public static string GradeCode(GradeLevel grade) => grade.Ordinal switch
    {
        -1 => "PK",
        0 => "KG",
        _ => grade.Ordinal.ToString("00", CultureInfo.InvariantCulture),
    };

    /// <summary>Every grade of <paramref name="band"/> as CASE educationLevel codes.</summary>
    public static string[] EducationLevel(GradeBand band)
    {
        var codes = new List<string>();
        for (var g = band.From.Ordinal; g <= band.To.Ordinal; g++)
        {
            codes.Add(GradeCode(GradeLevel.FromOrdinal(g)));
        }

        return [.. codes];
    }

    /// <summary>Normalises a base URI so that a path can be appended.</summary>
    public static string? BaseFrom(Uri? baseUri, string? documentUri)
    {
        if (baseUri is not null)
        {
            var text = baseUri.ToString();
            return text.EndsWith('/') ? text : text + "/";
        }

        if (documentUri is null)
        {
            return null;
        }

        var at = documentUri.LastIndexOf("/CFDocuments/", StringComparison.Ordinal);
        return at < 0 ? null : documentUri[..(at + 1)];
    }

    /// <summary>Encodes text as strict UTF-8; null when the text holds lone surrogates.</summary>
    public static byte[]? ToUtf8(string text)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }
}
