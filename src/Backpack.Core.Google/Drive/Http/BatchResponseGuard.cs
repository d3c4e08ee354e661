using System.Globalization;
using System.Net.Http.Headers;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Checks a batch (multipart/mixed) response before Google.Apis parses it, the way Google.Apis splits and reads it:
/// Google.Apis' parser loops forever on a part without a status line and throws assorted exceptions on other damage,
/// so a malformed batch response is turned into an <see cref="HttpRequestException"/> here (retried like a dropped
/// connection, then reported as a <see cref="BackpackGoogleException"/>).
/// </summary>
internal sealed class BatchResponseGuard(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Content is not MultipartContent sent || !response.IsSuccessStatusCode)
        {
            return response;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var type = response.Content.Headers.ContentType?.ToString();
        if (Problem(text, type, sent.Count()) is { } problem)
        {
            response.Dispose();
            throw new HttpRequestException("The batch response is malformed: " + problem + ".");
        }

        // The body was read: give Google.Apis the same bytes again.
        var copy = new StringContent(text);
        copy.Headers.ContentType = response.Content.Headers.ContentType;
        response.Content = copy;
        return response;
    }

    /// <summary>The first thing Google.Apis could not parse in a batch response, or null.</summary>
    internal static string? Problem(string content, string? contentType, int requests)
    {
        const string BoundaryKey = "boundary=";
        var at = contentType?.IndexOf(BoundaryKey, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return "no multipart boundary";
        }

        var boundary = contentType![(at + BoundaryKey.Length)..];
        if (boundary.Length == 0)
        {
            return "an empty multipart boundary";
        }

        var parts = 0;
        while (true)
        {
            var start = content.IndexOf("--" + boundary, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            content = content[(start + boundary.Length + 2)..];
            var end = content.IndexOf("--" + boundary, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            if (++parts > requests)
            {
                return $"more parts than the {requests.ToString(CultureInfo.InvariantCulture)} requests sent";
            }

            if (PartProblem(content[..end]) is { } problem)
            {
                return $"part {parts.ToString(CultureInfo.InvariantCulture)}: {problem}";
            }

            content = content[end..];
        }

        return null;
    }

    private static string? PartProblem(string part)
    {
        using var reader = new StringReader(part);
        var line = reader.ReadLine();
        while (line is not null && line.Length == 0)
        {
            line = reader.ReadLine();
        }

        // The outer headers.
        while (!string.IsNullOrEmpty(line))
        {
            line = reader.ReadLine();
        }

        if (line is null)
        {
            return "no inner response";
        }

        line = reader.ReadLine();
        while (line is not null && line.Length == 0)
        {
            line = reader.ReadLine();
        }

        var status = line?.Split(' ');
        if (status is null || status.Length < 2 || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
        {
            return "no status line";
        }

        using var probe = new HttpResponseMessage();
        using var body = new StringContent(string.Empty);
        while (!string.IsNullOrEmpty(line = reader.ReadLine()))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return "a header line without a colon";
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key.Length == 0)
            {
                return "a header without a name";
            }

            if (string.Equals(key, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (!MediaTypeHeaderValue.TryParse(value.Split(';', ' ')[0], out _))
                {
                    return "an invalid Content-Type";
                }

                continue;
            }

            var headers = typeof(HttpContentHeaders).GetProperty(key.Replace("-", string.Empty, StringComparison.Ordinal)) is null ? (HttpHeaders)probe.Headers : body.Headers;
            if (!headers.TryAddWithoutValidation(key, value))
            {
                return "an invalid header";
            }
        }

        return null;
    }
}
