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

/// <summary>Name-based identifiers (RFC 9562 version 8 over SHA-256): the same name always gives the same id.</summary>
internal static class NameBasedId
{
    /// <summary>The id for <paramref name="name"/>.</summary>
    public static Guid Create(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8, in Guid's little-endian layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes);
    }
}

/// <summary>Marks a <c>readonly partial record struct</c> as a Backpack identifier: Backpack.Core.Generators writes the rest.</summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
internal sealed class BackpackIdAttribute : Attribute;
