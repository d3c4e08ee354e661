namespace Backpack.Core.Google.Emulator;

/// <summary>
/// Reproducible fault injection. Each method call (each part of a batch counts as one) first checks
/// <see cref="Schedule"/>, then draws from a random generator seeded with <see cref="Seed"/>: the same seed and
/// the same sequence of calls give the same faults. Faults other than the <c>AfterApply</c> kinds are injected
/// before the call touches state, so a faulted call changes nothing. <see cref="FaultKind.CorruptBody"/> and
/// <see cref="FaultKind.TruncatedBody"/> are not among <see cref="DefaultKinds"/>: name them in <see cref="Kinds"/> or
/// <see cref="Schedule"/>; how a body is mutated is drawn from the same seed.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>The kinds drawn from by <see cref="Rate"/> when <see cref="Kinds"/> is left empty.</summary>
    public static IReadOnlyList<FaultKind> DefaultKinds { get; } =
    [
        FaultKind.TooManyRequests, FaultKind.RateLimitExceeded, FaultKind.UserRateLimitExceeded,
        FaultKind.InternalError, FaultKind.ServiceUnavailable, FaultKind.Delay, FaultKind.DropConnection,
    ];

    /// <summary>Seed of the random generator that decides which calls fail and how.</summary>
    public int Seed { get; set; }

    /// <summary>Probability in [0, 1] that a call gets a random fault.</summary>
    public double Rate { get; set; }

    /// <summary>The kinds a random fault is drawn from, uniformly. Empty means <see cref="DefaultKinds"/>.</summary>
    public IList<FaultKind> Kinds { get; } = [];

    /// <summary>Method ids (for example <c>drive.files.create</c>) random faults apply to. Empty means every method.</summary>
    public ISet<string> Methods { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Faults injected into specific calls regardless of <see cref="Rate"/>.</summary>
    public IList<ScheduledFault> Schedule { get; } = [];

    /// <summary>How long a <see cref="FaultKind.Delay"/> fault holds the call. Two seconds by default.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);
}
