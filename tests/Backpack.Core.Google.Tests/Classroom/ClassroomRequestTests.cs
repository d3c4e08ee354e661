namespace Backpack.Core.Google.Tests.Classroom;

/// <summary>
/// Bounds on the requests and the paced rate of Classroom sync, from the emulator's counters on the virtual clock
/// (nothing printed, no real time). The figures, the paced rate also on the real clock, are printed by
/// <c>dotnet run -c Release --project benchmarks/Backpack.Core.Benchmarks.Google -- classroom</c> and recorded in
/// benchmarks/README-classroom.md.
/// </summary>
public sealed class ClassroomRequestTests
{
    [Fact]
    public async Task SyncAsync_District150Schools_FullSyncWithin105PercentOfMinimumIncrementalReadsOnly()
    {
        var r = await ClassroomRequestScenario.RunAsync();

        Assert.Empty(r.Full.FailedCourses);
        Assert.True(r.FullStats.TotalMethodCalls <= r.Minimum * 1.05, $"{r.FullStats.TotalMethodCalls} calls > 1.05 x {r.Minimum}");
        Assert.True(r.Incremental.ChangedNothing);
        Assert.Equal(r.SavesAfterFull, r.SavesAfterIncremental);
        Assert.Equal(r.Minimum, r.IncrementalStats.TotalMethodCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SyncAsync_UnderEmulatedQuotaOnVirtualClock_AtLeast90PercentOfQuotaUnder1PercentRateLimited(bool use429)
    {
        const int perUser = ClassroomRequestScenario.PerUserQuota;

        var run = await ClassroomRequestScenario.RunUnderQuotaAsync(realClock: false, use429);

        var rate = run.RatePerMinute;
        Assert.Empty(run.Result.FailedCourses);
        Assert.True(rate >= 0.9 * perUser, $"rate {rate:F1}/min < 90% of {perUser}/min");
        Assert.True(rate <= perUser * 1.01, $"rate {rate:F1}/min is over the quota");
        Assert.True(run.RateLimitedShare < 0.01, $"{run.RateLimitedShare:P2} rate limited");
    }
}
