using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Emulator;

namespace Backpack.Core.TestSupport.Classroom;

/// <summary>What <see cref="ClassroomRequestScenario.RunAsync"/> measured.</summary>
public sealed record ClassroomRequestCounts(
    ClassroomWorld World,
    long Minimum,
    ClassroomSyncResult Full,
    EmulatorStatistics FullStats,
    int SavesAfterFull,
    ClassroomSyncResult Incremental,
    EmulatorStatistics IncrementalStats,
    int SavesAfterIncremental);

/// <summary>What <see cref="ClassroomRequestScenario.RunUnderQuotaAsync"/> measured.</summary>
public sealed record ClassroomQuotaRun(ClassroomSyncResult Result, long Calls, long RateLimited, TimeSpan Elapsed)
{
    public double RatePerMinute => Calls / Elapsed.TotalMinutes;

    public double RateLimitedShare => RateLimited / (double)Calls;
}

/// <summary>
/// Requests of a full then an unchanged incremental Classroom sync of a 150-school district, from the emulator's
/// counters on the virtual clock. Asserted by <c>ClassroomRequestTests</c>, printed by
/// <c>benchmarks/Backpack.Core.Benchmarks.Google -- classroom</c>.
/// </summary>
public static class ClassroomRequestScenario
{
    public const int PerUserQuota = 1_200;

    public const int PerProjectQuota = 3_000;

    /// <summary>150 schools, 3 courses each (10 students, 2 assignments per course).</summary>
    public static ClassroomWorld District150() => ClassroomWorld.District(schools: 150, coursesPerSchool: 3, studentsPerCourse: 10, workPerCourse: 2, seed: 150);

    public static async Task<ClassroomRequestCounts> RunAsync()
    {
        await using var h = await ClassroomHarness.StartAsync(o => o.MaxConcurrentCourses = 4);
        var world = District150();
        world.SeedInto(h.Emulator);
        var minimum = h.Emulator.ComputeClassroomMinimumRequests();

        var full = await h.SyncAsync();
        var fullStats = h.Emulator.GetStatistics();
        var savesAfterFull = h.Store.Saves;
        world.SeedInto(h.Emulator); // resets the counters, same data
        var incremental = await h.SyncAsync();
        var incrementalStats = h.Emulator.GetStatistics();
        return new ClassroomRequestCounts(world, minimum, full, fullStats, savesAfterFull, incremental, incrementalStats, h.Store.Saves);
    }

    /// <summary>
    /// A full sync of <see cref="District150"/> under an emulated Classroom quota of 1,200 calls/min per user and
    /// 3,000/min per project, the adapter paced at the same limits, one course at a time. On the virtual clock
    /// (the pacer's buckets run on the injected clock) or, for the wall-clock figure, on the real clock.
    /// </summary>
    public static async Task<ClassroomQuotaRun> RunUnderQuotaAsync(bool realClock, bool use429)
    {
        void Configure(GoogleClassroomOptions o)
        {
            o.PerUserQueriesPerMinute = PerUserQuota;
            o.PerClientQueriesPerMinute = PerProjectQuota;
            o.MaxConcurrentCourses = 1;
        }

        await using var h = realClock ? await ClassroomHarness.StartRealTimeAsync(Configure) : await ClassroomHarness.StartAsync(Configure);
        District150().SeedInto(h.Emulator);
        h.Emulator.SetQuotas(null, new QuotaOptions { PerUserPerMinute = PerUserQuota, PerProjectPerMinute = PerProjectQuota, Use429 = use429 });
        var start = h.Time.GetUtcNow();
        var result = await h.SyncAsync();
        var elapsed = h.Time.GetUtcNow() - start;
        var stats = h.Emulator.GetStatistics();
        return new ClassroomQuotaRun(result, stats.TotalMethodCalls, stats.RateLimitedCalls, elapsed);
    }
}
