using System.Globalization;
using System.Text.Json;
using Backpack.Core.Rubrics;

namespace Backpack.Core.Case;

/// <summary>Writes a <see cref="FrameworkPackage"/> as a CASE 1.1 CFPackage; the same package always gives the same text.</summary>
internal sealed class CaseWriter
{
    private readonly string? _base;
    private readonly string _stamp;

    private CaseWriter(string? baseUri, string stamp)
    {
        _base = baseUri;
        _stamp = stamp;
    }

    public static string Write(FrameworkPackage package, CaseExportOptions options)
    {
        var framework = package.Framework;
        var problems = Check(package, options);
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var time = options.LastChangeDateTime ?? framework.LastChangeDateTime!.Value;
        var writer = new CaseWriter(CaseFormat.BaseFrom(options.BaseUri, framework.Uri), CaseFormat.FormatTime(time));
        var dto = writer.Build(package, time);
        return JsonSerializer.Serialize(dto, CaseJsonContext.Default.CasePackageDto);
    }

    private string UriFor(string kind, Guid id, string? own = null) =>
        own ?? (_base is null ? $"urn:uuid:{id:D}" : $"{_base}{kind}/{id:D}");

    private string Stamp(DateTimeOffset? own) => own is { } value ? CaseFormat.FormatTime(value) : _stamp;

    private CasePackageDto Build(FrameworkPackage package, DateTimeOffset time)
    {
        var framework = package.Framework;
        var documentId = package.Id.Value;
        var documentUri = UriFor("CFDocuments", documentId, framework.Uri);
        var documentLink = new CaseLinkDto(framework.Title, documentId.ToString("D"), documentUri);
        var document = new CaseDocumentDto(documentId.ToString("D"), documentUri, framework.Creator ?? string.Empty, framework.Title, CaseFormat.FormatTime(time), CaseFormat.CaseVersion)
        {
            OfficialSourceUrl = Empty(framework.OfficialSourceUrl),
            Publisher = Empty(framework.Publisher),
            Description = Empty(framework.Description),
            Subject = framework.Subjects.Count == 0 ? null : framework.Subjects.ToArray(),
            Language = Empty(framework.Language),
            Version = Empty(framework.VersionLabel),
            AdoptionStatus = Empty(framework.AdoptionStatus),
            LicenseUri = framework.License is { } license ? new CaseLinkDto(license.Title ?? string.Empty, license.Identifier, license.Uri) : null,
            Notes = Empty(framework.Notes),
        };

        var items = new List<CaseItemDto>();
        var associations = new List<CaseAssociationDto>();
        var nodes = new Dictionary<Guid, CaseNodeDto> { [documentId] = new CaseNodeDto(framework.Title, documentId.ToString("D"), documentUri) };
        var rank = 0;
        foreach (var skill in framework.Skills.Select((s, i) => (s, i)).OrderBy(x => x.s.Position).ThenBy(x => x.i).Select(x => x.s))
        {
            var id = skill.Id.Value;
            var uri = UriFor("CFItems", id, skill.Uri);
            items.Add(new CaseItemDto(id.ToString("D"), uri, skill.Name, Stamp(skill.LastChangeDateTime))
            {
                DocumentUri = documentLink,
                HumanCodingScheme = Empty(skill.Code),
                AbbreviatedStatement = Empty(skill.AbbreviatedStatement),
                ItemType = Empty(skill.ItemType),
                EducationLevel = skill.Grades is { } grades ? CaseFormat.EducationLevel(grades) : null,
                Notes = Empty(skill.Description),
            });
            var node = new CaseNodeDto(skill.Code ?? skill.Name, id.ToString("D"), uri);
            nodes[id] = node;
            associations.Add(ChildOf(node, nodes[documentId], ++rank, documentLink));
            WriteIndicators(skill, node, items, associations, nodes, documentLink);
        }

        foreach (var link in framework.Associations)
        {
            associations.Add(new CaseAssociationDto(
                link.Id.ToString("D"),
                UriFor("CFAssociations", link.Id, link.Uri),
                link.Type,
                Node(link.Origin),
                Node(link.Destination),
                Stamp(link.LastChangeDateTime))
            {
                SequenceNumber = link.SequenceNumber,
                DocumentUri = documentLink,
            });
        }

        var rubrics = package.Rubrics.Select(r => Rubric(r, nodes)).ToArray();
        return new CasePackageDto(document, items, associations, CaseDefinitionsDto.Empty, rubrics);
    }

    private void WriteIndicators(Skill skill, CaseNodeDto skillNode, List<CaseItemDto> items, List<CaseAssociationDto> associations, Dictionary<Guid, CaseNodeDto> nodes, CaseLinkDto documentLink)
    {
        var children = skill.Indicators
            .Select((indicator, index) => (indicator, index))
            .OrderBy(x => x.indicator.Position)
            .ThenBy(x => x.index)
            .GroupBy(x => x.indicator.Parent?.Value ?? skill.Id.Value)
            .ToDictionary(g => g.Key, g => g.Select(x => x.indicator).ToList());

        var stack = new Stack<(Indicator Indicator, CaseNodeDto Parent, int Rank)>();
        void Push(Guid parent, CaseNodeDto parentNode)
        {
            if (children.TryGetValue(parent, out var list))
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    stack.Push((list[i], parentNode, i + 1));
                }
            }
        }

        Push(skill.Id.Value, skillNode);
        while (stack.Count > 0)
        {
            var (indicator, parent, rank) = stack.Pop();
            var id = indicator.Id.Value;
            var uri = UriFor("CFItems", id, indicator.Uri);
            items.Add(new CaseItemDto(id.ToString("D"), uri, indicator.Statement, Stamp(indicator.LastChangeDateTime))
            {
                DocumentUri = documentLink,
                HumanCodingScheme = Empty(indicator.Code),
                AbbreviatedStatement = Empty(indicator.AbbreviatedStatement),
                ItemType = Empty(indicator.ItemType),
                EducationLevel = indicator.Grades == Students.GradeBand.All ? null : CaseFormat.EducationLevel(indicator.Grades),
                Notes = Empty(indicator.Notes),
            });
            var node = new CaseNodeDto(indicator.Code ?? indicator.Statement, id.ToString("D"), uri);
            nodes[id] = node;
            associations.Add(ChildOf(node, parent, rank, documentLink));
            Push(id, node);
        }
    }

    private CaseAssociationDto ChildOf(CaseNodeDto child, CaseNodeDto parent, int sequence, CaseLinkDto documentLink)
    {
        var id = CaseFormat.HierarchyAssociationId(Guid.ParseExact(child.Identifier, "D"), Guid.ParseExact(parent.Identifier, "D"));
        return new CaseAssociationDto(id.ToString("D"), UriFor("CFAssociations", id), CaseFormat.IsChildOf, child, parent, _stamp)
        {
            SequenceNumber = sequence,
            DocumentUri = documentLink,
        };
    }

    private CaseRubricDto Rubric(Rubric rubric, Dictionary<Guid, CaseNodeDto> nodes)
    {
        var rubricId = rubric.Id.Value.ToString("D");
        var criteria = rubric.Criteria.Select(c =>
        {
            var criterionId = c.Id.Value.ToString("D");
            CaseLinkDto? item = null;
            if (c.AlignedItem is { } aligned)
            {
                item = new CaseLinkDto(aligned.Title ?? string.Empty, aligned.Identifier, aligned.Uri);
            }
            else if (c.SkillId is { } skill)
            {
                item = nodes.TryGetValue(skill.Value, out var node)
                    ? new CaseLinkDto(node.Title, node.Identifier, node.Uri)
                    : new CaseLinkDto(string.Empty, skill.Value.ToString("D"), UriFor("CFItems", skill.Value));
            }

            var levels = c.Levels.Select(l => new CaseLevelDto(
                l.Id.Value.ToString("D"),
                UriFor("CFRubricCriterionLevels", l.Id.Value),
                l.Name,
                l.Score,
                l.Position,
                criterionId,
                _stamp)
            {
                Description = Empty(l.Description),
                Feedback = Empty(l.Feedback),
            }).ToArray();
            return new CaseCriterionDto(criterionId, UriFor("CFRubricCriteria", c.Id.Value), c.Name, c.Weight, c.Position, rubricId, _stamp, levels)
            {
                Description = Empty(c.Description),
                ItemUri = item,
            };
        }).ToArray();
        return new CaseRubricDto(rubricId, UriFor("CFRubrics", rubric.Id.Value), rubric.Title, _stamp, criteria)
        {
            Description = Empty(rubric.Description),
        };
    }

    private static CaseNodeDto Node(NodeReference node) =>
        new(node.Title ?? string.Empty, node.Identifier, node.Uri) { TargetType = Empty(node.TargetType) };

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>What would make the package unwritable or unreadable again: domain rules and the indicator tree.</summary>
    private static List<ValidationProblem> Check(FrameworkPackage package, CaseExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(package.Framework);
        var problems = package.Framework.Validate("$.framework").ToList();
        if (options.LastChangeDateTime is null && package.Framework.LastChangeDateTime is null)
        {
            problems.Add(new("$.framework.lastChangeDateTime", "case.export.last-change-required", "CASE requires a lastChangeDateTime: set CaseExportOptions.LastChangeDateTime or the framework's LastChangeDateTime."));
        }

        var ids = new HashSet<Guid> { package.Id.Value };
        foreach (var skill in package.Framework.Skills)
        {
            ids.Add(skill.Id.Value);
        }

        for (var s = 0; s < package.Framework.Skills.Count; s++)
        {
            var skill = package.Framework.Skills[s];
            if (skill.Id.Value == package.Id.Value)
            {
                problems.Add(new($"$.framework.skills[{s.ToString(CultureInfo.InvariantCulture)}].id", "framework.ids.unique", "A skill cannot share the framework's id."));
            }

            var parents = new Dictionary<Guid, Guid?>();
            foreach (var indicator in skill.Indicators)
            {
                parents.TryAdd(indicator.Id.Value, indicator.Parent?.Value);
            }

            for (var i = 0; i < skill.Indicators.Count; i++)
            {
                var indicator = skill.Indicators[i];
                ids.Add(indicator.Id.Value);
                var at = $"$.framework.skills[{s.ToString(CultureInfo.InvariantCulture)}].indicators[{i.ToString(CultureInfo.InvariantCulture)}].parent";
                var seen = new HashSet<Guid> { indicator.Id.Value };
                for (var parent = indicator.Parent?.Value; parent is { } p; parent = parents.GetValueOrDefault(p))
                {
                    if (!parents.ContainsKey(p))
                    {
                        problems.Add(new(at, "case.export.indicator-parent", $"The parent {p:D} is not an indicator of the same skill."));
                        break;
                    }

                    if (!seen.Add(p))
                    {
                        problems.Add(new(at, "case.export.indicator-cycle", "The indicator's parents form a cycle."));
                        break;
                    }
                }
            }
        }

        for (var r = 0; r < package.Rubrics.Count; r++)
        {
            problems.AddRange(package.Rubrics[r].Validate($"$.rubrics[{r.ToString(CultureInfo.InvariantCulture)}]"));
            foreach (var id in package.Rubrics[r].Criteria.SelectMany(c => c.Levels.Select(l => l.Id.Value).Prepend(c.Id.Value)).Prepend(package.Rubrics[r].Id.Value))
            {
                if (!ids.Add(id))
                {
                    problems.Add(new($"$.rubrics[{r.ToString(CultureInfo.InvariantCulture)}]", "case.export.ids-unique", $"The id {id:D} is used twice in the package; CASE identifiers are unique."));
                }
            }
        }

        foreach (var link in package.Framework.Associations)
        {
            if (!ids.Add(link.Id))
            {
                problems.Add(new("$.framework.associations", "case.export.ids-unique", $"The id {link.Id:D} is used twice in the package; CASE identifiers are unique."));
            }
        }

        return problems;
    }
}
