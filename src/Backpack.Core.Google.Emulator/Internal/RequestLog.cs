namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>The most recent method calls, for tests that assert which calls an app made.</summary>
internal sealed class RequestLog(TimeProvider time)
{
    /// <summary>Older entries are dropped beyond this many, so long runs keep bounded memory.</summary>
    public const int Capacity = 100_000;

    private readonly Lock gate = new();
    private readonly Queue<EmulatedRequest> entries = new();

    public void Record(string? methodId, string httpMethod, string path, int status, bool batched)
    {
        var entry = new EmulatedRequest(methodId, httpMethod, path, status, time.GetUtcNow(), batched);
        lock (gate)
        {
            if (entries.Count == Capacity)
            {
                entries.Dequeue();
            }

            entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<EmulatedRequest> Snapshot()
    {
        lock (gate)
        {
            return entries.ToList().AsReadOnly();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }
}
