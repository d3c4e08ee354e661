using System.Reflection;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.TestSupport.StoreContract;

/// <content>
/// A backpack's end on every engine, the outbox crash test pattern at the store: a handoff and then a retention purge,
/// crashed before and after each of their store writes (the handoff's record with its side effects, its run's commit;
/// the purge's side effects, the purge, the run's commit) and run again, end in the same store state as a run without a
/// crash, in a district of their own in the same database.
/// </content>
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset LifeStart = new(2026, 1, 20, 16, 0, 0, TimeSpan.Zero);
    private static readonly StudentId Leaver = new(Guid.Parse("00000000-0000-4000-8000-00000000a001"));
    private static readonly StudentId Stayer = new(Guid.Parse("00000000-0000-4000-8000-00000000a002"));

    [StoreFact]
    public async Task HandoffThenPurge_CrashBeforeOrAfterEachStoreWrite_ReRunEndsAsWithoutCrash()
    {
        var baseline = await RunLifeAsync("life-base", crashAt: null);
        Assert.Equal(2, baseline.HandoffWrites);
        Assert.Equal(3, baseline.RetentionWrites);
        Assert.Contains("student purged", baseline.State);
        Assert.Contains(baseline.State, l => l.StartsWith("outbox pending contract.retireBackpack", StringComparison.Ordinal));
        Assert.DoesNotContain(baseline.State, l => l.Contains(Handoff.CheckpointPrefix, StringComparison.Ordinal));

        var points = new List<CrashPoint>();
        for (var n = 0; n < baseline.HandoffWrites; n++)
        {
            points.Add(new CrashPoint("handoff", n, After: false));
            points.Add(new CrashPoint("handoff", n, After: true));
        }

        for (var n = 0; n < baseline.RetentionWrites; n++)
        {
            points.Add(new CrashPoint("retention", n, After: false));
            points.Add(new CrashPoint("retention", n, After: true));
        }

        foreach (var point in points)
        {
            var crashed = await RunLifeAsync($"life-{point.Phase}-{point.Write}-{(point.After ? "after" : "before")}", point);

            Assert.True(crashed.Crashed, $"{point}: never reached");
            Assert.Equal(baseline.Archive, crashed.Archive);
            Assert.Equal(baseline.State, crashed.State);
        }
    }

    /// <summary>Seeds a district, hands the leaver over, purges them 31 days later (30 days of retention); crashes once at <paramref name="crashAt"/> and runs the crashed job again.</summary>
    private async Task<LifeOutcome> RunLifeAsync(string district, CrashPoint? crashAt)
    {
        var inner = Store(district);
        var school = new School(new SchoolId(Guid.Parse("00000000-0000-4000-8000-00000000a010")), "Lincoln High");
        var skill = new SkillId(Guid.Parse("00000000-0000-4000-8000-00000000a011"));
        var framework = SkillsFramework.Create(new FrameworkId(Guid.Parse("00000000-0000-4000-8000-00000000a012")), new FrameworkContent("Success Skills", [new Skill(skill, "Effective Communicator", 1)])).Publish(TestData.T0);
        var entry = TestData.Year.FirstDay(8);
        var leaver = new Student(Leaver, "L-1", "Lee <Leaver>", [new Enrollment(school.Id, GradeLevel.Grade(12), TestData.Year, entry, new DateOnly(2026, 1, 15)) { ExitReason = ExitReason.Withdrew }]) { Email = "lee@example.org" };
        var stayer = new Student(Stayer, "S-1", "Sam Stayer", [new Enrollment(school.Id, GradeLevel.Grade(12), TestData.Year, entry)]);
        var rules = new ArtifactRules();
        var artifact = new Artifact(new ArtifactId(Guid.Parse("00000000-0000-4000-8000-00000000a013")), Leaver, "Debate notes", new DriveFileSource("file-debate"), new CaptureContext(TestData.Year, GradeLevel.Grade(12), school.Id), CurationState.Collected, TestData.T0)
            .AlignTo(skill, "I argued both sides.", rules)
            .Reflect("<script>alert(1)</script> I listened more.", TestData.T0.AddDays(3), rules);
        await inner.SaveAsync(TestData.Set(school, framework, leaver, stayer, artifact));

        var clock = new FakeTimeProvider(LifeStart);
        var store = CrashingStore.Wrap(inner);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddSingleton(store).AddSingleton<ISideEffectPlanner>(new ContractPlanner());
        services.AddBackpack(o =>
        {
            o.DistrictId = "contract";
            o.HandoffSharing = true;
            o.RetentionDaysAfterExit = 30;
        });
        await using var provider = services.BuildServiceProvider();
        var admin = Actor.ForDistrictAdmin(new PersonId(Guid.Parse("00000000-0000-4000-8000-00000000a0ff")));
        var crashing = (CrashingStore)(object)store;

        async Task<byte[]> HandoffAsync()
        {
            using var scope = provider.CreateScope();
            using var archive = new MemoryStream();
            await scope.ServiceProvider.GetRequiredService<HandoffService>().RunAsync(admin, Leaver, new HandoffRequest { PersonalEmail = "lee.home@example.net" }, archive);
            return archive.ToArray();
        }

        async Task RetentionAsync()
        {
            using var scope = provider.CreateScope();
            await scope.ServiceProvider.GetRequiredService<RetentionService>().RunAsync(Actor.Retention);
        }

        crashing.Arm(crashAt?.Phase == "handoff" ? crashAt.Write : -1, crashAt?.After == true);
        byte[] zip;
        try
        {
            zip = await HandoffAsync();
        }
        catch (SimulatedStoreCrashException)
        {
            // The re-run comes later: what the crashed run recorded (its start) must hold, not the clock.
            clock.Advance(crashAt is { Write: 0, After: false } ? TimeSpan.Zero : TimeSpan.FromMinutes(5));
            zip = await HandoffAsync();
        }

        var handoffWrites = crashing.Writes;
        var handoffCrashed = crashing.Crashed;
        clock.Advance(TimeSpan.FromDays(31));
        crashing.Arm(crashAt?.Phase == "retention" ? crashAt.Write : -1, crashAt?.After == true);
        try
        {
            await RetentionAsync();
        }
        catch (SimulatedStoreCrashException)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            await RetentionAsync();
        }

        return new LifeOutcome(handoffCrashed || crashing.Crashed, handoffWrites, crashing.Writes, zip, await LifeStateAsync(inner));
    }

    /// <summary>The district's store as lines: both students' records, every checkpoint, the outbox (counts and pending messages), and each student's audit trail without times or the runs' own records.</summary>
    private static async Task<IReadOnlyList<string>> LifeStateAsync(IBackpackStore store)
    {
        var lines = new List<string>();
        foreach (var id in new[] { Leaver, Stayer })
        {
            var passport = await store.LoadPassportAsync(id);
            lines.Add(passport is null ? "student purged" : "student " + BackpackJson.Serialize(passport));
            lines.AddRange((await store.ReadAuditAsync(new AuditQuery { StudentId = id, Limit = int.MaxValue }))
                .Where(a => a.Action is not ("handoff.run" or "retention.run"))
                .Select(a => $"audit {a.ActorId} {a.Action} {a.StudentId} {a.ResourceId} {a.Allowed} {a.Detail}"));
        }

        lines.AddRange((await store.ListCheckpointsAsync(string.Empty)).Select(c => $"checkpoint {c.Key}={c.Value}"));
        var counts = await store.Outbox().CountAsync();
        lines.Add($"outbox {counts.Pending}/{counts.Completed}/{counts.DeadLettered}");
        lines.AddRange((await store.Outbox().LeaseAsync("state", 1000, TimeSpan.FromMinutes(1), LifeStart.AddDays(400))).Select(e => $"outbox pending {e.Message.Operation} {e.Message.IdempotencyKey} {e.Message.Payload}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private sealed record CrashPoint(string Phase, int Write, bool After);

    private sealed record LifeOutcome(bool Crashed, int HandoffWrites, int RetentionWrites, byte[] Archive, IReadOnlyList<string> State);

    /// <summary>Plans what a Drive-like adapter would: a share and a revoke on a handoff, a retire message (kept by the purge) on a purge.</summary>
    private sealed class ContractPlanner : ISideEffectPlanner
    {
        public void OnStudentHandedOff(Handoff handoff, ChangeSet changes)
        {
            changes.Put(new OutboxMessage("contract.handoffRevoke", $"contract.handoffRevoke:{handoff.StudentId}", $"{{\"student\":\"{handoff.StudentId}\"}}", handoff.StartedAt));
            changes.Put(new OutboxMessage("contract.handoffShare", $"contract.handoffShare:{handoff.StudentId}", $"{{\"student\":\"{handoff.StudentId}\"}}", handoff.StartedAt));
        }

        public void OnStudentPurged(Student student, ChangeSet changes) =>
            changes.Put(new OutboxMessage("contract" + OutboxOperations.KeptOnPurgeSuffix, $"contract.retire:{student.Id}", $"{{\"student\":\"{student.Id}\"}}", LifeStart));
    }
}

/// <summary>Thrown by <see cref="CrashingStore"/> to simulate a process crash just before or just after a store write.</summary>
public sealed class SimulatedStoreCrashException() : Exception("Simulated crash at a store write.");

/// <summary>
/// Any engine's store behind a proxy that counts its writes (<see cref="IBackpackStore.SaveAsync"/> and
/// <see cref="IBackpackStore.PurgeStudentAsync"/>) and crashes once at a chosen one, before it is applied or after it committed.
/// </summary>
public class CrashingStore : DispatchProxy
{
    private IBackpackStore _inner = null!;
    private int _crashAt = -1;
    private bool _after;

    /// <summary>Writes since the last <see cref="Arm"/>.</summary>
    public int Writes { get; private set; }

    /// <summary>Whether the crash happened.</summary>
    public bool Crashed { get; private set; }

    public static IBackpackStore Wrap(IBackpackStore inner)
    {
        var proxy = Create<IBackpackStore, CrashingStore>();
        ((CrashingStore)(object)proxy)._inner = inner;
        return proxy;
    }

    /// <summary>Starts counting writes again, and crashes at write <paramref name="write"/> (from 0; -1 for never), before it or after it.</summary>
    internal void Arm(int write, bool after)
    {
        Writes = 0;
        Crashed = false;
        _crashAt = write;
        _after = after;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name switch
        {
            nameof(IBackpackStore.SaveAsync) => WriteAsync(() => _inner.SaveAsync((ChangeSet)args![0]!, (CancellationToken)args[1]!)),
            nameof(IBackpackStore.PurgeStudentAsync) => WriteAsync(() => _inner.PurgeStudentAsync((StudentId)args![0]!, (AuditRecord)args[1]!, (CancellationToken)args[2]!)),
            _ => Forward(targetMethod, args),
        };
    }

    private object? Forward(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private async Task WriteAsync(Func<Task> write)
    {
        var n = Writes++;
        Check(n, after: false);
        await write();
        Check(n, after: true);
    }

    private async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        var n = Writes++;
        Check(n, after: false);
        var result = await write();
        Check(n, after: true);
        return result;
    }

    private void Check(int n, bool after)
    {
        if (!Crashed && n == _crashAt && after == _after)
        {
            Crashed = true;
            throw new SimulatedStoreCrashException();
        }
    }
}
