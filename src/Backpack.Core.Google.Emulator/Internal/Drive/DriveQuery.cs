using System.Globalization;
using System.Text;

namespace Backpack.Core.Google.Emulator.Internal.Drive;

/// <summary>
/// The subset of the Drive search language the emulator understands, parsed into a predicate. Anything outside
/// it is rejected with 400 <c>invalid</c> on <c>q</c>, as Google does for malformed queries.
/// </summary>
internal static class DriveQuery
{
    public static Func<DriveFile, bool> Parse(string text, Func<string, string> resolveId, string me = "owner@emulator.invalid")
    {
        var tokens = Tokenize(text);
        var parser = new Parser(tokens, resolveId, me);
        var predicate = parser.ParseOr();
        if (!parser.AtEnd)
        {
            throw Invalid();
        }

        return predicate;
    }

    internal static ApiErrorException Invalid() => ApiErrorException.InvalidParameter("q", "Invalid Value");

    private enum TokenKind
    {
        Word,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'' || c == '"')
            {
                var quote = c;
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (d == '\\')
                    {
                        if (i + 1 >= text.Length)
                        {
                            throw Invalid();
                        }

                        sb.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (d == quote)
                    {
                        i++;
                        closed = true;
                        break;
                    }
                    else
                    {
                        sb.Append(d);
                        i++;
                    }
                }

                if (!closed)
                {
                    throw Invalid();
                }

                tokens.Add(new Token(TokenKind.String, sb.ToString()));
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else if (c is '!' or '<' or '>' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(TokenKind.Symbol, text.Substring(i, 2)));
                i += 2;
            }
            else if (c is '(' or ')' or '{' or '}' or '=' or '<' or '>')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
            else
            {
                throw Invalid();
            }
        }

        return tokens;
    }

    private sealed class Parser(List<Token> tokens, Func<string, string> resolveId, string me)
    {
        private const int MaxDepth = 64;
        private int pos;
        private int depth;

        public bool AtEnd => pos >= tokens.Count;

        public Func<DriveFile, bool> ParseOr()
        {
            var left = ParseAnd();
            while (IsKeyword("or"))
            {
                pos++;
                var right = ParseAnd();
                var l = left;
                left = f => l(f) || right(f);
            }

            return left;
        }

        private Func<DriveFile, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (IsKeyword("and"))
            {
                pos++;
                var right = ParseUnary();
                var l = left;
                left = f => l(f) && right(f);
            }

            return left;
        }

        private Func<DriveFile, bool> ParseUnary()
        {
            if (++depth > MaxDepth)
            {
                throw Invalid();
            }

            try
            {
                return ParseUnaryCore();
            }
            finally
            {
                depth--;
            }
        }

        private Func<DriveFile, bool> ParseUnaryCore()
        {
            if (IsKeyword("not"))
            {
                pos++;
                var inner = ParseUnary();
                return f => !inner(f);
            }

            if (IsSymbol("("))
            {
                pos++;
                var inner = ParseOr();
                Expect(TokenKind.Symbol, ")");
                return inner;
            }

            return ParseTerm();
        }

        private Func<DriveFile, bool> ParseTerm()
        {
            var first = Next();
            if (first.Kind == TokenKind.String)
            {
                if (!IsKeyword("in"))
                {
                    throw Invalid();
                }

                pos++;
                var collection = Next();
                if (collection.Kind != TokenKind.Word)
                {
                    throw Invalid();
                }

                var who = first.Text == "me" ? me : first.Text;
                switch (collection.Text)
                {
                    case "parents":
                        var parentId = resolveId(first.Text);
                        return f => f.Parent == parentId;
                    case "owners":
                        return f => HasRole(f, who, "owner");
                    case "writers":
                        return f => HasRole(f, who, "owner", "organizer", "fileOrganizer", "writer");
                    case "readers":
                        return f => HasRole(f, who, "owner", "organizer", "fileOrganizer", "writer", "commenter", "reader");
                    default:
                        throw Invalid();
                }
            }

            if (first.Kind != TokenKind.Word)
            {
                throw Invalid();
            }

            switch (first.Text)
            {
                case "name":
                    return NameCompare();
                case "mimeType":
                    return StringCompare(f => f.MimeType, allowContains: true);
                case "fullText":
                    return StringCompare(f => f.Name + " " + f.Description, allowContains: true, containsOnly: true);
                case "trashed":
                    return BoolCompare(f => f.Trashed);
                case "starred":
                    return BoolCompare(f => f.Starred);
                case "modifiedTime" or "modifiedByMeTime" or "viewedByMeTime":
                    return TimeCompare(f => f.ModifiedTime);
                case "shortcutDetails.targetId":
                    return StringCompare(f => f.ShortcutTargetId ?? string.Empty, allowContains: false);
                case "sharedWithMe":
                    return OptionalBoolCompare(f => !string.Equals(f.OwnerEmail, me, StringComparison.OrdinalIgnoreCase) && HasRole(f, me, "organizer", "fileOrganizer", "writer", "commenter", "reader"));
                case "visibility":
                    return StringCompare(Visibility, allowContains: false);
                case "createdTime":
                    return TimeCompare(f => f.CreatedTime);
                case "appProperties":
                    return Has(f => f.AppProperties);
                case "properties":
                    return Has(f => f.Properties);
                default:
                    throw Invalid();
            }
        }

        private Func<DriveFile, bool> StringCompare(Func<DriveFile, string> get, bool allowContains, bool containsOnly = false)
        {
            var op = Next();
            var value = Next();
            if (value.Kind != TokenKind.String)
            {
                throw Invalid();
            }

            var v = value.Text;
            if (op.Kind == TokenKind.Word && op.Text == "contains" && allowContains)
            {
                return f => get(f).Contains(v, StringComparison.OrdinalIgnoreCase);
            }

            if (containsOnly || op.Kind != TokenKind.Symbol)
            {
                throw Invalid();
            }

            return op.Text switch
            {
                "=" => f => string.Equals(get(f), v, StringComparison.Ordinal),
                "!=" => f => !string.Equals(get(f), v, StringComparison.Ordinal),
                _ => throw Invalid(),
            };
        }

        /// <summary>
        /// <c>name</c>: <c>=</c> and <c>!=</c> compare exactly; <c>contains</c> is prefix matching, as Drive documents
        /// it ("HelloWorld" matches 'Hello', not 'World'), on the whole name or on any of its words, ignoring case.
        /// </summary>
        private Func<DriveFile, bool> NameCompare()
        {
            if (!IsKeyword("contains"))
            {
                return StringCompare(f => f.Name, allowContains: false);
            }

            pos++;
            var value = Next();
            if (value.Kind != TokenKind.String)
            {
                throw Invalid();
            }

            var v = value.Text;
            return f => f.Name.StartsWith(v, StringComparison.OrdinalIgnoreCase)
                || Words(f.Name).Any(w => w.StartsWith(v, StringComparison.OrdinalIgnoreCase));
        }

        private static IEnumerable<string> Words(string text)
        {
            var start = -1;
            for (var i = 0; i <= text.Length; i++)
            {
                var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
                if (inWord && start < 0)
                {
                    start = i;
                }
                else if (!inWord && start >= 0)
                {
                    yield return text[start..i];
                    start = -1;
                }
            }
        }

        private static bool HasRole(DriveFile f, string email, params string[] roles) =>
            f.Permissions.Any(p => p.EmailAddress is not null && string.Equals(p.EmailAddress, email, StringComparison.OrdinalIgnoreCase) && roles.Contains(p.Role));

        private static string Visibility(DriveFile f)
        {
            var anyone = f.Permissions.FirstOrDefault(p => p.Type == "anyone");
            if (anyone is not null)
            {
                return anyone.AllowFileDiscovery == true ? "anyoneCanFind" : "anyoneWithLink";
            }

            var domain = f.Permissions.FirstOrDefault(p => p.Type == "domain");
            return domain is null ? "limited" : domain.AllowFileDiscovery == true ? "domainCanFind" : "domainWithLink";
        }

        /// <summary>A boolean term that may stand alone (meaning true) or be compared with = / != true|false.</summary>
        private Func<DriveFile, bool> OptionalBoolCompare(Func<DriveFile, bool> get) =>
            IsSymbol("=") || IsSymbol("!=") ? BoolCompare(get) : get;

        private Func<DriveFile, bool> BoolCompare(Func<DriveFile, bool> get)
        {
            var op = Next();
            var value = Next();
            if (op.Kind != TokenKind.Symbol || value.Kind != TokenKind.Word)
            {
                throw Invalid();
            }

            var b = value.Text switch
            {
                "true" => true,
                "false" => false,
                _ => throw Invalid(),
            };
            return op.Text switch
            {
                "=" => f => get(f) == b,
                "!=" => f => get(f) != b,
                _ => throw Invalid(),
            };
        }

        private Func<DriveFile, bool> TimeCompare(Func<DriveFile, DateTimeOffset> get)
        {
            var op = Next();
            var value = Next();
            if (op.Kind != TokenKind.Symbol || value.Kind != TokenKind.String || !TryParseTime(value.Text, out var t))
            {
                throw Invalid();
            }

            return op.Text switch
            {
                "=" => f => get(f) == t,
                "!=" => f => get(f) != t,
                "<" => f => get(f) < t,
                "<=" => f => get(f) <= t,
                ">" => f => get(f) > t,
                ">=" => f => get(f) >= t,
                _ => throw Invalid(),
            };
        }

        /// <summary>RFC 3339 (<c>2012-06-04T12:00:00</c>, UTC when no offset is given, optional fraction and offset) or a date.</summary>
        private static bool TryParseTime(string text, out DateTimeOffset time)
        {
            string[] formats =
            [
                "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
                "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
            ];
            return DateTimeOffset.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
        }

        private Func<DriveFile, bool> Has(Func<DriveFile, SortedDictionary<string, string>> get)
        {
            if (!IsKeyword("has"))
            {
                throw Invalid();
            }

            pos++;
            Expect(TokenKind.Symbol, "{");
            ExpectWord("key");
            Expect(TokenKind.Symbol, "=");
            var key = Next();
            if (!IsKeyword("and"))
            {
                throw Invalid();
            }

            pos++;
            ExpectWord("value");
            Expect(TokenKind.Symbol, "=");
            var value = Next();
            Expect(TokenKind.Symbol, "}");
            if (key.Kind != TokenKind.String || value.Kind != TokenKind.String)
            {
                throw Invalid();
            }

            return f => get(f).TryGetValue(key.Text, out var v) && v == value.Text;
        }

        private bool IsKeyword(string word) =>
            pos < tokens.Count && tokens[pos].Kind == TokenKind.Word && string.Equals(tokens[pos].Text, word, StringComparison.OrdinalIgnoreCase);

        private bool IsSymbol(string symbol) =>
            pos < tokens.Count && tokens[pos].Kind == TokenKind.Symbol && tokens[pos].Text == symbol;

        private Token Next() => pos < tokens.Count ? tokens[pos++] : throw Invalid();

        private void Expect(TokenKind kind, string text)
        {
            var t = Next();
            if (t.Kind != kind || t.Text != text)
            {
                throw Invalid();
            }
        }

        private void ExpectWord(string word)
        {
            var t = Next();
            if (t.Kind != TokenKind.Word || t.Text != word)
            {
                throw Invalid();
            }
        }
    }
}
