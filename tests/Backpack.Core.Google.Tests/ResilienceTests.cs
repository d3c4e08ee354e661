#pragma warning disable xUnit1031 // FsCheck properties run synchronously; the emulator runs on its own threads, so blocking here cannot deadlock.
using Backpack.Core.Google.Drive.Http;
using Backpack.Core.Google.Emulator;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Backpack.Core.Google.Tests;

public sealed class ResilienceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private static readonly FaultKind[] AllKinds =
    [
        FaultKind.TooManyRequests, FaultKind.RateLimitExceeded, FaultKind.UserRateLimitExceeded, FaultKind.InternalError,
        FaultKind.ServiceUnavailable, FaultKind.Delay, FaultKind.DropConnection, FaultKind.InternalErrorAfterApply, FaultKind.DropConnectionAfterApply,
    ];

    private async Task<IReadOnlyList<string>> RunAsync(FaultOptions? faults)
    {
        emulator.Reset();
        emulator.SetFaults(faults);
        await using var h = new DriveHarness(emulator, clock);
        await Scenario.RunAsync(h, students: 2, artifactsPerStudent: 2);
        emulator.SetFaults(null);
        return h.Canonical();
    }

    [Fact]
    public void Faults_FiftySeedsAtTenToTwentyPercent_FinalStateEqualsTheFaultFreeRun()
    {
        var baseline = RunAsync(null).GetAwaiter().GetResult();
        Assert.Equal(baseline.Count, baseline.Distinct().Count());
        Assert.NotEmpty(baseline);
        long injected = 0;
        var gen = from seed in Gen.Choose(1, 1_000_000)
                  from percent in Gen.Choose(10, 20)
                  select (seed, percent);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var faults = new FaultOptions { Seed = t.seed, Rate = t.percent / 100.0, Delay = TimeSpan.FromSeconds(3) };
            foreach (var k in AllKinds)
            {
                faults.Kinds.Add(k);
            }

            var state = RunAsync(faults).GetAwaiter().GetResult();
            injected += emulator.GetStatistics().FaultsInjected.Values.Sum();
            return state.SequenceEqual(baseline);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
        output.WriteLine($"50 seeds, {injected} faults injected in all; every final state equals the fault-free one ({baseline.Count} items).");
    }

    [Fact]
    public async Task Quotas_PacedUnderEmulatedPerUserAndProjectQuotas_FewerThanOnePercentRateLimited()
    {
        var (calls, rateLimited, pacedWaits) = await DriveCostScenario.RunPacedUnderQuotaAsync(emulator, clock);
        Assert.True(calls > 100);
        Assert.True(rateLimited * 100 < calls, $"{rateLimited} of {calls} calls were rate limited.");
        Assert.True(pacedWaits > 0);
    }

    [Fact]
    public async Task Quotas_WithoutPacing_AreProvokedButRetriedToTheSameResult()
    {
        emulator.Reset();
        emulator.SetQuotas(new QuotaOptions { PerUserPerMinute = 60, Use429 = true });
        try
        {
            await using var h = new DriveHarness(emulator, clock);
            await Scenario.RunAsync(h, students: 3, artifactsPerStudent: 2);
            var stats = emulator.GetStatistics();
            output.WriteLine($"unpaced: method calls {stats.TotalMethodCalls}, rate limited {stats.RateLimitedCalls}");
            Assert.True(stats.RateLimitedCalls > 0);
            Assert.NotEmpty(h.Canonical());
        }
        finally
        {
            emulator.SetQuotas(new QuotaOptions(), new QuotaOptions());
        }
    }

    [Fact]
    public void Pacer_AnyCallSequenceOfRequestsUpToTheBucket_NeverExceedsTheQuotaInAnySixtySecondWindow()
    {
        var gen = from quota in Gen.Choose(5, 200)
                  from calls in Gen.Choose(1, 150)
                  from permits in Gen.Choose(1, Math.Max(1, quota / 10))
                  select (quota, calls, permits);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var c = new VirtualClock(DriveHarness.Start);
            using var pacer = new DrivePacer(c, t.quota, null, 1.0);
            var times = new List<DateTimeOffset>();
            for (var i = 0; i < t.calls; i++)
            {
                var n = 1 + (i % t.permits);
                pacer.AcquireAsync("u", n, default).GetAwaiter().GetResult();
                for (var k = 0; k < n; k++)
                {
                    times.Add(c.GetUtcNow());
                }
            }

            // Fixed windows (the emulator's) and sliding ones (Google's moving average) alike.
            return times.GroupBy(x => x.ToUnixTimeMilliseconds() / 60_000).All(g => g.Count() <= t.quota)
                && times.Select((x, i) => times.Skip(i).TakeWhile(y => y - x < TimeSpan.FromMinutes(1)).Count()).All(n => n <= t.quota);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public void Backoff_AnyAttempt_IsExponentialCappedWithBoundedJitter()
    {
        var handler = new DriveRetryHandler(TimeProvider.System, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(32), new DrivePacer(TimeProvider.System, null, null, 1), "u", new DriveStatistics());
        Prop.ForAll(Arb.From(Gen.Choose(1, 30)), Arb.From(Gen.Choose(0, 999)), (attempt, j) =>
        {
            var d = handler.Backoff(attempt, j / 1000.0);
            var expected = Math.Min(Math.Pow(2, attempt - 1), 32);
            return d >= TimeSpan.FromSeconds(expected) && d < TimeSpan.FromSeconds(expected + 1);
        }).Check(Config.QuickThrowOnFailure);
    }

    [Theory]
    [InlineData(429, null, true)]
    [InlineData(403, "userRateLimitExceeded", true)]
    [InlineData(403, "rateLimitExceeded", true)]
    [InlineData(403, "insufficientPermissions", false)]
    [InlineData(500, "backendError", true)]
    [InlineData(503, null, true)]
    [InlineData(400, "invalid", false)]
    [InlineData(404, "notFound", false)]
    public void IsRetryable_StatusAndReason_MatchesGoogleGuidance(int status, string? reason, bool retry) =>
        Assert.Equal(retry, DriveRetryHandler.IsRetryable(status, reason));
}
