using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backpack.Core;

/// <summary>A strongly typed identifier over a <see cref="Guid"/>.</summary>
/// <typeparam name="TSelf">The identifier type.</typeparam>
public interface IBackpackId<TSelf>
    where TSelf : struct, IBackpackId<TSelf>
{
    /// <summary>The underlying value.</summary>
    Guid Value { get; }

    /// <summary>Wraps a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The identifier.</returns>
    static abstract TSelf From(Guid value);
}

/// <summary>Writes a Backpack identifier as its lower-case GUID string.</summary>
/// <typeparam name="TId">The identifier type.</typeparam>
internal sealed class BackpackIdJsonConverter<TId> : JsonConverter<TId>
    where TId : struct, IBackpackId<TId>
{
    /// <inheritdoc />
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Guid.TryParse(text, out var value)
            ? TId.From(value)
            : throw new JsonException($"'{text}' is not an identifier (a GUID).");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }

    /// <inheritdoc />
    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options);

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Value.ToString("D"));
    }
}
