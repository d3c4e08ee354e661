using Backpack.Core.Google.Emulator;
using Backpack.Core.Google.Tests.Classroom;
using Backpack.Core.Sync;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.Google.Tests.Fuzzing;

/// <summary>
/// Hostile Google responses over real HTTP: the emulator answers one call of a sync or of the outbox with a corrupted
/// or truncated body (its <see cref="FaultKind.CorruptBody"/> and <see cref="FaultKind.TruncatedBody"/> faults, seeded).
/// The Classroom sync either completes or throws <see cref="BackpackGoogleException"/>, and when it throws the store is
/// as it was; the Drive outbox handlers only ever fail with Backpack's typed errors; nothing hangs. A fiftieth of
/// <see cref="Mutations.Cases"/> cases per test (200 by default): the in-process <see cref="ClientFuzzTests"/> carry the volume.
/// </summary>
public sealed class HttpFuzzTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    private static int Cases => Math.Max(20, Mutations.Cases / 50);

    private static Gen<(string Method, int Occurrence, FaultKind Kind, int Seed)> Faults(params string[] methods) =>
        from method in Gen.Elements(methods)
        from occurrence in Gen.Choose(1, 3)
        from kind in Gen.Elements(FaultKind.CorruptBody, FaultKind.TruncatedBody)
        from seed in Gen.Choose(0, int.MaxValue)
        select (method, occurrence, kind, seed);

    [Fact]
    public async Task ClassroomSync_OneCorruptedResponse_CompletesOrTypedErrorAndTheStoreUnchanged()
    {
        await using var h = await ClassroomHarness.StartAsync(o =>
        {
            o.PageSize = 2;
            o.MaxAttempts = 2;
        });
        var world = new ClassroomWorld();
        foreach (var id in new[] { "s1", "s2", "s3", "t1" })
        {
            world.AddUser(id);
        }

        world.Courses.Add(new WorldCourse("c1", "Biology", School: 1, Grade: 5) { Students = ["s1", "s2", "s3"], Teachers = ["t1"] });
        world.Courses.Add(new WorldCourse("c2", "Art", School: 2, Grade: 8) { Students = ["s3"], Teachers = ["t1"] });
        world.Work.Add(new WorldWork("c1", "w1", "Poster #communicator"));
        world.Work.Add(new WorldWork("c1", "w2", "Lab [Productive Collaborator]"));
        world.Work.Add(new WorldWork("c2", "w3", "Sketch"));
        world.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-3)) { Attachments = [new WorldAttachment("drive1", null, "Poster.pdf")] });
        world.Submissions.Add(new WorldSubmission("c1", "w2", "sub2", "s2", "RETURNED", ClassroomHarness.Start.AddDays(-2), 88) { Attachments = [new WorldAttachment(null, "https://example.org/lab", "Lab")] });
        world.Submissions.Add(new WorldSubmission("c2", "w3", "sub3", "s3", "TURNED_IN", ClassroomHarness.Start.AddDays(-1)) { Attachments = [new WorldAttachment("drive3", null, "Sketch.png")] });
        world.Guardians.Add(("s1", "g1"));
        world.SeedInto(h.Emulator);

        var failures = new List<string>();
        int typed = 0, completed = 0, injected = 0;
        var methods = new[]
        {
            "classroom.courses.list", "classroom.courses.students.list", "classroom.courses.teachers.list", "classroom.courses.courseWork.list",
            "classroom.courses.courseWork.studentSubmissions.list", "classroom.userProfiles.guardians.list",
        };
        Check.One(Mutations.Config.WithMaxTest(Cases), Prop.ForAll(Faults(methods).ToArbitrary(), f =>
        {
            h.Emulator.SetFaults(new FaultOptions { Seed = f.Seed, Schedule = { new ScheduledFault(f.Method, f.Occurrence, f.Kind) } });
            var before = h.Store.DumpAsync().GetAwaiter().GetResult();
            var sync = Task.Run(() => h.SyncAsync());
            try
            {
                if (!sync.Wait(Hang))
                {
                    failures.Add($"{f}: the sync did not end");
                    return true;
                }

                completed++;
            }
            catch (AggregateException ae) when (ae.InnerException is BackpackGoogleException)
            {
                typed++;
                var after = h.Store.DumpAsync().GetAwaiter().GetResult();
                if (after != before)
                {
                    failures.Add($"{f}: the sync failed ({ae.InnerException.Message}) but changed the store");
                }
            }
            catch (AggregateException ae)
            {
                failures.Add($"{f}: {ae.InnerException!.GetType().Name}: {ae.InnerException.Message}");
            }
            finally
            {
                injected += (int)h.Emulator.GetStatistics().FaultsInjected.Values.Sum();
                h.Emulator.SetFaults(null);
            }

            return true;
        }));

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(15)));
        Assert.True(injected > Cases / 2, $"only {injected} faults were injected in {Cases} syncs");
        Assert.True(typed > 0 && completed > 0, $"typed {typed}, completed {completed}");
    }

    [Fact]
    public async Task DriveOutbox_OneCorruptedResponsePerDrain_HandlersFailOnlyWithTypedErrorsAndNothingHangs()
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        await using var h = new DriveHarness(emulator, clock, o => o.MaxAttempts = 2);
        var recorder = new HandlerErrors();
        var worker = new OutboxWorker(
            h.Store,
            h.Handlers.Select(recorder.Wrap),
            clock,
            Microsoft.Extensions.Options.Options.Create(new OutboxOptions { InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, MaxAttempts = 4, BatchSize = 64 }));
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        var methods = new[]
        {
            "drive.files.generateIds", "drive.files.list", "drive.files.create", "drive.files.get", "drive.files.update",
            "drive.permissions.list", "drive.permissions.create",
        };
        var failures = new List<string>();
        var n = 0;
        Check.One(Mutations.Config.WithMaxTest(Cases), Prop.ForAll(Faults(methods).ToArbitrary(), f =>
        {
            emulator.SetFaults(new FaultOptions { Seed = f.Seed, Schedule = { new ScheduledFault(f.Method, f.Occurrence, f.Kind) } });
            try
            {
                var work = Task.Run(async () =>
                {
                    var student = await h.NewStudentAsync($"s{++n}@district.test");
                    await h.NewArtifactAsync(student, $"orig-{n}", skills[n % 2]);
                    await worker.DrainAsync();
                });
                if (!work.Wait(Hang))
                {
                    failures.Add($"{f}: the outbox did not drain");
                }
            }
            catch (AggregateException ae)
            {
                failures.Add($"{f}: the drain threw {ae.InnerException!.GetType().Name}: {ae.InnerException.Message}");
            }
            finally
            {
                emulator.SetFaults(null);
            }

            return true;
        }));

        failures.AddRange(recorder.Untyped);
        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(15)));
        Assert.True(recorder.Typed > 0, "no handler failed: the corruptions did not reach the adapter");
    }

    /// <summary>Records what the outbox handlers throw: Backpack's typed errors, or anything else (a finding).</summary>
    private sealed class HandlerErrors
    {
        private readonly Lock gate = new();

        public List<string> Untyped { get; } = [];

        public int Typed { get; private set; }

        public IOutboxHandler Wrap(IOutboxHandler handler) => new Recording(handler, this);

        private sealed class Recording(IOutboxHandler inner, HandlerErrors errors) : IOutboxHandler
        {
            public string Operation => inner.Operation;

            public async Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
            {
                try
                {
                    await inner.HandleAsync(entry, cancellationToken);
                }
                catch (Exception ex)
                {
                    lock (errors.gate)
                    {
                        if (ex is BackpackException)
                        {
                            errors.Typed++;
                        }
                        else
                        {
                            errors.Untyped.Add($"{Operation}: {ex.GetType().Name}: {ex.Message} at {ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Backpack", StringComparison.Ordinal))?.Trim()}");
                        }
                    }

                    throw;
                }
            }
        }
    }
}
