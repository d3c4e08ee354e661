using System.Text.Json.Serialization;

namespace Backpack.Core.Case;

// The CFPackage as written by CaseWriter. Property order is the order of the JSON; nulls are omitted.
// Reading does not use these types: CaseReader walks the JSON itself to report every problem with its path.
#pragma warning disable SA1402, SA1649 // One file for the wire shape.

internal sealed record CasePackageDto(
    [property: JsonPropertyName("CFDocument")] CaseDocumentDto Document,
    [property: JsonPropertyName("CFItems")] IReadOnlyList<CaseItemDto> Items,
    [property: JsonPropertyName("CFAssociations")] IReadOnlyList<CaseAssociationDto> Associations,
    [property: JsonPropertyName("CFDefinitions")] CaseDefinitionsDto Definitions,
    [property: JsonPropertyName("CFRubrics")] IReadOnlyList<CaseRubricDto> Rubrics);

internal sealed record CaseDocumentDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("creator")] string Creator,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime,
    [property: JsonPropertyName("caseVersion")] string CaseVersion)
{
    [JsonPropertyName("officialSourceURL")]
    public string? OfficialSourceUrl { get; init; }

    [JsonPropertyName("publisher")]
    public string? Publisher { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("subject")]
    public IReadOnlyList<string>? Subject { get; init; }

    [JsonPropertyName("language")]
    public string? Language { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("adoptionStatus")]
    public string? AdoptionStatus { get; init; }

    [JsonPropertyName("licenseURI")]
    public CaseLinkDto? LicenseUri { get; init; }

    [JsonPropertyName("notes")]
    public string? Notes { get; init; }
}

internal sealed record CaseItemDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("fullStatement")] string FullStatement,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime)
{
    [JsonPropertyName("CFDocumentURI")]
    public CaseLinkDto? DocumentUri { get; init; }

    [JsonPropertyName("humanCodingScheme")]
    public string? HumanCodingScheme { get; init; }

    [JsonPropertyName("abbreviatedStatement")]
    public string? AbbreviatedStatement { get; init; }

    [JsonPropertyName("CFItemType")]
    public string? ItemType { get; init; }

    [JsonPropertyName("educationLevel")]
    public IReadOnlyList<string>? EducationLevel { get; init; }

    [JsonPropertyName("notes")]
    public string? Notes { get; init; }
}

internal sealed record CaseAssociationDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("associationType")] string AssociationType,
    [property: JsonPropertyName("originNodeURI")] CaseNodeDto Origin,
    [property: JsonPropertyName("destinationNodeURI")] CaseNodeDto Destination,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime)
{
    [JsonPropertyName("sequenceNumber")]
    public int? SequenceNumber { get; init; }

    [JsonPropertyName("CFDocumentURI")]
    public CaseLinkDto? DocumentUri { get; init; }
}

/// <summary>A LinkGenURI: any node, identifier not necessarily a UUID.</summary>
internal sealed record CaseNodeDto(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri)
{
    [JsonPropertyName("targetType")]
    public string? TargetType { get; init; }
}

/// <summary>A LinkURI: a CASE node named by its UUID.</summary>
internal sealed record CaseLinkDto(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri);

internal sealed record CaseDefinitionsDto(
    [property: JsonPropertyName("CFConcepts")] IReadOnlyList<string> Concepts,
    [property: JsonPropertyName("CFSubjects")] IReadOnlyList<string> Subjects,
    [property: JsonPropertyName("CFLicenses")] IReadOnlyList<string> Licenses,
    [property: JsonPropertyName("CFItemTypes")] IReadOnlyList<string> ItemTypes,
    [property: JsonPropertyName("CFAssociationGroupings")] IReadOnlyList<string> AssociationGroupings)
{
    public static CaseDefinitionsDto Empty { get; } = new([], [], [], [], []);
}

internal sealed record CaseRubricDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime,
    [property: JsonPropertyName("CFRubricCriteria")] IReadOnlyList<CaseCriterionDto> Criteria)
{
    [JsonPropertyName("description")]
    public string? Description { get; init; }
}

internal sealed record CaseCriterionDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("weight")] decimal Weight,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("rubricId")] string RubricId,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime,
    [property: JsonPropertyName("CFRubricCriterionLevels")] IReadOnlyList<CaseLevelDto> Levels)
{
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("CFItemURI")]
    public CaseLinkDto? ItemUri { get; init; }
}

internal sealed record CaseLevelDto(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("quality")] string Quality,
    [property: JsonPropertyName("score")] decimal Score,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("rubricCriterionId")] string RubricCriterionId,
    [property: JsonPropertyName("lastChangeDateTime")] string LastChangeDateTime)
{
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("feedback")]
    public string? Feedback { get; init; }
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(CasePackageDto))]
internal sealed partial class CaseJsonContext : JsonSerializerContext;
