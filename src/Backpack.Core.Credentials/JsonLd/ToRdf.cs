using System.Globalization;
using Backpack.Core.Credentials.Rdf;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>Node map generation and deserialization to RDF (JSON-LD 1.1 API, sections 7.2 and 8.1).</summary>
internal sealed class ToRdfConverter
{
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    private readonly Dictionary<string, string> blankNodes = new(StringComparer.Ordinal);
    private readonly JsonLdOptions options;
    private int counter;

    public ToRdfConverter(JsonLdOptions options)
    {
        this.options = options;
    }

    public List<RdfQuad> Convert(List<object?> expanded)
    {
        var nodeMap = new SortedDictionary<string, SortedDictionary<string, Dictionary<string, object?>>>(StringComparer.Ordinal)
        {
            ["@default"] = new(StringComparer.Ordinal),
        };
        GenerateNodeMap(expanded, nodeMap, "@default", null, null, null);
        var quads = new List<RdfQuad>();
        foreach (var (graphName, graph) in nodeMap)
        {
            RdfTerm? graphTerm = null;
            if (graphName != "@default")
            {
                if (Iri.IsBlankNode(graphName))
                {
                    graphTerm = RdfTerm.BlankNode(graphName[2..]);
                }
                else if (Iri.IsWellFormed(graphName))
                {
                    graphTerm = RdfTerm.Iri(graphName);
                }
                else
                {
                    continue;
                }
            }

            foreach (var (subject, node) in graph)
            {
                var subjectTerm = Resource(subject);
                if (subjectTerm is null)
                {
                    continue;
                }

                foreach (var (property, values) in node.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (property == "@type")
                    {
                        foreach (var type in JsonModel.AsList(values).OfType<string>())
                        {
                            if (Resource(type) is { } typeTerm)
                            {
                                quads.Add(new RdfQuad(subjectTerm, RdfTerm.Iri(Rdf + "type"), typeTerm, graphTerm));
                            }
                        }

                        continue;
                    }

                    if (Iri.IsKeyword(property))
                    {
                        continue;
                    }

                    RdfTerm predicate;
                    if (Iri.IsBlankNode(property))
                    {
                        if (!options.ProduceGeneralizedRdf)
                        {
                            continue;
                        }

                        predicate = RdfTerm.BlankNode(property[2..]);
                    }
                    else if (Iri.IsWellFormed(property))
                    {
                        predicate = RdfTerm.Iri(property);
                    }
                    else
                    {
                        continue;
                    }

                    foreach (var item in JsonModel.AsList(values))
                    {
                        var listTriples = new List<(RdfTerm, RdfTerm, RdfTerm)>();
                        var obj = ObjectToRdf(item, listTriples);
                        if (obj is not null)
                        {
                            quads.Add(new RdfQuad(subjectTerm, predicate, obj, graphTerm));
                        }

                        foreach (var (s, p, o) in listTriples)
                        {
                            quads.Add(new RdfQuad(s, p, o, graphTerm));
                        }
                    }
                }
            }
        }

        return quads;
    }

    private static RdfTerm? Resource(string id) =>
        Iri.IsBlankNode(id) ? RdfTerm.BlankNode(id[2..]) : Iri.IsWellFormed(id) ? RdfTerm.Iri(id) : null;

    private string NewBlankNode(string? existing)
    {
        if (existing is not null && blankNodes.TryGetValue(existing, out var issued))
        {
            return issued;
        }

        var id = "_:b" + counter++.ToString(CultureInfo.InvariantCulture);
        if (existing is not null)
        {
            blankNodes[existing] = id;
        }

        return id;
    }

    private void GenerateNodeMap(
        object? element,
        SortedDictionary<string, SortedDictionary<string, Dictionary<string, object?>>> nodeMap,
        string activeGraph,
        object? activeSubject,
        string? activeProperty,
        List<object?>? list)
    {
        if (element is List<object?> array)
        {
            foreach (var item in array)
            {
                GenerateNodeMap(item, nodeMap, activeGraph, activeSubject, activeProperty, list);
            }

            return;
        }

        if (element is not Dictionary<string, object?> map)
        {
            return;
        }

        if (!nodeMap.TryGetValue(activeGraph, out var graph))
        {
            nodeMap[activeGraph] = graph = new SortedDictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        }

        var subjectNode = activeSubject is string subjectId ? graph[subjectId] : null;
        if (map.TryGetValue("@type", out var types))
        {
            map["@type"] = types is List<object?> typeList
                ? typeList.Select(t => t is string ts && Iri.IsBlankNode(ts) ? NewBlankNode(ts) : t).ToList()
                : types is string single && Iri.IsBlankNode(single) ? NewBlankNode(single) : types;
        }

        if (map.ContainsKey("@value"))
        {
            if (list is null)
            {
                AddUnique(subjectNode!, activeProperty!, map);
            }
            else
            {
                list.Add(map);
            }

            return;
        }

        if (map.TryGetValue("@list", out var listValue))
        {
            var inner = new List<object?>();
            GenerateNodeMap(listValue, nodeMap, activeGraph, activeSubject, activeProperty, inner);
            var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@list"] = inner };
            if (list is null)
            {
                Append(subjectNode!, activeProperty!, result);
            }
            else
            {
                list.Add(result);
            }

            return;
        }

        string id;
        if (map.TryGetValue("@id", out var idValue) && idValue is string idString)
        {
            id = Iri.IsBlankNode(idString) ? NewBlankNode(idString) : idString;
        }
        else if (map.ContainsKey("@id"))
        {
            return;
        }
        else
        {
            id = NewBlankNode(null);
        }

        if (!graph.TryGetValue(id, out var node))
        {
            graph[id] = node = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = id };
        }

        if (activeSubject is Dictionary<string, object?> reverseSubject)
        {
            AddUnique(node, activeProperty!, reverseSubject);
        }
        else if (activeProperty is not null)
        {
            var reference = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = id };
            if (list is null)
            {
                AddUnique(subjectNode!, activeProperty, reference);
            }
            else
            {
                list.Add(reference);
            }
        }

        if (map.TryGetValue("@type", out var nodeTypes))
        {
            foreach (var type in JsonModel.AsList(nodeTypes))
            {
                AddUnique(node, "@type", type);
            }
        }

        if (map.TryGetValue("@index", out var index))
        {
            if (node.TryGetValue("@index", out var existingIndex) && !JsonModel.DeepEquals(existingIndex, index))
            {
                throw new JsonLdException("conflicting indexes", id, "A node has two different indexes");
            }

            node["@index"] = index;
        }

        if (map.TryGetValue("@reverse", out var reverse) && reverse is Dictionary<string, object?> reverseMap)
        {
            var referenced = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = id };
            foreach (var (property, values) in reverseMap)
            {
                foreach (var value in JsonModel.AsList(values))
                {
                    GenerateNodeMap(value, nodeMap, activeGraph, referenced, property, null);
                }
            }
        }

        if (map.TryGetValue("@graph", out var innerGraph))
        {
            if (!nodeMap.ContainsKey(id))
            {
                nodeMap[id] = new SortedDictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
            }

            GenerateNodeMap(innerGraph, nodeMap, id, null, null, null);
        }

        if (map.TryGetValue("@included", out var included))
        {
            GenerateNodeMap(included, nodeMap, activeGraph, null, null, null);
        }

        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is "@id" or "@type" or "@index" or "@reverse" or "@graph" or "@included")
            {
                continue;
            }

            var property = Iri.IsBlankNode(key) ? NewBlankNode(key) : key;
            if (!node.ContainsKey(property))
            {
                node[property] = new List<object?>();
            }

            GenerateNodeMap(value, nodeMap, activeGraph, id, property, null);
        }
    }

    private static void AddUnique(Dictionary<string, object?> node, string property, object? value)
    {
        if (!node.TryGetValue(property, out var existing) || existing is not List<object?> list)
        {
            node[property] = list = [];
        }

        if (!list.Any(v => JsonModel.DeepEquals(v, value)))
        {
            list.Add(value);
        }
    }

    private static void Append(Dictionary<string, object?> node, string property, object? value)
    {
        if (!node.TryGetValue(property, out var existing) || existing is not List<object?> list)
        {
            node[property] = list = [];
        }

        list.Add(value);
    }

    private RdfTerm? ObjectToRdf(object? item, List<(RdfTerm, RdfTerm, RdfTerm)> listTriples)
    {
        if (item is not Dictionary<string, object?> map)
        {
            return null;
        }

        if (map.TryGetValue("@list", out var list))
        {
            return ListToRdf(JsonModel.AsList(list), listTriples);
        }

        if (!map.TryGetValue("@value", out var value))
        {
            return map.TryGetValue("@id", out var id) && id is string ids ? Resource(ids) : null;
        }

        var datatype = map.TryGetValue("@type", out var t) ? t as string : null;
        if (datatype is not null && datatype != "@json" && !Iri.IsWellFormed(datatype))
        {
            return null;
        }

        var language = map.TryGetValue("@language", out var l) ? l as string : null;
        if (language is not null && !IsWellFormedLanguage(language))
        {
            return null;
        }

        string lexical;
        if (datatype == "@json")
        {
            lexical = JsonModel.Canonical(value);
            datatype = Rdf + "JSON";
        }
        else if (value is bool b)
        {
            lexical = b ? "true" : "false";
            datatype ??= Xsd + "boolean";
        }
        else if (value is double d && (d % 1 != 0 || Math.Abs(d) >= 1e21 || datatype == Xsd + "double"))
        {
            lexical = JsonModel.XsdDouble(d);
            datatype ??= Xsd + "double";
        }
        else if (value is double n)
        {
            lexical = n == 0 ? "0" : n.ToString("F0", CultureInfo.InvariantCulture);
            datatype ??= Xsd + "integer";
        }
        else if (value is string s)
        {
            lexical = s;
        }
        else
        {
            return null;
        }

        var direction = map.TryGetValue("@direction", out var dv) ? dv as string : null;
        if (direction is not null && options.RdfDirection == JsonLdRdfDirection.I18nDatatype)
        {
            return RdfTerm.Literal(lexical, "https://www.w3.org/ns/i18n#" + (language ?? string.Empty).ToLowerInvariant() + "_" + direction);
        }

        if (direction is not null && options.RdfDirection == JsonLdRdfDirection.CompoundLiteral)
        {
            var node = RdfTerm.BlankNode(NewBlankNode(null)[2..]);
            listTriples.Add((node, RdfTerm.Iri(Rdf + "value"), RdfTerm.Literal(lexical)));
            if (language is not null)
            {
                listTriples.Add((node, RdfTerm.Iri(Rdf + "language"), RdfTerm.Literal(language.ToLowerInvariant())));
            }

            listTriples.Add((node, RdfTerm.Iri(Rdf + "direction"), RdfTerm.Literal(direction)));
            return node;
        }

        return language is not null ? RdfTerm.Literal(lexical, null, language) : RdfTerm.Literal(lexical, datatype);
    }

    private RdfTerm ListToRdf(List<object?> list, List<(RdfTerm, RdfTerm, RdfTerm)> triples)
    {
        if (list.Count == 0)
        {
            return RdfTerm.Iri(Rdf + "nil");
        }

        var nodes = list.Select(_ => RdfTerm.BlankNode(NewBlankNode(null)[2..])).ToArray();
        for (var i = 0; i < list.Count; i++)
        {
            var embedded = new List<(RdfTerm, RdfTerm, RdfTerm)>();
            var obj = ObjectToRdf(list[i], embedded);
            if (obj is not null)
            {
                triples.Add((nodes[i], RdfTerm.Iri(Rdf + "first"), obj));
            }

            triples.AddRange(embedded);
            triples.Add((nodes[i], RdfTerm.Iri(Rdf + "rest"), i + 1 < list.Count ? nodes[i + 1] : RdfTerm.Iri(Rdf + "nil")));
        }

        return nodes[0];
    }

    private static bool IsWellFormedLanguage(string language)
    {
        var parts = language.Split('-');
        if (parts[0].Length is < 1 or > 8 || !parts[0].All(char.IsAsciiLetter))
        {
            return false;
        }

        return parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }
}
