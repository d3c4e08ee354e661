using System.Net;

namespace Backpack.Core.Google;

// Placeholder until the Drive branch's shared exception is merged (same public shape); take theirs on merge.

/// <summary>A Google API call failed: the HTTP status, Google's reason and whether a retry later can help.</summary>
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

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Google's reason, when the response carried one.</summary>
    public string? Reason { get; }

    private bool Transient { get; }

    /// <inheritdoc />
    public override bool IsTransient => Transient;
}
