namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Follows page tokens, refusing one that was already followed: a server (or a damaged response) that hands back a
/// token again would otherwise make a listing loop forever.
/// </summary>
internal sealed class PageTokens(string operation, string? subject = null)
{
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    /// <summary>The token to request next, or null when the listing is complete.</summary>
    /// <exception cref="BackpackGoogleException">The token was already followed (transient).</exception>
    public string? Next(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (!seen.Add(token))
        {
            var about = subject is null ? string.Empty : $" for '{subject}'";
            throw new BackpackGoogleException($"{operation}{about} returned a page token it had already returned; the listing would never end.", null, System.Net.HttpStatusCode.OK, null, isTransient: true, null)
            {
                Code = "google.repeated-page-token",
            };
        }

        return token;
    }
}
