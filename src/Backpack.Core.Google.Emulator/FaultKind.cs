namespace Backpack.Core.Google.Emulator;

/// <summary>A kind of fault the emulator can inject into a method call.</summary>
public enum FaultKind
{
    /// <summary>HTTP 429 with reason <c>rateLimitExceeded</c> and a <c>Retry-After</c> header; nothing is applied.</summary>
    TooManyRequests,

    /// <summary>HTTP 403 with reason <c>rateLimitExceeded</c> and a <c>Retry-After</c> header; nothing is applied.</summary>
    RateLimitExceeded,

    /// <summary>HTTP 403 with reason <c>userRateLimitExceeded</c> and a <c>Retry-After</c> header; nothing is applied.</summary>
    UserRateLimitExceeded,

    /// <summary>HTTP 500 with reason <c>backendError</c>; nothing is applied.</summary>
    InternalError,

    /// <summary>HTTP 503 with reason <c>backendError</c>; nothing is applied.</summary>
    ServiceUnavailable,

    /// <summary>The call is delayed by <see cref="FaultOptions.Delay"/> (on the emulator's clock), then served normally.</summary>
    Delay,

    /// <summary>The connection is dropped without a response; nothing is applied.</summary>
    DropConnection,

    /// <summary>The call IS applied, then HTTP 500 is returned: a client that retries must be idempotent.</summary>
    InternalErrorAfterApply,

    /// <summary>The call IS applied, then the connection is dropped: a client that retries must be idempotent.</summary>
    DropConnectionAfterApply,

    /// <summary>
    /// The call IS applied and answered with its normal status, but its JSON body is mutated (seeded like the other
    /// faults): bit flips, truncation, duplicated or deleted slices, a value replaced by one of another type, an array
    /// item or a required value nulled. A client must fail with its own typed error, never crash or hang.
    /// </summary>
    CorruptBody,

    /// <summary>The call IS applied and answered with its normal status, but the body stops at a random byte (possibly empty).</summary>
    TruncatedBody,
}
