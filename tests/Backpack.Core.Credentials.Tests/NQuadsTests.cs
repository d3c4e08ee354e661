using Backpack.Core.Credentials.Rdf;

namespace Backpack.Core.Credentials.Tests;

public sealed class NQuadsTests
{
    [Fact]
    public void Parse_SerializeRoundTrip_KeepsEveryTermKind()
    {
        const string text = "<urn:s> <urn:p> \"a\\\"b\\n\"@en <urn:g> .\n_:b0 <urn:p> \"1\"^^<urn:t> .\n<urn:s> <urn:p> _:b0 .\n";
        var quads = NQuads.Parse(text);
        Assert.Equal(3, quads.Count);
        Assert.Equal(text, NQuads.Serialize(quads));
    }

    [Fact]
    public void Parse_RelativeIri_ThrowsNamingLineAndRule()
    {
        var error = Assert.Throws<RdfSyntaxException>(() => NQuads.Parse("<urn:s> <urn:p> <urn:o> .\n<s> <urn:p> <urn:o> ."));
        Assert.Equal(2, error.Line);
        Assert.Equal("nquads.iri", error.Rule);
    }

    [Fact]
    public void Parse_MissingFinalDot_Throws()
    {
        var error = Assert.Throws<RdfSyntaxException>(() => NQuads.Parse("<urn:s> <urn:p> <urn:o>"));
        Assert.Equal("nquads.statement-end", error.Rule);
    }

    [Fact]
    public void CanonicalizeNQuads_CliqueOfBlankNodes_RefusesWithLimit()
    {
        var lines = new System.Text.StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                if (i != j)
                {
                    lines.Append($"_:n{i} <urn:p> _:n{j} .\n");
                }
            }
        }

        var error = Assert.Throws<RdfCanonicalizationException>(() => RdfCanonicalizer.CanonicalizeNQuads(lines.ToString()));
        Assert.Equal("rdfc10.max-deep-iterations", error.Rule);
    }
}
