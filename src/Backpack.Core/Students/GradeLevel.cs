using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backpack.Core.Students;

/// <summary>
/// A grade level: PK (pre-kindergarten), K (kindergarten) or 1 to 12. Ordered: PK &lt; K &lt; 1 &lt; ... &lt; 12.
/// Parses the common spellings, including OneRoster's <c>PK</c>, <c>KG</c> and <c>01</c>..<c>12</c>.
/// </summary>
[JsonConverter(typeof(GradeLevelJsonConverter))]
public readonly record struct GradeLevel : IComparable<GradeLevel>
{
    private GradeLevel(int ordinal) => Ordinal = ordinal;

    /// <summary>-1 for PK, 0 for K, 1 to 12 for grades 1 to 12.</summary>
    public int Ordinal { get; }

    /// <summary>Pre-kindergarten.</summary>
    public static GradeLevel PreKindergarten => new(-1);

    /// <summary>Kindergarten.</summary>
    public static GradeLevel Kindergarten => new(0);

    /// <summary>The lowest grade level.</summary>
    public static GradeLevel Lowest => PreKindergarten;

    /// <summary>The highest grade level.</summary>
    public static GradeLevel Highest => new(12);

    /// <summary>Every grade level, lowest first.</summary>
    public static IReadOnlyList<GradeLevel> All { get; } = Enumerable.Range(-1, 14).Select(i => new GradeLevel(i)).ToArray();

    /// <summary>Grade 1 to 12.</summary>
    /// <param name="grade">The grade number.</param>
    /// <returns>The grade level.</returns>
    public static GradeLevel Grade(int grade)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grade, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(grade, 12);
        return new GradeLevel(grade);
    }

    /// <summary>The grade level for an ordinal (-1 PK, 0 K, 1-12).</summary>
    /// <param name="ordinal">The ordinal.</param>
    /// <returns>The grade level.</returns>
    public static GradeLevel FromOrdinal(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ordinal, 12);
        return new GradeLevel(ordinal);
    }

    /// <summary>The next grade level, or this one at 12.</summary>
    public GradeLevel Next => Ordinal >= 12 ? this : new GradeLevel(Ordinal + 1);

    /// <summary>Parses PK, K, KG, TK, 1-12, 01-12.</summary>
    /// <param name="text">The text.</param>
    /// <param name="grade">The grade level.</param>
    /// <returns>Whether the text is a grade level.</returns>
    public static bool TryParse(string? text, out GradeLevel grade)
    {
        grade = default;
        var t = text?.Trim().ToUpperInvariant();
        switch (t)
        {
            case "PK" or "PRE-K" or "PREK" or "TK":
                grade = PreKindergarten;
                return true;
            case "K" or "KG" or "00":
                grade = Kindergarten;
                return true;
            default:
                if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 12)
                {
                    grade = new GradeLevel(n);
                    return true;
                }

                return false;
        }
    }

    /// <summary>Parses PK, K, KG, 1-12, 01-12.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The grade level.</returns>
    /// <exception cref="FormatException">The text is not a grade level.</exception>
    public static GradeLevel Parse(string text) =>
        TryParse(text, out var grade) ? grade : throw new FormatException($"'{text}' is not a grade level (PK, K, 1-12).");

    /// <inheritdoc />
    public int CompareTo(GradeLevel other) => Ordinal.CompareTo(other.Ordinal);

    /// <summary>Compares two grade levels.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is lower.</returns>
    public static bool operator <(GradeLevel left, GradeLevel right) => left.Ordinal < right.Ordinal;

    /// <summary>Compares two grade levels.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is higher.</returns>
    public static bool operator >(GradeLevel left, GradeLevel right) => left.Ordinal > right.Ordinal;

    /// <summary>Compares two grade levels.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is the same or lower.</returns>
    public static bool operator <=(GradeLevel left, GradeLevel right) => left.Ordinal <= right.Ordinal;

    /// <summary>Compares two grade levels.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is the same or higher.</returns>
    public static bool operator >=(GradeLevel left, GradeLevel right) => left.Ordinal >= right.Ordinal;

    /// <summary>PK, K or the grade number.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Ordinal switch
    {
        -1 => "PK",
        0 => "K",
        _ => Ordinal.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>An inclusive range of grade levels, e.g. 6-8, for grade-band indicators.</summary>
/// <param name="From">The lowest grade of the band.</param>
/// <param name="To">The highest grade of the band.</param>
public readonly record struct GradeBand(GradeLevel From, GradeLevel To)
{
    /// <summary>Every grade, PK to 12.</summary>
    public static GradeBand All => new(GradeLevel.Lowest, GradeLevel.Highest);

    /// <summary>Whether <paramref name="grade"/> is in the band.</summary>
    /// <param name="grade">The grade level.</param>
    /// <returns>Whether it is in the band.</returns>
    public bool Contains(GradeLevel grade) => grade >= From && grade <= To;

    /// <summary>Whether the two bands share a grade.</summary>
    /// <param name="other">The other band.</param>
    /// <returns>Whether they overlap.</returns>
    public bool Overlaps(GradeBand other) => From <= other.To && other.From <= To;

    /// <inheritdoc />
    public override string ToString() => From == To ? From.ToString() : $"{From}-{To}";
}

internal sealed class GradeLevelJsonConverter : JsonConverter<GradeLevel>
{
    public override GradeLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GradeLevel.TryParse(reader.GetString(), out var grade)
            ? grade
            : throw new JsonException($"'{reader.GetString()}' is not a grade level (PK, K, 1-12).");

    public override void Write(Utf8JsonWriter writer, GradeLevel value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
