using Backpack.Core.Students;

namespace Backpack.Core.Frameworks;

/// <summary>
/// A skill of a district framework (a graduate-profile competency such as "Effective Communicator").
/// Its <see cref="Id"/> never changes: renames, re-ordering and new framework versions keep it, so the
/// evidence aligned to it keeps its history.
/// </summary>
/// <param name="Id">The stable skill id (the CASE CFItem identifier).</param>
/// <param name="Name">The skill's name (CASE fullStatement).</param>
/// <param name="Position">The skill's place in the framework, from 1 (CASE sequenceNumber).</param>
public sealed record Skill(SkillId Id, string Name, int Position)
{
    /// <summary>The district's short code (CASE humanCodingScheme), e.g. <c>SS.3</c>.</summary>
    public string? Code { get; init; }

    /// <summary>A longer description (CASE notes).</summary>
    public string? Description { get; init; }

    /// <summary>A short form of the name (CASE abbreviatedStatement).</summary>
    public string? AbbreviatedStatement { get; init; }

    /// <summary>The kind of item as the publisher names it (CASE CFItemType), e.g. <c>Competency</c>.</summary>
    public string? ItemType { get; init; }

    /// <summary>The grades the skill is written for (CASE educationLevel), or <see langword="null"/> when not stated.</summary>
    public GradeBand? Grades { get; init; }

    /// <summary>The item's URI (CASE uri) as published, kept so an export names the item as its source did.</summary>
    public string? Uri { get; init; }

    /// <summary>When the item last changed as published (CASE lastChangeDateTime).</summary>
    public DateTimeOffset? LastChangeDateTime { get; init; }

    /// <summary>Grade-band indicators: what the skill looks like at each band.</summary>
    public ValueList<Indicator> Indicators { get; init; } = ValueList<Indicator>.Empty;

    /// <summary>
    /// The first school year the skill no longer applies to, or <see langword="null"/> while it is in use.
    /// Evidence aligned to a retired skill is kept and reported for the years the skill was active.
    /// </summary>
    public SchoolYear? RetiredFrom { get; init; }

    /// <summary>Whether the skill applies in <paramref name="year"/>.</summary>
    /// <param name="year">The school year.</param>
    /// <returns>Whether it is active that year.</returns>
    public bool IsActiveIn(SchoolYear year) => RetiredFrom is null || year < RetiredFrom.Value;

    /// <summary>
    /// Whether the skill applies to students of <paramref name="band"/>: it does when its grade levels (CASE
    /// <c>educationLevel</c>) or one of its indicators' bands overlap the band, and everywhere when it names none.
    /// </summary>
    /// <param name="band">The grade band.</param>
    /// <returns>Whether students of the band need evidence for it.</returns>
    public bool AppliesTo(GradeBand band) =>
        (Grades is null && Indicators.Count == 0) || Grades?.Overlaps(band) == true || Indicators.Any(i => i.Grades.Overlaps(band));
}

/// <summary>What a skill looks like in a grade band (a child CASE CFItem of the skill).</summary>
/// <param name="Id">The stable indicator id.</param>
/// <param name="Statement">What a student at this band shows.</param>
/// <param name="Grades">The grade band, e.g. 6-8.</param>
/// <param name="Position">The indicator's place under its skill, from 1.</param>
public sealed record Indicator(IndicatorId Id, string Statement, GradeBand Grades, int Position)
{
    /// <summary>The district's short code (CASE humanCodingScheme).</summary>
    public string? Code { get; init; }

    /// <summary>
    /// The indicator this one sits under when the CASE tree is deeper than skill and indicator, or
    /// <see langword="null"/> when it sits directly under its skill. Indicators of a skill are ordered
    /// depth first by <see cref="Position"/>.
    /// </summary>
    public IndicatorId? Parent { get; init; }

    /// <summary>A short form of the statement (CASE abbreviatedStatement).</summary>
    public string? AbbreviatedStatement { get; init; }

    /// <summary>Notes about the indicator (CASE notes).</summary>
    public string? Notes { get; init; }

    /// <summary>The kind of item as the publisher names it (CASE CFItemType).</summary>
    public string? ItemType { get; init; }

    /// <summary>The item's URI (CASE uri) as published.</summary>
    public string? Uri { get; init; }

    /// <summary>When the item last changed as published (CASE lastChangeDateTime).</summary>
    public DateTimeOffset? LastChangeDateTime { get; init; }
}

/// <summary>
/// A link from a framework item to something else, possibly outside the framework (another framework's
/// item, an exemplar URL). Kept as imported so nothing a district linked is lost.
/// </summary>
/// <param name="Id">The association's identifier.</param>
/// <param name="Type">The CASE associationType, e.g. <c>exactMatchOf</c>, <c>isRelatedTo</c>, <c>exemplar</c>.</param>
/// <param name="Origin">The origin node.</param>
/// <param name="Destination">The destination node.</param>
public sealed record FrameworkAssociation(Guid Id, string Type, NodeReference Origin, NodeReference Destination)
{
    /// <summary>The CASE sequenceNumber, when given.</summary>
    public int? SequenceNumber { get; init; }

    /// <summary>The association's URI (CASE uri) as published.</summary>
    public string? Uri { get; init; }

    /// <summary>When the association last changed as published (CASE lastChangeDateTime).</summary>
    public DateTimeOffset? LastChangeDateTime { get; init; }
}

/// <summary>A reference to a CASE node (item, document or URL) by identifier and URI.</summary>
/// <param name="Identifier">The node's identifier.</param>
/// <param name="Uri">The node's URI.</param>
/// <param name="Title">The node's title, when given.</param>
public sealed record NodeReference(string Identifier, string Uri, string? Title = null)
{
    /// <summary>The CASE targetType, when given.</summary>
    public string? TargetType { get; init; }
}
