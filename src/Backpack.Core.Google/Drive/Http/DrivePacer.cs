using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Paces calls under Drive's per-minute quotas (one per user and one per project) so they are not provoked.
/// Each quota is a <see cref="TokenBucketRateLimiter"/> replenished by hand from the injected
/// <see cref="TimeProvider"/> (so tests run on a virtual clock): a bucket of 10% of the quota refilled at
/// <c>utilization - 10%</c> of it per minute never admits more than the quota in any 60-second window.
/// </summary>
internal sealed class DrivePacer : IDisposable
{
    private readonly TimeProvider clock;
    private readonly int? perUser;
    private readonly int? perProject;
    private readonly double utilization;
    private readonly Bucket? project;
    private readonly ConcurrentDictionary<string, Bucket> users = new(StringComparer.OrdinalIgnoreCase);
    private long waits;

    public DrivePacer(TimeProvider clock, int? perUserPerMinute, int? perProjectPerMinute, double utilization)
    {
        this.clock = clock;
        perUser = perUserPerMinute;
        perProject = perProjectPerMinute;
        this.utilization = utilization;
        project = perProjectPerMinute is { } p ? new Bucket(clock, p, utilization) : null;
    }

    /// <summary>How many times a call waited for its quota.</summary>
    public long Waits => Interlocked.Read(ref waits);

    /// <summary>Waits until <paramref name="permits"/> calls may go out for <paramref name="user"/>.</summary>
    public async Task AcquireAsync(string user, int permits, CancellationToken cancellationToken)
    {
        var own = perUser is { } u ? users.GetOrAdd(user, _ => new Bucket(clock, u, utilization)) : null;
        var remaining = Math.Max(1, permits);
        while (remaining > 0)
        {
            var chunk = Math.Min(remaining, Math.Min(own?.Capacity ?? int.MaxValue, project?.Capacity ?? int.MaxValue));
            if (own is not null)
            {
                await AcquireAsync(own, chunk, cancellationToken).ConfigureAwait(false);
            }

            if (project is not null)
            {
                await AcquireAsync(project, chunk, cancellationToken).ConfigureAwait(false);
            }

            remaining -= chunk;
        }
    }

    private async Task AcquireAsync(Bucket bucket, int permits, CancellationToken cancellationToken)
    {
        while (!bucket.TryAcquire(permits))
        {
            Interlocked.Increment(ref waits);
            await Task.Delay(bucket.Period, clock, cancellationToken).ConfigureAwait(false);
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

    private sealed class Bucket : IDisposable
    {
        private readonly TimeProvider clock;
        private readonly TokenBucketRateLimiter limiter;
        private readonly Lock gate = new();
        private long lastTicks;

        public Bucket(TimeProvider clock, int perMinute, double utilization)
        {
            this.clock = clock;
            Capacity = Math.Max(1, (int)(perMinute * 0.1));
            var rate = Math.Max(1.0, (perMinute * utilization) - Capacity - 1);
            int tokens;
            if (rate >= 60)
            {
                Period = TimeSpan.FromSeconds(1);
                tokens = (int)(rate / 60);
            }
            else
            {
                Period = TimeSpan.FromMilliseconds(Math.Ceiling(60_000 / rate));
                tokens = 1;
            }

            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Capacity,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = Period,
                AutoReplenishment = false,
                QueueLimit = 0,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            lastTicks = clock.GetTimestamp();
        }

        public int Capacity { get; }

        public TimeSpan Period { get; }

        public bool TryAcquire(int permits)
        {
            lock (gate)
            {
                var now = clock.GetTimestamp();
                var elapsed = clock.GetElapsedTime(lastTicks, now);
                var periods = (long)(elapsed.Ticks / Period.Ticks);
                if (periods > 0)
                {
                    for (var i = 0; i < Math.Min(periods, 1 + Capacity); i++)
                    {
                        limiter.TryReplenish();
                    }

                    lastTicks += (long)(periods * Period.TotalSeconds * clock.TimestampFrequency);
                }

                using var lease = limiter.AttemptAcquire(permits);
                return lease.IsAcquired;
            }
        }

        public void Dispose() => limiter.Dispose();
    }
}
