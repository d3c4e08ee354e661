using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;

namespace Backpack.Core.Google.Tests;

/// <summary>
/// Several outbox workers (threads here; processes in the sample's <c>chaos concurrent</c>) placing the same
/// student's folders at the same moment: the folder's id is reserved by compare-and-set on its checkpoint, so
/// Drive ends with one folder per key, never two.
/// </summary>
public sealed class DriveConcurrencyTests : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EnsureFolderAsync_WorkersFindNoFolderAndReserveAtOnce_DriveKeepsOneFolder(int workers)
    {
        await using var h = new DriveHarness(emulator, clock);
        var student = await h.NewStudentAsync("race@example.edu");
        var skill = SkillId.New();
        var key = FolderKey.SkillOf(student.Id, h.Year, skill);
        var user = await h.Organizer.UserForAsync(student.Id, default);

        // Every worker has read "no folder", found none in Drive and taken an id before any reservation is saved.
        var arrived = 0;
        using var allReserving = new CountdownEvent(workers);
        h.Store.BeforeSave = changes =>
        {
            if (changes.Checkpoints.Any(c => c.Key == key.CheckpointKey && c.Value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
                && Interlocked.Increment(ref arrived) <= workers)
            {
                allReserving.Signal();
                Assert.True(allReserving.Wait(TimeSpan.FromSeconds(30)), "the workers never all reached their reservation");
            }
        };

        var ids = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => h.Organizer.EnsureFolderAsync(user, key, default))));

        Assert.Equal(workers, Volatile.Read(ref arrived));
        Assert.Single(ids.Distinct());
        var skillFolders = h.Live(DriveLayout.SkillKind).Where(f => (string?)f["appProperties"]?[DriveLayout.SkillKey] == skill.ToString()).ToList();
        Assert.Single(skillFolders);
        Assert.Equal(ids[0], (string)skillFolders[0]["id"]!);
        Assert.Single(h.Live(DriveLayout.YearKind));
        Assert.Single(h.Live(DriveLayout.RootKind));
        Assert.Equal(ids[0], await h.FolderIdAsync(key));
    }

    [Fact]
    public async Task SyncArtifactAsync_TwoWorkersReserveTheSameShortcutsAtOnce_OneLosesTransientlyAndDriveKeepsOneShortcutPerSkill()
    {
        await using var h = new DriveHarness(emulator, clock);
        var student = await h.NewStudentAsync("race@example.edu");
        var skills = new[] { SkillId.New(), SkillId.New() };
        var artifact = await h.NewArtifactAsync(student, "original-1", skills);
        var prefix = $"{DriveKeys.Shortcut}{artifact.Id}:";

        var arrived = 0;
        using var bothReserving = new CountdownEvent(2);
        h.Store.BeforeSave = changes =>
        {
            if (changes.Checkpoints.Any(c => c.Key.StartsWith(prefix, StringComparison.Ordinal) && c.Value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
                && Interlocked.Increment(ref arrived) <= 2)
            {
                bothReserving.Signal();
                Assert.True(bothReserving.Wait(TimeSpan.FromSeconds(30)), "the workers never both reached their reservation");
            }
        };

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await h.Organizer.SyncArtifactAsync(artifact.Id, default);
                return null;
            }
            catch (BackpackConcurrencyException ex)
            {
                return ex;
            }
        })));

        // One reservation won; the other worker was told to retry (a transient failure the outbox retries), and its retry finds the winner's.
        var lost = Assert.Single(runs, r => r is not null);
        Assert.True(lost!.IsTransient);
        h.Store.BeforeSave = null;
        await h.Organizer.SyncArtifactAsync(artifact.Id, default);

        var shortcuts = h.Live(DriveLayout.ShortcutKind).Where(f => (string?)f["appProperties"]?[DriveLayout.ArtifactKey] == artifact.Id.ToString()).ToList();
        Assert.Equal(skills.Select(s => s.ToString()).Order(StringComparer.Ordinal), shortcuts.Select(f => (string)f["appProperties"]![DriveLayout.SkillKey]!).Order(StringComparer.Ordinal));
    }
}
