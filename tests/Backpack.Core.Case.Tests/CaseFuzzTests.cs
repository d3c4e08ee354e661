using System.Text;
using Backpack.Core.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.CaseStandard.Tests;

/// <summary>
/// Hostile input at volume: mutated CASE packages either import or fail with a <see cref="BackpackValidationException"/>
/// naming the place; never any other exception, never a hang.
/// </summary>
public sealed class CaseFuzzTests
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

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60];
}
