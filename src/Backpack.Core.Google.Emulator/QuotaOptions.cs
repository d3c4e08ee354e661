namespace Backpack.Core.Google.Emulator;

/// <summary>
/// Per-minute query quotas of one emulated API. A user is the bearer token of a request, or its
/// <c>quotaUser</c> query parameter when present; the project is the whole emulator. Each method call
/// (each part of a batch) costs one quota unit. Windows are fixed 60-second windows of the emulator's clock.
/// </summary>
public sealed class QuotaOptions
{
    /// <summary>Method calls allowed per user per minute; null means unlimited.</summary>
    public int? PerUserPerMinute { get; set; }

    /// <summary>Method calls allowed for the whole project per minute; null means unlimited.</summary>
    public int? PerProjectPerMinute { get; set; }

    /// <summary>
    /// When true, calls over quota get HTTP 429 with reason <c>rateLimitExceeded</c>; when false (the default),
    /// HTTP 403 with reason <c>userRateLimitExceeded</c> (per-user quota) or <c>rateLimitExceeded</c> (project quota).
    /// Either way the response carries a <c>Retry-After</c> header.
    /// </summary>
    public bool Use429 { get; set; }
}
