using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.OneRoster.Tests;

/// <summary>
/// Hostile input at volume: mutated OneRoster folders either import or fail with a <see cref="BackpackValidationException"/>
/// naming the place; never any other exception, never a hang; a failed import leaves the store unchanged.
/// </summary>
public sealed class OneRosterFuzzTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void OneRosterImport_MutatedFolders_ImportOrTypedErrorAndNothingWrittenOnFailure()
    {
        var seed = Data("OneRoster", "v1.2");
        var files = Directory.GetFiles(seed).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var contents = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(seed, f)));
        var folder = Directory.CreateTempSubdirectory("backpack-fuzz-oneroster-");
        var failures = new List<string>();
        try
        {
            var gen = from file in Gen.Elements(files)
                      from bytes in Mutations.Of([contents[file], .. contents.Values])
                      select (file, bytes);
            Check.One(Mutations.Config, Prop.ForAll(gen.ToArbitrary(), c =>
            {
                var (file, bytes) = c;
                foreach (var f in files)
                {
                    File.WriteAllBytes(Path.Combine(folder.FullName, f), f == file ? bytes : contents[f]);
                }

                var store = new InstrumentedStore();
                try
                {
                    OneRosterImporterTests.ImportAsync(folder.FullName, store, new DateOnly(2025, 9, 1)).GetAwaiter().GetResult();
                }
                catch (BackpackValidationException e)
                {
                    if (store.Saves != 0 || e.Problems.Any(p => string.IsNullOrWhiteSpace(p.Path)))
                    {
                        failures.Add($"{file}: saved {store.Saves} times or a problem without a path: {e.Message}");
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures.Add($"{file}: {e.GetType().Name}: {e.Message}");
                }

                return true;
            }));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(10)));
    }
}
