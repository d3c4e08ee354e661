using System.Text;
using Backpack.Core.Frameworks.Case;
using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.Tests.Fuzzing;

/// <summary>
/// Hostile input at volume: mutated CASE packages and OneRoster folders either import or fail with a
/// <see cref="BackpackValidationException"/> naming the place; never any other exception, never a hang; a failed
/// OneRoster import leaves the store unchanged.
/// </summary>
public sealed class ImportFuzzTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void CaseImport_MutatedPackages_ImportOrTypedErrorNamingThePath()
    {
        var seeds = Directory.GetFiles(Data("Case"), "*.json").Where(f => !f.EndsWith("schema.json", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
        var failures = new List<string>();
        var typed = 0;
        Check.One(Mutations.Config, Prop.ForAll(Mutations.Of(seeds).ToArbitrary(), bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            try
            {
                CaseJson.Import(text);
                using var stream = new MemoryStream(bytes);
                CaseJson.Import(stream);
            }
            catch (BackpackValidationException e)
            {
                typed++;
                if (e.Problems.Count == 0 || e.Problems.Any(p => string.IsNullOrWhiteSpace(p.Path)))
                {
                    failures.Add($"validation error without a path: {e.Message}");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{e.GetType().Name}: {e.Message} (input of {bytes.Length} bytes starting '{Truncate(text)}')");
            }

            return true;
        }));

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(10)));
        Assert.True(typed > Mutations.Cases / 10, $"only {typed} of {Mutations.Cases} mutations were rejected: the mutations are too weak");
    }

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
                    OneRoster.OneRosterImporterTests.ImportAsync(folder.FullName, store, new DateOnly(2025, 9, 1)).GetAwaiter().GetResult();
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

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60];
}
