using Backpack.Core.Access;

namespace Backpack.Core.Tests;

/// <summary>
/// The access table as the README states it, parsed from the README itself (copied next to the tests): the
/// oracle the policy is held to. A cell lists the relations (in words) under which a role may run an operation;
/// "—" or a relation not listed means denied; a footnote mark (¹) is ignored (the default options apply).
/// </summary>
internal static class ReadmeAccessTable
{
    private static readonly Lazy<Dictionary<(ActorRole, BackpackOperation), HashSet<AccessRelation>>> Table = new(Parse);

    public static bool Allows(ActorRole role, BackpackOperation operation, AccessRelation relation) =>
        Table.Value.TryGetValue((role, operation), out var relations) && relations.Contains(relation);

    private static string Key(string words) => new string(words.Where(char.IsLetter).ToArray()).ToUpperInvariant();

    private static Dictionary<(ActorRole, BackpackOperation), HashSet<AccessRelation>> Parse()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "README.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| operation |", StringComparison.Ordinal));
        Assert.True(header >= 0, "The README has no access table (a line starting '| operation |').");
        static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var roles = Cells(lines[header]).Skip(1).Select(r => Enum.GetValues<ActorRole>().Single(x => Key(x.ToString()) == Key(r))).ToArray();
        var relations = Enum.GetValues<AccessRelation>().ToDictionary(r => Key(r.ToString()));
        var operations = Enum.GetValues<BackpackOperation>().ToDictionary(o => Key(o.ToString()));
        var table = new Dictionary<(ActorRole, BackpackOperation), HashSet<AccessRelation>>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Cells(line);
            var operation = operations[Key(cells[0])];
            for (var i = 0; i < roles.Length; i++)
            {
                var cell = cells[i + 1].Replace("¹", string.Empty, StringComparison.Ordinal).Trim();
                table[(roles[i], operation)] = cell is "—" or "" ? [] : cell.Split(',').Select(w => relations[Key(w)]).ToHashSet();
            }
        }

        Assert.Equal(Enum.GetValues<BackpackOperation>().Length, table.Keys.Select(k => k.Item2).Distinct().Count());
        return table;
    }
}
