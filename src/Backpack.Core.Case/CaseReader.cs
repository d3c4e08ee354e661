using System.Globalization;
using System.Text.Json;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Case;

/// <summary>
/// Reads a CFPackage from a <see cref="JsonDocument"/>, field by field, so that every problem is collected
/// with its JSON path instead of stopping at the first one.
/// </summary>
internal sealed class CaseReader
{
    private readonly CaseImportOptions _options;
    private readonly List<ValidationProblem> _errors = [];
    private readonly List<ValidationProblem> _warnings = [];
    private readonly Dictionary<Guid, string> _identifiers = [];

    private CaseReader(CaseImportOptions options) => _options = options;

    public static ImportResult<FrameworkPackage> Read(ReadOnlyMemory<byte> utf8, CaseImportOptions options)
    {
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            throw new BackpackValidationException("$", "case.json.encoding", "The CFPackage is not valid UTF-8 text.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var position = (ex.BytePositionInLine ?? 0) + 1;
            throw new BackpackValidationException(
                $"{ex.Path ?? "$"} (line {line.ToString(CultureInfo.InvariantCulture)}, byte {position.ToString(CultureInfo.InvariantCulture)})",
                "case.json.well-formed",
                $"The CFPackage is not well-formed JSON at line {line.ToString(CultureInfo.InvariantCulture)}, byte {position.ToString(CultureInfo.InvariantCulture)}: {ex.Message}");
        }

        using (document)
        {
            var reader = new CaseReader(options);
            var package = reader.ReadPackage(document.RootElement);
            if (reader._errors.Count > 0 || package is null)
            {
                throw new BackpackValidationException(reader._errors);
            }

            return new ImportResult<FrameworkPackage>(package, reader._warnings.ToValueList());
        }
    }

    private FrameworkPackage? ReadPackage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("$", "case.json.type", $"A CFPackage is a JSON object, not {Describe(root)}.");
            return null;
        }

        var document = ReadDocument(root);
        var items = ReadItems(root);
        var associations = ReadAssociations(root);
        var tree = BuildTree(document, items, associations);
        var rubrics = ReadRubrics(root, tree);
        if (document is null || tree is null)
        {
            return null;
        }

        return new FrameworkPackage(new FrameworkId(document.Id), document.Content with { Skills = tree.Skills, Associations = tree.Associations }, rubrics);
    }

    // ----- CFDocument -------------------------------------------------------------------------------

    private sealed record DocumentData(Guid Id, FrameworkContent Content);

    private DocumentData? ReadDocument(JsonElement root)
    {
        const string at = "$.CFDocument";
        if (Object(root, "CFDocument", "$", required: true) is not { } doc)
        {
            return null;
        }

        var id = Identifier(doc, "identifier", at);
        var uri = String(doc, "uri", at, required: true);
        var creator = String(doc, "creator", at, required: true);
        var title = String(doc, "title", at, required: true);
        var time = Time(doc, "lastChangeDateTime", at, required: true);
        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            Error($"{at}.title", "framework.title.required", "A framework needs a title.");
        }

        var content = new FrameworkContent(title ?? string.Empty, ValueList<Skill>.Empty)
        {
            Description = Optional(String(doc, "description", at)),
            Creator = Optional(creator),
            VersionLabel = Optional(String(doc, "version", at)),
            Language = Optional(String(doc, "language", at)),
            Publisher = Optional(String(doc, "publisher", at)),
            Subjects = StringList(doc, "subject", at),
            License = LinkUri(doc, "licenseURI", at, required: false),
            OfficialSourceUrl = Optional(String(doc, "officialSourceURL", at)),
            AdoptionStatus = Optional(String(doc, "adoptionStatus", at)),
            Notes = Optional(String(doc, "notes", at)),
            Uri = uri,
            LastChangeDateTime = time,
        };
        return id is { } value ? new DocumentData(value, content) : null;
    }

    // ----- CFItems ----------------------------------------------------------------------------------

    private sealed record ItemData(
        int Index,
        Guid Id,
        string Statement,
        string? Code,
        string? AbbreviatedStatement,
        string? Notes,
        string? ItemType,
        GradeBand? Grades,
        string? Uri,
        DateTimeOffset? Time)
    {
        public string Path => $"$.CFItems[{Index.ToString(CultureInfo.InvariantCulture)}]";
    }

    private List<ItemData> ReadItems(JsonElement root)
    {
        var items = new List<ItemData>();
        foreach (var (item, at, index) in Array(root, "CFItems", "$"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(at, "case.json.type", $"A CFItem is a JSON object, not {Describe(item)}.");
                continue;
            }

            var id = Identifier(item, "identifier", at);
            var statement = String(item, "fullStatement", at, required: true);
            if (statement is not null && string.IsNullOrWhiteSpace(statement))
            {
                Error($"{at}.fullStatement", "case.item.statement-required", "A CFItem needs a fullStatement (the skill's name or the indicator's statement).");
            }

            var uri = String(item, "uri", at, required: true);
            var time = Time(item, "lastChangeDateTime", at, required: true);
            var data = new ItemData(
                index,
                id ?? Guid.Empty,
                statement ?? string.Empty,
                Optional(String(item, "humanCodingScheme", at)),
                Optional(String(item, "abbreviatedStatement", at)),
                Optional(String(item, "notes", at)),
                Optional(String(item, "CFItemType", at)),
                Grades(item, at),
                uri,
                time);
            if (id is not null)
            {
                items.Add(data);
            }
        }

        return items;
    }

    private GradeBand? Grades(JsonElement item, string at)
    {
        var codes = StringList(item, "educationLevel", at);
        GradeLevel? low = null, high = null;
        var seen = new HashSet<int>();
        foreach (var code in codes)
        {
            if (GradeLevel.TryParse(code, out var grade))
            {
                seen.Add(grade.Ordinal);
                low = low is null || grade < low.Value ? grade : low;
                high = high is null || grade > high.Value ? grade : high;
            }
            else
            {
                Warn($"{at}.educationLevel", "case.education-level.unknown", $"The education level '{code}' is not a grade (PK, KG, 01-12); it is ignored.");
            }
        }

        if (low is null || high is null)
        {
            return null;
        }

        if (seen.Count != high.Value.Ordinal - low.Value.Ordinal + 1)
        {
            Warn($"{at}.educationLevel", "case.education-level.gap", $"The education levels skip grades; the item is read as grades {low}-{high}.");
        }

        return new GradeBand(low.Value, high.Value);
    }

    // ----- CFAssociations ---------------------------------------------------------------------------

    private sealed record AssociationData(
        int Index,
        Guid Id,
        string Type,
        NodeReference Origin,
        NodeReference Destination,
        int? SequenceNumber,
        string? Uri,
        DateTimeOffset? Time)
    {
        public string Path => $"$.CFAssociations[{Index.ToString(CultureInfo.InvariantCulture)}]";
    }

    private List<AssociationData> ReadAssociations(JsonElement root)
    {
        var list = new List<AssociationData>();
        foreach (var (association, at, index) in Array(root, "CFAssociations", "$"))
        {
            if (association.ValueKind != JsonValueKind.Object)
            {
                Error(at, "case.json.type", $"A CFAssociation is a JSON object, not {Describe(association)}.");
                continue;
            }

            var id = Identifier(association, "identifier", at);
            var type = String(association, "associationType", at, required: true);
            var uri = String(association, "uri", at, required: true);
            var origin = NodeUri(association, "originNodeURI", at);
            var destination = NodeUri(association, "destinationNodeURI", at);
            var time = Time(association, "lastChangeDateTime", at, required: true);
            var sequence = Int(association, "sequenceNumber", at);
            if (type is not null && type != CaseFormat.IsChildOf && !CaseFormat.KnownAssociationTypes.Contains(type)
                && !type.StartsWith("ext:", StringComparison.Ordinal))
            {
                Warn($"{at}.associationType", "case.association.type-unknown", $"'{type}' is not a CASE association type (nor an ext: extension); the association is kept as given.");
            }

            if (id is { } value && type is not null && origin is not null && destination is not null)
            {
                list.Add(new AssociationData(index, value, type, origin, destination, sequence, uri, time));
            }
        }

        return list;
    }

    private NodeReference? NodeUri(JsonElement association, string name, string at)
    {
        if (Object(association, name, at, required: true) is not { } node)
        {
            return null;
        }

        var path = $"{at}.{name}";
        var identifier = String(node, "identifier", path, required: true);
        var uri = String(node, "uri", path, required: true);
        var title = Optional(String(node, "title", path));
        var targetType = Optional(String(node, "targetType", path));
        return identifier is null || uri is null ? null : new NodeReference(identifier, uri, title) { TargetType = targetType };
    }

    // ----- The skills tree --------------------------------------------------------------------------

    private sealed record Tree(ValueList<Skill> Skills, ValueList<FrameworkAssociation> Associations, IReadOnlyDictionary<Guid, SkillId> SkillOf);

    private Tree? BuildTree(DocumentData? document, List<ItemData> items, List<AssociationData> associations)
    {
        var byId = new Dictionary<Guid, ItemData>();
        foreach (var item in items)
        {
            byId.TryAdd(item.Id, item);
        }

        var documentId = document?.Id;
        var parents = new Dictionary<Guid, (Guid Parent, AssociationData Association)>();
        var kept = new List<AssociationData>();
        foreach (var a in associations)
        {
            if (a.Type != CaseFormat.IsChildOf)
            {
                kept.Add(a);
                continue;
            }

            if (!CaseFormat.TryParseIdentifier(a.Origin.Identifier, out var child) || !byId.ContainsKey(child))
            {
                Warn($"{a.Path}.originNodeURI.identifier", "case.hierarchy.child-unknown", $"The child '{a.Origin.Identifier}' is not an item of this package; the isChildOf association is kept as a link.");
                kept.Add(a);
                continue;
            }

            if (!CaseFormat.TryParseIdentifier(a.Destination.Identifier, out var parent) || (parent != documentId && !byId.ContainsKey(parent)))
            {
                Error($"{a.Path}.destinationNodeURI.identifier", "case.hierarchy.parent-unknown", $"The parent '{a.Destination.Identifier}' of item {child:D} is neither the CFDocument nor an item of this package.");
                continue;
            }

            if (!parents.TryAdd(child, (parent, a)))
            {
                Warn($"{a.Path}", "case.hierarchy.multiple-parents", $"Item {child:D} is already a child of {parents[child].Parent:D} ({parents[child].Association.Path}); this further isChildOf association is kept as a link.");
                kept.Add(a);
            }
        }

        FindCycles(items, parents, documentId);
        if (document is null)
        {
            return null;
        }

        var children = new Dictionary<Guid, List<(ItemData Item, int? Sequence)>>();
        foreach (var (child, (parent, association)) in parents)
        {
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add((byId[child], association.SequenceNumber));
        }

        foreach (var list in children.Values)
        {
            list.Sort((x, y) => (x.Sequence ?? int.MaxValue) != (y.Sequence ?? int.MaxValue)
                ? (x.Sequence ?? int.MaxValue).CompareTo(y.Sequence ?? int.MaxValue)
                : x.Item.Index.CompareTo(y.Item.Index));
        }

        var topLevel = children.TryGetValue(document.Id, out var top) ? top.Select(t => t.Item).ToList() : [];
        foreach (var item in items)
        {
            if (!parents.ContainsKey(item.Id) && item.Id != document.Id && ReferenceEquals(byId[item.Id], item))
            {
                Warn(item.Path, "case.hierarchy.orphan", $"Item {item.Id:D} is no child of the document or of another item; it is read as a skill at the end.");
                topLevel.Add(item);
            }
        }

        var skills = new List<Skill>();
        var skillOf = new Dictionary<Guid, SkillId>();
        foreach (var item in topLevel)
        {
            var skillId = new SkillId(item.Id);
            skillOf[item.Id] = skillId;
            var indicators = new List<Indicator>();
            var stack = new Stack<(ItemData Item, Guid Parent)>();
            PushChildren(stack, children, item.Id);
            while (stack.Count > 0)
            {
                var (node, parent) = stack.Pop();
                skillOf[node.Id] = skillId;
                indicators.Add(new Indicator(new IndicatorId(node.Id), node.Statement, node.Grades ?? GradeBand.All, indicators.Count + 1)
                {
                    Code = node.Code,
                    Parent = parent == item.Id ? null : new IndicatorId(parent),
                    AbbreviatedStatement = node.AbbreviatedStatement,
                    Notes = node.Notes,
                    ItemType = node.ItemType,
                    Uri = node.Uri,
                    LastChangeDateTime = node.Time,
                });
                PushChildren(stack, children, node.Id);
            }

            skills.Add(new Skill(skillId, item.Statement, skills.Count + 1)
            {
                Code = item.Code,
                Description = item.Notes,
                AbbreviatedStatement = item.AbbreviatedStatement,
                ItemType = item.ItemType,
                Grades = item.Grades,
                Uri = item.Uri,
                LastChangeDateTime = item.Time,
                Indicators = indicators.ToValueList(),
            });
        }

        var links = kept.Select(a => new FrameworkAssociation(a.Id, a.Type, a.Origin, a.Destination)
        {
            SequenceNumber = a.SequenceNumber,
            Uri = a.Uri,
            LastChangeDateTime = a.Time,
        });
        return new Tree(skills.ToValueList(), links.ToValueList(), skillOf);
    }

    private static void PushChildren(Stack<(ItemData Item, Guid Parent)> stack, Dictionary<Guid, List<(ItemData Item, int? Sequence)>> children, Guid parent)
    {
        if (children.TryGetValue(parent, out var list))
        {
            for (var i = list.Count - 1; i >= 0; i--)
            {
                stack.Push((list[i].Item, parent));
            }
        }
    }

    private void FindCycles(List<ItemData> items, Dictionary<Guid, (Guid Parent, AssociationData Association)> parents, Guid? documentId)
    {
        // 0: not visited, 1: on the current walk, 2: done.
        var state = new Dictionary<Guid, int>();
        foreach (var start in items)
        {
            var walk = new List<Guid>();
            var current = start.Id;
            while (current != documentId && state.GetValueOrDefault(current) != 2)
            {
                if (state.GetValueOrDefault(current) == 1)
                {
                    var cycle = walk.Skip(walk.IndexOf(current)).ToList();
                    var first = cycle.Select(c => parents[c].Association).MinBy(a => a.Index)!;
                    Error(
                        $"{first.Path}.destinationNodeURI.identifier",
                        "case.hierarchy.cycle",
                        $"The isChildOf associations form a cycle: {string.Join(" -> ", cycle.Take(10).Select(c => c.ToString("D")))}{(cycle.Count > 10 ? " -> ..." : string.Empty)} -> {cycle[0]:D}.");
                    break;
                }

                state[current] = 1;
                walk.Add(current);
                if (!parents.TryGetValue(current, out var parent))
                {
                    break;
                }

                current = parent.Parent;
            }

            foreach (var id in walk)
            {
                state[id] = 2;
            }
        }
    }

    // ----- CFRubrics --------------------------------------------------------------------------------

    private ValueList<Rubric> ReadRubrics(JsonElement root, Tree? tree)
    {
        var rubrics = new List<Rubric>();
        foreach (var (element, at, _) in Array(root, "CFRubrics", "$"))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(at, "case.json.type", $"A CFRubric is a JSON object, not {Describe(element)}.");
                continue;
            }

            if (ReadRubric(element, at, tree) is { } rubric)
            {
                rubrics.Add(rubric);
            }
        }

        return rubrics.ToValueList();
    }

    private Rubric? ReadRubric(JsonElement element, string at, Tree? tree)
    {
        var id = Identifier(element, "identifier", at);
        String(element, "uri", at, required: true);
        Time(element, "lastChangeDateTime", at, required: true);
        var title = String(element, "title", at, required: true);

        var description = Optional(String(element, "description", at));
        var criteria = new List<(RubricCriterion Criterion, int Index, int[] LevelIndexes)>();
        var complete = id is not null;
        foreach (var (c, cat, cindex) in Array(element, "CFRubricCriteria", at))
        {
            if (c.ValueKind != JsonValueKind.Object)
            {
                Error(cat, "case.json.type", $"A CFRubricCriterion is a JSON object, not {Describe(c)}.");
                complete = false;
                continue;
            }

            if (ReadCriterion(c, cat, cindex, tree) is { } criterion)
            {
                criteria.Add(criterion);
            }
            else
            {
                complete = false;
            }
        }

        if (!complete)
        {
            return null;
        }

        criteria.Sort((x, y) => x.Criterion.Position != y.Criterion.Position ? x.Criterion.Position.CompareTo(y.Criterion.Position) : x.Index.CompareTo(y.Index));
        var meets = MeetsLevel(criteria.Select(c => c.Criterion).ToList(), at);
        var rubric = new Rubric(new RubricId(id!.Value), 1, title ?? string.Empty, criteria.Select(c => c.Criterion).ToValueList(), meets ?? string.Empty)
        {
            Description = description,
        };
        foreach (var problem in rubric.Validate(at))
        {
            if (problem.Rule == "rubric.meets-level.required" || (meets is null && problem.Rule == "rubric.meets-level.present") || (title is null && problem.Rule == "rubric.title.required"))
            {
                continue;
            }

            Error(TranslateRubricPath(problem.Path, at, criteria.Select(c => (c.Index, c.LevelIndexes)).ToList()), problem.Rule, problem.Message);
        }

        return rubric;
    }

    private (RubricCriterion Criterion, int Index, int[] LevelIndexes)? ReadCriterion(JsonElement c, string at, int index, Tree? tree)
    {
        var id = Identifier(c, "identifier", at);
        String(c, "uri", at, required: true);
        Time(c, "lastChangeDateTime", at, required: true);
        var category = Optional(String(c, "category", at));
        var description = Optional(String(c, "description", at));
        var item = LinkUri(c, "CFItemURI", at, required: false);
        var weight = Decimal(c, "weight", at) ?? 1m;
        var position = Int(c, "position", at) ?? index + 1;

        SkillId? skill = null;
        NodeReference? aligned = item;
        if (item is not null && CaseFormat.TryParseIdentifier(item.Identifier, out var itemId) && tree is not null && tree.SkillOf.TryGetValue(itemId, out var owner))
        {
            skill = owner;
            aligned = owner.Value == itemId ? null : item;
        }

        var name = category;
        if (name is null)
        {
            name = item?.Title ?? (skill is { } s ? tree!.Skills.First(k => k.Id == s).Name : null);
            if (name is not null)
            {
                Warn($"{at}.category", "case.criterion.name-from-item", $"The criterion has no category; it is named after its item: '{name}'.");
            }
        }

        var levels = new List<(RubricLevel Level, int Index)>();
        var complete = id is not null;
        foreach (var (l, lat, lindex) in Array(c, "CFRubricCriterionLevels", at))
        {
            if (l.ValueKind != JsonValueKind.Object)
            {
                Error(lat, "case.json.type", $"A CFRubricCriterionLevel is a JSON object, not {Describe(l)}.");
                complete = false;
                continue;
            }

            var levelId = Identifier(l, "identifier", lat);
            String(l, "uri", lat, required: true);
            Time(l, "lastChangeDateTime", lat, required: true);
            var quality = String(l, "quality", lat) ?? string.Empty;
            var levelPosition = Int(l, "position", lat) ?? lindex + 1;
            var score = Decimal(l, "score", lat);
            if (score is null && !HasValue(l, "score"))
            {
                Warn($"{lat}.score", "case.level.score-from-position", $"The level has no score; its position {levelPosition.ToString(CultureInfo.InvariantCulture)} is used.");
            }

            if (levelId is null)
            {
                complete = false;
                continue;
            }

            levels.Add((new RubricLevel(new LevelId(levelId.Value), quality, score ?? levelPosition, levelPosition)
            {
                Description = Optional(String(l, "description", lat)),
                Feedback = Optional(String(l, "feedback", lat)),
            }, lindex));
        }

        if (!complete)
        {
            return null;
        }

        levels.Sort((x, y) => x.Level.Position != y.Level.Position ? x.Level.Position.CompareTo(y.Level.Position) : x.Index.CompareTo(y.Index));
        var criterion = new RubricCriterion(new CriterionId(id!.Value), name ?? string.Empty, position, levels.Select(l => l.Level).ToValueList())
        {
            Description = description,
            SkillId = skill,
            AlignedItem = aligned,
            Weight = weight,
        };
        return (criterion, index, levels.Select(l => l.Index).ToArray());
    }

    private string? MeetsLevel(List<RubricCriterion> criteria, string at)
    {
        if (criteria.Count == 0)
        {
            return null;
        }

        bool InEvery(string name) => criteria.All(c => c.FindLevel(name) is not null);
        if (InEvery(_options.MeetsLevel))
        {
            return criteria[0].FindLevel(_options.MeetsLevel)!.Name;
        }

        var ladder = criteria[0].Levels.OrderBy(l => l.Position).ToList();
        for (var k = ladder.Count / 2; k < ladder.Count; k++)
        {
            if (!string.IsNullOrWhiteSpace(ladder[k].Name) && InEvery(ladder[k].Name))
            {
                Warn($"{at}.CFRubricCriteria", "case.rubric.meets-level-chosen", $"No level is named '{_options.MeetsLevel}' in every criterion; '{ladder[k].Name}' (the lowest level of the upper half shared by every criterion) is taken as the bar to meet.");
                return ladder[k].Name;
            }
        }

        Error($"{at}.CFRubricCriteria", "case.rubric.meets-level", $"No level is named '{_options.MeetsLevel}' in every criterion, and no level of the upper half is shared by every criterion, so the bar a result must meet cannot be chosen; name the levels alike or import with a CaseImportOptions.MeetsLevel they share.");
        return null;
    }

    /// <summary>Turns a path of <see cref="Rubric.Validate"/> (domain order and names) into the CFPackage's JSON path.</summary>
    private static string TranslateRubricPath(string path, string at, List<(int Index, int[] LevelIndexes)> criteria)
    {
        var rest = path[at.Length..];
        var result = new System.Text.StringBuilder(at);
        var criterion = -1;
        var level = false;
        foreach (var segment in rest.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var number = bracket < 0 ? -1 : int.Parse(segment[(bracket + 1)..^1], CultureInfo.InvariantCulture);
            switch (name)
            {
                case "criteria":
                    result.Append(".CFRubricCriteria");
                    if (number >= 0 && number < criteria.Count)
                    {
                        criterion = number;
                        result.Append(CultureInfo.InvariantCulture, $"[{criteria[number].Index}]");
                    }

                    break;
                case "levels":
                    result.Append(".CFRubricCriterionLevels");
                    if (number >= 0 && criterion >= 0 && number < criteria[criterion].LevelIndexes.Length)
                    {
                        level = true;
                        result.Append(CultureInfo.InvariantCulture, $"[{criteria[criterion].LevelIndexes[number]}]");
                    }

                    break;
                case "name":
                    result.Append(level ? ".quality" : criterion >= 0 ? ".category" : ".title");
                    break;
                case "id":
                    result.Append(".identifier");
                    break;
                default:
                    result.Append('.').Append(segment);
                    break;
            }
        }

        return result.ToString();
    }

    // ----- Field readers ----------------------------------------------------------------------------

    private void Error(string path, string rule, string message) => _errors.Add(new ValidationProblem(path, rule, message));

    private void Warn(string path, string rule, string message) => _warnings.Add(new ValidationProblem(path, rule, message));

    private static string? Optional(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static bool HasValue(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private bool TryGet(JsonElement obj, string name, string at, bool required, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Error($"{at}.{name}", "case.field.required", $"The field '{name}' is required.");
        }

        return false;
    }

    private string? String(JsonElement obj, string name, string at, bool required = false)
    {
        if (!TryGet(obj, name, at, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be a string, not {Describe(value)}.");
            return null;
        }

        return Text(value, $"{at}.{name}");
    }

    /// <summary>Reads a string value; JSON escapes can spell lone surrogates, which .NET strings refuse.</summary>
    private string? Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            Error(path, "case.json.encoding", "The string holds an escaped lone surrogate (invalid UTF-16).");
            return null;
        }
    }

    private JsonElement? Object(JsonElement obj, string name, string at, bool required)
    {
        if (!TryGet(obj, name, at, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be an object, not {Describe(value)}.");
            return null;
        }

        return value;
    }

    private List<(JsonElement Element, string Path, int Index)> Array(JsonElement obj, string name, string at)
    {
        if (!TryGet(obj, name, at, required: false, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be an array, not {Describe(value)}.");
            return [];
        }

        return value.EnumerateArray().Select((e, i) => (e, $"{at}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]", i)).ToList();
    }

    private Guid? Identifier(JsonElement obj, string name, string at)
    {
        var text = String(obj, name, at, required: true);
        if (text is null)
        {
            return null;
        }

        var path = $"{at}.{name}";
        if (!CaseFormat.TryParseIdentifier(text, out var id))
        {
            Error(path, "case.identifier.guid", $"'{text}' is not an identifier: CASE identifiers are UUIDs written as 8-4-4-4-12 hexadecimal digits.");
            return null;
        }

        if (!CaseFormat.HasUuidVersionAndVariant(text))
        {
            Warn(path, "case.identifier.uuid-variant", $"'{text}' lacks the UUID version and variant bits (as in OpenSALT test frameworks); it is accepted.");
        }

        if (!_identifiers.TryAdd(id, path))
        {
            Error(path, "case.identifier.unique", $"The identifier {id:D} is already used at {_identifiers[id]}.");
            return null;
        }

        return id;
    }

    private DateTimeOffset? Time(JsonElement obj, string name, string at, bool required)
    {
        var text = String(obj, name, at, required);
        if (text is null)
        {
            return null;
        }

        if (!CaseFormat.TryParseTime(text, out var time))
        {
            Error($"{at}.{name}", "case.field.date-time", $"'{text}' is not a date-time (e.g. 2025-08-01T12:00:00+00:00).");
            return null;
        }

        return time;
    }

    private int? Int(JsonElement obj, string name, string at)
    {
        if (!TryGet(obj, name, at, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var quoted))
        {
            // OpenSALT exports some numbers (e.g. sequenceNumber) as JSON strings: read them, and say so.
            Warn($"{at}.{name}", "case.json.number-as-string", $"'{name}' is the string \"{value.GetString()}\"; it is read as the number {quoted}.");
            return quoted;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be a whole number (32-bit), not {Describe(value)} {Shorten(value.GetRawText())}.");
            return null;
        }

        return number;
    }

    private decimal? Decimal(JsonElement obj, string name, string at)
    {
        if (!TryGet(obj, name, at, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be a number, not {Describe(value)} {Shorten(value.GetRawText())}.");
            return null;
        }

        return number;
    }

    private ValueList<string> StringList(JsonElement obj, string name, string at)
    {
        if (!TryGet(obj, name, at, required: false, out var value))
        {
            return ValueList<string>.Empty;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return (Text(value, $"{at}.{name}") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToValueList();
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error($"{at}.{name}", "case.json.type", $"'{name}' must be a string or an array of strings, not {Describe(value)}.");
            return ValueList<string>.Empty;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String)
            {
                if (Text(entry, $"{at}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]") is { Length: > 0 } text)
                {
                    list.Add(text);
                }
            }
            else
            {
                Error($"{at}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]", "case.json.type", $"An entry of '{name}' must be a string, not {Describe(entry)}.");
            }

            i++;
        }

        return list.ToValueList();
    }

    private NodeReference? LinkUri(JsonElement obj, string name, string at, bool required)
    {
        if (Object(obj, name, at, required) is not { } link)
        {
            return null;
        }

        var path = $"{at}.{name}";
        var identifier = String(link, "identifier", path, required: true);
        var uri = String(link, "uri", path, required: true);
        var title = Optional(String(link, "title", path));
        if (identifier is not null && !CaseFormat.TryParseIdentifier(identifier, out _))
        {
            Error($"{path}.identifier", "case.identifier.guid", $"'{identifier}' is not an identifier: CASE identifiers are UUIDs written as 8-4-4-4-12 hexadecimal digits.");
            return null;
        }

        return identifier is null || uri is null ? null : new NodeReference(identifier, uri, title);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
