using System.Text;
using System.Text.RegularExpressions;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>IRI helpers: RFC 3986 reference resolution (section 5.2) without normalization.</summary>
internal static partial class Iri
{
    public static bool IsAbsolute(string value) => SchemePattern().IsMatch(value);

    public static bool IsBlankNode(string value) => value.StartsWith("_:", StringComparison.Ordinal);

    public static bool IsKeyword(string value) => value.Length > 1 && value[0] == '@' && Keywords.Contains(value);

    public static bool HasKeywordForm(string value) => KeywordFormPattern().IsMatch(value);

    /// <summary>Whether an IRI may appear in RDF: absolute and without characters IRIs forbid.</summary>
    public static bool IsWellFormed(string value)
    {
        if (!IsAbsolute(value))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
            {
                return false;
            }
        }

        return true;
    }

    public static string Resolve(string reference, string? baseIri)
    {
        if (baseIri is null || IsAbsolute(reference))
        {
            return reference;
        }

        var b = Parse(baseIri);
        var r = Parse(reference);
        string? authority;
        string path;
        string? query;
        if (r.Authority is not null)
        {
            authority = r.Authority;
            path = RemoveDotSegments(r.Path);
            query = r.Query;
        }
        else
        {
            if (r.Path.Length == 0)
            {
                path = b.Path;
                query = r.Query ?? b.Query;
            }
            else
            {
                path = r.Path.StartsWith('/') ? RemoveDotSegments(r.Path) : RemoveDotSegments(Merge(b, r.Path));
                query = r.Query;
            }

            authority = b.Authority;
        }

        var result = new StringBuilder();
        result.Append(b.Scheme).Append(':');
        if (authority is not null)
        {
            result.Append("//").Append(authority);
        }

        result.Append(path);
        if (query is not null)
        {
            result.Append('?').Append(query);
        }

        if (r.Fragment is not null)
        {
            result.Append('#').Append(r.Fragment);
        }

        return result.ToString();
    }

    private static string Merge((string? Scheme, string? Authority, string Path, string? Query, string? Fragment) b, string path)
    {
        if (b.Authority is not null && b.Path.Length == 0)
        {
            return "/" + path;
        }

        var slash = b.Path.LastIndexOf('/');
        return slash < 0 ? path : b.Path[..(slash + 1)] + path;
    }

    private static string RemoveDotSegments(string path)
    {
        var input = path;
        var output = new List<string>();
        var builder = new StringBuilder();
        while (input.Length > 0)
        {
            if (input.StartsWith("../", StringComparison.Ordinal))
            {
                input = input[3..];
            }
            else if (input.StartsWith("./", StringComparison.Ordinal))
            {
                input = input[2..];
            }
            else if (input.StartsWith("/./", StringComparison.Ordinal))
            {
                input = input[2..];
            }
            else if (input == "/.")
            {
                input = "/";
            }
            else if (input.StartsWith("/../", StringComparison.Ordinal))
            {
                input = input[3..];
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (input == "/..")
            {
                input = "/";
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (input is "." or "..")
            {
                input = string.Empty;
            }
            else
            {
                var start = input[0] == '/' ? 1 : 0;
                var next = input.IndexOf('/', start);
                if (next < 0)
                {
                    next = input.Length;
                }

                output.Add(input[..next]);
                input = input[next..];
            }
        }

        foreach (var segment in output)
        {
            builder.Append(segment);
        }

        return builder.ToString();
    }

    private static (string? Scheme, string? Authority, string Path, string? Query, string? Fragment) Parse(string iri)
    {
        var m = ReferencePattern().Match(iri);
        return (
            m.Groups[2].Success ? m.Groups[2].Value : null,
            m.Groups[4].Success ? m.Groups[4].Value : null,
            m.Groups[5].Value,
            m.Groups[7].Success ? m.Groups[7].Value : null,
            m.Groups[9].Success ? m.Groups[9].Value : null);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index", "@json",
        "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse", "@set", "@type",
        "@value", "@version", "@vocab", "@default", "@embed", "@explicit", "@omitDefault", "@requireAll",
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^@[A-Za-z]+$")]
    private static partial Regex KeywordFormPattern();

    [GeneratedRegex(@"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", RegexOptions.Singleline)]
    private static partial Regex ReferencePattern();
}
