using Backpack.Core.TestSupport.Classroom;
using static Backpack.Core.Benchmarks.Google.DriveReport;

namespace Backpack.Core.Benchmarks.Google;

/// <summary>The figures of README-classroom.md: requests of full and incremental sync, and paced throughput under quota.</summary>
internal static class ClassroomReport
{
    public static async Task<bool> RunAsync(TextWriter output, bool quota)
    {
        var r = await ClassroomRequestScenario.RunAsync();
        var world = r.World;
        output.WriteLine(I($"District: {world.Courses.Count} courses, {world.Users.Count(u => u.Key.StartsWith('u'))} students, {world.Submissions.Count} submissions."));
        output.WriteLine();
        output.WriteLine("Full sync (empty store), virtual clock:");
        output.WriteLine(I($"  ComputeClassroomMinimumRequests() = {r.Minimum}"));
        output.WriteLine(I($"  method calls = {r.FullStats.TotalMethodCalls}, HTTP requests = {r.FullStats.HttpRequests}, ratio to the minimum = {r.FullStats.TotalMethodCalls / (double)r.Minimum:F4}"));
        output.WriteLine(I($"  store saves = {r.SavesAfterFull} (including the harness's framework seed), students created = {r.Full.StudentsCreated}, artifacts suggested = {r.Full.ArtifactsSuggested}"));
        output.WriteLine("Incremental sync, nothing changed:");
        output.WriteLine(I($"  method calls = {r.IncrementalStats.TotalMethodCalls}, HTTP requests = {r.IncrementalStats.HttpRequests}, store saves = {r.SavesAfterIncremental - r.SavesAfterFull}, changedNothing = {r.Incremental.ChangedNothing}"));
        foreach (var (method, calls) in r.IncrementalStats.MethodCalls.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine(I($"    {method}: {calls}"));
        }

        var ok = Check(output, r.Full.FailedCourses.Count == 0, "full sync: no failed course");
        ok &= Check(output, r.FullStats.TotalMethodCalls <= r.Minimum * 1.05, "full sync within 1.05 x the minimum");
        ok &= Check(output, r.Incremental.ChangedNothing && r.SavesAfterIncremental == r.SavesAfterFull, "incremental: nothing written");
        if (quota)
        {
            output.WriteLine();
            output.WriteLine("Paced under an emulated quota (1,200/min per user, 3,000/min per project); the real-clock runs take about 95 s each:");
            output.WriteLine("| answer to over-quota calls | clock | calls | minutes | rate | of 1,200/min | rate-limited | retries |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var realClock in new[] { false, true })
            {
                ok &= await QuotaAsync(output, realClock, use429: false);
                ok &= await QuotaAsync(output, realClock, use429: true);
            }
        }

        return ok;
    }

    private static async Task<bool> QuotaAsync(TextWriter output, bool realClock, bool use429)
    {
        const int perUser = ClassroomRequestScenario.PerUserQuota;
        var run = await ClassroomRequestScenario.RunUnderQuotaAsync(realClock, use429);
        var rate = run.RatePerMinute;
        var answer = use429 ? "429" : "403 `userRateLimitExceeded` (Classroom's default)";
        output.WriteLine(I($"| {answer} | {(realClock ? "real" : "virtual")} | {run.Calls:N0} | {run.Elapsed.TotalMinutes:F3} | {rate:N1}/min | **{rate / perUser:P1}** | {run.RateLimited} ({run.RateLimitedShare:P2}) | {run.Result.Retries} |"));
        var ok = Check(output, run.Result.FailedCourses.Count == 0, "no failed course");
        ok &= Check(output, rate >= 0.9 * perUser, I($"rate {rate:F1}/min >= 90% of {perUser}/min"));
        ok &= Check(output, rate <= perUser * 1.01, I($"rate {rate:F1}/min not over the quota"));
        ok &= Check(output, run.RateLimitedShare < 0.01, I($"{run.RateLimitedShare:P2} rate limited (< 1%)"));
        return ok;
    }
}
