namespace Backpack.Core.Credentials.JsonLd;

/// <summary>The expansion algorithm (JSON-LD 1.1 API, section 5.1).</summary>
internal sealed class Expander
{
    private readonly ContextProcessor contexts;
    private readonly bool safeMode;

    public Expander(ContextProcessor contexts, bool safeMode)
    {
        this.contexts = contexts;
        this.safeMode = safeMode;
    }

    public List<object?> ExpandDocument(ActiveContext active, object? document, string? baseUrl)
    {
        var result = Expand(active, null, document, baseUrl, false);
        if (result is Dictionary<string, object?> map && map.Count == 1 && map.TryGetValue("@graph", out var graph))
        {
            result = graph;
        }

        return result switch
        {
            null => [],
            List<object?> list => list,
            _ => [result],
        };
    }

    private object? Expand(ActiveContext active, string? activeProperty, object? element, string? baseUrl, bool fromMap)
    {
        if (element is null)
        {
            return null;
        }

        var propertyDefinition = active.Term(activeProperty);
        if (JsonModel.IsScalar(element))
        {
            if (activeProperty is null or "@graph")
            {
                return null;
            }

            if (propertyDefinition is { HasLocalContext: true })
            {
                active = contexts.Process(active, propertyDefinition.LocalContext, propertyDefinition.BaseUrl);
            }

            return ExpandValue(active, activeProperty, element);
        }

        if (element is List<object?> array)
        {
            var result = new List<object?>();
            foreach (var item in array)
            {
                var expanded = Expand(active, activeProperty, item, baseUrl, fromMap);
                if (propertyDefinition is not null && propertyDefinition.HasContainer("@list") && expanded is List<object?> inner)
                {
                    expanded = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@list"] = inner };
                }

                if (expanded is List<object?> items)
                {
                    result.AddRange(items);
                }
                else if (expanded is not null)
                {
                    result.Add(expanded);
                }
            }

            return result;
        }

        var map = (Dictionary<string, object?>)element;
        if (active.PreviousContext is not null && !fromMap)
        {
            var keepContext = false;
            foreach (var key in map.Keys)
            {
                var expandedKey = contexts.ExpandIri(active, key, vocab: true);
                if (expandedKey == "@value")
                {
                    keepContext = true;
                    break;
                }
            }

            if (!keepContext && map.Count == 1 && contexts.ExpandIri(active, map.Keys.First(), vocab: true) == "@id")
            {
                keepContext = true;
            }

            if (!keepContext)
            {
                active = active.PreviousContext;
            }
        }

        if (propertyDefinition is { HasLocalContext: true })
        {
            active = contexts.Process(active, propertyDefinition.LocalContext, propertyDefinition.BaseUrl, overrideProtected: true);
        }

        if (map.TryGetValue("@context", out var localContext))
        {
            active = contexts.Process(active, localContext, baseUrl);
        }

        var typeScoped = active;
        string? inputType = null;
        foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (contexts.ExpandIri(active, key, vocab: true) != "@type")
            {
                continue;
            }

            var types = JsonModel.AsList(map[key]).OfType<string>().OrderBy(t => t, StringComparer.Ordinal).ToList();
            foreach (var type in types)
            {
                if (typeScoped.Term(type) is { HasLocalContext: true } typeDefinition)
                {
                    active = contexts.Process(active, typeDefinition.LocalContext, typeDefinition.BaseUrl, propagate: false);
                }
            }

            if (inputType is null)
            {
                var last = JsonModel.AsList(map[key]).LastOrDefault() as string;
                inputType = last is null ? null : contexts.ExpandIri(active, last, vocab: true);
            }
        }

        var resultMap = new Dictionary<string, object?>(StringComparer.Ordinal);
        var nests = new List<string>();
        ExpandEntries(active, typeScoped, activeProperty, map, baseUrl, inputType, resultMap, nests);
        ExpandNests(active, typeScoped, activeProperty, map, nests, baseUrl, inputType, resultMap);
        return Finish(activeProperty, resultMap);
    }

    private void ExpandNested(ActiveContext active, ActiveContext typeScoped, string? activeProperty, Dictionary<string, object?> nestedMap, string? baseUrl, string? inputType, Dictionary<string, object?> resultMap)
    {
        if (nestedMap.Keys.Any(k => contexts.ExpandIri(active, k, vocab: true) == "@value"))
        {
            throw new JsonLdException("invalid @nest value", null, "A nested value must be a node object");
        }

        var innerNests = new List<string>();
        ExpandEntries(active, typeScoped, activeProperty, nestedMap, baseUrl, inputType, resultMap, innerNests);
        ExpandNests(active, typeScoped, activeProperty, nestedMap, innerNests, baseUrl, inputType, resultMap);
    }

    /// <summary>Expands the values of the <paramref name="nests"/> keys of <paramref name="map"/> (each a node object, or a list of them) into <paramref name="resultMap"/>.</summary>
    private void ExpandNests(ActiveContext active, ActiveContext typeScoped, string? activeProperty, Dictionary<string, object?> map, List<string> nests, string? baseUrl, string? inputType, Dictionary<string, object?> resultMap)
    {
        foreach (var nestKey in nests)
        {
            foreach (var nested in JsonModel.AsList(map[nestKey]))
            {
                if (nested is not Dictionary<string, object?> nestedMap)
                {
                    throw new JsonLdException("invalid @nest value", nestKey, "A nested value must be a node object");
                }

                ExpandNested(NestContext(active, nestKey), typeScoped, activeProperty, nestedMap, baseUrl, inputType, resultMap);
            }
        }
    }

    private ActiveContext NestContext(ActiveContext active, string nestKey) =>
        active.Term(nestKey) is { HasLocalContext: true } nestDefinition
            ? contexts.Process(active, nestDefinition.LocalContext, nestDefinition.BaseUrl, overrideProtected: true)
            : active;

    private static object? Finish(string? activeProperty, Dictionary<string, object?> result)
    {
        object? output = result;
        if (result.TryGetValue("@value", out var value))
        {
            if (result.Keys.Any(k => k is not ("@direction" or "@index" or "@language" or "@type" or "@value")))
            {
                throw new JsonLdException("invalid value object", null, "A value object has an unexpected entry");
            }

            if (result.ContainsKey("@type") && (result.ContainsKey("@language") || result.ContainsKey("@direction")))
            {
                throw new JsonLdException("invalid value object", null, "A value object cannot have both @type and @language or @direction");
            }

            if (result.TryGetValue("@type", out var t) && t is "@json")
            {
                // A JSON literal: any value.
            }
            else if (value is null)
            {
                return null;
            }
            else if (value is not string && result.ContainsKey("@language"))
            {
                throw new JsonLdException("invalid language-tagged value", null, "Only strings can have a language");
            }
            else if (result.TryGetValue("@type", out var vt) && (vt is not string vts || !Iri.IsWellFormed(vts) || Iri.IsBlankNode(vts)))
            {
                throw new JsonLdException("invalid typed value", vt as string, "The type of a value must be an IRI");
            }

            if (value is Dictionary<string, object?> or List<object?> && !(result.TryGetValue("@type", out var jt) && jt is "@json"))
            {
                throw new JsonLdException("invalid value object value", null, "A value must be a scalar");
            }
        }
        else if (result.TryGetValue("@type", out var type) && type is not List<object?>)
        {
            result["@type"] = new List<object?> { type };
        }
        else if (result.ContainsKey("@set") || result.ContainsKey("@list"))
        {
            if (result.Count > 2 || (result.Count == 2 && !result.ContainsKey("@index")))
            {
                throw new JsonLdException("invalid set or list object", null, "A set or list object can only have @index besides");
            }

            if (result.TryGetValue("@set", out var set))
            {
                output = set;
            }
        }

        if (output is Dictionary<string, object?> m && m.Count == 1 && m.ContainsKey("@language"))
        {
            return null;
        }

        if (activeProperty is null or "@graph" && output is Dictionary<string, object?> top)
        {
            if (top.Count == 0 || top.ContainsKey("@value") || top.ContainsKey("@list"))
            {
                return null;
            }

            if (top.Count == 1 && top.ContainsKey("@id"))
            {
                return null;
            }
        }

        return output;
    }

    private void ExpandEntries(ActiveContext active, ActiveContext typeScoped, string? activeProperty, Dictionary<string, object?> element, string? baseUrl, string? inputType, Dictionary<string, object?> result, List<string> nests)
    {
        foreach (var (key, value) in element)
        {
            if (key == "@context")
            {
                continue;
            }

            var expandedProperty = contexts.ExpandIri(active, key, vocab: true);
            if (expandedProperty is null || (!expandedProperty.Contains(':', StringComparison.Ordinal) && !Iri.IsKeyword(expandedProperty)))
            {
                if (safeMode)
                {
                    throw new JsonLdException("safe mode", key, "No context defines the term, so it would be dropped");
                }

                continue;
            }

            if (Iri.IsKeyword(expandedProperty))
            {
                ExpandKeyword(active, typeScoped, activeProperty, key, expandedProperty, value, baseUrl, inputType, result, nests);
                continue;
            }

            var definition = active.Term(key);
            object? expandedValue;
            if (definition is { TypeMapping: "@json" })
            {
                expandedValue = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@value"] = value, ["@type"] = "@json" };
            }
            else if (definition is not null && definition.HasContainer("@language") && value is Dictionary<string, object?> languageMap)
            {
                var list = new List<object?>();
                var direction = definition.HasDirection ? definition.Direction : active.DefaultDirection;
                foreach (var (language, languageValue) in languageMap)
                {
                    foreach (var item in JsonModel.AsList(languageValue))
                    {
                        if (item is null)
                        {
                            continue;
                        }

                        if (item is not string)
                        {
                            throw new JsonLdException("invalid language map value", key, "A language map value must be a string");
                        }

                        var v = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@value"] = item };
                        if (language != "@none" && contexts.ExpandIri(active, language, vocab: true) != "@none")
                        {
                            v["@language"] = language.ToLowerInvariant();
                        }

                        if (direction is not null)
                        {
                            v["@direction"] = direction;
                        }

                        list.Add(v);
                    }
                }

                expandedValue = list;
            }
            else if (definition is not null && (definition.HasContainer("@index") || definition.HasContainer("@type") || definition.HasContainer("@id")) && value is Dictionary<string, object?> indexMap)
            {
                expandedValue = ExpandIndexMap(active, key, definition, indexMap, baseUrl);
            }
            else
            {
                expandedValue = Expand(active, key, value, baseUrl, false);
            }

            if (expandedValue is null)
            {
                continue;
            }

            if (definition is not null && definition.HasContainer("@list") && !(expandedValue is Dictionary<string, object?> lm && lm.ContainsKey("@list")))
            {
                expandedValue = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@list"] = JsonModel.AsList(expandedValue) };
            }

            if (definition is not null && definition.HasContainer("@graph") && !definition.HasContainer("@id") && !definition.HasContainer("@index"))
            {
                expandedValue = JsonModel.AsList(expandedValue)
                    .Select(ev => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["@graph"] = JsonModel.AsList(ev) })
                    .ToList();
            }

            if (definition is { Reverse: true })
            {
                if (!result.TryGetValue("@reverse", out var rm) || rm is not Dictionary<string, object?> reverseMap)
                {
                    result["@reverse"] = reverseMap = new Dictionary<string, object?>(StringComparer.Ordinal);
                }

                foreach (var item in JsonModel.AsList(expandedValue))
                {
                    if (item is Dictionary<string, object?> im && (im.ContainsKey("@value") || im.ContainsKey("@list")))
                    {
                        throw new JsonLdException("invalid reverse property value", key, "A reverse property cannot have values or lists");
                    }

                    AddValue(reverseMap, expandedProperty, item);
                }
            }
            else
            {
                AddValue(result, expandedProperty, expandedValue);
            }
        }
    }

    private List<object?> ExpandIndexMap(ActiveContext active, string key, TermDefinition definition, Dictionary<string, object?> indexMap, string? baseUrl)
    {
        var list = new List<object?>();
        var indexKey = definition.Index ?? "@index";
        foreach (var (index, indexValue) in indexMap)
        {
            ActiveContext mapContext = active;
            if (definition.HasContainer("@id") || definition.HasContainer("@type"))
            {
                mapContext = active.PreviousContext ?? active;
            }

            if (definition.HasContainer("@type") && mapContext.Term(index) is { HasLocalContext: true } indexDefinition)
            {
                mapContext = contexts.Process(mapContext, indexDefinition.LocalContext, indexDefinition.BaseUrl);
            }
            else if (!definition.HasContainer("@id") && !definition.HasContainer("@type"))
            {
                mapContext = active;
            }

            var expandedIndex = contexts.ExpandIri(active, index, vocab: true);
            var items = Expand(mapContext, key, JsonModel.AsList(indexValue), baseUrl, true);
            foreach (var raw in JsonModel.AsList(items))
            {
                var item = raw;
                if (definition.HasContainer("@graph") && !(item is Dictionary<string, object?> gm && gm.ContainsKey("@graph")))
                {
                    item = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@graph"] = JsonModel.AsList(item) };
                }

                var itemMap = item as Dictionary<string, object?>;
                if (definition.HasContainer("@index") && indexKey != "@index" && expandedIndex != "@none")
                {
                    var reExpanded = ExpandValue(active, indexKey, index);
                    var expandedIndexKey = contexts.ExpandIri(active, indexKey, vocab: true)!;
                    var values = new List<object?> { reExpanded };
                    if (itemMap!.TryGetValue(expandedIndexKey, out var existing))
                    {
                        values.AddRange(JsonModel.AsList(existing));
                    }

                    itemMap[expandedIndexKey] = values;
                    if (itemMap.ContainsKey("@value"))
                    {
                        throw new JsonLdException("invalid value object", key, "A value object cannot carry a property index");
                    }
                }
                else if (definition.HasContainer("@index") && itemMap is not null && !itemMap.ContainsKey("@index") && expandedIndex != "@none")
                {
                    itemMap["@index"] = index;
                }
                else if (definition.HasContainer("@id") && itemMap is not null && !itemMap.ContainsKey("@id") && expandedIndex != "@none")
                {
                    itemMap["@id"] = contexts.ExpandIri(active, index, documentRelative: true);
                }
                else if (definition.HasContainer("@type") && itemMap is not null && expandedIndex != "@none")
                {
                    var types = new List<object?> { expandedIndex };
                    if (itemMap.TryGetValue("@type", out var existingTypes))
                    {
                        types.AddRange(JsonModel.AsList(existingTypes));
                    }

                    itemMap["@type"] = types;
                }

                list.Add(item);
            }
        }

        return list;
    }

    private void ExpandKeyword(ActiveContext active, ActiveContext typeScoped, string? activeProperty, string key, string expandedProperty, object? value, string? baseUrl, string? inputType, Dictionary<string, object?> result, List<string> nests)
    {
        if (activeProperty == "@reverse")
        {
            throw new JsonLdException("invalid reverse property map", key, "A reverse map cannot contain keywords");
        }

        if (result.ContainsKey(expandedProperty) && expandedProperty is not ("@included" or "@type"))
        {
            throw new JsonLdException("colliding keywords", expandedProperty, "Two entries expand to the same keyword");
        }

        object? expandedValue = null;
        switch (expandedProperty)
        {
            case "@id":
                if (value is not string id)
                {
                    throw new JsonLdException("invalid @id value", key, "@id must be a string");
                }

                result["@id"] = contexts.ExpandIri(active, id, documentRelative: true);
                return;
            case "@type":
                if (value is string single)
                {
                    expandedValue = ExpandType(typeScoped, single);
                }
                else if (value is List<object?> many && many.All(v => v is string))
                {
                    expandedValue = many.Select(v => (object?)ExpandType(typeScoped, (string)v!)).ToList();
                }
                else
                {
                    throw new JsonLdException("invalid type value", key, "@type must be a string or an array of strings");
                }

                if (result.TryGetValue("@type", out var existingType))
                {
                    var combined = JsonModel.AsList(existingType).ToList();
                    combined.AddRange(JsonModel.AsList(expandedValue));
                    expandedValue = combined;
                }

                break;
            case "@graph":
                expandedValue = JsonModel.AsList(Expand(active, "@graph", value, baseUrl, false));
                break;
            case "@included":
                var included = JsonModel.AsList(Expand(active, null, value, baseUrl, false));
                if (included.Any(i => i is not Dictionary<string, object?> im || im.ContainsKey("@value") || im.ContainsKey("@list") || im.ContainsKey("@set")))
                {
                    throw new JsonLdException("invalid @included value", key, "@included must contain node objects");
                }

                if (result.TryGetValue("@included", out var existingIncluded))
                {
                    included = [.. JsonModel.AsList(existingIncluded), .. included];
                }

                expandedValue = included;
                break;
            case "@value":
                if (inputType == "@json")
                {
                    result["@value"] = value;
                    return;
                }

                if (value is not null && !JsonModel.IsScalar(value))
                {
                    throw new JsonLdException("invalid value object value", key, "@value must be a scalar or null");
                }

                result["@value"] = value;
                return;
            case "@language":
                if (value is not string language)
                {
                    throw new JsonLdException("invalid language-tagged string", key, "@language must be a string");
                }

                expandedValue = language.ToLowerInvariant();
                break;
            case "@direction":
                if (value is not ("ltr" or "rtl"))
                {
                    throw new JsonLdException("invalid base direction", key, "@direction must be ltr or rtl");
                }

                expandedValue = value;
                break;
            case "@index":
                if (value is not string)
                {
                    throw new JsonLdException("invalid @index value", key, "@index must be a string");
                }

                expandedValue = value;
                break;
            case "@list":
                if (activeProperty is null or "@graph")
                {
                    return;
                }

                expandedValue = JsonModel.AsList(Expand(active, activeProperty, value, baseUrl, false));
                break;
            case "@set":
                expandedValue = Expand(active, activeProperty, value, baseUrl, false);
                break;
            case "@reverse":
                if (value is not Dictionary<string, object?>)
                {
                    throw new JsonLdException("invalid @reverse value", key, "@reverse must be an object");
                }

                var reversed = Expand(active, "@reverse", value, baseUrl, false) as Dictionary<string, object?> ?? [];
                if (reversed.TryGetValue("@reverse", out var doubleReversed) && doubleReversed is Dictionary<string, object?> dr)
                {
                    foreach (var (property, items) in dr)
                    {
                        AddValue(result, property, items);
                    }
                }

                if (reversed.Keys.Any(k => k != "@reverse"))
                {
                    if (!result.TryGetValue("@reverse", out var rm) || rm is not Dictionary<string, object?> reverseMap)
                    {
                        result["@reverse"] = reverseMap = new Dictionary<string, object?>(StringComparer.Ordinal);
                    }

                    foreach (var (property, items) in reversed)
                    {
                        if (property == "@reverse")
                        {
                            continue;
                        }

                        foreach (var item in JsonModel.AsList(items))
                        {
                            if (item is Dictionary<string, object?> im && (im.ContainsKey("@value") || im.ContainsKey("@list")))
                            {
                                throw new JsonLdException("invalid reverse property value", property, "A reverse property cannot have values or lists");
                            }

                            AddValue(reverseMap, property, item);
                        }
                    }
                }

                return;
            case "@nest":
                nests.Add(key);
                return;
            default:
                return;
        }

        if (expandedValue is not null)
        {
            result[expandedProperty] = expandedValue;
        }
    }

    private string? ExpandType(ActiveContext typeScoped, string value)
    {
        var expanded = contexts.ExpandIri(typeScoped, value, documentRelative: true, vocab: true);
        if (safeMode && (expanded is null || (!Iri.IsAbsolute(expanded) && !Iri.IsBlankNode(expanded))))
        {
            throw new JsonLdException("safe mode", value, "No context defines the type, so it would be a relative IRI");
        }

        return expanded;
    }

    private Dictionary<string, object?> ExpandValue(ActiveContext active, string? activeProperty, object? value)
    {
        var definition = active.Term(activeProperty);
        if (definition is { TypeMapping: "@id" } && value is string idValue)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = contexts.ExpandIri(active, idValue, documentRelative: true) };
        }

        if (definition is { TypeMapping: "@vocab" } && value is string vocabValue)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = contexts.ExpandIri(active, vocabValue, documentRelative: true, vocab: true) };
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@value"] = value };
        if (definition is { TypeMapping: { } type } && type is not ("@id" or "@vocab" or "@none"))
        {
            result["@type"] = type;
        }
        else if (value is string)
        {
            var language = definition is { HasLanguage: true } ? definition.Language : active.DefaultLanguage;
            var direction = definition is { HasDirection: true } ? definition.Direction : active.DefaultDirection;
            if (language is not null)
            {
                result["@language"] = language;
            }

            if (direction is not null)
            {
                result["@direction"] = direction;
            }
        }

        return result;
    }

    private static void AddValue(Dictionary<string, object?> map, string key, object? value)
    {
        if (!map.TryGetValue(key, out var existing) || existing is not List<object?> list)
        {
            list = existing is null && !map.ContainsKey(key) ? [] : JsonModel.AsList(existing);
            map[key] = list;
        }

        if (value is List<object?> values)
        {
            list.AddRange(values);
        }
        else
        {
            list.Add(value);
        }
    }
}
