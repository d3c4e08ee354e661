namespace Backpack.Core.Google.Emulator;

/// <summary>A snapshot of the emulator's counters since start or the last reset.</summary>
public sealed class EmulatorStatistics
{
    internal EmulatorStatistics(
        long httpRequests,
        IReadOnlyDictionary<string, long> methodCalls,
        long quotaUnits,
        long rateLimited,
        IReadOnlyDictionary<FaultKind, long> faults)
    {
        HttpRequests = httpRequests;
        MethodCalls = methodCalls;
        QuotaUnits = quotaUnits;
        RateLimitedCalls = rateLimited;
        FaultsInjected = faults;
    }

    /// <summary>HTTP requests received on Google paths (a batch is one request; admin paths are not counted).</summary>
    public long HttpRequests { get; }

    /// <summary>Method calls by discovery method id (for example <c>drive.files.create</c>); each batch part counts.</summary>
    public IReadOnlyDictionary<string, long> MethodCalls { get; }

    /// <summary>The sum of <see cref="MethodCalls"/>.</summary>
    public long TotalMethodCalls => MethodCalls.Values.Sum();

    /// <summary>Quota units charged: one per method call admitted under the quotas.</summary>
    public long QuotaUnits { get; }

    /// <summary>Method calls refused because a quota was exhausted.</summary>
    public long RateLimitedCalls { get; }

    /// <summary>Faults injected, by kind.</summary>
    public IReadOnlyDictionary<FaultKind, long> FaultsInjected { get; }

    /// <summary>Returns the number of calls of one method, zero when it was never called.</summary>
    /// <param name="methodName">A discovery method id such as <c>drive.files.list</c>.</param>
    /// <returns>The count.</returns>
    public long CallsOf(string methodName) => MethodCalls.TryGetValue(methodName, out var n) ? n : 0;
}
