namespace Backpack.Core.Credentials.JsonLd;

/// <summary>A term definition of an active context (JSON-LD 1.1 API, 4.1).</summary>
internal sealed class TermDefinition
{
    public string? IriMapping { get; set; }

    public bool Reverse { get; set; }

    public string? TypeMapping { get; set; }

    public bool HasLanguage { get; set; }

    public string? Language { get; set; }

    public bool HasDirection { get; set; }

    public string? Direction { get; set; }

    public List<string>? Container { get; set; }

    public bool HasLocalContext { get; set; }

    public object? LocalContext { get; set; }

    public string? BaseUrl { get; set; }

    public bool Protected { get; set; }

    public bool Prefix { get; set; }

    public string? Index { get; set; }

    public string? Nest { get; set; }

    public bool HasContainer(string keyword) => Container is not null && Container.Contains(keyword);

    public bool SameAs(TermDefinition other) =>
        IriMapping == other.IriMapping && Reverse == other.Reverse && TypeMapping == other.TypeMapping
        && HasLanguage == other.HasLanguage && Language == other.Language && HasDirection == other.HasDirection
        && Direction == other.Direction && Prefix == other.Prefix && Index == other.Index && Nest == other.Nest
        && (Container ?? []).OrderBy(c => c, StringComparer.Ordinal).SequenceEqual((other.Container ?? []).OrderBy(c => c, StringComparer.Ordinal))
        && HasLocalContext == other.HasLocalContext && JsonModel.DeepEquals(LocalContext, other.LocalContext);
}

/// <summary>An active context (JSON-LD 1.1 API, 4.1). Treated as immutable once built.</summary>
internal sealed class ActiveContext
{
    public ActiveContext(string? baseIri)
    {
        BaseIri = baseIri;
        OriginalBaseUrl = baseIri;
        Terms = new Dictionary<string, TermDefinition>(StringComparer.Ordinal);
    }

    private ActiveContext(ActiveContext other)
    {
        BaseIri = other.BaseIri;
        OriginalBaseUrl = other.OriginalBaseUrl;
        Vocab = other.Vocab;
        DefaultLanguage = other.DefaultLanguage;
        DefaultDirection = other.DefaultDirection;
        PreviousContext = other.PreviousContext;
        Terms = new Dictionary<string, TermDefinition>(other.Terms, StringComparer.Ordinal);
    }

    public string? BaseIri { get; set; }

    public string? OriginalBaseUrl { get; set; }

    public string? Vocab { get; set; }

    public string? DefaultLanguage { get; set; }

    public string? DefaultDirection { get; set; }

    public ActiveContext? PreviousContext { get; set; }

    public Dictionary<string, TermDefinition> Terms { get; }

    public ActiveContext Clone() => new(this);

    public TermDefinition? Term(string? term) =>
        term is not null && Terms.TryGetValue(term, out var definition) ? definition : null;
}
