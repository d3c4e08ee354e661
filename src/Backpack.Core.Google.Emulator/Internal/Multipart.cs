using System.Text;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>A minimal MIME multipart reader (multipart/related uploads, multipart/mixed batches).</summary>
internal static class Multipart
{
    public sealed record Part(Dictionary<string, string> Headers, byte[] Body);

    public static string? Boundary(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        foreach (var piece in contentType.Split(';'))
        {
            var p = piece.Trim();
            if (p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return p["boundary=".Length..].Trim('"');
            }
        }

        return null;
    }

    public static List<Part> Parse(byte[] body, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<Part>();
        var index = IndexOf(body, delimiter, 0);
        if (index < 0)
        {
            throw ApiErrorException.BadRequest("parseError", "Multipart body has no boundary delimiter.");
        }

        while (true)
        {
            var afterDelimiter = index + delimiter.Length;
            if (afterDelimiter + 1 < body.Length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-')
            {
                return parts;
            }

            var next = IndexOf(body, delimiter, afterDelimiter);
            if (next < 0)
            {
                // Tolerate a missing close delimiter: the rest is the last part.
                next = body.Length;
            }

            var start = SkipLineBreak(body, afterDelimiter);
            var end = next;
            if (end > start && body[end - 1] == '\n')
            {
                end--;
                if (end > start && body[end - 1] == '\r')
                {
                    end--;
                }
            }

            if (end > start)
            {
                parts.Add(ParsePart(body.AsSpan(start, end - start)));
            }

            if (next >= body.Length)
            {
                return parts;
            }

            index = next;
        }
    }

    /// <summary>Splits headers from body at the first empty line (CRLF or LF line breaks).</summary>
    public static Part ParsePart(ReadOnlySpan<byte> span)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pos = 0;
        while (pos < span.Length)
        {
            var lineEnd = span[pos..].IndexOf((byte)'\n');
            var line = lineEnd < 0 ? span[pos..] : span.Slice(pos, lineEnd);
            pos = lineEnd < 0 ? span.Length : pos + lineEnd + 1;
            var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
            if (text.Length == 0)
            {
                break;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[text[..colon].Trim()] = text[(colon + 1)..].Trim();
            }
        }

        return new Part(headers, span[pos..].ToArray());
    }

    private static int SkipLineBreak(byte[] body, int i)
    {
        while (i < body.Length && (body[i] == ' ' || body[i] == '\t'))
        {
            i++;
        }

        if (i < body.Length && body[i] == '\r')
        {
            i++;
        }

        if (i < body.Length && body[i] == '\n')
        {
            i++;
        }

        return i;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start)
    {
        var found = haystack.AsSpan(start).IndexOf(needle);
        return found < 0 ? -1 : found + start;
    }
}
