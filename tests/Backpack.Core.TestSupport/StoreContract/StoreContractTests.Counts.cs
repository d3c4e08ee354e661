using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>
/// The maintained evidence counts (and, on the SQL stores, each student's placement and skill masks per year)
/// equal a recount from scratch with the core's rules, after any generated sequence of writes, transfers and deletes.
/// </summary>
public abstract partial class StoreContractTests
{
    /// <summary>How many generated sequences per store (each runs in its own district).</summary>
    protected virtual int CountSequences => 25;

    [StoreFact]
    public void MaintainedCounts_AnySequenceOfWritesTransfersAndDeletes_EqualRecount()
    {
        var step = from kind in Gen.Choose(0, 9)
                   from a in Gen.Choose(0, 1_000)
                   from b in Gen.Choose(0, 1_000)
                   from c in Gen.Choose(0, 1_000)
                   select (kind, a, b, c);
        var sequence = from bulk in Gen.Elements(true, false)
                       from steps in Gen.ListOf(step)
                       select (bulk, steps.Take(20).ToArray());
        var property = Prop.ForAll(sequence.ToArbitrary(), s => RunCountsSequenceAsync(s.bulk, s.Item2).GetAwaiter().GetResult());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(CountSequences), property);
    }

    [StoreFact]
    public async Task MaintainedCounts_AfterBulkLoadOfGeneratedDistrict_EqualRecount()
    {
        var store = Store("counts-bulk");
        var district = SmallDistrict.Generate(seed: 41, students: 40);
        await store.Bulk().LoadAsync(district.Data);

        foreach (var s in district.Data.Students)
        {
            await AssertMaintainedAsync(store, s, district.Data.Artifacts.Where(a => a.StudentId == s.Id).ToArray(), district.Content);
        }

        Assert.Equal(0, await Database.CountCellMismatchesAsync(store));
    }

    private async Task<bool> RunCountsSequenceAsync(bool bulk, (int Kind, int A, int B, int C)[] steps)
    {
        var store = Store("counts-" + Guid.NewGuid().ToString("N")[..12]);
        var content = TestData.Content(skills: 3);
        var skills = content.Skills.Select(s => s.Id).ToArray();
        var schools = new[] { TestData.School("North"), TestData.School("South") };
        var year = TestData.Year;
        var students = Enumerable.Range(0, 3).Select(i => TestData.Student(schools[i % 2].Id, grade: 4 + (i * 2)) with
        {
            Groups = i == 0 ? ValueList<string>.Empty : i == 1 ? ValueList.Of("iep") : ValueList.Of("ell", "iep"),
            Enrollments = ValueList.Of(
                new Enrollment(schools[(i + 1) % 2].Id, GradeLevel.FromOrdinal(3 + (i * 2)), year.Previous, year.Previous.FirstDay(8), year.Previous.LastDay(8)),
                new Enrollment(schools[i % 2].Id, GradeLevel.FromOrdinal(4 + (i * 2)), year, year.FirstDay(8))),
        }).ToList();
        var artifacts = new Dictionary<ArtifactId, Artifact>();
        var purged = new HashSet<StudentId>();
        var rules = new ArtifactRules { ReasoningRequired = false };
        if (bulk)
        {
            var initial = students.SelectMany((s, i) => Enumerable.Range(0, 2).Select(j => TestData.Artifact(s.Id, schools[i % 2].Id, grade: 4 + (i * 2))
                .AlignTo(skills[(i + j) % 3], j == 0 ? "because" : null, rules)
                .Reflect("r", TestData.T0, rules))).ToArray();
            await store.Bulk().LoadAsync(new DistrictDataSet { Schools = schools, Students = students, Artifacts = initial });
            students = students.Select(s => s with { Version = 1 }).ToList();
            foreach (var a in initial)
            {
                artifacts[a.Id] = a with { Version = 1 };
            }
        }
        else
        {
            await store.SaveAsync(TestData.Set([.. schools, .. students]));
            students = students.Select(s => s with { Version = 1 }).ToList();
        }

        foreach (var (kind, a, b, c) in steps)
        {
            var si = a % students.Count;
            var student = students[si];
            var live = artifacts.Values.Where(x => !purged.Contains(x.StudentId)).OrderBy(x => x.Id).ToArray();
            var artifact = live.Length == 0 ? null : live[b % live.Length];
            Artifact? saved = null;
            switch (kind)
            {
                case 0 or 1 when !purged.Contains(student.Id):
                    // A new artifact, this year or last, in the student's grade then or another, in any state.
                    var grade = (student.LatestEnrollmentIn(year)?.Grade.Ordinal ?? 5) - (c % 3 == 0 ? 1 : 0) + (c % 7 == 0 ? 4 : 0);
                    var added = TestData.Artifact(student.Id, schools[c % 2].Id, grade: Math.Min(12, grade), year: c % 3 == 0 ? year.Previous : year, state: (CurationState)(c % 4));
                    foreach (var k in Enumerable.Range(0, 1 + (c % 3)))
                    {
                        added = added.AlignTo(skills[(b + k) % 3], (b + k) % 2 == 0 ? "it shows it" : null, rules);
                    }

                    saved = c % 5 < 2 ? added.Reflect("r", TestData.T0, rules) : added;
                    break;
                case 2 when artifact is not null:
                    saved = artifact.AlignTo(skills[c % 3], c % 2 == 0 ? "more reasoning" : " ", rules);
                    break;
                case 3 when artifact is not null && artifact.Alignments.Count > 0:
                    saved = artifact.Unalign(artifact.Alignments[c % artifact.Alignments.Count].SkillId);
                    break;
                case 4 when artifact is not null:
                    saved = artifact with { State = (CurationState)(c % 4) };
                    break;
                case 5 when artifact is not null:
                    saved = artifact.Reflect("again", TestData.T0.AddDays(c), rules);
                    break;
                case 6 when artifact is not null && !purged.Contains(student.Id):
                    // The artifact moves to another student's backpack.
                    saved = artifact with { StudentId = student.Id };
                    break;
                case 7 when !purged.Contains(student.Id):
                    // A transfer (maybe to another grade and band) from a day of this year.
                    var entered = student.Enrollments.Max(e => e.EntryDate);
                    var moved = student.TransferTo(schools[c % 2].Id, GradeLevel.FromOrdinal(Math.Min(12, 2 + (c % 9))), year, entered.AddDays(1 + (b % 20)))
                        with { Groups = (c % 3) switch { 0 => ValueList<string>.Empty, 1 => ValueList.Of("frl"), _ => ValueList.Of("ell", "frl") } };
                    await store.SaveAsync(TestData.Set(moved));
                    students[si] = moved with { Version = moved.Version + 1 };
                    break;
                case 8 when !purged.Contains(student.Id) && c % 4 == 0:
                    await store.PurgeStudentAsync(student.Id, new AuditRecord(TestData.T0, "test", "student.purge", student.Id, null, true));
                    purged.Add(student.Id);
                    foreach (var gone in artifacts.Values.Where(x => x.StudentId == student.Id).Select(x => x.Id).ToArray())
                    {
                        artifacts.Remove(gone);
                    }

                    break;
                case 9 when live.Length >= 2:
                    // Two artifacts in one change set.
                    var other = live[(b + 1) % live.Length];
                    await store.SaveAsync(TestData.Set(artifact! with { State = CurationState.Showcased }, other with { State = CurationState.Archived }));
                    artifacts[artifact!.Id] = artifact with { State = CurationState.Showcased, Version = artifact.Version + 1 };
                    artifacts[other.Id] = other with { State = CurationState.Archived, Version = other.Version + 1 };
                    break;
            }

            if (saved is not null)
            {
                await store.SaveAsync(TestData.Set(saved));
                artifacts[saved.Id] = saved with { Version = saved.Version + 1 };
            }
        }

        foreach (var s in students)
        {
            await AssertMaintainedAsync(store, purged.Contains(s.Id) ? null : s, artifacts.Values.Where(x => x.StudentId == s.Id).ToArray(), content, s.Id);
        }

        Assert.Equal(0, await Database.CountCellMismatchesAsync(store));
        return true;
    }

    /// <summary>Compares a student's maintained counts (and years, where the store keeps them) with a recount by the core's rules.</summary>
    private async Task AssertMaintainedAsync(IBackpackStore store, Student? student, IReadOnlyList<Artifact> artifacts, FrameworkContent content, StudentId? purgedId = null)
    {
        var id = student?.Id ?? purgedId!.Value;
        var maintained = await Database.ReadMaintainedAsync(store, id);
        var rule = new EvidenceRule();
        var reasoningRule = rule with { MinimumArtifactsPerSkill = 0, MinimumReflectionsPerSkill = 0 };
        var anyRule = reasoningRule with { RequireReasoning = false };

        // Per capture year, capture grade and skill: collected artifacts aligned to it, with reasoning, with a reflection, with both.
        var expected = artifacts
            .Where(a => a.IsCollected)
            .SelectMany(a => a.Alignments.Select(x => x.SkillId).Distinct().Select(skill => (a, skill)))
            .GroupBy(x => (x.a.Captured.Year.StartYear, x.a.Captured.Grade.Ordinal, x.skill.Value))
            .Select(g => new MaintainedCount(
                g.Key.StartYear,
                g.Key.Ordinal,
                g.Key.Value,
                g.Count(x => anyRule.Counts(x.a, x.skill)),
                g.Count(x => reasoningRule.Counts(x.a, x.skill)),
                g.Count(x => x.a.Reflections.Count > 0),
                g.Count(x => reasoningRule.Counts(x.a, x.skill) && x.a.Reflections.Count > 0)))
            .OrderBy(x => x.ToString(), StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, maintained.Counts.OrderBy(x => x.ToString(), StringComparer.Ordinal).ToArray());

        if (maintained.Years is not { } years)
        {
            return;
        }

        // Per school year: where the student ended it, the skills met by the readiness check, the skills with evidence that year.
        // The store's masks name every skill by its evidence: check each one (none retired, none limited to grades).
        content = content with { Skills = content.Skills.Select(s => s with { RetiredFrom = null, Grades = null }).ToValueList() };
        var expectedYears = new List<MaintainedYear>();
        foreach (var y in student?.Enrollments.Select(e => e.Year).Distinct() ?? [])
        {
            var at = student!.LatestEnrollmentIn(y)!;
            var band = TransitionGrades.Default.BandOf(at.Grade);
            var result = ReadinessCheck.Check(student.Id, content, y, band, artifacts, rule);
            var withEvidence = content.Skills.Where(s => artifacts.Any(a => a.IsCollected && a.Captured.Year == y && a.Alignments.Any(x => x.SkillId == s.Id)));
            var met = content.Skills.Where(s => result.Gaps.All(g => g.SkillId != s.Id) && artifacts.Any(a => a.IsCollected && a.Alignments.Any(x => x.SkillId == s.Id)));
            expectedYears.Add(new MaintainedYear(y.StartYear, at.SchoolId.Value, at.Grade.Ordinal, Key(met), Key(withEvidence), string.Join(",", student.Groups.Distinct().Order(StringComparer.Ordinal))));
        }

        Assert.Equal(expectedYears.OrderBy(x => x.Year), years.OrderBy(x => x.Year));

        static string Key(IEnumerable<Skill> skills) => string.Join(",", skills.Select(s => s.Id.Value).Order());
    }
}
