using System.Net;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class DriveQueryTests
{
    private static readonly Lazy<Task<(GoogleEmulator Emulator, string FolderId)>> Shared = new(async () =>
    {
        var emu = await GoogleEmulator.StartAsync();
        var folder = emu.SeedDriveFile(new JsonObject { ["name"] = "F", ["mimeType"] = "application/vnd.google-apps.folder" });
        emu.SeedDriveFile(new JsonObject { ["name"] = "it's", ["parents"] = new JsonArray(folder), ["appProperties"] = new JsonObject { ["k"] = "v" } });
        return (emu, folder);
    });

    private static async Task<(string[] Names, Reply Reply)> Search(GoogleEmulator emu, string q)
    {
        using var http = new Http(emu);
        var reply = await http.Get("drive/v3/files?fields=files(name)&q=" + Q.Enc(q));
        var names = reply.Status == HttpStatusCode.OK
            ? reply.Json["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray()
            : [];
        return (names, reply);
    }

    [Fact]
    public async Task List_SupportedQueryForms_FilterAsDriveDoes()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var a = emu.SeedDriveFile(new JsonObject { ["name"] = "A", ["mimeType"] = "application/vnd.google-apps.folder" });
        emu.SeedDriveFile(new JsonObject { ["name"] = "doc", ["mimeType"] = "text/plain", ["parents"] = new JsonArray(a), ["appProperties"] = new JsonObject { ["backpack"] = "s1" } });
        emu.SeedDriveFile(new JsonObject { ["name"] = "pic", ["mimeType"] = "image/png", ["parents"] = new JsonArray(a), ["properties"] = new JsonObject { ["p"] = "1" } });
        emu.SeedDriveFile(new JsonObject { ["name"] = "O'Brien", ["mimeType"] = "text/plain", ["trashed"] = true });

        Assert.Equal(["doc", "pic"], (await Search(emu, $"'{a}' in parents")).Names);
        Assert.Equal(["doc", "pic"], (await Search(emu, "'" + a + "' in parents and mimeType != 'application/vnd.google-apps.folder'")).Names);
        Assert.Equal(["A"], (await Search(emu, "mimeType = 'application/vnd.google-apps.folder'")).Names);
        Assert.Equal(["O'Brien"], (await Search(emu, @"name = 'O\'Brien'")).Names);
        Assert.Equal(["A", "doc", "pic"], (await Search(emu, "trashed = false")).Names);
        Assert.Equal(["O'Brien"], (await Search(emu, "trashed = true")).Names);
        Assert.Equal(["doc"], (await Search(emu, "appProperties has { key='backpack' and value='s1' }")).Names);
        Assert.Equal(["pic"], (await Search(emu, "properties has { key='p' and value='1' }")).Names);
        Assert.Equal(["O'Brien", "doc", "pic"], (await Search(emu, "not mimeType = 'application/vnd.google-apps.folder'")).Names);
        Assert.Equal(["A", "pic"], (await Search(emu, "(name = 'A' or name = 'pic') and trashed = false")).Names);
        Assert.Equal(["A", "doc", "pic"], (await Search(emu, "name = 'A' or name = 'pic' or (name = 'doc' and not trashed = true)")).Names);
        Assert.Equal(["O'Brien"], (await Search(emu, "name contains 'bri'")).Names);
        Assert.Equal(["doc", "pic"], (await Search(emu, "'root' in parents and name = 'A' or '" + a + "' in parents")).Names.Except(["A"]).ToArray());
    }

    [Theory]
    [InlineData("name = ")]
    [InlineData("name == 'a'")]
    [InlineData("'x' in starred")]
    [InlineData("foo = 'bar'")]
    [InlineData("name = 'unterminated")]
    [InlineData("(name = 'a'")]
    [InlineData("trashed = maybe")]
    [InlineData("appProperties has { key='k' }")]
    [InlineData("name = 'a' and")]
    [InlineData("name = 'a' @")]
    public async Task List_UnsupportedOrMalformedQuery_Returns400InvalidOnQ(string q)
    {
        var (emu, _) = await Shared.Value;
        var (_, reply) = await Search(emu, q);
        reply.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("invalid", reply.Reason);
        Assert.Equal("q", reply.Json["error"]!["errors"]![0]!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_DeeplyNestedQuery_Returns400NotACrash()
    {
        var (emu, _) = await Shared.Value;
        var q = string.Concat(Enumerable.Repeat("not (", 500)) + "trashed = false" + new string(')', 500);
        (await Search(emu, q)).Reply.AssertStatus(HttpStatusCode.BadRequest);
    }

    [Property(Arbitrary = [typeof(QueryArbitraries)], MaxTest = 300)]
    public bool List_AnyQueryOverTheGrammarOrAMutationOfIt_ParsesOrReturns400Never500(GeneratedQuery query)
    {
        var (emu, _) = Shared.Value.GetAwaiter().GetResult();
        var (_, reply) = Search(emu, query.Text).GetAwaiter().GetResult();
        return reply.Status == HttpStatusCode.OK
            || (reply.Status == HttpStatusCode.BadRequest && reply.Reason == "invalid");
    }
}

public sealed record GeneratedQuery(string Text)
{
    public override string ToString() => Text;
}

public static class QueryArbitraries
{
    private static readonly string[] Strings = ["a", "it's", "F", "", "x y", "root", "application/vnd.google-apps.folder", "text/plain", "O'Brien", "back\\slash"];

    public static Arbitrary<GeneratedQuery> Queries()
    {
        var literal = Gen.Elements(Strings).Select(Quote);
        var term = Gen.OneOf(
            literal.Select(s => s + " in parents"),
            Gen.Elements("name", "mimeType").SelectMany(_ => Gen.Elements("=", "!=", "contains"), (f, op) => (f, op)).SelectMany(_ => literal, (p, v) => $"{p.f} {p.op} {v}"),
            Gen.Elements("trashed", "starred").SelectMany(_ => Gen.Elements("=", "!="), (f, op) => (f, op)).SelectMany(_ => Gen.Elements("true", "false"), (p, v) => $"{p.f} {p.op} {v}"),
            Gen.Elements("appProperties", "properties").SelectMany(_ => literal, (f, k) => (f, k)).SelectMany(_ => literal, (p, v) => $"{p.f} has {{ key={p.k} and value={v} }}"),
            Gen.Elements("modifiedTime", "createdTime").SelectMany(_ => Gen.Elements("<", "<=", ">", ">=", "=", "!="), (f, op) => $"{f} {op} '2024-01-01T00:00:00Z'"));
        var expression = Gen.Sized(size => Expression(term, Math.Min(size, 6)));
        var valid = expression.Select(e => new GeneratedQuery(e));
        var mutated = expression.SelectMany(_ => Gen.Choose(0, 1000), (e, n) => (e, n))
            .SelectMany(_ => Gen.Elements("", "(", ")", "'", "\\", "{", "}", " and", "or ", "not", "=", "!", "<", "\"", "@", "in", "has"), (p, junk) => new GeneratedQuery(Mutate(p.e, p.n, junk)));
        return Arb.From(Gen.Frequency((3, valid), (2, mutated)));
    }

    private static Gen<string> Expression(Gen<string> term, int depth)
    {
        if (depth <= 0)
        {
            return term;
        }

        var sub = Expression(term, depth - 1);
        return Gen.Frequency(
            (3, term),
            (1, sub.Select(e => "not " + e)),
            (1, sub.Select(e => "(" + e + ")")),
            (2, sub.SelectMany(_ => Gen.Elements(" and ", " or ", " AND "), (l, op) => (l, op)).SelectMany(_ => sub, (p, r) => p.l + p.op + r)));
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string Mutate(string text, int n, string junk)
    {
        if (text.Length == 0)
        {
            return junk;
        }

        var at = n % text.Length;
        return (n % 3) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, junk),
            _ => text[..at],
        };
    }
}
