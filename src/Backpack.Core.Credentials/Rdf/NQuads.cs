using System.Globalization;
using System.Text;

namespace Backpack.Core.Credentials.Rdf;

/// <summary>Reads and writes RDF 1.1 N-Quads; writes the canonical form RDFC-1.0 specifies.</summary>
public static class NQuads
{
    /// <summary>Parses N-Quads text.</summary>
    /// <param name="text">The text, one statement a line; blank lines and comments are allowed.</param>
    /// <returns>The quads in document order.</returns>
    /// <exception cref="RdfSyntaxException">The text breaks the grammar; names line, column and rule.</exception>
    public static IReadOnlyList<RdfQuad> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quads = new List<RdfQuad>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var reader = new LineReader(rawLine.TrimEnd('\r'), lineNumber);
            reader.SkipSpace();
            if (reader.AtEnd || reader.Peek == '#')
            {
                continue;
            }

            var subject = reader.ReadSubjectOrGraph("subject");
            reader.SkipSpace();
            var predicate = reader.ReadIri();
            reader.SkipSpace();
            var obj = reader.ReadObject();
            reader.SkipSpace();
            RdfTerm? graph = null;
            if (!reader.AtEnd && reader.Peek != '.')
            {
                graph = reader.ReadSubjectOrGraph("graph");
                reader.SkipSpace();
            }

            reader.Expect('.', "nquads.statement-end", "a statement must end with '.'");
            reader.SkipSpace();
            if (!reader.AtEnd && reader.Peek != '#')
            {
                throw reader.Error("nquads.statement-end", "unexpected text after the end of the statement");
            }

            quads.Add(new RdfQuad(subject, RdfTerm.Iri(predicate), obj, graph));
        }

        return quads;
    }

    /// <summary>Writes one quad as a canonical N-Quads line, with its final newline.</summary>
    /// <param name="quad">The quad.</param>
    /// <returns>The line.</returns>
    public static string Serialize(RdfQuad quad)
    {
        ArgumentNullException.ThrowIfNull(quad);
        var builder = new StringBuilder();
        WriteQuad(builder, quad, null);
        return builder.ToString();
    }

    /// <summary>Writes quads as canonical N-Quads, one line each, in the order given.</summary>
    /// <param name="quads">The quads.</param>
    /// <returns>The text.</returns>
    public static string Serialize(IEnumerable<RdfQuad> quads)
    {
        ArgumentNullException.ThrowIfNull(quads);
        var builder = new StringBuilder();
        foreach (var quad in quads)
        {
            WriteQuad(builder, quad, null);
        }

        return builder.ToString();
    }

    internal static void WriteQuad(StringBuilder builder, RdfQuad quad, Func<string, string>? blankLabel)
    {
        WriteTerm(builder, quad.Subject, blankLabel);
        builder.Append(' ');
        WriteTerm(builder, quad.Predicate, blankLabel);
        builder.Append(' ');
        WriteTerm(builder, quad.Object, blankLabel);
        if (quad.Graph is not null)
        {
            builder.Append(' ');
            WriteTerm(builder, quad.Graph, blankLabel);
        }

        builder.Append(" .\n");
    }

    internal static void WriteTerm(StringBuilder builder, RdfTerm term, Func<string, string>? blankLabel)
    {
        switch (term.Kind)
        {
            case RdfTermKind.Iri:
                builder.Append('<').Append(term.Value).Append('>');
                break;
            case RdfTermKind.BlankNode:
                builder.Append("_:").Append(blankLabel is null ? term.Value : blankLabel(term.Value));
                break;
            default:
                builder.Append('"');
                EscapeLiteral(builder, term.Value);
                builder.Append('"');
                if (term.Language is not null)
                {
                    builder.Append('@').Append(term.Language);
                }
                else if (term.Datatype != RdfTerm.XsdString)
                {
                    builder.Append("^^<").Append(term.Datatype).Append('>');
                }

                break;
        }
    }

    private static void EscapeLiteral(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }

    private ref struct LineReader
    {
        private readonly ReadOnlySpan<char> line;
        private readonly int lineNumber;
        private int position;

        public LineReader(string line, int lineNumber)
        {
            this.line = line;
            this.lineNumber = lineNumber;
            position = 0;
        }

        public readonly bool AtEnd => position >= line.Length;

        public readonly char Peek => line[position];

        public void SkipSpace()
        {
            while (position < line.Length && (line[position] == ' ' || line[position] == '\t'))
            {
                position++;
            }
        }

        public readonly RdfSyntaxException Error(string rule, string message) =>
            new(lineNumber, position + 1, rule, message);

        public void Expect(char c, string rule, string message)
        {
            if (AtEnd || line[position] != c)
            {
                throw Error(rule, message);
            }

            position++;
        }

        public RdfTerm ReadSubjectOrGraph(string role)
        {
            if (AtEnd)
            {
                throw Error("nquads." + role, $"a {role} is missing");
            }

            return Peek switch
            {
                '<' => RdfTerm.Iri(ReadIri()),
                '_' => ReadBlankNode(),
                _ => throw Error("nquads." + role, $"a {role} must be an IRI or a blank node"),
            };
        }

        public RdfTerm ReadObject()
        {
            if (AtEnd)
            {
                throw Error("nquads.object", "an object is missing");
            }

            return Peek switch
            {
                '<' => RdfTerm.Iri(ReadIri()),
                '_' => ReadBlankNode(),
                '"' => ReadLiteral(),
                _ => throw Error("nquads.object", "an object must be an IRI, a blank node or a literal"),
            };
        }

        public string ReadIri()
        {
            Expect('<', "nquads.iri", "an IRI must start with '<'");
            var builder = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("nquads.iri", "an IRI must end with '>'");
                }

                var c = line[position++];
                if (c == '>')
                {
                    break;
                }

                if (c == '\\')
                {
                    ReadUnicodeEscape(builder, "nquads.iri");
                }
                else if (c <= ' ' || c is '<' or '"' or '{' or '}' or '|' or '^' or '`')
                {
                    position--;
                    throw Error("nquads.iri", $"the character U+{(int)c:X4} is not allowed in an IRI");
                }
                else
                {
                    builder.Append(c);
                }
            }

            var iri = builder.ToString();
            if (!iri.Contains(':', StringComparison.Ordinal))
            {
                throw Error("nquads.iri", "an IRI must be absolute");
            }

            return iri;
        }

        private RdfTerm ReadBlankNode()
        {
            Expect('_', "nquads.blank-node", "a blank node must start with '_:'");
            Expect(':', "nquads.blank-node", "a blank node must start with '_:'");
            var start = position;
            while (position < line.Length && !char.IsWhiteSpace(line[position]) && line[position] != '<' && line[position] != '"')
            {
                position++;
            }

            while (position > start && line[position - 1] == '.')
            {
                position--;
            }

            if (position == start)
            {
                throw Error("nquads.blank-node", "a blank node label is empty");
            }

            return RdfTerm.BlankNode(line[start..position].ToString());
        }

        private RdfTerm ReadLiteral()
        {
            Expect('"', "nquads.literal", "a literal must start with '\"'");
            var builder = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("nquads.literal", "a literal must end with '\"'");
                }

                var c = line[position++];
                if (c == '"')
                {
                    break;
                }

                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        throw Error("nquads.escape", "an escape is incomplete");
                    }

                    var e = line[position];
                    switch (e)
                    {
                        case 't': builder.Append('\t'); position++; break;
                        case 'b': builder.Append('\b'); position++; break;
                        case 'n': builder.Append('\n'); position++; break;
                        case 'r': builder.Append('\r'); position++; break;
                        case 'f': builder.Append('\f'); position++; break;
                        case '"': builder.Append('"'); position++; break;
                        case '\'': builder.Append('\''); position++; break;
                        case '\\': builder.Append('\\'); position++; break;
                        default: ReadUnicodeEscape(builder, "nquads.escape"); break;
                    }
                }
                else
                {
                    builder.Append(c);
                }
            }

            var value = builder.ToString();
            if (!AtEnd && Peek == '@')
            {
                position++;
                var start = position;
                while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '-'))
                {
                    position++;
                }

                if (position == start)
                {
                    throw Error("nquads.language", "a language tag is empty");
                }

                return RdfTerm.Literal(value, null, line[start..position].ToString());
            }

            if (!AtEnd && Peek == '^')
            {
                Expect('^', "nquads.datatype", "a datatype must follow '^^'");
                Expect('^', "nquads.datatype", "a datatype must follow '^^'");
                return RdfTerm.Literal(value, ReadIri());
            }

            return RdfTerm.Literal(value);
        }

        private void ReadUnicodeEscape(StringBuilder builder, string rule)
        {
            if (AtEnd)
            {
                throw Error(rule, "an escape is incomplete");
            }

            var kind = line[position++];
            var length = kind switch
            {
                'u' => 4,
                'U' => 8,
                _ => throw Error(rule, $"'\\{kind}' is not a valid escape here"),
            };
            if (position + length > line.Length
                || !int.TryParse(line.Slice(position, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
            {
                throw Error(rule, "a Unicode escape must name a valid code point");
            }

            position += length;
            builder.Append(char.ConvertFromUtf32(code));
        }
    }
}
