namespace Backpack.Core.Google.Drive.Api;

/// <summary>
/// What the adapter relies on in a Drive response that parsed: every listed item present and carrying its id. A
/// response that breaks it (a corrupted body that is still JSON) becomes a <see cref="BackpackGoogleException"/>
/// instead of a crash further on.
/// </summary>
internal static class DriveResponseCheck
{
    /// <summary>The first problem of a response, or null when the adapter can use it.</summary>
    public static string? Problem(object? value) => value switch
    {
        null => "an empty body",
        DriveFile f => string.IsNullOrEmpty(f.Id) ? "a file without an id" : null,
        DriveFileList l => l.Files?.Any(f => f is null || string.IsNullOrEmpty(f.Id)) == true ? "a list holding a file without an id" : null,
        GeneratedIds g => g.Ids is null || g.Ids.Count == 0 || g.Ids.Any(string.IsNullOrEmpty) ? "a list of generated ids that is empty or holds an empty id" : null,
        DrivePermission p => string.IsNullOrEmpty(p.Id) ? "a permission without an id" : null,
        DrivePermissionList l => l.Permissions?.Any(p => p is null || string.IsNullOrEmpty(p.Id)) == true ? "a list holding a permission without an id" : null,
        StartPageToken t => string.IsNullOrEmpty(t.Token) ? "a start page token that is empty" : null,
        DriveChangeList l => l.Changes?.Any(c => c is null || string.IsNullOrEmpty(c.FileId) || (c.File is { } f && string.IsNullOrEmpty(f.Id))) == true
            ? "a list holding a change without a file id"
            : string.IsNullOrEmpty(l.NextPageToken) && string.IsNullOrEmpty(l.NewStartPageToken) ? "a change list with neither a next page nor a new start page token" : null,
        _ => null,
    };
}
