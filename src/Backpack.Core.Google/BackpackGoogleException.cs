using System.Net;

namespace Backpack.Core.Google;

/// <summary>
/// A Google API call failed: says which file (when one is concerned), the HTTP status, Google's reason (for
/// example <c>notFound</c>, <c>insufficientFilePermissions</c>, <c>userRateLimitExceeded</c>) and whether a
/// retry later can help. Google.Apis and HTTP exceptions never escape the adapter raw; the original is the
/// <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class BackpackGoogleException : BackpackException
{
    /// <summary>Creates the exception.</summary>
    public BackpackGoogleException()
        : this("A Google API call failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public BackpackGoogleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public BackpackGoogleException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the details of the failed call.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="fileId">The Drive file concerned, if any.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="reason">Google's reason, if any.</param>
    /// <param name="isTransient">Whether retrying later can succeed.</param>
    /// <param name="innerException">The cause.</param>
    public BackpackGoogleException(string message, string? fileId, HttpStatusCode? statusCode, string? reason, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        FileId = fileId;
        StatusCode = statusCode;
        Reason = reason;
        Transient = isTransient;
    }

    /// <summary>The Drive file concerned, if any.</summary>
    public string? FileId { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived (dropped connection, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Google's reason, e.g. <c>notFound</c> or <c>rateLimitExceeded</c>, when the response carried one.</summary>
    public string? Reason { get; }

    private bool Transient { get; }

    /// <inheritdoc />
    public override bool IsTransient => Transient;

    /// <summary>
    /// <c>google.</c> and Google's reason when there is one (e.g. <c>google.notFound</c>, <c>google.invalid_grant</c>),
    /// else <c>google.http-</c> and the status (e.g. <c>google.http-500</c>), <c>google.credentials</c> when the
    /// configured credential could not be loaded, or <c>google.no-response</c>.
    /// </summary>
    public override string ErrorCode => Code ?? (Reason is not null ? "google." + Reason : StatusCode is { } status ? $"google.http-{(int)status}" : "google.no-response");

    /// <summary>A code set by the adapters when neither a reason nor a status describes the failure.</summary>
    internal string? Code { get; init; }
}
