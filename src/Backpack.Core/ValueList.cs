using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backpack.Core;

/// <summary>
/// An immutable list with value equality: two lists are equal when they hold equal items in the same
/// order. Domain records use it so that records compare by value all the way down.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[JsonConverter(typeof(ValueListJsonConverterFactory))]
[System.Runtime.CompilerServices.CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Empty and conversions follow ImmutableArray<T>.")]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Creates a list holding <paramref name="items"/>.</summary>
    /// <param name="items">The items, in order.</param>
    public ValueList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    private ValueList(ImmutableArray<T> items) => _items = items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty => new(ImmutableArray<T>.Empty);

    private ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    /// <inheritdoc />
    public T this[int index] => Items[index];

    /// <inheritdoc />
    public int Count => Items.Length;

    /// <summary>Returns a new list with <paramref name="item"/> appended.</summary>
    /// <param name="item">The item to add.</param>
    /// <returns>The new list.</returns>
    public ValueList<T> Add(T item) => new(Items.Add(item));

    /// <summary>Returns a new list with the item at <paramref name="index"/> replaced.</summary>
    /// <param name="index">The position to replace.</param>
    /// <param name="item">The new item.</param>
    /// <returns>The new list.</returns>
    public ValueList<T> SetItem(int index, T item) => new(Items.SetItem(index, item));

    /// <summary>Returns a new list without the item at <paramref name="index"/>.</summary>
    /// <param name="index">The position to remove.</param>
    /// <returns>The new list.</returns>
    public ValueList<T> RemoveAt(int index) => new(Items.RemoveAt(index));

    /// <summary>Returns the underlying immutable array.</summary>
    /// <returns>The items.</returns>
    public ImmutableArray<T> AsImmutableArray() => Items;

    /// <summary>Returns an enumerator over the items without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueList<T> other)
    {
        var a = Items;
        var b = other.Items;
        if (a.Length != b.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < a.Length; i++)
        {
            if (!comparer.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Items)}]";

    /// <summary>Compares two lists by value.</summary>
    /// <param name="left">The first list.</param>
    /// <param name="right">The second list.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    /// <summary>Compares two lists by value.</summary>
    /// <param name="left">The first list.</param>
    /// <param name="right">The second list.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    /// <summary>Converts an array to a value list.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator ValueList<T>(T[] items) => new(items ?? []);

    /// <summary>Converts an immutable array to a value list.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator ValueList<T>(ImmutableArray<T> items) => new(items);

    /// <summary>Converts an array to a value list.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static ValueList<T> FromArray(T[] items) => new(items ?? []);

    /// <summary>Converts an immutable array to a value list.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static ValueList<T> FromImmutableArray(ImmutableArray<T> items) => new(items);
}

/// <summary>Factory methods for <see cref="ValueList{T}"/>.</summary>
public static class ValueList
{
    /// <summary>Creates a value list from a sequence.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => new(items);

    /// <summary>
    /// Creates a value list from a span; collection expressions (<c>ValueList&lt;T&gt; list = [a, b]</c>) build
    /// through it. Without it, the compiler would build them with <see cref="ValueList{T}.Add"/>, which returns a
    /// new list, and leave them empty.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => ValueList<T>.FromImmutableArray([.. items]);

    /// <summary>Creates a value list from items.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static ValueList<T> Of<T>(params T[] items) => new(items);
}

internal sealed class ValueListJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(ValueListJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

internal sealed class ValueListJsonConverter<T> : JsonConverter<ValueList<T>>
{
    public override bool HandleNull => true;

    public override ValueList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return ValueList<T>.Empty;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array.");
        }

        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var builder = ImmutableArray.CreateBuilder<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            builder.Add(JsonSerializer.Deserialize(ref reader, info)!);
        }

        return ValueList<T>.FromImmutableArray(builder.ToImmutable());
    }

    public override void Write(Utf8JsonWriter writer, ValueList<T> value, JsonSerializerOptions options)
    {
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, info);
        }

        writer.WriteEndArray();
    }
}
