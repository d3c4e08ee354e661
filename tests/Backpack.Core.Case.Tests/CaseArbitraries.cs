using System.Globalization;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.CaseStandard.Tests;

/// <summary>A CFPackage text and a way to damage it, for the "never another exception" property.</summary>
/// <param name="Json">A valid exported package.</param>
/// <param name="Seed">Drives the mutations.</param>
/// <param name="Mutations">How many mutations to apply.</param>
public sealed record MutatedPackage(string Json, int Seed, int Mutations);

/// <summary>
/// FsCheck arbitraries for CASE packages in the form the importer produces: skills and depth-first
/// indicators numbered from 1, every node with a URI and a time, rubrics whose meets level follows the
/// import rule, associations of every kind. Each package is built from a seed, so a failing case is
/// reproducible from FsCheck's report.
/// </summary>
public static class CaseArbitraries
{
    private static readonly string[] Words =
    [
        "Effective", "Communicator", "Collaborator", "Innovator", "résumé", "naïve", "<b>bold</b>", "A & B", "\"quoted\"",
        "line\nbreak", "tab\there", "Ω≈ç√", "学习", "\U0001F680", "𝑑", "O'Neil", "50%", "back\\slash", "  spaced  ",
    ];

    private static readonly string[][] Ladders =
    [
        ["Emerging", "Developing", "Ready", "Excelling"],
        ["Beginning", "Approaching", "Meeting", "Exceeding"],
        ["Novice", "Proficient"],
        ["Low", "Mid", "High"],
        ["Not Yet", "Emerging", "Developing", "Ready", "Excelling"],
    ];

    private static readonly string[] LinkTypes =
        ["exactMatchOf", "isRelatedTo", "exemplar", "precedes", "isPeerOf", "isPartOf", "replacedBy", "hasSkillLevel", "isTranslationOf", "ext:alignsToBadge"];

    /// <summary>Valid packages.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<FrameworkPackage> Packages() =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Build(seed, size))).ToArbitrary();

    /// <summary>Valid packages exported and then damaged.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MutatedPackage> Mutated() =>
        (from package in Packages().Generator
         from seed in Gen.Choose(0, int.MaxValue)
         from count in Gen.Choose(1, 4)
         select new MutatedPackage(CaseJson.Export(package), seed, count)).ToArbitrary();

    /// <summary>Builds one valid package from a seed; <paramref name="size"/> bounds its counts.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="size">FsCheck's size.</param>
    /// <returns>The package.</returns>
    public static FrameworkPackage Build(int seed, int size)
    {
#pragma warning disable CA5394 // Test data, not security.
        var random = new Random(seed);
        var max = Math.Max(1, Math.Min(size, 12));
        string Text(int words = 3) => string.Join(' ', Enumerable.Range(0, random.Next(1, words + 1)).Select(_ => Words[random.Next(Words.Length)]));
        string? Maybe(int words = 3) => random.Next(3) == 0 ? null : Text(words);
        Guid NewGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes, bigEndian: true);
        }

        DateTimeOffset Time()
        {
            var ticks = new DateTime(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks + (long)(random.NextDouble() * TimeSpan.FromDays(4000).Ticks);
            if (random.Next(2) == 0)
            {
                ticks -= ticks % TimeSpan.TicksPerSecond;
            }

            return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 4, 14 * 4) * 15));
        }

        string Uri(string kind, Guid id) => $"https://case.example.org/ims/case/v1p0/{kind}/{id:D}";
        GradeBand Band()
        {
            var from = random.Next(-1, 13);
            return new GradeBand(GradeLevel.FromOrdinal(from), GradeLevel.FromOrdinal(random.Next(from, 13)));
        }

        var frameworkId = NewGuid();
        var skills = new List<Skill>();
        for (var s = 0; s < random.Next(0, max + 1); s++)
        {
            var skillId = NewGuid();

            // A random tree of indicators, numbered depth first as the importer numbers them.
            var count = random.Next(0, max + 1);
            var ids = Enumerable.Range(0, count).Select(_ => NewGuid()).ToArray();
            var parents = Enumerable.Range(0, count).Select(i => i == 0 || random.Next(2) == 0 ? -1 : random.Next(i)).ToArray();
            var order = new List<int>();
            void Visit(int parent)
            {
                for (var i = 0; i < count; i++)
                {
                    if (parents[i] == parent)
                    {
                        order.Add(i);
                        Visit(i);
                    }
                }
            }

            Visit(-1);
            var indicators = order.Select((i, n) => new Indicator(new IndicatorId(ids[i]), Text(), random.Next(3) == 0 ? GradeBand.All : Band(), n + 1)
            {
                Code = Maybe(1),
                Parent = parents[i] < 0 ? null : new IndicatorId(ids[parents[i]]),
                AbbreviatedStatement = Maybe(),
                Notes = Maybe(),
                ItemType = random.Next(2) == 0 ? null : "Indicator",
                Uri = Uri("CFItems", ids[i]),
                LastChangeDateTime = Time(),
            });
            skills.Add(new Skill(new SkillId(skillId), Text(), s + 1)
            {
                Code = Maybe(1),
                Description = Maybe(),
                AbbreviatedStatement = Maybe(),
                ItemType = random.Next(2) == 0 ? null : "Competency",
                Grades = random.Next(2) == 0 ? null : Band(),
                Uri = Uri("CFItems", skillId),
                LastChangeDateTime = Time(),
                Indicators = indicators.ToValueList(),
            });
        }

        var itemIds = skills.Select(s => s.Id.ToString()).Concat(skills.SelectMany(s => s.Indicators).Select(i => i.Id.ToString())).ToList();
        NodeReference Node()
        {
            var id = random.Next(4) switch
            {
                0 when itemIds.Count > 0 => itemIds[random.Next(itemIds.Count)],
                1 => $"https://district.example/exemplars/{random.Next(1000)}",
                _ => NewGuid().ToString(),
            };
            return new NodeReference(id, id.StartsWith("http", StringComparison.Ordinal) ? id : Uri("CFItems", Guid.Parse(id)), Maybe())
            {
                TargetType = random.Next(3) == 0 ? "CFItem" : null,
            };
        }

        var links = Enumerable.Range(0, random.Next(0, max + 1)).Select(_ =>
        {
            var id = NewGuid();
            return new FrameworkAssociation(id, LinkTypes[random.Next(LinkTypes.Length)], Node(), Node())
            {
                SequenceNumber = random.Next(2) == 0 ? null : random.Next(-5, 100),
                Uri = Uri("CFAssociations", id),
                LastChangeDateTime = Time(),
            };
        });

        var rubrics = Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
        {
            var ladder = Ladders[random.Next(Ladders.Length)];
            var criteria = Enumerable.Range(0, random.Next(1, Math.Min(max, 5) + 1)).Select(c =>
            {
                var score = 0m;
                var levels = ladder.Select((name, l) => new RubricLevel(new LevelId(NewGuid()), name, score += random.Next(1, 4) * 0.5m, l + 1)
                {
                    Description = Maybe(),
                    Feedback = Maybe(),
                });
                SkillId? skill = null;
                NodeReference? aligned = null;
                switch (random.Next(4))
                {
                    case 0 when skills.Count > 0:
                        skill = skills[random.Next(skills.Count)].Id;
                        break;
                    case 1 when skills.Any(k => k.Indicators.Count > 0):
                        var owner = skills.Where(k => k.Indicators.Count > 0).ElementAt(0);
                        var indicator = owner.Indicators[random.Next(owner.Indicators.Count)];
                        skill = owner.Id;
                        aligned = new NodeReference(indicator.Id.ToString(), indicator.Uri!, Maybe());
                        break;
                    case 2:
                        var external = NewGuid();
                        aligned = new NodeReference(external.ToString(), Uri("CFItems", external), Maybe());
                        break;
                }

                return new RubricCriterion(new CriterionId(NewGuid()), Text(), c + 1, levels.ToValueList())
                {
                    Description = Maybe(),
                    SkillId = skill,
                    AlignedItem = aligned,
                    Weight = random.Next(1, 5) * 0.5m,
                };
            });
            var meets = ladder.Contains("Ready") ? "Ready" : ladder[ladder.Length / 2];
            return new Rubric(new RubricId(NewGuid()), 1, Text(), criteria.ToValueList(), meets) { Description = Maybe() };
        });

        var content = new FrameworkContent(Text(), skills.ToValueList())
        {
            Description = Maybe(),
            Creator = Maybe(),
            VersionLabel = random.Next(2) == 0 ? null : random.Next(1, 5).ToString(CultureInfo.InvariantCulture),
            Language = random.Next(2) == 0 ? null : "en",
            Publisher = Maybe(),
            Subjects = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Text(1)).ToValueList(),
            License = random.Next(2) == 0 ? null : new NodeReference(NewGuid().ToString(), "https://creativecommons.org/licenses/by/4.0/", Maybe()),
            OfficialSourceUrl = random.Next(2) == 0 ? null : "https://district.example/graduate-profile",
            AdoptionStatus = random.Next(2) == 0 ? null : "Adopted",
            Notes = Maybe(),
            Uri = Uri("CFDocuments", frameworkId),
            LastChangeDateTime = Time(),
            Associations = links.ToValueList(),
        };
#pragma warning restore CA5394
        return new FrameworkPackage(new FrameworkId(frameworkId), content, rubrics.ToValueList());
    }
}
