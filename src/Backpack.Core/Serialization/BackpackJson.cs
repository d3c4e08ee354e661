using System.Text.Json;
using System.Text.Json.Serialization;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for every document Backpack reads or writes: stable
/// camelCase names, enums as camelCase strings, nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(SkillsFramework))]
[JsonSerializable(typeof(FrameworkContent))]
[JsonSerializable(typeof(Rubric))]
[JsonSerializable(typeof(School))]
[JsonSerializable(typeof(Student))]
[JsonSerializable(typeof(Roster))]
[JsonSerializable(typeof(Artifact))]
[JsonSerializable(typeof(Evaluation))]
[JsonSerializable(typeof(Milestone))]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(OutboxMessage))]
[JsonSerializable(typeof(StudentPassport))]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(LevelDistributionReport))]
[JsonSerializable(typeof(ReadinessResult))]
[JsonSerializable(typeof(ValidationProblem))]
[JsonSerializable(typeof(Lifecycle.Handoff))]
// Element types of ValueList<T> (its converter resolves them from this context).
[JsonSerializable(typeof(Enrollment))]
[JsonSerializable(typeof(ExitReason))]
[JsonSerializable(typeof(PersonId))]
[JsonSerializable(typeof(StudentId))]
[JsonSerializable(typeof(SchoolId))]
[JsonSerializable(typeof(SkillId))]
[JsonSerializable(typeof(ArtifactId))]
[JsonSerializable(typeof(GradeLevel))]
[JsonSerializable(typeof(Skill))]
[JsonSerializable(typeof(Indicator))]
[JsonSerializable(typeof(FrameworkAssociation))]
[JsonSerializable(typeof(FrameworkVersion))]
[JsonSerializable(typeof(RubricCriterion))]
[JsonSerializable(typeof(RubricLevel))]
[JsonSerializable(typeof(SkillAlignment))]
[JsonSerializable(typeof(Reflection))]
[JsonSerializable(typeof(TeacherFeedback))]
[JsonSerializable(typeof(CriterionScore))]
[JsonSerializable(typeof(Panelist))]
[JsonSerializable(typeof(ShowcaseEntry))]
[JsonSerializable(typeof(ShowcaseSkill))]
[JsonSerializable(typeof(ShowcaseItem))]
[JsonSerializable(typeof(ShowcaseSource))]
[JsonSerializable(typeof(ShowcaseView))]
[JsonSerializable(typeof(RosterDeparture))]
[JsonSerializable(typeof(EvaluationRevision))]
[JsonSerializable(typeof(CriterionOutcome))]
[JsonSerializable(typeof(ReadinessGap))]
[JsonSerializable(typeof(ReadinessReportRow))]
[JsonSerializable(typeof(SkillGapCount))]
[JsonSerializable(typeof(LevelDistributionRow))]
[JsonSerializable(typeof(LevelCount))]
internal sealed partial class BackpackJsonContext : JsonSerializerContext;

/// <summary>Reads and writes Backpack documents with source-generated metadata: stable camelCase JSON.</summary>
public static class BackpackJson
{
    /// <summary>The options: camelCase, string enums, nulls omitted, source-generated metadata only.</summary>
    public static JsonSerializerOptions Options => BackpackJsonContext.Default.Options;

    /// <summary>Writes a document.</summary>
    /// <typeparam name="T">A Backpack document type (framework, rubric, student, artifact, evaluation, milestone, report...).</typeparam>
    /// <param name="value">The document.</param>
    /// <returns>The JSON.</returns>
    public static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)BackpackJsonContext.Default.GetTypeInfo(typeof(T))!);

    /// <summary>Reads a document.</summary>
    /// <typeparam name="T">A Backpack document type (framework, rubric, student, artifact, evaluation, milestone, report...).</typeparam>
    /// <param name="json">The JSON.</param>
    /// <returns>The document.</returns>
    /// <exception cref="BackpackValidationException">The JSON is malformed or does not fit the type; the problem names the JSON path.</exception>
    public static T Deserialize<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)BackpackJsonContext.Default.GetTypeInfo(typeof(T))!)
                ?? throw new BackpackValidationException("$", "json.not-null", $"Expected a {typeof(T).Name}, found null.");
        }
        catch (JsonException ex)
        {
            throw new BackpackValidationException(ex.Path ?? "$", "json.well-formed", ex.Message);
        }
    }
}
