using System.Globalization;
using Backpack.Core.Google.Emulator;
using Xunit.Abstractions;

namespace Backpack.Core.Google.Tests.Classroom;

/// <summary>
/// Request counts and paced throughput of Classroom sync against the emulator, on the virtual clock. The figures
/// are printed (run with <c>--logger "console;verbosity=detailed"</c>) and recorded in benchmarks/README-classroom.md.
/// The quota measurement runs on the real clock for about 100 seconds per case (trait Category=Measurement).
/// </summary>
public sealed class ClassroomMeasurementTests(ITestOutputHelper output)
{
    /// <summary>150 schools, 3 courses each (10 students, 2 assignments per course).</summary>
    private static ClassroomWorld District150() => ClassroomWorld.District(schools: 150, coursesPerSchool: 3, studentsPerCourse: 10, workPerCourse: 2, seed: 150);

    [Fact]
    public async Task SyncAsync_District150Schools_FullSyncWithin105PercentOfMinimumIncrementalReadsOnly()
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

        output.WriteLine(Invariant($"courses={world.Courses.Count} students={world.Users.Count(u => u.Key.StartsWith('u'))} submissions={world.Submissions.Count}"));
        output.WriteLine(Invariant($"minimum={minimum} full: http={fullStats.HttpRequests} calls={fullStats.TotalMethodCalls} ratio={fullStats.TotalMethodCalls / (double)minimum:F4} saves={savesAfterFull} suggested={full.ArtifactsSuggested} created={full.StudentsCreated}"));
        output.WriteLine(Invariant($"incremental (no change): http={incrementalStats.HttpRequests} calls={incrementalStats.TotalMethodCalls} saves={h.Store.Saves - savesAfterFull} changedNothing={incremental.ChangedNothing}"));
        foreach (var (method, calls) in incrementalStats.MethodCalls.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine(Invariant($"  {method}: {calls}"));
        }

        Assert.Empty(full.FailedCourses);
        Assert.True(fullStats.TotalMethodCalls <= minimum * 1.05, $"{fullStats.TotalMethodCalls} calls > 1.05 x {minimum}");
        Assert.True(incremental.ChangedNothing);
        Assert.Equal(savesAfterFull, h.Store.Saves);
        Assert.Equal(minimum, incrementalStats.TotalMethodCalls);
    }

    [Theory]
    [Trait("Category", "Measurement")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SyncAsync_UnderEmulatedQuota_AtLeast90PercentOfQuotaUnder1PercentRateLimited(bool use429)
    {
        const int perUser = 1_200;
        const int perProject = 3_000;
        // Real clock: the shared pacer refills its buckets as real time passes (see ClassroomHarness.StartRealTimeAsync).
        await using var h = await ClassroomHarness.StartRealTimeAsync(o =>
        {
            o.PerUserQueriesPerMinute = perUser;
            o.PerClientQueriesPerMinute = perProject;
            o.MaxConcurrentCourses = 1;
        });
        var world = District150();
        world.SeedInto(h.Emulator);
        h.Emulator.SetQuotas(null, new QuotaOptions { PerUserPerMinute = perUser, PerProjectPerMinute = perProject, Use429 = use429 });
        var start = h.Time.GetUtcNow();

        var result = await h.SyncAsync();

        var elapsed = h.Time.GetUtcNow() - start;
        var stats = h.Emulator.GetStatistics();
        var rate = stats.TotalMethodCalls / elapsed.TotalMinutes;
        var limited = stats.RateLimitedCalls / (double)stats.TotalMethodCalls;
        output.WriteLine(Invariant($"use429={use429} calls={stats.TotalMethodCalls} minutes={elapsed.TotalMinutes:F3} rate={rate:F1}/min ({rate / perUser:P1} of the per-user quota {perUser}/min) rateLimited={stats.RateLimitedCalls} ({limited:P2}) retries={result.Retries}"));
        Assert.Empty(result.FailedCourses);
        Assert.True(rate >= 0.9 * perUser, $"rate {rate:F1}/min < 90% of {perUser}/min");
        Assert.True(rate <= perUser * 1.01, $"rate {rate:F1}/min is over the quota");
        Assert.True(limited < 0.01, $"{limited:P2} rate limited");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
