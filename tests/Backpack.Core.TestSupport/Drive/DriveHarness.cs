using System.Text.Json.Nodes;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Http;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backpack.Core.TestSupport.Drive;

/// <summary>
/// One Backpack host wired to the emulator: the in-memory store (instrumented), a virtual clock shared with the emulator, the Drive
/// adapter registered with AddGoogleDrive, the outbox worker, and a small domain API that saves changes the way
/// the core services do (change, planners, one change set).
/// </summary>
public sealed class DriveHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider provider;
    private readonly ISideEffectPlanner[] planners;

    public DriveHarness(GoogleEmulator emulator, VirtualClock clock, Action<GoogleDriveOptions>? configure = null, Action<BackpackOptions>? configureBackpack = null, Action<IBackpackBuilder>? configureBuilder = null)
    {
        Emulator = emulator;
        Clock = clock;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IBackpackStore>(Store);
        services.AddSingleton<IBackpackDirectory>(Directory);
        var builder = services.AddBackpack(o =>
        {
            o.DistrictId = "test-district";
            o.PanelAccessDays = 7;
            configureBackpack?.Invoke(o);
        });
        configureBuilder?.Invoke(builder);
        builder.AddGoogleDrive(o =>
        {
            o.BaseUri = emulator.DriveBaseUri;
            o.BatchUri = emulator.DriveBatchUri;
            o.AccessToken = "backpack-test-token";
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(5);
            o.PerUserQueriesPerMinute = null;
            o.PerProjectQueriesPerMinute = null;
            configure?.Invoke(o);
        });
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        planners = provider.GetServices<ISideEffectPlanner>().ToArray();
        Worker = new OutboxWorker(Store, provider.GetServices<IOutboxHandler>(), clock, Microsoft.Extensions.Options.Options.Create(new OutboxOptions { InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, MaxAttempts = 12, BatchSize = 64 }));
    }

    private int nextId;

    public GoogleEmulator Emulator { get; }

    /// <summary>A deterministic GUID (so two runs of a scenario produce comparable Drive states).</summary>
    public Guid NextGuid() => new(Interlocked.Increment(ref nextId), 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    public VirtualClock Clock { get; }

    public InstrumentedStore Store { get; } = new();

    internal InMemoryBackpackDirectory Directory { get; } = new();

    public OutboxWorker Worker { get; }

    /// <summary>The outbox handlers the adapter registered (to build a worker around them).</summary>
    public IReadOnlyList<IOutboxHandler> Handlers => provider.GetServices<IOutboxHandler>().ToList();

    public DriveReconciler Reconciler => provider.GetRequiredService<DriveReconciler>();

    internal DriveClient Client => provider.GetRequiredService<DriveClient>();

    internal DriveConnections Connections => provider.GetRequiredService<DriveConnections>();

    internal DriveBackpackOrganizer Organizer => provider.GetRequiredService<DriveBackpackOrganizer>();

    public IOptions<GoogleDriveOptions> Options => provider.GetRequiredService<IOptions<GoogleDriveOptions>>();

    /// <summary>Runs retention through the core service (its planners enqueue the Drive side) as the retention job.</summary>
    public async Task<Lifecycle.RetentionReport> RunRetentionAsync()
    {
        using var scope = provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Lifecycle.RetentionService>().RunAsync(Access.Actor.Retention);
    }

    /// <summary>Runs (or resumes) a handoff through the core service, which plans the Drive side through the adapter's planner.</summary>
    public async Task<Lifecycle.HandoffResult> RunHandoffAsync(Access.Actor actor, StudentId student, Lifecycle.HandoffRequest request, Stream archive)
    {
        using var scope = provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Lifecycle.HandoffService>().RunAsync(actor, student, request, archive);
    }

    /// <summary>Resolves a scoped service in a new scope and runs <paramref name="use"/> with it.</summary>
    public async Task<T> WithScopeAsync<TService, T>(Func<TService, Task<T>> use)
        where TService : notnull
    {
        using var scope = provider.CreateScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static async Task<GoogleEmulator> StartEmulatorAsync(VirtualClock clock) =>
        await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });

    /// <summary>Drains the outbox; throws (failing the test or the benchmark) on dead letters.</summary>
    public async Task DrainAsync()
    {
        await Worker.DrainAsync();
        var dead = Store.Inner.DeadLetters;
        if (dead.Count != 0)
        {
            throw new InvalidOperationException("Dead-lettered: " + string.Join(" | ", dead.Select(e => $"{e.Message.Operation}: {e.LastError}")));
        }
    }

    /// <summary>A save of adapter state only (checkpoints, audit, outbox): what a crash between a Drive call and its checkpoint interrupts.</summary>
    public static bool IsAdapterStateOnly(ChangeSet changes) =>
        changes.Students.Count + changes.Rosters.Count + changes.Artifacts.Count + changes.Milestones.Count + changes.Frameworks.Count == 0;

    // ---------------------------------------------------------------- domain, saved the way the services do

    public async Task<SkillsFramework> SaveFrameworkAsync(params string[] skills)
    {
        var content = new FrameworkContent("Success Skills", skills.Select((s, i) => new Skill(new SkillId(NextGuid()), s, i + 1)).ToValueList());
        var framework = new SkillsFramework(new FrameworkId(NextGuid()), [new FrameworkVersion(1, Start, content)], null);
        await Store.SaveAsync(new ChangeSet().Put(framework));
        return framework;
    }

    public SchoolYear Year => new(2025);

    public async Task<Student> SaveStudentAsync(Student? before, Student after)
    {
        var changes = new ChangeSet().Put(after);
        foreach (var p in planners)
        {
            p.OnStudentSaved(before, after, changes);
        }

        await Store.SaveAsync(changes);
        return after with { Version = after.Version + 1 };
    }

    public Task<Student> NewStudentAsync(string email, params PersonId[] guardians)
    {
        var s = new Student(new StudentId(NextGuid()), "S" + email, "Student", [new Enrollment(SchoolId.New(), GradeLevel.FromOrdinal(5), Year, new DateOnly(2025, 8, 20))])
        {
            Email = email,
            Guardians = guardians.ToValueList(),
        };
        Directory.Add(s.Id, email);
        return SaveStudentAsync(null, s);
    }

    public async Task<Roster> SaveRosterAsync(Roster? before, Roster after)
    {
        var changes = new ChangeSet().Put(after);
        foreach (var p in planners)
        {
            p.OnRosterSaved(before, after, changes);
        }

        await Store.SaveAsync(changes);
        return after with { Version = after.Version + 1 };
    }

    public async Task<Artifact> SaveArtifactAsync(Artifact? before, Artifact after)
    {
        var changes = new ChangeSet().Put(after);
        foreach (var p in planners)
        {
            p.OnArtifactSaved(before, after, changes);
        }

        await Store.SaveAsync(changes);
        return after with { Version = after.Version + 1 };
    }

    /// <summary>Seeds an original file in Drive and adds it as a collected artifact aligned to the skills.</summary>
    public async Task<Artifact> NewArtifactAsync(Student student, string fileId, params SkillId[] skills)
    {
        if (Emulator.GetDriveFile(fileId) is null)
        {
            Emulator.SeedDriveFile(new JsonObject { ["id"] = fileId, ["name"] = "work " + fileId, ["mimeType"] = "application/pdf" }, [1, 2, 3]);
        }

        var a = new Artifact(new ArtifactId(NextGuid()), student.Id, "Artifact " + fileId, new DriveFileSource(fileId), new CaptureContext(Year, GradeLevel.FromOrdinal(5), SchoolId.New()), CurationState.Collected, Start)
        {
            Alignments = skills.Select(s => new SkillAlignment(s, "because")).ToValueList(),
        };
        return await SaveArtifactAsync(null, a);
    }

    public async Task<Milestone> SaveMilestoneAsync(Milestone? before, Milestone after)
    {
        var changes = new ChangeSet().Put(after);
        foreach (var p in planners)
        {
            p.OnMilestoneSaved(before, after, changes);
        }

        await Store.SaveAsync(changes);
        return after with { Version = after.Version + 1 };
    }

    internal async Task<string?> FolderIdAsync(FolderKey key) => (await Store.GetCheckpointAsync(key.CheckpointKey))?.Value;

    // ---------------------------------------------------------------- Drive state, by appProperties

    public IReadOnlyList<JsonObject> Files() =>
        ((JsonArray)Emulator.GetState()["drive"]!["files"]!).Select(n => (JsonObject)n!).ToList();

    public IReadOnlyList<JsonObject> Live(string kind) =>
        Files().Where(f => f["trashed"]?.GetValue<bool>() != true && (string?)f["appProperties"]?[DriveLayout.KindKey] == kind).ToList();

    /// <summary>
    /// The Drive state as a sorted list of lines, independent of generated ids: every live Backpack item by its
    /// appProperties, its parent's appProperties, its shortcut target, and its non-owner permissions.
    /// </summary>
    public IReadOnlyList<string> Canonical()
    {
        var files = Files();
        var byId = files.ToDictionary(f => (string)f["id"]!);
        string Describe(JsonObject f) => f["appProperties"] is JsonObject ap && ap.Count > 0
            ? string.Join(",", ap.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))
            : "file:" + (string)f["id"]!;
        var lines = new List<string>();
        foreach (var f in files.Where(f => f["appProperties"] is JsonObject ap && ap.ContainsKey(DriveLayout.KindKey)))
        {
            if (f["trashed"]?.GetValue<bool>() == true)
            {
                lines.Add("TRASHED " + Describe(f));
                continue;
            }

            var parent = ((JsonArray?)f["parents"])?.FirstOrDefault()?.GetValue<string>();
            var parentText = parent is not null && byId.TryGetValue(parent, out var p) ? Describe(p) : "root";
            var target = (string?)f["shortcutDetails"]?["targetId"];
            var perms = ((JsonArray?)f["permissions"] ?? []).Select(x => (JsonObject)x!)
                .Where(x => (string?)x["role"] != "owner")
                .Select(x => $"{x["type"]}:{x["emailAddress"] ?? x["domain"]}:{x["role"]}:{x["expirationTime"]}")
                .OrderBy(x => x, StringComparer.Ordinal);
            lines.Add($"{Describe(f)} | in {parentText} | target {target} | {string.Join(" ", perms)}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}
