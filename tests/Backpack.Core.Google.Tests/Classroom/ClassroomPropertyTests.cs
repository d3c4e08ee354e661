using Backpack.Core.Google.Emulator;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.Google.Tests.Classroom;

public sealed class ClassroomPropertyTests
{
    /// <summary>A small generated district: a few schools, courses, students, assignments and submissions.</summary>
    private static ClassroomWorld World(int seed) => ClassroomWorld.District(schools: 3, coursesPerSchool: 2, studentsPerCourse: 4, workPerCourse: 3, seed: seed);

    [Fact]
    public void SyncAsync_Twice_EqualsOnce()
    {
        var property = Prop.ForAll(
            Gen.Choose(1, 10_000).ToArbitrary(),
            Gen.Choose(1, 4).ToArbitrary(),
            (seed, moves) => SyncTwiceEqualsOnceAsync(seed, moves).GetAwaiter().GetResult());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), property);
    }

    private static async Task<bool> SyncTwiceEqualsOnceAsync(int seed, int moves)
    {
        await using var h = await ClassroomHarness.StartAsync();
        var world = World(seed);
        world.SeedInto(h.Emulator);
        await h.SyncAsync();

        // Change the district a little (students move between schools), then sync once and twice.
        var random = new Random(seed);
        for (var i = 0; i < moves; i++)
        {
            var from = world.Courses[random.Next(world.Courses.Count)];
            var to = world.Courses[random.Next(world.Courses.Count)];
            if (from.Students.Count > 0)
            {
                var s = from.Students[random.Next(from.Students.Count)];
                from.Students.Remove(s);
                if (!to.Students.Contains(s))
                {
                    to.Students.Add(s);
                }
            }
        }

        world.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(3));
        await h.SyncAsync();
        var once = await h.Store.DumpAsync();
        var saves = h.Store.Saves;
        var second = await h.SyncAsync();
        return second.ChangedNothing && h.Store.Saves == saves && once == await h.Store.DumpAsync();
    }

    [Fact]
    public async Task SyncAsync_FiftyFaultSeeds_EndsInTheFaultFreeState()
    {
        var world = ClassroomWorld.District(schools: 4, coursesPerSchool: 3, studentsPerCourse: 4, workPerCourse: 3, seed: 7);
        string expected;
        await using (var clean = await ClassroomHarness.StartAsync())
        {
            world.SeedInto(clean.Emulator);
            var result = await clean.SyncAsync();
            Assert.Empty(result.FailedCourses);
            expected = await clean.Store.DumpAsync();
        }

        var failures = new List<string>();
        var injected = new Dictionary<FaultKind, long>();
        for (var seed = 1; seed <= 50; seed++)
        {
            await using var h = await ClassroomHarness.StartAsync();
            world.SeedInto(h.Emulator);
            var faults = new FaultOptions { Seed = seed, Rate = 0.10 + (0.10 * (seed % 11) / 10.0) };
            foreach (var kind in FaultOptions.DefaultKinds.Append(FaultKind.InternalErrorAfterApply).Append(FaultKind.DropConnectionAfterApply))
            {
                faults.Kinds.Add(kind);
            }

            h.Emulator.SetFaults(faults);
            var result = await h.SyncAsync();
            foreach (var (kind, count) in h.Emulator.GetStatistics().FaultsInjected)
            {
                injected[kind] = injected.GetValueOrDefault(kind) + count;
            }

            var state = await h.Store.DumpAsync();
            if (result.FailedCourses.Count > 0 || state != expected)
            {
                failures.Add($"seed {seed}: failed courses {result.FailedCourses.Count}, state equal {state == expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.True(injected.Values.Sum() >= 50 * 4, $"only {injected.Values.Sum()} faults were injected");
        Assert.True(injected.GetValueOrDefault(FaultKind.DropConnection) > 0 && injected.GetValueOrDefault(FaultKind.DropConnectionAfterApply) > 0 && injected.GetValueOrDefault(FaultKind.InternalErrorAfterApply) > 0, "every kind of fault should occur");
    }

    [Fact]
    public async Task SyncAsync_CrashBetweenCourses_ReRunConverges()
    {
        var world = World(seed: 3);
        string expected;
        await using (var clean = await ClassroomHarness.StartAsync())
        {
            world.SeedInto(clean.Emulator);
            await clean.SyncAsync();
            expected = await clean.Store.DumpAsync();
        }

        await using var h = await ClassroomHarness.StartAsync();
        world.SeedInto(h.Emulator);
        h.Store.CrashAfter(2, ClassroomStoreQueries.IsCourseSave);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.SyncAsync());
        Assert.NotEqual(expected, await h.Store.DumpAsync());
        await h.SyncAsync();

        Assert.Equal(expected, await h.Store.DumpAsync());
    }
}
