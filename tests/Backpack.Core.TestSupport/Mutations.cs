using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.TestSupport;

/// <summary>
/// Mutation fuzzing of real files: byte flips, truncations, duplicated slices, deleted slices, inserted bytes and
/// splices of two seed files, one to four at a time. The case count per format is 10,000 in every run
/// (<c>BACKPACK_FUZZ_CASES</c> sets another, e.g. 200,000 for a long run).
/// </summary>
public static class Mutations
{
    public static int Cases => int.TryParse(Environment.GetEnvironmentVariable("BACKPACK_FUZZ_CASES"), out var n) && n > 0 ? n : 10_000;

    /// <summary>
    /// The run's configuration: <see cref="Cases"/> tests from a fixed seed, so every CI run checks the same inputs
    /// (<c>BACKPACK_FUZZ_SEED</c> sets another seed, or <c>random</c> explores new inputs in a long run).
    /// </summary>
    public static Config Config
    {
        get
        {
            var config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Cases);
            var seed = Environment.GetEnvironmentVariable("BACKPACK_FUZZ_SEED");
            return seed == "random"
                ? config
                : config.WithReplay(new Replay(new Rnd(ulong.TryParse(seed, out var s) ? s : 2025UL), Microsoft.FSharp.Core.FSharpOption<int>.None));
        }
    }

    public static Gen<byte[]> Of(IReadOnlyList<byte[]> seeds) =>
        from seed in Gen.Elements(seeds.ToArray())
        from other in Gen.Elements(seeds.ToArray())
        from count in Gen.Choose(1, 4)
        from steps in Gen.ListOf(Step(other), count)
        select steps.Aggregate(seed, (bytes, step) => step(bytes));

    private static Gen<Func<byte[], byte[]>> Step(byte[] other) =>
        from kind in Gen.Choose(0, 5)
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from c in Gen.Choose(0, int.MaxValue)
        from bit in Gen.Choose(0, 7)
        select (Func<byte[], byte[]>)(bytes => Apply(kind, bytes, other, a, b, c, bit));

    private static byte[] Apply(int kind, byte[] bytes, byte[] other, int a, int b, int c, int bit)
    {
        if (bytes.Length == 0)
        {
            return [(byte)a];
        }

        var i = a % bytes.Length;
        var j = b % bytes.Length;
        var (from, to) = i <= j ? (i, j) : (j, i);
        switch (kind)
        {
            case 0: // flip a bit
                var flipped = bytes.ToArray();
                flipped[i] ^= (byte)(1 << bit);
                return flipped;
            case 1: // truncate
                return bytes[..i];
            case 2: // duplicate a slice at another place
                var at = c % bytes.Length;
                return [.. bytes[..at], .. bytes[from..to], .. bytes[at..]];
            case 3: // delete a slice
                return [.. bytes[..from], .. bytes[to..]];
            case 4: // insert a byte
                return [.. bytes[..i], (byte)c, .. bytes[i..]];
            default: // splice with another seed
                var k = other.Length == 0 ? 0 : c % other.Length;
                return [.. bytes[..i], .. other[k..]];
        }
    }
}
