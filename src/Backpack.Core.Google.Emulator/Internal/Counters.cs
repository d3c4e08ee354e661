namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Thread-safe request, method, quota and fault counters.</summary>
internal sealed class Counters
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> methods = new(StringComparer.Ordinal);
    private readonly Dictionary<FaultKind, long> faults = [];
    private long http;
    private long quotaUnits;
    private long rateLimited;

    public void HttpRequest() => Interlocked.Increment(ref http);

    public void QuotaUnit() => Interlocked.Increment(ref quotaUnits);

    public void RateLimited() => Interlocked.Increment(ref rateLimited);

    public void MethodCall(string methodId)
    {
        lock (gate)
        {
            methods[methodId] = methods.TryGetValue(methodId, out var n) ? n + 1 : 1;
        }
    }

    public void Fault(FaultKind kind)
    {
        lock (gate)
        {
            faults[kind] = faults.TryGetValue(kind, out var n) ? n + 1 : 1;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            methods.Clear();
            faults.Clear();
            Interlocked.Exchange(ref http, 0);
            Interlocked.Exchange(ref quotaUnits, 0);
            Interlocked.Exchange(ref rateLimited, 0);
        }
    }

    public EmulatorStatistics Snapshot()
    {
        lock (gate)
        {
            return new EmulatorStatistics(
                Interlocked.Read(ref http),
                new Dictionary<string, long>(methods, StringComparer.Ordinal),
                Interlocked.Read(ref quotaUnits),
                Interlocked.Read(ref rateLimited),
                new Dictionary<FaultKind, long>(faults));
        }
    }
}
