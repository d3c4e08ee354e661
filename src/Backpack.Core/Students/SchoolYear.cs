using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backpack.Core.Students;

/// <summary>
/// A school year, named by the calendar year it starts in: <c>2025-26</c> starts in 2025. Which month a
/// year starts in is district configuration (<c>BackpackOptions.SchoolYearStartMonth</c>).
/// </summary>
/// <param name="StartYear">The calendar year the school year starts in.</param>
[JsonConverter(typeof(SchoolYearJsonConverter))]
public readonly record struct SchoolYear(int StartYear) : IComparable<SchoolYear>
{
    /// <summary>The calendar year the school year ends in.</summary>
    public int EndYear => StartYear + 1;

    /// <summary>The school year containing <paramref name="date"/>.</summary>
    /// <param name="date">A date.</param>
    /// <param name="startMonth">The month (1-12) a school year starts in.</param>
    /// <returns>The school year.</returns>
    public static SchoolYear Containing(DateOnly date, int startMonth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startMonth, 12);
        return new SchoolYear(date.Month >= startMonth ? date.Year : date.Year - 1);
    }

    /// <summary>The first day of this school year.</summary>
    /// <param name="startMonth">The month (1-12) a school year starts in.</param>
    /// <returns>The first day.</returns>
    public DateOnly FirstDay(int startMonth) => new(StartYear, startMonth, 1);

    /// <summary>The last day of this school year.</summary>
    /// <param name="startMonth">The month (1-12) a school year starts in.</param>
    /// <returns>The last day.</returns>
    public DateOnly LastDay(int startMonth) => new SchoolYear(StartYear + 1).FirstDay(startMonth).AddDays(-1);

    /// <summary>The next school year.</summary>
    public SchoolYear Next => new(StartYear + 1);

    /// <summary>The previous school year.</summary>
    public SchoolYear Previous => new(StartYear - 1);

    /// <summary>Parses <c>2025-26</c>, <c>2025-2026</c> or <c>2025</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="year">The school year.</param>
    /// <returns>Whether the text is a school year.</returns>
    public static bool TryParse(string? text, out SchoolYear year)
    {
        year = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('-');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start < 1900 || start > 9998)
        {
            return false;
        }

        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                return false;
            }

            var expected = parts[1].Length == 2 ? (start + 1) % 100 : start + 1;
            if (end != expected)
            {
                return false;
            }
        }
        else if (parts.Length != 1)
        {
            return false;
        }

        year = new SchoolYear(start);
        return true;
    }

    /// <summary>Parses <c>2025-26</c>, <c>2025-2026</c> or <c>2025</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The school year.</returns>
    /// <exception cref="FormatException">The text is not a school year.</exception>
    public static SchoolYear Parse(string text) =>
        TryParse(text, out var year) ? year : throw new FormatException($"'{text}' is not a school year such as 2025-26.");

    /// <inheritdoc />
    public int CompareTo(SchoolYear other) => StartYear.CompareTo(other.StartYear);

    /// <summary>Compares two years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is earlier.</returns>
    public static bool operator <(SchoolYear left, SchoolYear right) => left.StartYear < right.StartYear;

    /// <summary>Compares two years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is later.</returns>
    public static bool operator >(SchoolYear left, SchoolYear right) => left.StartYear > right.StartYear;

    /// <summary>Compares two years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is the same or earlier.</returns>
    public static bool operator <=(SchoolYear left, SchoolYear right) => left.StartYear <= right.StartYear;

    /// <summary>Compares two years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether <paramref name="left"/> is the same or later.</returns>
    public static bool operator >=(SchoolYear left, SchoolYear right) => left.StartYear >= right.StartYear;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{StartYear}-{(StartYear + 1) % 100:00}");
}

internal sealed class SchoolYearJsonConverter : JsonConverter<SchoolYear>
{
    public override SchoolYear Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SchoolYear.TryParse(reader.GetString(), out var year)
            ? year
            : throw new JsonException($"'{reader.GetString()}' is not a school year such as 2025-26.");

    public override void Write(Utf8JsonWriter writer, SchoolYear value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
