using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// What the sync remembers of a course, saved as the <c>classroom:course:{id}</c> checkpoint in the same change set
/// as the roster and artifacts it accounts for: a hash of the roster it last applied, the newest submission
/// <c>updateTime</c> it has processed (submissions updated at or after it are looked at again) and the published
/// coursework ids (so coursework deleted since is noticed).
/// </summary>
internal sealed record CourseCheckpoint
{
    public const string KeyPrefix = "classroom:course:";

    public const string StudentsKey = "classroom:students";

    public const string SkillsKeyPrefix = "classroom:suggested-skills:";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("v")]
    public int Format { get; init; } = 1;

    [JsonPropertyName("roster")]
    public string? RosterHash { get; init; }

    [JsonPropertyName("watermark")]
    public DateTimeOffset? Watermark { get; init; }

    [JsonPropertyName("work")]
    public IReadOnlyList<string> CourseWork { get; init; } = [];

    public static string KeyOf(string courseId) => KeyPrefix + courseId;

    /// <summary>Reads a stored value; anything unreadable is treated as no checkpoint (everything is looked at again, nothing duplicates).</summary>
    public static CourseCheckpoint Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new CourseCheckpoint();
        }

        try
        {
            return JsonSerializer.Deserialize<CourseCheckpoint>(value, Json) ?? new CourseCheckpoint();
        }
        catch (JsonException)
        {
            return new CourseCheckpoint();
        }
    }

    public string ToValue() => JsonSerializer.Serialize(this, Json);

    /// <summary>A short stable hash of canonical text.</summary>
    public static string Hash(IEnumerable<string> parts)
    {
        var text = string.Join('\u001f', parts);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexString(bytes, 0, 16).ToLowerInvariant();
    }

    public static DateTimeOffset? ParseTime(string? rfc3339) =>
        DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
