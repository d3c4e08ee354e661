using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.OneRoster.Tests;

public sealed class OneRosterCsvTests
{
    [Fact]
    public void Parse_QuotedCommasDoubledQuotesAndNewlines_ReadsFieldsAndStartLines()
    {
        var problems = new List<ValidationProblem>();
        var table = CsvTable.Parse("classes.csv", "sourcedId,title,grades\nk1,\"Math, Room \"\"12\"\"\",\"05,06\"\nk2,\"Science\r\n(lab)\",06\nk3,Art,\n", problems)!;

        Assert.Empty(problems);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("Math, Room \"12\"", table.Get(table.Rows[0], "title"));
        Assert.Equal("05,06", table.Get(table.Rows[0], "grades"));
        Assert.Equal("Science\r\n(lab)", table.Get(table.Rows[1], "title"));
        Assert.Equal([2, 3, 5], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Parse_BomCrLfAndBlankLines_StripsBomAndSkipsBlankLines()
    {
        var problems = new List<ValidationProblem>();
        var table = CsvTable.Parse("orgs.csv", "\uFEFFsourcedId,name\r\n\r\no1,One\r\no2,Two", problems)!;

        Assert.Empty(problems);
        Assert.Equal("sourcedId", table.Header[0]);
        Assert.Equal(["o1", "o2"], table.Rows.Select(r => table.Get(r, "sourcedId")));
        Assert.Equal([3, 4], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Parse_ColumnsInAnyOrderWithExtras_MapsByNameIgnoringCase()
    {
        var problems = new List<ValidationProblem>();
        var table = CsvTable.Parse("orgs.csv", "x-extra,Name,SOURCEDID\nq,One,o1\n", problems)!;

        Assert.Empty(problems);
        Assert.Equal("o1", table.Get(table.Rows[0], "sourcedId"));
        Assert.Equal("One", table.Get(table.Rows[0], "name"));
        Assert.Equal(string.Empty, table.Get(table.Rows[0], "type"));
        Assert.Equal("orgs.csv:2:3", table.PathOf(2, "sourcedId"));
    }

    [Theory]
    [InlineData("a,b\n1,\"open\n2,3\n", "t.csv:2:2", "csv.quote.unterminated")]
    [InlineData("a,b\n1,2\n3\n", "t.csv:3:2", "csv.row.field-count")]
    [InlineData("a,b\n1,2,3\n", "t.csv:2:3", "csv.row.field-count")]
    [InlineData("a,b\n1,x\"y\n", "t.csv:2:2", "csv.quote.unexpected")]
    [InlineData("a,b\n\"1\"x,2\n", "t.csv:2:1", "csv.quote.text-after")]
    [InlineData("a,a\n1,2\n", "t.csv:1:2", "csv.header.duplicate")]
    public void Parse_MalformedText_ReportsFileLineAndColumn(string text, string path, string rule)
    {
        var problems = new List<ValidationProblem>();
        CsvTable.Parse("t.csv", text, problems);

        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal(rule, problem.Rule);
    }

    [Property(MaxTest = 200)]
    public Property Parse_AnyFieldsWrittenPerRfc4180_RoundTrip()
    {
        var chars = Gen.Elements('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '{', ':');
        var field = Gen.ArrayOf(chars).Select(c => new string(c));
        var row = Gen.ArrayOf(field, 3);
        var rows = Gen.ListOf(row);
        return Prop.ForAll(rows.ToArbitrary(), data =>
        {
            var text = new StringBuilder("c1,c2,c3\r\n");
            foreach (var r in data)
            {
                text.Append(string.Join(",", r.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append("\r\n");
            }

            var problems = new List<ValidationProblem>();
            var table = CsvTable.Parse("p.csv", text.ToString(), problems)!;
            return problems.Count == 0
                && table.Rows.Count == data.Count
                && table.Rows.Zip(data).All(p => p.First.Fields.SequenceEqual(p.Second));
        });
    }

    [Fact]
    public void Create_Rfc4122DnsExample_MatchesKnownVersion5Uuid()
    {
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), OneRosterIds.Create(dns, "python.org"));
    }

    [Property]
    public Property Student_AnySourcedId_StableVersion5AndDistinctFromOtherKinds() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), s =>
        {
            var id = OneRosterIds.Student(s.Get).Value;
            return id == OneRosterIds.Student(s.Get).Value
                && id.ToString("D")[14] == '5'
                && id != OneRosterIds.Person(s.Get).Value
                && id != OneRosterIds.Roster(s.Get).Value;
        });
}
