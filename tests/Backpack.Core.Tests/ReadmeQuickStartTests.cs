using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Students;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.Tests;

/// <summary>The README's quick start, as written, compiles and runs (this file holds it; a test keeps the two the same).</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_AsWrittenInTheReadme_Runs()
    {
        // README quick start: begin
        var services = new ServiceCollection();
        services.AddBackpack(o =>
            {
                o.DistrictId = "jeffco";            // lower-case letters, digits, dashes
                o.SchoolYearStartMonth = 8;         // school years start in August
                o.TimeZone = "America/Denver";      // "today" is the district's date
            })
            .UseInMemoryStore();                    // tests; UseSqlite(...) / UsePostgreSql(...) in production
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();   // services are scoped: one scope per request

        // The district sets up its framework, a school and a student (ids only, never names, in actors):
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var frameworks = scope.ServiceProvider.GetRequiredService<FrameworkService>();
        var communicator = SkillId.New();
        var framework = await frameworks.CreateAsync(admin, FrameworkId.New(),
            new FrameworkContent("Success Skills", []).AddSkill(communicator, "Effective Communicator"));
        await frameworks.PublishAsync(admin, framework.Id);
        var rosters = scope.ServiceProvider.GetRequiredService<RosterService>();
        var school = await rosters.SaveSchoolAsync(admin, new School(SchoolId.New(), "Aspen Elementary"));
        var today = DateOnly.FromDateTime(DateTime.Today);
        var student = await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), "S-1001", "Ana",
            [new Enrollment(school.Id, GradeLevel.Grade(5), SchoolYear.Containing(today, 8), today.AddDays(-1))]));

        // Then, per request, with the actor that asks; the access policy decides (see the access table below):
        var backpack = scope.ServiceProvider.GetRequiredService<BackpackService>();
        var me = Actor.ForStudent(student.Id);
        var artifact = await backpack.AddArtifactAsync(me, student.Id, "Water cycle model", new DriveFileSource("drive-file-id"));
        await backpack.AlignAsync(me, artifact.Id, communicator,
            "I explained the model to my class and answered their questions.");
        // README quick start: end

        Assert.Equal(communicator, Assert.Single((await backpack.GetBackpackAsync(me, student.Id)).Artifacts.Single().Alignments).SkillId);
    }

    [Fact]
    public void QuickStart_ReadmeBlock_IsTheCodeThisTestRuns()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "README.md"));
        var start = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        var block = readme[(readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + 10)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "ReadmeQuickStartTests.cs.txt"));
        var region = source[source.IndexOf("// README quick start: begin", StringComparison.Ordinal)..source.IndexOf("// README quick start: end", StringComparison.Ordinal)]
            .Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

        static bool IsDirective(string l) => l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("using var ", StringComparison.Ordinal);
        var directives = lines.Where(IsDirective).Select(l => l.Split("//")[0].Trim()).ToArray();

        // This file's namespace is inside Backpack.Core, which makes "using Backpack.Core;" implicit here.
        Assert.All(directives.Where(d => d != "using Backpack.Core;"), d => Assert.Contains(d, source, StringComparison.Ordinal));
        Assert.Equal(lines.Where(l => !IsDirective(l)), region);
    }
}
