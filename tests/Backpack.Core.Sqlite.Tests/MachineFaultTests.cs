using System.Diagnostics;
using Backpack.Core.Artifacts;
using Backpack.Core.Sqlite;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Data.Sqlite;

namespace Backpack.Core.Sqlite.Tests;

/// <summary>
/// Faults of the machine, for real: the store's file on a small tmpfs that fills up, or is remounted read-only,
/// during a write, a bulk load and a migration. Each gives a typed <see cref="BackpackStoreException"/> naming
/// what failed, leaves the store as it was (SQLite's integrity check passes, every acknowledged write is there,
/// nothing of the failed one), and the next try succeeds once space (or write access) is back.
/// </summary>
/// <remarks>Needs to mount a tmpfs (root, as on CI): a machine that cannot fails these tests with the reason.</remarks>
public sealed class MachineFaultTests
{
    [Fact]
    public async Task SaveAsync_DiskFills_TypedErrorStoreUnchangedAndNextSaveSucceedsWithSpace()
    {
        using var disk = SmallDisk.Mount("4m");
        var file = Path.Combine(disk.Path, "district.db");
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 20, Seed = 3 });
        var student = district.Data.Students[0];
        var saved = new List<Artifact>();
        BackpackStoreException? full = null;
        using (var store = Open(file))
        {
            await store.LoadAsync(district.Data with { Artifacts = [], Evaluations = [], Milestones = [] });
            var reflection = new string('r', 9_000);
            for (var i = 0; i < 10_000 && full is null; i++)
            {
                var artifact = new Artifact(ArtifactId.New(), student.Id, $"Work {i}", new DriveFileSource($"f{i}"), new CaptureContext(student.Enrollments[^1].Year, student.Enrollments[^1].Grade, student.Enrollments[^1].SchoolId), CurationState.Collected, DateTimeOffset.UnixEpoch)
                    .Reflect(reflection, DateTimeOffset.UnixEpoch, new ArtifactRules());
                try
                {
                    await store.SaveAsync(new ChangeSet().Put(artifact));
                    saved.Add(artifact);
                }
                catch (BackpackStoreException ex)
                {
                    full = ex;
                }
            }
        }

        Assert.NotNull(full);
        Assert.Contains("the disk is full", full.Message, StringComparison.Ordinal);
        Assert.False(full.IsTransient);
        Assert.NotEmpty(saved);
        Assert.Equal("ok", Integrity(file));
        using (var store = Open(file))
        {
            Assert.Equal(saved.Select(a => a.Id).Order(), (await store.ListArtifactsAsync(student.Id)).Select(a => a.Id).Order());
        }

        disk.Resize("16m");
        using (var store = Open(file))
        {
            var next = saved[0] with { Id = ArtifactId.New(), Source = new DriveFileSource("after"), Version = 0 };
            await store.SaveAsync(new ChangeSet().Put(next));
            Assert.Equal(saved.Count + 1, (await store.ListArtifactsAsync(student.Id)).Count);
        }
    }

    [Fact]
    public async Task LoadAsync_DiskFillsDuringBulkLoad_TypedErrorNothingLoadedAndReloadSucceedsWithSpace()
    {
        using var disk = SmallDisk.Mount("3m");
        var file = Path.Combine(disk.Path, "district.db");
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 2_000, Seed = 4 });
        using (var store = Open(file))
        {
            await store.MigrateAsync();
            var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.LoadAsync(district.Data));
            Assert.Contains("the disk is full", ex.Message, StringComparison.Ordinal);
            Assert.Empty(await store.ListSchoolsAsync());
        }

        Assert.Equal("ok", Integrity(file));
        disk.Resize("64m");
        using (var store = Open(file))
        {
            await store.LoadAsync(district.Data);
            Assert.Equal(district.Data.Schools.Count, (await store.ListSchoolsAsync()).Count);
        }
    }

    [Fact]
    public async Task MigrateAsync_DiskFullDuringMigration_TypedErrorAndMigratesOnceSpaceIsBack()
    {
        using var disk = SmallDisk.Mount("48k");
        var file = Path.Combine(disk.Path, "district.db");
        using (var store = Open(file))
        {
            var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.MigrateAsync());
            Assert.Matches("disk is full|disk I/O error", ex.Message);
        }

        disk.Resize("16m");
        using (var store = Open(file))
        {
            await store.MigrateAsync();
            Assert.True(await store.GetSchemaVersionAsync() > 0);
            Assert.Empty(await store.ListSchoolsAsync());
        }

        Assert.Equal("ok", Integrity(file));
    }

    [Fact]
    public async Task SaveAsync_FileSystemRemountedReadOnly_TypedErrorAndSavesOnceWritableAgain()
    {
        using var disk = SmallDisk.Mount("16m");
        var file = Path.Combine(disk.Path, "district.db");
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 20, Seed = 5 });
        using (var store = Open(file))
        {
            await store.LoadAsync(district.Data);
        }

        School school;
        using (var store = Open(file))
        {
            school = (await store.ListSchoolsAsync())[0];
        }

        disk.Remount("ro");
        using (var store = Open(file))
        {
            var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.SaveAsync(new ChangeSet().Put(school with { Name = "Renamed" })));
            Assert.Matches("read-only|cannot be opened|disk I/O error", ex.Message);
            Assert.False(ex.IsTransient && ex.Message.Contains("locked", StringComparison.Ordinal));
        }

        disk.Remount("rw");
        using (var store = Open(file))
        {
            Assert.Equal(school, (await store.ListSchoolsAsync()).Single(s => s.Id == school.Id));
            await store.SaveAsync(new ChangeSet().Put(school with { Name = "Renamed" }));
            Assert.Equal("Renamed", (await store.ListSchoolsAsync()).Single(s => s.Id == school.Id).Name);
        }

        Assert.Equal("ok", Integrity(file));
    }

    private static SqliteBackpackStore Open(string file) =>
        new(new SqliteStoreOptions { ConnectionString = $"Data Source={file};Pooling=False" }, "faults");

    private static string Integrity(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>A tmpfs of a given size, mounted for one test and unmounted after it.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount(string size)
        {
            var path = Directory.CreateTempSubdirectory("backpack-disk-").FullName;
            Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
            return new SmallDisk(path);
        }

        public void Resize(string size) => Run("mount", "-o", $"remount,size={size}", Path);

        public void Remount(string mode) => Run("mount", "-o", $"remount,{mode}", Path);

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Run("umount", "-l", Path);
            Directory.Delete(Path, recursive: true);
        }

        private static void Run(string command, params string[] args)
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed ({error.Trim()}): these tests mount a small tmpfs and need root, as on CI.");
        }
    }
}
