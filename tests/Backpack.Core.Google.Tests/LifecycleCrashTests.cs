using Backpack.Core.Access;
using Backpack.Core.Google.Drive;
using Backpack.Core.Lifecycle;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Sync;

namespace Backpack.Core.Google.Tests;

/// <summary>
/// The outbox crash test pattern (<see cref="DriveEndToEndTests.Outbox_CrashAtEverySave_ReRunEndsInTheSameStateWithoutDuplicates"/>)
/// applied to the end of a backpack's life: for each step of a handoff and of a retention purge, the run crashes there
/// (a step of the service throws; a worker dies holding its lease: its token is cancelled mid-handler or before it marks
/// the entry complete), time passes beyond the lease, the job is run again and the outbox drained; the store, the
/// emulator's Drive and the archive must then be what a run without a crash gives.
/// </summary>
public sealed class LifecycleCrashTests
{
    private static readonly Lazy<Task<Outcome>> HandoffBaseline = new(() => RunHandoffAsync(HandoffStep.None));
    private static readonly Lazy<Task<Outcome>> PurgeBaseline = new(() => RunPurgeAsync(PurgeStep.None));

    /// <summary>Where a handoff crashes.</summary>
    public enum HandoffStep
    {
        None,
        RecordAndSideEffectsSave,
        PassportIssue,
        ArchiveWrite,
        RunCommit,
        RevokeDelivery,
        RevokeCompletion,
        ShareDelivery,
        ShareCompletion,
    }

    /// <summary>Where a retention purge crashes.</summary>
    public enum PurgeStep
    {
        None,
        RetireEnqueue,
        PurgeBeforeCommit,
        PurgeAfterCommit,
        RetireDelivery,
        RetireCompletion,
    }

    public static TheoryData<HandoffStep> HandoffSteps => [.. Enum.GetValues<HandoffStep>().Where(s => s != HandoffStep.None)];

    public static TheoryData<PurgeStep> PurgeSteps => [.. Enum.GetValues<PurgeStep>().Where(s => s != PurgeStep.None)];

    [Theory]
    [MemberData(nameof(HandoffSteps))]
    public async Task Handoff_CrashAtStep_ReRunEndsAsARunWithoutCrash(HandoffStep step)
    {
        var baseline = await HandoffBaseline.Value;

        var crashed = await RunHandoffAsync(step);

        Assert.True(crashed.Crashed, $"The crash at {step} was never reached.");
        Assert.Equal(baseline.Drive, crashed.Drive);
        Assert.Equal(baseline.Store, crashed.Store);
        Assert.Equal(baseline.Archive, crashed.Archive);
    }

    [Theory]
    [MemberData(nameof(PurgeSteps))]
    public async Task Purge_CrashAtStep_ReRunEndsAsARunWithoutCrash(PurgeStep step)
    {
        var baseline = await PurgeBaseline.Value;

        var crashed = await RunPurgeAsync(step);

        Assert.True(crashed.Crashed, $"The crash at {step} was never reached.");
        Assert.Equal(baseline.Drive, crashed.Drive);
        Assert.Equal(baseline.Store, crashed.Store);
    }

    [Fact]
    public async Task Baselines_WithoutCrash_HandoffSharedAndPurgeRetired()
    {
        var handoff = await HandoffBaseline.Value;
        var purge = await PurgeBaseline.Value;

        Assert.Contains(handoff.Drive, l => l.Contains(HandoffScenario.PersonalEmail, StringComparison.Ordinal));
        Assert.DoesNotContain(handoff.Drive, l => l.Contains("teacher@district.test", StringComparison.Ordinal));
        Assert.Contains(handoff.Store, l => l.StartsWith("cp " + Handoff.CheckpointPrefix, StringComparison.Ordinal));
        Assert.NotEmpty(handoff.Archive);
        Assert.All(purge.Drive.Where(l => l.Contains("backpackKind=root", StringComparison.Ordinal)), l => Assert.StartsWith("TRASHED", l, StringComparison.Ordinal));
        Assert.Contains("student purged", purge.Store);
        Assert.DoesNotContain(purge.Store, l => l.StartsWith("cp " + Handoff.CheckpointPrefix, StringComparison.Ordinal));
    }

    private static async Task<Outcome> RunHandoffAsync(HandoffStep step)
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var crash = new Crash();
        var contributor = new CrashingContributor(crash, step == HandoffStep.PassportIssue);
        await using var h = HandoffScenario.Harness(emulator, clock, first: contributor);
        var w = await HandoffScenario.SetUpAsync(h);
        var worker = false;
        switch (step)
        {
            case HandoffStep.RecordAndSideEffectsSave:
                crash.OnSave(h.Store, cs => cs.Audit.Any(a => a.Action == "handoff.start"), kill: false);
                break;
            case HandoffStep.RunCommit:
                crash.OnSave(h.Store, cs => cs.Audit.Any(a => a.Action == "handoff.run" && a.Allowed), kill: false);
                break;
            case HandoffStep.RevokeDelivery:
                crash.OnSave(h.Store, cs => cs.Audit.Any(a => a.Action == "drive.revoke"), kill: true);
                worker = true;
                break;
            case HandoffStep.ShareDelivery:
                crash.OnSave(h.Store, cs => cs.Audit.Any(a => a.Action == "drive.handoff.share"), kill: true);
                worker = true;
                break;
            case HandoffStep.RevokeCompletion:
                crash.OnComplete(h.Store, DriveOperations.HandoffRevoke);
                worker = true;
                break;
            case HandoffStep.ShareCompletion:
                crash.OnComplete(h.Store, DriveOperations.HandoffShare);
                worker = true;
                break;
        }

        byte[] archive;
        try
        {
            using var stream = new CrashingStream(crash, step == HandoffStep.ArchiveWrite);
            await h.RunHandoffAsync(HandoffScenario.Admin, w.Student.Id, new HandoffRequest { PersonalEmail = HandoffScenario.PersonalEmail }, stream);
            archive = stream.ToArray();
            await h.Worker.DrainAsync(crash.Token);
        }
        catch (Exception e) when (e is SimulatedCrashException || (e is OperationCanceledException && crash.Token.IsCancellationRequested))
        {
            Assert.True(crash.Crashed);

            // The re-run comes later (beyond a dead worker's lease): what the crashed run recorded must hold, not the
            // clock; only a crash before the record was saved leaves nothing to resume, and then the re-run is the run.
            clock.Advance(worker ? TimeSpan.FromMinutes(3) : step == HandoffStep.RecordAndSideEffectsSave ? TimeSpan.Zero : TimeSpan.FromMinutes(1));
            archive = (await HandoffScenario.RunAsync(h, w)).Archive;
            await h.DrainAsync();
        }

        return new Outcome(crash.Crashed, h.Canonical(), await StoreStateAsync(h, w), archive);
    }

    private static async Task<Outcome> RunPurgeAsync(PurgeStep step)
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var crash = new Crash();
        await using var h = HandoffScenario.Harness(emulator, clock);
        var w = await HandoffScenario.SetUpAsync(h);
        await HandoffScenario.RunAsync(h, w);
        await h.DrainAsync();
        clock.Advance(TimeSpan.FromDays(31)); // past the 30 days of retention after the exit
        var worker = false;
        switch (step)
        {
            case PurgeStep.RetireEnqueue:
                crash.OnSave(h.Store, cs => cs.Outbox.Any(m => m.Operation == DriveOperations.RetireBackpack), kill: false);
                break;
            case PurgeStep.PurgeBeforeCommit:
            case PurgeStep.PurgeAfterCommit:
                crash.OnPurge(h.Store, afterCommit: step == PurgeStep.PurgeAfterCommit);
                break;
            case PurgeStep.RetireDelivery:
                crash.OnSave(h.Store, cs => cs.Audit.Any(a => a.Action == "drive.retire.trash"), kill: true);
                worker = true;
                break;
            case PurgeStep.RetireCompletion:
                crash.OnComplete(h.Store, DriveOperations.RetireBackpack);
                worker = true;
                break;
        }

        try
        {
            await h.RunRetentionAsync();
            await h.Worker.DrainAsync(crash.Token);
        }
        catch (Exception e) when (e is SimulatedCrashException || (e is OperationCanceledException && crash.Token.IsCancellationRequested))
        {
            Assert.True(crash.Crashed);
            clock.Advance(TimeSpan.FromMinutes(worker ? 3 : 1));
            await h.RunRetentionAsync();
            await h.DrainAsync();
        }

        return new Outcome(crash.Crashed, h.Canonical(), await StoreStateAsync(h, w), []);
    }

    /// <summary>
    /// The store as lines: the student's records, rosters, every checkpoint (key and value), the outbox counts, and the audit
    /// trail without times and without the runs' own records (<c>handoff.run</c>, <c>retention.run</c>: a re-run is one more
    /// run, by design), sorted.
    /// </summary>
    private static async Task<IReadOnlyList<string>> StoreStateAsync(DriveHarness h, HandoffWorld w)
    {
        var lines = new List<string>();
        var passport = await h.Store.LoadPassportAsync(w.Student.Id);
        lines.Add(passport is null ? "student purged" : "student " + BackpackJson.Serialize(passport));
        lines.AddRange(h.Store.Rosters.Select(r => "roster " + BackpackJson.Serialize(r)));
        lines.AddRange((await h.Store.ListCheckpointsAsync(string.Empty)).Select(c => $"cp {c.Key}={c.Value}"));
        var counts = await h.Store.CountAsync();
        lines.Add($"outbox pending {counts.Pending} completed {counts.Completed} dead {counts.DeadLettered}");
        lines.AddRange(h.Store.Audit.Where(a => a.Action is not ("handoff.run" or "retention.run")).Select(a => $"audit {a.ActorId} {a.Action} {a.StudentId} {a.ResourceId} {a.Allowed} {a.Detail}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private sealed record Outcome(bool Crashed, IReadOnlyList<string> Drive, IReadOnlyList<string> Store, byte[] Archive);

    /// <summary>One crash: a simulated process death, once. A worker's death cancels its token, so it stops holding its leases.</summary>
    private sealed class Crash
    {
        private readonly CancellationTokenSource kill = new();
        private int fired;

        public CancellationToken Token => kill.Token;

        public bool Crashed => Volatile.Read(ref fired) == 1;

        public void OnSave(InstrumentedStore store, Func<ChangeSet, bool> matches, bool kill) =>
            store.BeforeSave = changes =>
            {
                if (matches(changes))
                {
                    Fire(kill);
                }
            };

        public void OnComplete(InstrumentedStore store, string operation) =>
            store.BeforeComplete = entry =>
            {
                if (entry.Message.Operation == operation)
                {
                    Fire(kill: true);
                }
            };

        public void OnPurge(InstrumentedStore store, bool afterCommit) =>
            store.AroundPurge = (_, committed) =>
            {
                if (committed == afterCommit)
                {
                    Fire(kill: false);
                }
            };

        /// <summary>Throws the first time only: the re-run goes through.</summary>
        public void Fire(bool kill)
        {
            if (Interlocked.Exchange(ref fired, 1) == 1)
            {
                return;
            }

            if (kill)
            {
                this.kill.Cancel();
                throw new OperationCanceledException(this.kill.Token);
            }

            throw new SimulatedCrashException();
        }
    }

    /// <summary>Registered before the passport's contributor: crashes the handoff while it gathers its contributions; else adds nothing.</summary>
    private sealed class CrashingContributor(Crash crash, bool armed) : IHandoffContributor
    {
        public Task<HandoffContribution?> ContributeAsync(HandoffContext context, CancellationToken cancellationToken)
        {
            if (armed)
            {
                crash.Fire(kill: false);
            }

            return Task.FromResult<HandoffContribution?>(null);
        }
    }

    /// <summary>The archive's destination: when armed, writes half of what it is given and crashes.</summary>
    private sealed class CrashingStream(Crash crash, bool armed) : Stream
    {
        private readonly MemoryStream inner = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public byte[] ToArray() => inner.ToArray();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (armed && !crash.Crashed)
            {
                inner.Write(buffer, offset, count / 2);
                crash.Fire(kill: false);
            }

            inner.Write(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
