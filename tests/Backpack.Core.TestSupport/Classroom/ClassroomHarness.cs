using System.Globalization;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.TestSupport.Classroom;

/// <summary>
/// One Backpack host with Classroom sync against the emulator: the in-memory store (instrumented), a virtual clock shared
/// with the emulator (backoff, Retry-After and pacing cost no real time), <c>AddGoogleClassroom</c> with a
/// district mapping that reads the course section (<c>S{school}-G{grade}</c>).
/// </summary>
public sealed class ClassroomHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static readonly SkillId Communicator = SkillId.From(new Guid("0f5e7a31-7a3c-4f5e-9d1a-6c2b8e4f0a01"));
    public static readonly SkillId Collaborator = SkillId.From(new Guid("0f5e7a31-7a3c-4f5e-9d1a-6c2b8e4f0a02"));
    public static readonly SkillId Innovator = SkillId.From(new Guid("0f5e7a31-7a3c-4f5e-9d1a-6c2b8e4f0a03"));

    private readonly ServiceProvider provider;

    private ClassroomHarness(GoogleEmulator emulator, VirtualClock clock, TimeProvider time, Action<GoogleClassroomOptions>? configure)
    {
        Emulator = emulator;
        Clock = clock;
        Time = time;
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton<IBackpackStore>(Store);
        services.AddBackpack(o =>
        {
            o.DistrictId = "test-district";
            o.SchoolYearStartMonth = 8;
        }).AddGoogleClassroom(o =>
        {
            o.BaseUri = emulator.ClassroomBaseUri;
            o.AccessToken = "classroom-admin";
            o.MapCourse = MapBySection;
            o.SkillTags["communicator"] = Communicator;
            o.SkillTags["collaboration"] = Collaborator;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(5);
            o.PerClientQueriesPerMinute = null;
            o.PerUserQueriesPerMinute = null;
            configure?.Invoke(o);
        });
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public GoogleEmulator Emulator { get; }

    /// <summary>The virtual clock (unused by the host and emulator when started with <see cref="StartRealTimeAsync"/>).</summary>
    public VirtualClock Clock { get; }

    /// <summary>The clock the host and the emulator use.</summary>
    public TimeProvider Time { get; }

    public InstrumentedStore Store { get; } = new();

    public static async Task<ClassroomHarness> StartAsync(Action<GoogleClassroomOptions>? configure = null, DateTimeOffset? start = null)
    {
        var clock = new VirtualClock(start ?? Start);
        var emulator = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        var harness = new ClassroomHarness(emulator, clock, clock, configure);
        await harness.SeedFrameworkAsync();
        return harness;
    }

    /// <summary>
    /// A host and emulator on the system clock: for the wall-clock figure of the pacing benchmark (HTTP latency
    /// included). The pacer's buckets run on the injected clock, so tests pace on the virtual clock instead.
    /// </summary>
    public static async Task<ClassroomHarness> StartRealTimeAsync(Action<GoogleClassroomOptions>? configure = null)
    {
        var emulator = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = TimeProvider.System });
        var harness = new ClassroomHarness(emulator, new VirtualClock(Start), TimeProvider.System, configure);
        await harness.SeedFrameworkAsync();
        return harness;
    }

    /// <summary>The test district's mapping: section <c>S{school}-G{grade}</c>.</summary>
    public static CoursePlacement? MapBySection(ClassroomCourse course)
    {
        var section = course.Section;
        if (section is null || !section.StartsWith('S'))
        {
            return null;
        }

        var parts = section[1..].Split("-G");
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var school) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var grade)
            ? new CoursePlacement(ClassroomWorld.School(school), GradeLevel.FromOrdinal(grade))
            : null;
    }

    public async Task<ClassroomSyncResult> SyncAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClassroomSync>().SyncAsync(cancellationToken);
    }

    public ClassroomSync Sync() => provider.CreateScope().ServiceProvider.GetRequiredService<ClassroomSync>();

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    private async Task SeedFrameworkAsync()
    {
        var content = new FrameworkContent("Success Skills", ValueList<Skill>.Empty)
            .AddSkill(Communicator, "Effective Communicator")
            .AddSkill(Collaborator, "Productive Collaborator")
            .AddSkill(Innovator, "Emerging Innovator");
        var framework = SkillsFramework.Create(FrameworkId.From(new Guid("5a1d0000-0000-4000-8000-000000000001")), content).Publish(Clock.GetUtcNow());
        var changes = new ChangeSet().Put(framework);
        for (var school = 0; school <= 200; school++)
        {
            // The district's schools: the course mapping names them, and the sync checks they exist.
            changes.Put(new School(ClassroomWorld.School(school), $"School {school}"));
        }

        await Store.SaveAsync(changes);
    }
}
