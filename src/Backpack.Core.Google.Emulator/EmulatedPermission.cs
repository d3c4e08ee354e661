namespace Backpack.Core.Google.Emulator;

/// <summary>A Drive permission as the emulator holds it (expired permissions are not reported, as on Drive).</summary>
/// <param name="Id">The permission id (stable per user or group email, <c>anyoneWithLink</c> for anyone).</param>
/// <param name="Type">The grantee type: <c>user</c>, <c>group</c>, <c>domain</c> or <c>anyone</c>.</param>
/// <param name="Role">The role: <c>owner</c>, <c>organizer</c>, <c>fileOrganizer</c>, <c>writer</c>, <c>commenter</c> or <c>reader</c>.</param>
/// <param name="EmailAddress">The user's or group's email, null for domain and anyone permissions.</param>
/// <param name="Domain">The domain of a domain permission, otherwise null.</param>
/// <param name="ExpirationTime">When the permission expires, or null when it does not.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A Drive permission resource, named as Drive names it.")]
public sealed record EmulatedPermission(string Id, string Type, string Role, string? EmailAddress, string? Domain, DateTimeOffset? ExpirationTime);
