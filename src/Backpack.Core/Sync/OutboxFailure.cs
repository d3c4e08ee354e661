using System.Text.Json;

namespace Backpack.Core.Sync;

/// <summary>
/// How the outbox worker judges a handler's failure: whether a retry can help, a short code, and the reason it
/// stores on the entry.
/// </summary>
/// <remarks>
/// <para>
/// Backpack exceptions (<see cref="IBackpackError"/>) say for themselves. Other exceptions are judged by type:
/// bad arguments, unreadable payloads, unsupported operations, missing items, denied access and defects
/// (<see cref="NullReferenceException"/>) fail the same way every time, so they are dead-lettered at once; timeouts,
/// I/O and HTTP failures, and anything not recognised, are retried with backoff up to the maximum attempts.
/// </para>
/// <para>
/// Personal data: logs get the code and the exception's type name only. The stored reason adds the message only
/// for Backpack exceptions, whose messages name ids, fields and rules (never names, emails or student text); the
/// messages of other exceptions are arbitrary and are not stored.
/// </para>
/// </remarks>
internal readonly record struct OutboxFailure(bool IsTransient, string Code, string ErrorType, string Reason)
{
    /// <summary>The longest message kept in a stored reason.</summary>
    private const int MaxMessageLength = 1_000;

    public static OutboxFailure NoHandler(string operation) =>
        new(false, "outbox.no-handler", "none", $"outbox.no-handler: no handler is registered for operation '{operation}'.");

    public static OutboxFailure Classify(Exception exception)
    {
        var type = exception.GetType().Name;
        if (exception is IBackpackError error)
        {
            var message = exception.Message.Length > MaxMessageLength ? exception.Message[..MaxMessageLength] + "..." : exception.Message;
            return new(error.IsTransient, error.ErrorCode, type, $"{error.ErrorCode} ({type}): {message}");
        }

        var (transient, code) = exception switch
        {
            ArgumentException => (false, "invalid-argument"),
            JsonException or FormatException or InvalidCastException or InvalidDataException => (false, "invalid-payload"),
            NotSupportedException => (false, "not-supported"),
            KeyNotFoundException => (false, "not-found"),
            UnauthorizedAccessException => (false, "access-denied"),
            NullReferenceException or IndexOutOfRangeException => (false, "defect"),
            TimeoutException or OperationCanceledException or IOException or HttpRequestException => (true, "unavailable"),
            _ => (true, "unclassified"),
        };
        return new(transient, code, type, $"{code} ({type})");
    }

    /// <summary>This failure, given up after <paramref name="attempts"/> attempts although a retry could help.</summary>
    public OutboxFailure Exhausted(int attempts) =>
        this with { Reason = $"{Reason} [gave up after {attempts} attempts]" };
}
