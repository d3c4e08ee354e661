using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Paces calls under Drive's per-minute quotas (one per user and one per project) so they are not provoked.
/// Each quota is a token bucket (<see cref="ClockTokenBucket"/>, a <see cref="RateLimiter"/>) on the injected
/// <see cref="TimeProvider"/>, so tests run on a virtual clock: a bucket of 10% of the quota, refilled
/// continuously at <c>utilization</c> of the quota minus the bucket, never admits more than the quota in any
/// 60-second window, fixed or sliding.
/// </summary>
internal sealed class DrivePacer : IDisposable
{
    private readonly TimeProvider clock;
    private readonly int? perUser;
    private readonly double utilization;
    private readonly ClockTokenBucket? project;
    private readonly ConcurrentDictionary<string, ClockTokenBucket> users = new(StringComparer.OrdinalIgnoreCase);
    private long waits;

    public DrivePacer(TimeProvider clock, int? perUserPerMinute, int? perProjectPerMinute, double utilization)
    {
        this.clock = clock;
        perUser = perUserPerMinute;
        this.utilization = utilization;
        project = perProjectPerMinute is { } p ? ClockTokenBucket.ForQuota(clock, p, utilization) : null;
    }

    /// <summary>The most calls one HTTP request (a batch) may carry so that it is admitted in one piece: the smallest bucket.</summary>
    public int MaxPermitsPerRequest => Math.Min(perUser is { } u ? ClockTokenBucket.CapacityFor(u) : int.MaxValue, project?.Capacity ?? int.MaxValue);

    /// <summary>How many times a call waited for its quota.</summary>
    public long Waits => Interlocked.Read(ref waits);

    /// <summary>Waits until <paramref name="permits"/> calls may go out for <paramref name="user"/>.</summary>
    public async Task AcquireAsync(string user, int permits, CancellationToken cancellationToken)
    {
        var own = perUser is { } u ? users.GetOrAdd(user, _ => ClockTokenBucket.ForQuota(clock, u, utilization)) : null;
        var remaining = Math.Max(1, permits);
        while (remaining > 0)
        {
            var chunk = Math.Min(remaining, Math.Min(own?.Capacity ?? int.MaxValue, project?.Capacity ?? int.MaxValue));
            foreach (var bucket in new[] { own, project })
            {
                if (bucket is null)
                {
                    continue;
                }

                using var lease = await bucket.AcquireAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (bucket.LastAcquireWaited)
                {
                    Interlocked.Increment(ref waits);
                    Backpack.Core.Diagnostics.Telemetry.GoogleRateLimitWaits.Add(1, new KeyValuePair<string, object?>("backpack.google.api", "drive"));
                }
            }

            remaining -= chunk;
        }
    }

    public void Dispose()
    {
        project?.Dispose();
        foreach (var b in users.Values)
        {
            b.Dispose();
        }
    }
}

/// <summary>A token bucket <see cref="RateLimiter"/> refilled continuously from a <see cref="TimeProvider"/>; waiting goes through the same clock.</summary>
internal sealed class ClockTokenBucket : RateLimiter
{
    private readonly TimeProvider clock;
    private readonly double perSecond;
    private readonly Lock gate = new();
    private double tokens;
    private long last;

    public ClockTokenBucket(TimeProvider clock, int capacity, double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        this.clock = clock;
        Capacity = capacity;
        this.perSecond = perSecond;
        tokens = capacity;
        last = clock.GetTimestamp();
    }

    public int Capacity { get; }

    public bool LastAcquireWaited { get; private set; }

    public override TimeSpan? IdleDuration => null;

    /// <summary>A bucket for a per-minute quota: 10% burst, refilled so any 60 seconds admit at most <c>quota * utilization</c> calls.</summary>
    public static int CapacityFor(int perMinute) => Math.Max(1, (int)(perMinute * 0.1));

    public static ClockTokenBucket ForQuota(TimeProvider clock, int perMinute, double utilization)
    {
        var capacity = CapacityFor(perMinute);
        var perMinuteRefill = Math.Max(0.5, (perMinute * utilization) - capacity - 1);
        return new ClockTokenBucket(clock, capacity, perMinuteRefill / 60.0);
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, Capacity);
        lock (gate)
        {
            Refill();
            if (tokens >= permitCount)
            {
                tokens -= permitCount;
                return Lease.Acquired;
            }

            return new Lease(false, TimeSpan.FromSeconds(Math.Max(0.001, (permitCount - tokens) / perSecond)));
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        LastAcquireWaited = false;
        while (true)
        {
            var lease = AttemptAcquireCore(permitCount);
            if (lease.IsAcquired)
            {
                return lease;
            }

            LastAcquireWaited = true;
            lease.TryGetMetadata(MetadataName.RetryAfter, out var after);
            lease.Dispose();
            await Task.Delay(after, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Refill()
    {
        var now = clock.GetTimestamp();
        var elapsed = clock.GetElapsedTime(last, now).TotalSeconds;
        if (elapsed > 0)
        {
            tokens = Math.Min(Capacity, tokens + (elapsed * perSecond));
            last = now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } r && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = r;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
