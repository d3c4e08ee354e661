using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>
/// Google's partial-response <c>fields</c> syntax: <c>a,b/c,d(e,f)</c> and <c>*</c>. A null child means
/// "the whole value".
/// </summary>
internal sealed class FieldMask
{
    private FieldMask(Dictionary<string, FieldMask?> children) => Children = children;

    public Dictionary<string, FieldMask?> Children { get; }

    public bool All => Children.ContainsKey("*");

    public static FieldMask Parse(string text)
    {
        var pos = 0;
        var mask = ParseList(text, ref pos);
        if (pos != text.Length)
        {
            throw Invalid(text);
        }

        return mask;
    }

    private static ApiErrorException Invalid(string text) =>
        new(400, "invalidParameter", $"Invalid field selection {text}", location: "fields", locationType: "parameter");

    /// <summary>
    /// Checks every selected name against a response schema (Google answers 400 <c>invalidParameter</c> naming the
    /// first unknown field); <c>*</c> is allowed at any level, and anything below a map such as <c>appProperties</c>.
    /// </summary>
    public void Validate(string schema)
    {
        var properties = FieldSchemas.Properties(schema);
        if (properties is null)
        {
            return;
        }

        foreach (var (name, sub) in Children)
        {
            if (name == "*")
            {
                continue;
            }

            if (!properties.TryGetValue(name, out var child))
            {
                throw Invalid(name);
            }

            if (sub is null || child == FieldSchemas.OpenMap)
            {
                continue;
            }

            if (child.Length == 0)
            {
                // A scalar cannot have sub-selections.
                throw Invalid(name);
            }

            sub.Validate(child);
        }
    }

    private static FieldMask ParseList(string text, ref int pos)
    {
        var children = new Dictionary<string, FieldMask?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpaces(text, ref pos);
            var start = pos;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '_' or '/' or '*' or '.' or '$'))
            {
                pos++;
            }

            var path = text[start..pos];
            if (path.Length == 0 || path.StartsWith('/') || path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal))
            {
                throw Invalid(text);
            }

            FieldMask? sub = null;
            SkipSpaces(text, ref pos);
            if (pos < text.Length && text[pos] == '(')
            {
                pos++;
                sub = ParseList(text, ref pos);
                if (pos >= text.Length || text[pos] != ')')
                {
                    throw Invalid(text);
                }

                pos++;
            }

            Add(children, path.Split('/'), 0, sub);
            SkipSpaces(text, ref pos);
            if (pos < text.Length && text[pos] == ',')
            {
                pos++;
                continue;
            }

            return new FieldMask(children);
        }
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }
    }

    private static void Add(Dictionary<string, FieldMask?> children, string[] path, int index, FieldMask? leaf)
    {
        var name = path[index];
        if (index == path.Length - 1)
        {
            if (!children.TryGetValue(name, out var current))
            {
                children[name] = leaf;
            }
            else if (current is not null && leaf is null)
            {
                children[name] = null;
            }
            else if (current is not null && leaf is not null)
            {
                foreach (var (k, v) in leaf.Children)
                {
                    current.Children[k] = v;
                }
            }

            return;
        }

        if (!children.TryGetValue(name, out var existing))
        {
            existing = new FieldMask(new Dictionary<string, FieldMask?>(StringComparer.Ordinal));
            children[name] = existing;
        }

        if (existing is null)
        {
            return;
        }

        Add(existing.Children, path, index + 1, leaf);
    }

    /// <summary>Returns a copy of <paramref name="node"/> keeping only the selected fields.</summary>
    public JsonNode? Apply(JsonNode? node)
    {
        if (node is null || All)
        {
            return node?.DeepClone();
        }

        if (node is JsonArray array)
        {
            var copy = new JsonArray();
            foreach (var item in array)
            {
                copy.Add(Apply(item));
            }

            return copy;
        }

        if (node is not JsonObject obj)
        {
            return node.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (Children.TryGetValue(name, out var sub))
            {
                result[name] = sub is null ? value?.DeepClone() : sub.Apply(value);
            }
        }

        return result;
    }
}
