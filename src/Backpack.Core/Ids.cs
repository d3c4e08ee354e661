using System.Text.Json.Serialization;

namespace Backpack.Core;

// Every identifier is one pattern, written by Backpack.Core.Generators (IdGenerator): a GUID value, From, New,
// Parse, ordering and "D" ToString. Declare a new one here the same way; the JSON converter attribute stays here
// because System.Text.Json's own source generator reads this declaration, not the generated one.

/// <summary>Identifies a school in the district.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<SchoolId>))]
public readonly partial record struct SchoolId;

/// <summary>Identifies a student: one continuous backpack across schools, grades and years.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<StudentId>))]
public readonly partial record struct StudentId;

/// <summary>Identifies an adult who works with students: a teacher, an administrator, a panelist or a guardian.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<PersonId>))]
public readonly partial record struct PersonId;

/// <summary>Identifies a district skills framework (a CASE CFDocument).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<FrameworkId>))]
public readonly partial record struct FrameworkId;

/// <summary>Identifies a skill of a framework; stable across versions, renames and re-ordering (a CASE CFItem).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<SkillId>))]
public readonly partial record struct SkillId;

/// <summary>Identifies a grade-band indicator of a skill (a child CASE CFItem).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<IndicatorId>))]
public readonly partial record struct IndicatorId;

/// <summary>Identifies a rubric, across its versions (a CASE CFRubric).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<RubricId>))]
public readonly partial record struct RubricId;

/// <summary>Identifies a rubric criterion (a CASE CFRubricCriterion).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<CriterionId>))]
public readonly partial record struct CriterionId;

/// <summary>Identifies a performance level of a rubric criterion (a CASE CFRubricCriterionLevel).</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<LevelId>))]
public readonly partial record struct LevelId;

/// <summary>Identifies an artifact in a student's backpack.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<ArtifactId>))]
public readonly partial record struct ArtifactId;

/// <summary>Identifies one evaluator's scoring of an artifact or milestone.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<EvaluationId>))]
public readonly partial record struct EvaluationId;

/// <summary>Identifies a milestone: a Defense of Learning, Mini-Defense, Student-Led Conference or Exhibition.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<MilestoneId>))]
public readonly partial record struct MilestoneId;

/// <summary>Identifies a class roster: a teacher's section of students in a school year.</summary>
[BackpackId]
[JsonConverter(typeof(BackpackIdJsonConverter<RosterId>))]
public readonly partial record struct RosterId;
