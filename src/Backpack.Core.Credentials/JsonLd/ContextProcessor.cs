using System.Text.Json;

namespace Backpack.Core.Credentials.JsonLd;

/// <summary>Context processing, term definitions and IRI expansion (JSON-LD 1.1 API, sections 4 and 5.2).</summary>
internal sealed class ContextProcessor
{
    private const int MaxRemoteContexts = 32;
    private static readonly HashSet<string> ContainerKeywords = new(StringComparer.Ordinal) { "@graph", "@id", "@index", "@language", "@list", "@set", "@type" };
    private static readonly HashSet<string> TermDefinitionKeys = new(StringComparer.Ordinal)
    {
        "@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest", "@prefix", "@protected", "@type",
    };

    private readonly IJsonLdDocumentLoader loader;
    private readonly Dictionary<string, (string Url, object? Document)> documents = new(StringComparer.Ordinal);
    private readonly Dictionary<(ActiveContext, string, bool), ActiveContext> remoteCache = [];

    public ContextProcessor(IJsonLdDocumentLoader loader)
    {
        this.loader = loader;
    }

    public ActiveContext Process(
        ActiveContext active,
        object? localContext,
        string? baseUrl,
        List<string>? remoteContexts = null,
        bool overrideProtected = false,
        bool propagate = true,
        bool validateScopedContext = true)
    {
        remoteContexts ??= [];
        var result = active.Clone();
        if (localContext is Dictionary<string, object?> map && map.TryGetValue("@propagate", out var p))
        {
            propagate = p is bool b ? b : throw new JsonLdException("invalid @propagate value", "@propagate", "@propagate must be true or false");
        }

        if (!propagate && result.PreviousContext is null)
        {
            result.PreviousContext = active;
        }

        foreach (var context in JsonModel.AsList(localContext))
        {
            switch (context)
            {
                case null:
                    if (!overrideProtected && result.Terms.Values.Any(t => t.Protected))
                    {
                        throw new JsonLdException("invalid context nullification", null, "A context with protected terms cannot be set to null");
                    }

                    var previous = result;
                    result = new ActiveContext(active.OriginalBaseUrl);
                    if (!propagate)
                    {
                        result.PreviousContext = previous;
                    }

                    continue;
                case string reference:
                    var url = Iri.Resolve(reference, baseUrl);
                    if (!validateScopedContext && remoteContexts.Contains(url))
                    {
                        continue;
                    }

                    if (remoteContexts.Count > MaxRemoteContexts)
                    {
                        throw new JsonLdException("context overflow", url, "Too many nested remote contexts");
                    }

                    if (remoteCache.TryGetValue((result, url, validateScopedContext), out var cached))
                    {
                        result = cached;
                        continue;
                    }

                    var key = (result, url, validateScopedContext);
                    remoteContexts.Add(url);
                    var (documentUrl, document) = Load(url, "loading remote context failed");
                    if (document is not Dictionary<string, object?> remote || !remote.TryGetValue("@context", out var remoteContext))
                    {
                        throw new JsonLdException("invalid remote context", url, "A remote context must be an object with @context");
                    }

                    result = Process(result, remoteContext, documentUrl, [.. remoteContexts], false, true, validateScopedContext);
                    remoteCache[key] = result;
                    continue;
                case Dictionary<string, object?> definition:
                    result = ProcessObject(result, definition, baseUrl, remoteContexts, overrideProtected, validateScopedContext);
                    continue;
                default:
                    throw new JsonLdException("invalid local context", null, "A context must be null, a string or an object");
            }
        }

        return result;
    }

    private ActiveContext ProcessObject(ActiveContext result, Dictionary<string, object?> context, string? baseUrl, List<string> remoteContexts, bool overrideProtected, bool validateScopedContext)
    {
        if (context.TryGetValue("@version", out var version) && version is not 1.1)
        {
            throw new JsonLdException("invalid @version value", "@version", "@version must be 1.1");
        }

        if (context.TryGetValue("@import", out var import))
        {
            if (import is not string importReference)
            {
                throw new JsonLdException("invalid @import value", "@import", "@import must be a string");
            }

            var importUrl = Iri.Resolve(importReference, baseUrl);
            var (_, imported) = Load(importUrl, "loading remote context failed");
            if (imported is not Dictionary<string, object?> importedDocument
                || !importedDocument.TryGetValue("@context", out var importedContext)
                || importedContext is not Dictionary<string, object?> importedMap)
            {
                throw new JsonLdException("invalid remote context", importUrl, "An imported context must be an object with an object @context");
            }

            if (importedMap.ContainsKey("@import"))
            {
                throw new JsonLdException("invalid context entry", importUrl, "An imported context cannot import another");
            }

            var merged = new Dictionary<string, object?>(importedMap, StringComparer.Ordinal);
            foreach (var (k, v) in context)
            {
                merged[k] = v;
            }

            context = merged;
        }

        if (context.TryGetValue("@base", out var baseValue) && remoteContexts.Count == 0)
        {
            switch (baseValue)
            {
                case null:
                    result.BaseIri = null;
                    break;
                case string s when Iri.IsAbsolute(s):
                    result.BaseIri = s;
                    break;
                case string s when result.BaseIri is not null:
                    result.BaseIri = Iri.Resolve(s, result.BaseIri);
                    break;
                default:
                    throw new JsonLdException("invalid base IRI", "@base", "@base must be an IRI");
            }
        }

        if (context.TryGetValue("@vocab", out var vocab))
        {
            if (vocab is null)
            {
                result.Vocab = null;
            }
            else if (vocab is string v && (Iri.IsAbsolute(v) || Iri.IsBlankNode(v) || !v.Contains(':', StringComparison.Ordinal)))
            {
                result.Vocab = ExpandIri(result, v, documentRelative: true, vocab: true);
            }
            else
            {
                throw new JsonLdException("invalid vocab mapping", "@vocab", "@vocab must be an IRI or a blank node");
            }
        }

        if (context.TryGetValue("@language", out var language))
        {
            result.DefaultLanguage = language switch
            {
                null => null,
                string s => s.ToLowerInvariant(),
                _ => throw new JsonLdException("invalid default language", "@language", "@language must be a string or null"),
            };
        }

        if (context.TryGetValue("@direction", out var direction))
        {
            result.DefaultDirection = direction switch
            {
                null => null,
                "ltr" or "rtl" => (string)direction,
                _ => throw new JsonLdException("invalid base direction", "@direction", "@direction must be ltr, rtl or null"),
            };
        }

        if (context.TryGetValue("@propagate", out var propagateValue) && propagateValue is not bool)
        {
            throw new JsonLdException("invalid @propagate value", "@propagate", "@propagate must be true or false");
        }

        var isProtected = false;
        if (context.TryGetValue("@protected", out var protectedValue))
        {
            isProtected = protectedValue is bool pb ? pb : throw new JsonLdException("invalid @protected value", "@protected", "@protected must be true or false");
        }

        var defined = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var key in context.Keys)
        {
            if (key is "@base" or "@direction" or "@import" or "@language" or "@propagate" or "@protected" or "@version" or "@vocab")
            {
                continue;
            }

            CreateTermDefinition(result, context, key, defined, baseUrl, isProtected, overrideProtected, remoteContexts, validateScopedContext);
        }

        return result;
    }

    public void CreateTermDefinition(
        ActiveContext active,
        Dictionary<string, object?> local,
        string term,
        Dictionary<string, bool> defined,
        string? baseUrl,
        bool isProtected = false,
        bool overrideProtected = false,
        List<string>? remoteContexts = null,
        bool validateScopedContext = true)
    {
        if (defined.TryGetValue(term, out var done))
        {
            if (done)
            {
                return;
            }

            throw new JsonLdException("cyclic IRI mapping", term, "The term's definition refers to itself");
        }

        if (term.Length == 0)
        {
            throw new JsonLdException("invalid term definition", term, "A term cannot be empty");
        }

        defined[term] = false;
        var value = local[term];
        if (term == "@type" && value is Dictionary<string, object?> typeMap && typeMap.Count > 0
            && typeMap.Keys.All(k => k is "@container" or "@protected")
            && (!typeMap.TryGetValue("@container", out var tc) || tc is "@set"))
        {
            // @type may be given a @set container and be protected.
        }
        else if (Iri.IsKeyword(term))
        {
            throw new JsonLdException("keyword redefinition", term, "A keyword cannot be redefined");
        }
        else if (Iri.HasKeywordForm(term))
        {
            defined.Remove(term);
            return;
        }

        active.Terms.Remove(term, out var previous);
        bool simpleTerm;
        Dictionary<string, object?> map;
        switch (value)
        {
            case null:
                map = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = null };
                simpleTerm = false;
                break;
            case string s:
                map = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@id"] = s };
                simpleTerm = true;
                break;
            case Dictionary<string, object?> m:
                map = m;
                simpleTerm = false;
                break;
            default:
                throw new JsonLdException("invalid term definition", term, "A term definition must be a string, an object or null");
        }

        var definition = new TermDefinition();
        if (map.TryGetValue("@protected", out var prot))
        {
            definition.Protected = prot is bool pb ? pb : throw new JsonLdException("invalid @protected value", term, "@protected must be true or false");
        }
        else
        {
            definition.Protected = isProtected;
        }

        if (map.TryGetValue("@type", out var type))
        {
            if (type is not string typeString)
            {
                throw new JsonLdException("invalid type mapping", term, "@type must be a string");
            }

            var expandedType = ExpandIri(active, typeString, vocab: true, local: local, defined: defined);
            if (expandedType is not ("@id" or "@json" or "@none" or "@vocab") && (expandedType is null || !Iri.IsAbsolute(expandedType) || Iri.IsBlankNode(expandedType)))
            {
                throw new JsonLdException("invalid type mapping", term, "@type must be @id, @json, @none, @vocab or an absolute IRI");
            }

            definition.TypeMapping = expandedType;
        }

        if (map.TryGetValue("@reverse", out var reverse))
        {
            if (map.ContainsKey("@id") || map.ContainsKey("@nest"))
            {
                throw new JsonLdException("invalid reverse property", term, "A reverse property cannot have @id or @nest");
            }

            if (reverse is not string reverseString)
            {
                throw new JsonLdException("invalid IRI mapping", term, "@reverse must be a string");
            }

            if (Iri.HasKeywordForm(reverseString))
            {
                defined.Remove(term);
                return;
            }

            var reverseIri = ExpandIri(active, reverseString, vocab: true, local: local, defined: defined);
            if (reverseIri is null || !reverseIri.Contains(':', StringComparison.Ordinal))
            {
                throw new JsonLdException("invalid IRI mapping", term, "@reverse must expand to an IRI");
            }

            definition.IriMapping = reverseIri;
            if (map.TryGetValue("@container", out var reverseContainer))
            {
                if (reverseContainer is not (null or "@set" or "@index"))
                {
                    throw new JsonLdException("invalid reverse property", term, "A reverse property's container must be @set, @index or null");
                }

                definition.Container = reverseContainer is string rc ? [rc] : null;
            }

            definition.Reverse = true;
            active.Terms[term] = definition;
            defined[term] = true;
            return;
        }

        if (map.TryGetValue("@id", out var id) && !(id is string idSame && idSame == term))
        {
            if (id is null)
            {
                definition.IriMapping = null;
            }
            else
            {
                if (id is not string idString)
                {
                    throw new JsonLdException("invalid IRI mapping", term, "@id must be a string");
                }

                if (!Iri.IsKeyword(idString) && Iri.HasKeywordForm(idString))
                {
                    defined.Remove(term);
                    return;
                }

                var iri = ExpandIri(active, idString, vocab: true, local: local, defined: defined);
                if (iri is null || (!Iri.IsKeyword(iri) && !iri.Contains(':', StringComparison.Ordinal)))
                {
                    throw new JsonLdException("invalid IRI mapping", term, "@id must expand to an IRI, a blank node or a keyword");
                }

                if (iri == "@context")
                {
                    throw new JsonLdException("invalid keyword alias", term, "@context cannot be aliased");
                }

                definition.IriMapping = iri;
                var colon = (term.Length > 1 ? term.IndexOf(':', 1) : -1);
                if ((colon > 0 && colon < term.Length - 1) || term.Contains('/', StringComparison.Ordinal))
                {
                    defined[term] = true;
                    if (ExpandIri(active, term, vocab: true, local: local, defined: defined) != iri)
                    {
                        throw new JsonLdException("invalid IRI mapping", term, "A term that looks like an IRI must expand to that IRI");
                    }
                }

                if (!term.Contains(':', StringComparison.Ordinal) && !term.Contains('/', StringComparison.Ordinal) && simpleTerm
                    && (Iri.IsBlankNode(iri) || ":/?#[]@".Contains(iri[^1], StringComparison.Ordinal)))
                {
                    definition.Prefix = true;
                }
            }
        }
        else if ((term.Length > 1 ? term.IndexOf(':', 1) : -1) > 0)
        {
            var colon = (term.Length > 1 ? term.IndexOf(':', 1) : -1);
            var prefix = term[..colon];
            var suffix = term[(colon + 1)..];
            if (local.ContainsKey(prefix))
            {
                CreateTermDefinition(active, local, prefix, defined, baseUrl, false, overrideProtected, remoteContexts, validateScopedContext);
            }

            definition.IriMapping = active.Term(prefix) is { IriMapping: { } prefixIri } ? prefixIri + suffix : term;
        }
        else if (term.Contains('/', StringComparison.Ordinal))
        {
            var iri = ExpandIri(active, term, vocab: true);
            if (iri is null || !Iri.IsAbsolute(iri))
            {
                throw new JsonLdException("invalid IRI mapping", term, "A relative IRI term must expand to an IRI");
            }

            definition.IriMapping = iri;
        }
        else if (term == "@type")
        {
            definition.IriMapping = "@type";
        }
        else if (active.Vocab is not null)
        {
            definition.IriMapping = active.Vocab + term;
        }
        else
        {
            throw new JsonLdException("invalid IRI mapping", term, "The term has no IRI and no @vocab is set");
        }

        if (map.TryGetValue("@container", out var container))
        {
            var values = new List<string>();
            foreach (var c in JsonModel.AsList(container))
            {
                if (c is not string cs || !ContainerKeywords.Contains(cs))
                {
                    throw new JsonLdException("invalid container mapping", term, "Unknown container keyword");
                }

                values.Add(cs);
            }

            if (!ValidContainer(values, container is List<object?>))
            {
                throw new JsonLdException("invalid container mapping", term, "Invalid combination of container keywords");
            }

            definition.Container = values;
            if (values.Contains("@type"))
            {
                definition.TypeMapping ??= "@id";
                if (definition.TypeMapping is not ("@id" or "@vocab"))
                {
                    throw new JsonLdException("invalid type mapping", term, "A @type container needs a type mapping of @id or @vocab");
                }
            }
        }

        if (map.TryGetValue("@index", out var index))
        {
            if (!definition.HasContainer("@index") || index is not string indexString)
            {
                throw new JsonLdException("invalid term definition", term, "@index needs an @index container and a string");
            }

            var expandedIndex = ExpandIri(active, indexString, vocab: true);
            if (expandedIndex is null || Iri.IsKeyword(expandedIndex) || !Iri.IsAbsolute(expandedIndex))
            {
                throw new JsonLdException("invalid term definition", term, "@index must expand to an IRI");
            }

            definition.Index = indexString;
        }

        if (map.TryGetValue("@context", out var scoped))
        {
            try
            {
                Process(active, scoped, baseUrl, remoteContexts is null ? [] : [.. remoteContexts], overrideProtected: true, validateScopedContext: false);
            }
            catch (JsonLdException e) when (e.Code is not "loading remote context failed")
            {
                throw new JsonLdException("invalid scoped context", term, "The term's scoped context is not valid", e);
            }

            definition.HasLocalContext = true;
            definition.LocalContext = scoped;
            definition.BaseUrl = baseUrl;
        }

        if (map.TryGetValue("@language", out var language) && !map.ContainsKey("@type"))
        {
            definition.HasLanguage = true;
            definition.Language = language switch
            {
                null => null,
                string s => s.ToLowerInvariant(),
                _ => throw new JsonLdException("invalid language mapping", term, "@language must be a string or null"),
            };
        }

        if (map.TryGetValue("@direction", out var direction) && !map.ContainsKey("@type"))
        {
            definition.HasDirection = true;
            definition.Direction = direction switch
            {
                null => null,
                "ltr" or "rtl" => (string)direction,
                _ => throw new JsonLdException("invalid base direction", term, "@direction must be ltr, rtl or null"),
            };
        }

        if (map.TryGetValue("@nest", out var nest))
        {
            if (nest is not string nestString || (Iri.IsKeyword(nestString) && nestString != "@nest"))
            {
                throw new JsonLdException("invalid @nest value", term, "@nest must be a string that is not a keyword");
            }

            definition.Nest = nestString;
        }

        if (map.TryGetValue("@prefix", out var prefixFlag))
        {
            if (term.Contains(':', StringComparison.Ordinal) || term.Contains('/', StringComparison.Ordinal))
            {
                throw new JsonLdException("invalid term definition", term, "@prefix is not allowed on compact IRIs or IRIs");
            }

            definition.Prefix = prefixFlag is bool pf ? pf : throw new JsonLdException("invalid @prefix value", term, "@prefix must be true or false");
            if (definition.Prefix && definition.IriMapping is not null && Iri.IsKeyword(definition.IriMapping))
            {
                throw new JsonLdException("invalid term definition", term, "A keyword alias cannot be a prefix");
            }
        }

        foreach (var key in map.Keys)
        {
            if (!TermDefinitionKeys.Contains(key))
            {
                throw new JsonLdException("invalid term definition", term, $"Unknown entry '{key}' in the term definition");
            }
        }

        if (!overrideProtected && previous is { Protected: true })
        {
            if (!definition.SameAs(previous))
            {
                throw new JsonLdException("protected term redefinition", term, "A protected term cannot be redefined");
            }

            definition = previous;
        }

        active.Terms[term] = definition;
        defined[term] = true;
    }

    private static bool ValidContainer(List<string> values, bool isArray)
    {
        if (!isArray)
        {
            return values.Count == 1;
        }

        if (values.Contains("@list"))
        {
            return values.Count == 1;
        }

        var set = new HashSet<string>(values, StringComparer.Ordinal);
        if (set.Remove("@graph"))
        {
            set.Remove("@set");
            set.Remove("@id");
            set.Remove("@index");
            return set.Count == 0 && !(values.Contains("@id") && values.Contains("@index"));
        }

        if (set.Remove("@set"))
        {
            return set.Count <= 1 && !set.Contains("@list");
        }

        return values.Count == 1;
    }

    public string? ExpandIri(
        ActiveContext active,
        string? value,
        bool documentRelative = false,
        bool vocab = false,
        Dictionary<string, object?>? local = null,
        Dictionary<string, bool>? defined = null)
    {
        if (value is null || Iri.IsKeyword(value))
        {
            return value;
        }

        if (Iri.HasKeywordForm(value))
        {
            return null;
        }

        if (local is not null && defined is not null && local.ContainsKey(value) && (!defined.TryGetValue(value, out var d) || !d))
        {
            CreateTermDefinition(active, local, value, defined, null);
        }

        var definition = active.Term(value);
        if (definition is not null && definition.IriMapping is not null && Iri.IsKeyword(definition.IriMapping))
        {
            return definition.IriMapping;
        }

        if (vocab && active.Terms.ContainsKey(value))
        {
            return definition!.IriMapping;
        }

        var colon = (value.Length > 1 ? value.IndexOf(':', 1) : -1);
        if (colon > 0)
        {
            var prefix = value[..colon];
            var suffix = value[(colon + 1)..];
            if (prefix == "_" || suffix.StartsWith("//", StringComparison.Ordinal))
            {
                return value;
            }

            if (local is not null && defined is not null && local.ContainsKey(prefix) && (!defined.TryGetValue(prefix, out var pd) || !pd))
            {
                CreateTermDefinition(active, local, prefix, defined, null);
            }

            if (active.Term(prefix) is { IriMapping: { } prefixIri, Prefix: true })
            {
                return prefixIri + suffix;
            }

            if (Iri.IsAbsolute(value))
            {
                return value;
            }
        }

        if (vocab && active.Vocab is not null)
        {
            return active.Vocab + value;
        }

        if (documentRelative)
        {
            return active.BaseIri is null ? value : Iri.Resolve(value, active.BaseIri);
        }

        return value;
    }

    private (string Url, object? Document) Load(string url, string errorCode)
    {
        if (documents.TryGetValue(url, out var cached))
        {
            return cached;
        }

        JsonLdRemoteDocument document;
        try
        {
            document = loader.Load(url);
        }
        catch (JsonLdException e) when (e.Code != errorCode)
        {
            throw new JsonLdException(errorCode, url, e.Message, e);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            throw new JsonLdException(errorCode, url, "The context could not be loaded", e);
        }

        var result = (document.DocumentUrl, JsonModel.FromElement(document.Document));
        documents[url] = result;
        return result;
    }
}
