using System.Globalization;
using System.Text;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Opaque page tokens: an offset bound to the query that produced it.</summary>
internal static class Paging
{
    public static string EncodeOffset(int offset, string key)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{offset}|{Hash(key)}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static int DecodeOffset(string? token, string key, string parameter = "pageToken")
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && parts[1] == Hash(key).ToString(CultureInfo.InvariantCulture))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw ApiErrorException.InvalidParameter(parameter, "Invalid page token.");
    }

    private static uint Hash(string key)
    {
        var h = 2166136261u;
        foreach (var c in key)
        {
            h = (h ^ c) * 16777619u;
        }

        return h;
    }
}
