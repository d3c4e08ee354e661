using System.Reflection;
using System.Xml.Linq;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Testing;

namespace Backpack.Core.Google.Tests;

/// <summary>The XML documentation shipped beside each package's assembly lists its public API only (Directory.Build.targets).</summary>
public sealed class PackageDocsTests
{
    public static TheoryData<string> Assemblies => new()
    {
        typeof(BackpackOptions).Assembly.GetName().Name!,
        typeof(GoogleDriveOptions).Assembly.GetName().Name!,
        typeof(GoogleEmulator).Assembly.GetName().Name!,
        typeof(InMemoryBackpackStore).Assembly.GetName().Name!,
        typeof(Credentials.Passport.PassportService).Assembly.GetName().Name!,
        typeof(Case.CaseJson).Assembly.GetName().Name!,
        typeof(OneRoster.OneRosterImportResult).Assembly.GetName().Name!,
        typeof(Relational.RelationalBackpackStore).Assembly.GetName().Name!,
        typeof(Sqlite.SqliteBackpackStore).Assembly.GetName().Name!,
        typeof(PostgreSql.PostgreSqlBackpackStore).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void DocumentationFile_OfAShippedAssembly_ListsOnlyPublicTypesAndTheirVisibleMembers(string name)
    {
        var assembly = Assembly.Load(name);
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xml), $"{Path.GetFileName(xml)} is shipped beside the assembly");
        var visible = assembly.GetExportedTypes().ToDictionary(t => DocName(t), StringComparer.Ordinal);
        var ids = XDocument.Load(xml).Root!.Element("members")!.Elements("member").Select(m => (string)m.Attribute("name")!).ToArray();

        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            var target = id[2..];
            var paren = target.IndexOf('(', StringComparison.Ordinal);
            target = paren >= 0 ? target[..paren] : target;
            var typeName = id[0] == 'T' ? target : target[..target.LastIndexOf('.')];
            Assert.True(visible.TryGetValue(typeName, out var type), $"{id} documents a type that is not public");
            if (id[0] is 'M' or 'P' or 'F' or 'E')
            {
                var member = target[(target.LastIndexOf('.') + 1)..].Split('`')[0].Replace("#ctor", ".ctor", StringComparison.Ordinal);
                var found = type.GetMember(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Concat(type.GetMember(member, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                        .Where(m => m is MethodBase { IsFamily: true } or MethodBase { IsFamilyOrAssembly: true }))
                    .Any();
                Assert.True(found, $"{id} documents a member that is not public");
            }
        }
    }

    private static string DocName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');
}
