using System.Text;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

#pragma warning disable CA5394 // Reproducible fault schedule, not security relevant.

/// <summary>Mutates a response body the way a broken proxy, a cut connection or a buggy server would.</summary>
internal static class BodyCorruptor
{
    /// <summary>Turns a result into the same status and headers with a mutated body (JSON or media bytes).</summary>
    public static ApiResult Corrupt(ApiResult result, FaultKind kind, int seed)
    {
        var random = new Random(seed);
        var (bytes, type) = result.Raw is not null
            ? (result.Raw, result.RawContentType ?? "application/octet-stream")
            : (Encoding.UTF8.GetBytes(result.Json?.ToJsonString() ?? string.Empty), "application/json; charset=UTF-8");
        byte[] mutated;
        if (kind == FaultKind.TruncatedBody || bytes.Length == 0)
        {
            mutated = bytes[..random.Next(bytes.Length + 1)];
        }
        else
        {
            mutated = result.Raw is null && result.Json is not null && random.Next(3) == 0
                ? Encoding.UTF8.GetBytes(RetypeOne(result.Json.DeepClone(), random).ToJsonString())
                : MutateBytes(bytes, random);
        }

        var corrupt = new ApiResult(result.Status) { Raw = mutated, RawContentType = type };
        foreach (var (k, v) in result.Headers)
        {
            corrupt.Headers[k] = v;
        }

        return corrupt;
    }

    private static byte[] MutateBytes(byte[] bytes, Random random)
    {
        var steps = random.Next(1, 4);
        for (var s = 0; s < steps && bytes.Length > 0; s++)
        {
            var i = random.Next(bytes.Length);
            var j = random.Next(bytes.Length);
            var (from, to) = i <= j ? (i, j) : (j, i);
            switch (random.Next(5))
            {
                case 0:
                    bytes = bytes.ToArray();
                    bytes[i] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes = bytes[..i];
                    break;
                case 2:
                    var at = random.Next(bytes.Length);
                    bytes = [.. bytes[..at], .. bytes[from..to], .. bytes[at..]];
                    break;
                case 3:
                    bytes = [.. bytes[..from], .. bytes[to..]];
                    break;
                default:
                    bytes = [.. bytes[..i], (byte)random.Next(256), .. bytes[i..]];
                    break;
            }
        }

        return bytes;
    }

    /// <summary>Replaces one value, anywhere in the tree, by a value of another JSON type (or null).</summary>
    private static JsonNode RetypeOne(JsonNode root, Random random)
    {
        var slots = new List<(JsonNode Parent, string? Key, int Index)>();
        void Walk(JsonNode node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o)
                    {
                        slots.Add((o, k, -1));
                        if (v is not null)
                        {
                            Walk(v);
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, null, i));
                        if (a[i] is { } v)
                        {
                            Walk(v);
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        Walk(root);
        if (slots.Count == 0)
        {
            return new JsonArray();
        }

        var (parent, key, index) = slots[random.Next(slots.Count)];
        JsonNode? replacement = random.Next(7) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(-1000, 1000)),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => JsonValue.Create(new string('x', random.Next(0, 3))),
            4 => new JsonObject(),
            5 => new JsonArray(JsonValue.Create(1), null),
            _ => JsonValue.Create(1.5e300),
        };
        if (parent is JsonObject o2)
        {
            o2[key!] = replacement;
        }
        else
        {
            ((JsonArray)parent)[index] = replacement;
        }

        return root;
    }
}
#pragma warning restore CA5394
