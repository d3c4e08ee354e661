namespace Backpack.Core.TestSupport;

/// <summary>
/// A clock whose timers fire at once and move time forward by their due time: backoff, Retry-After and pacing
/// waits cost no real time, while the emulator (sharing this clock) sees time pass consistently.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Timer(this, callback, state, dueTime);

    private sealed class Timer : ITimer
    {
        private readonly VirtualClock clock;
        private readonly TimerCallback callback;
        private readonly object? state;
        private int fired;

        public Timer(VirtualClock clock, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            this.clock = clock;
            this.callback = callback;
            this.state = state;
            Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || Interlocked.Exchange(ref fired, 1) == 1)
            {
                return true;
            }

            if (dueTime > TimeSpan.Zero)
            {
                clock.Advance(dueTime);
            }

            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
