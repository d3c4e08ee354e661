using System.Reflection;

namespace Backpack.Core.Tests;

/// <summary>Every identifier type comes from one pattern (Backpack.Core.Generators): the same members and the same JSON for all.</summary>
public sealed class IdTests
{
    public static TheoryData<Type> IdTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(SchoolId).Assembly.GetExportedTypes().Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IBackpackId<>))).OrderBy(t => t.Name))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void IdTypes_InCore_AreTheThirteenIdentifiers() => Assert.Equal(13, IdTypes().Count);

    [Theory]
    [MemberData(nameof(IdTypes))]
    public void Identifier_NewParseCompareAndJson_BehaveTheSameForEveryType(Type type)
    {
        var method = typeof(IdTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        method.Invoke(null, null);
    }

    private static void Check<T>()
        where T : struct, IBackpackId<T>, IComparable<T>
    {
        var low = T.From(new Guid("00000000-0000-4000-8000-000000000001"));
        var high = T.From(new Guid("00000000-0000-4000-8000-000000000002"));
        var parse = typeof(T).GetMethod("Parse", [typeof(string)])!;
        var fresh = (T)typeof(T).GetMethod("New", Type.EmptyTypes)!.Invoke(null, null)!;

        Assert.Equal("00000000-0000-4000-8000-000000000001", low.ToString());
        Assert.Equal(low, (T)parse.Invoke(null, [low.ToString()])!);
        Assert.True(low.CompareTo(high) < 0);
        Assert.NotEqual(Guid.Empty, fresh.Value);
        Assert.Equal("\"00000000-0000-4000-8000-000000000001\"", System.Text.Json.JsonSerializer.Serialize(low));
        Assert.Equal(high, System.Text.Json.JsonSerializer.Deserialize<T>("\"00000000-0000-4000-8000-000000000002\""));
        Assert.Equal(new Dictionary<T, int> { [low] = 1 }, System.Text.Json.JsonSerializer.Deserialize<Dictionary<T, int>>(System.Text.Json.JsonSerializer.Serialize(new Dictionary<T, int> { [low] = 1 })));
    }
}
