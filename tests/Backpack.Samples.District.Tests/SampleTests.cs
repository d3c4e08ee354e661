using Backpack.Core;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Sqlite;
using Backpack.Core.Storage;
using Backpack.Core.Sync;

namespace Backpack.Samples.District.Tests;

/// <summary>The sample host as a tool: its command line's contract, and the story resumed after a crash.</summary>
public sealed class SampleTests
{
    [Theory]
    [InlineData(new[] { "report", "--bogus" }, "--bogus")]
    [InlineData(new[] { "chaos", "--kills", "x" }, "--kills 'x' is not a whole number")]
    [InlineData(new[] { "chaos", "concurrent", "--workers", "0" }, "--workers must be 1 or more")]
    [InlineData(new[] { "chaos", "--engine", "oracle" }, "oracle")]
    [InlineData(new[] { "retention", "run", "--as-of", "2026-13-01" }, "--as-of '2026-13-01' is not a date")]
    [InlineData(new[] { "emulator", "--port", "70000" }, "--port must be between 0 and 65535")]
    [InlineData(new[] { "case", "import", "/no/such/file.json" }, "/no/such/file.json")]
    public void Parse_BadCommandLine_ErrorNamesTheOptionOrValue(string[] args, string expected)
    {
        var result = Cli.Build().Parse(args);

        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chaos --engine postgres --kills 20 --seed 2025 --students-per-grade 3 --json")]
    [InlineData("chaos concurrent --engine sqlite --operations 1000 --workers 1 --json")]
    [InlineData("run --db x.db --drive-url http://127.0.0.1:1/ --students-per-grade 3")]
    [InlineData("--fresh")]
    [InlineData("plan season --students 200 --json")]
    [InlineData("passport export --student first --out p --rule defense")]
    public void Parse_CommandLinesTheDocsAndCiUse_NoErrors(string commandLine)
    {
        Assert.Empty(Cli.Build().Parse(commandLine.Split(' ')).Errors);
    }

    [Fact]
    public async Task Report_JsonOnAnEmptyStore_StandardOutputIsOneJsonDocumentWithNames()
    {
        // A real process, as a script would run it: standard output must parse as JSON, nothing before or after.
        var host = Path.Combine(AppContext.BaseDirectory, "Backpack.Samples.District.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { host, "report", "--json", "--in-memory", "--students-per-grade", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await stderr);
        using var report = System.Text.Json.JsonDocument.Parse(await stdout);
        var row = report.RootElement.GetProperty("readiness").GetProperty("rows")[0];
        Assert.False(string.IsNullOrEmpty(row.GetProperty("schoolName").GetString()));
    }

    [Fact]
    public async Task RunStoryAsync_CompletedStoryWithEntriesKilledRunsLeasedAtOrAfterItsEnd_EachResumedRunDeliversThem()
    {
        var folder = Directory.CreateTempSubdirectory("backpack-sample-");
        try
        {
            // The emulator's clock where the chaos harness sets it: the story's first day (grants expire in the story's spring).
            await using var drive = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero)) });
            var store = new StoreArgs(Db: Path.Combine(folder.FullName, "story.db"), DriveUrl: drive.BaseUri);
            Assert.Equal(0, await Commands.RunStoryAsync(store, fresh: true, studentsPerGrade: 1));

            // A run killed during the story's last drain: its entries stay leased until the story's end plus the lease.
            // Then a run that found the district complete, killed while draining: leased from its own clock on.
            var lease = new OutboxOptions().LeaseDuration;
            foreach (var (killedAt, n) in new[] { (DemoDistrict.StoryEnd, 1), (DemoDistrict.StoryEnd + lease + TimeSpan.FromMinutes(1), 2) })
            {
                var sqlite = Open(store);
                await using (sqlite)
                {
                    var school = (await sqlite.ListSchoolsAsync())[0];
                    var student = (await sqlite.ListStudentsAsync(school.Id, new DateOnly(2026, 1, 15)))[0];
                    await sqlite.SaveAsync(new ChangeSet().Put(new OutboxMessage("drive.ensureBackpack", $"test:late-lease:{student.Id}:{n}", $$"""{"Student":"{{student.Id}}"}""", killedAt)));
                    Assert.Single(await sqlite.LeaseAsync("killed-worker", 10, lease, killedAt));
                    Assert.Equal(1, (await sqlite.CountAsync()).Pending);
                }

                Assert.Equal(0, await Commands.RunStoryAsync(store, fresh: false, studentsPerGrade: 1));

                var after = Open(store);
                await using (after)
                {
                    var counts = await after.CountAsync();
                    var dead = await after.ListDeadLettersAsync(null, 10);
                    Assert.True(dead.Count == 0, string.Join(" | ", dead.Select(d => $"{d.Message.Operation}: {d.LastError}")));
                    Assert.Equal((0, 0), (counts.Pending, counts.DeadLettered));
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static SqliteBackpackStore Open(StoreArgs store) =>
        new(new SqliteStoreOptions { ConnectionString = $"Data Source={store.DatabasePath}" }, "demo-district");
}
