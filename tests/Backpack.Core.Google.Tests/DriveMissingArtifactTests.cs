using System.Collections.Concurrent;
using Backpack.Core.Artifacts;
using Backpack.Core.Google.Drive;
using Backpack.Core.Milestones;
using Backpack.Core.Students;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Tests;

/// <summary>An artifact whose Drive original does not exist: a typed outbox failure, the host told, ids only in the log.</summary>
public sealed class DriveMissingArtifactTests
{
    [Fact]
    public async Task Shortcut_ToADriveFileThatDoesNotExist_DeadLettersWithArtifactMissingAndTellsTheHandler()
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var handler = new RecordingMissingHandler();
        var log = new CapturingLogger<DriveBackpackOrganizer>();
        await using var h = new DriveHarness(emulator, clock, configureBuilder: b =>
        {
            b.Services.AddSingleton<IMissingArtifactHandler>(handler);
            b.Services.AddSingleton<ILogger<DriveBackpackOrganizer>>(log);
        });
        var framework = await h.SaveFrameworkAsync("Communicator");
        var skill = framework.Current!.Content.Skills[0].Id;
        var student = await h.NewStudentAsync("ana@district.test");
        var ghost = new Artifact(new ArtifactId(h.NextGuid()), student.Id, "Ana's secret essay", new DriveFileSource("ghost-file-id"), new CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), CurationState.Collected, DriveHarness.Start)
        {
            Alignments = [new SkillAlignment(skill, "because")],
        };
        await h.SaveArtifactAsync(null, ghost);
        var present = await h.NewArtifactAsync(student, "real-file", skill);

        await h.Worker.DrainAsync();

        var dead = Assert.Single(h.Store.Inner.DeadLetters);
        Assert.StartsWith(DriveBackpackOrganizer.ArtifactMissingCode + " (BackpackGoogleException)", dead.LastError, StringComparison.Ordinal);
        Assert.Contains("ghost-file-id", dead.LastError, StringComparison.Ordinal);
        Assert.Equal([new MissingArtifactFile(ghost.Id, "ghost-file-id", Deleted: true)], handler.Calls.SelectMany(c => c));
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains(ghost.Id.ToString(), warning.Message, StringComparison.Ordinal);
        Assert.Contains("ghost-file-id", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret essay", string.Join('\n', log.Lines.Select(l => l.Message)), StringComparison.Ordinal);
        Assert.DoesNotContain("ana@", string.Join('\n', log.Lines.Select(l => l.Message)), StringComparison.Ordinal);

        // The artifact whose original exists got its shortcut; nothing was created for the ghost.
        var shortcuts = h.Live(DriveLayout.ShortcutKind);
        Assert.Equal([present.Id.ToString()], shortcuts.Select(s => (string)s["appProperties"]![DriveLayout.ArtifactKey]!));
    }

    [Fact]
    public async Task Shortcut_WhoseSkillFolderWasDeleted_IsRetriedAndPlacedNotReportedMissing()
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var handler = new RecordingMissingHandler();
        await using var h = new DriveHarness(emulator, clock, configureBuilder: b => b.Services.AddSingleton<IMissingArtifactHandler>(handler));
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        var student = await h.NewStudentAsync("ben@district.test");
        var artifact = await h.NewArtifactAsync(student, "orig-1", skills[0]);
        await h.DrainAsync();

        // A user deletes the skill folder the next shortcut goes into; the adapter still has it cached.
        var folder = await h.FolderIdAsync(FolderKey.SkillOf(student.Id, h.Year, skills[0]));
        using (var http = new HttpClient { BaseAddress = emulator.BaseUri })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", "user");
            (await http.DeleteAsync($"drive/v3/files/{folder}")).EnsureSuccessStatusCode();
        }

        var stored = (await h.Store.GetArtifactAsync(artifact.Id))!;
        await h.SaveArtifactAsync(stored, stored with { Title = "retitled" });
        var again = await h.NewArtifactAsync(student, "orig-2", skills[0]);
        await h.DrainAsync();

        Assert.Empty(handler.Calls);
        Assert.Contains(h.Live(DriveLayout.ShortcutKind), s => (string)s["appProperties"]![DriveLayout.ArtifactKey]! == again.Id.ToString());
    }

    [Fact]
    public async Task ShowcaseCopy_OfADriveFileDeletedBeforeTheDefense_TellsTheHandlerAndFreezesTheRest()
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var handler = new RecordingMissingHandler();
        await using var h = new DriveHarness(emulator, clock, configureBuilder: b => b.Services.AddSingleton<IMissingArtifactHandler>(handler));
        var framework = await h.SaveFrameworkAsync("Communicator");
        var skill = framework.Current!.Content.Skills[0].Id;
        var student = await h.NewStudentAsync("cy@district.test");
        var kept = await h.NewArtifactAsync(student, "orig-kept", skill);
        var lost = await h.NewArtifactAsync(student, "orig-lost", skill);
        var m = await h.SaveMilestoneAsync(null, new Milestone(MilestoneId.New(), student.Id, MilestoneKind.DefenseOfLearning, new CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), clock.GetUtcNow().AddDays(5), MilestoneStatus.Scheduled)
            .WithShowcase([new ShowcaseEntry(skill, new[] { kept.Id, lost.Id }.ToValueList())]));
        await h.DrainAsync();
        using (var http = new HttpClient { BaseAddress = emulator.BaseUri })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", "user");
            (await http.DeleteAsync("drive/v3/files/orig-lost")).EnsureSuccessStatusCode();
        }

        await h.SaveMilestoneAsync(m, m.Hold(clock.GetUtcNow()));
        await h.DrainAsync();

        Assert.Equal([new MissingArtifactFile(lost.Id, "orig-lost", Deleted: true)], handler.Calls.SelectMany(c => c));
        var copy = Assert.Single(h.Live(DriveLayout.ShowcaseCopyKind));
        Assert.Equal(kept.Id.ToString(), (string)copy["appProperties"]![DriveLayout.ArtifactKey]!);
    }

    private sealed class RecordingMissingHandler : IMissingArtifactHandler
    {
        public ConcurrentQueue<IReadOnlyList<MissingArtifactFile>> Calls { get; } = new();

        public Task OnMissingAsync(IReadOnlyList<MissingArtifactFile> missing, CancellationToken cancellationToken)
        {
            Calls.Enqueue(missing);
            return Task.CompletedTask;
        }
    }

    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
