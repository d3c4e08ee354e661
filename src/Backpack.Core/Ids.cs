using System.Text.Json.Serialization;

namespace Backpack.Core;

/// <summary>Identifies a school in the district.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<SchoolId>))]
public readonly record struct SchoolId(Guid Value) : IBackpackId<SchoolId>, IComparable<SchoolId>
{
    /// <inheritdoc />
    public static SchoolId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static SchoolId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static SchoolId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(SchoolId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(SchoolId left, SchoolId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(SchoolId left, SchoolId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(SchoolId left, SchoolId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(SchoolId left, SchoolId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a student: one continuous backpack across schools, grades and years.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<StudentId>))]
public readonly record struct StudentId(Guid Value) : IBackpackId<StudentId>, IComparable<StudentId>
{
    /// <inheritdoc />
    public static StudentId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static StudentId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static StudentId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(StudentId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(StudentId left, StudentId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(StudentId left, StudentId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(StudentId left, StudentId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(StudentId left, StudentId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies an adult who works with students: a teacher, an administrator, a panelist or a guardian.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<PersonId>))]
public readonly record struct PersonId(Guid Value) : IBackpackId<PersonId>, IComparable<PersonId>
{
    /// <inheritdoc />
    public static PersonId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static PersonId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static PersonId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(PersonId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(PersonId left, PersonId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(PersonId left, PersonId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(PersonId left, PersonId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(PersonId left, PersonId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a district skills framework (a CASE CFDocument).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<FrameworkId>))]
public readonly record struct FrameworkId(Guid Value) : IBackpackId<FrameworkId>, IComparable<FrameworkId>
{
    /// <inheritdoc />
    public static FrameworkId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static FrameworkId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static FrameworkId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(FrameworkId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(FrameworkId left, FrameworkId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(FrameworkId left, FrameworkId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(FrameworkId left, FrameworkId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(FrameworkId left, FrameworkId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a skill of a framework; stable across versions, renames and re-ordering (a CASE CFItem).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<SkillId>))]
public readonly record struct SkillId(Guid Value) : IBackpackId<SkillId>, IComparable<SkillId>
{
    /// <inheritdoc />
    public static SkillId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static SkillId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static SkillId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(SkillId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(SkillId left, SkillId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(SkillId left, SkillId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(SkillId left, SkillId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(SkillId left, SkillId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a grade-band indicator of a skill (a child CASE CFItem).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<IndicatorId>))]
public readonly record struct IndicatorId(Guid Value) : IBackpackId<IndicatorId>, IComparable<IndicatorId>
{
    /// <inheritdoc />
    public static IndicatorId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static IndicatorId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static IndicatorId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(IndicatorId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(IndicatorId left, IndicatorId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(IndicatorId left, IndicatorId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(IndicatorId left, IndicatorId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(IndicatorId left, IndicatorId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a rubric, across its versions (a CASE CFRubric).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<RubricId>))]
public readonly record struct RubricId(Guid Value) : IBackpackId<RubricId>, IComparable<RubricId>
{
    /// <inheritdoc />
    public static RubricId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static RubricId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static RubricId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(RubricId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(RubricId left, RubricId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(RubricId left, RubricId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(RubricId left, RubricId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(RubricId left, RubricId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a rubric criterion (a CASE CFRubricCriterion).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<CriterionId>))]
public readonly record struct CriterionId(Guid Value) : IBackpackId<CriterionId>, IComparable<CriterionId>
{
    /// <inheritdoc />
    public static CriterionId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static CriterionId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static CriterionId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(CriterionId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(CriterionId left, CriterionId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(CriterionId left, CriterionId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(CriterionId left, CriterionId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(CriterionId left, CriterionId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a performance level of a rubric criterion (a CASE CFRubricCriterionLevel).</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<LevelId>))]
public readonly record struct LevelId(Guid Value) : IBackpackId<LevelId>, IComparable<LevelId>
{
    /// <inheritdoc />
    public static LevelId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static LevelId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static LevelId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(LevelId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(LevelId left, LevelId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(LevelId left, LevelId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(LevelId left, LevelId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(LevelId left, LevelId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies an artifact in a student's backpack.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<ArtifactId>))]
public readonly record struct ArtifactId(Guid Value) : IBackpackId<ArtifactId>, IComparable<ArtifactId>
{
    /// <inheritdoc />
    public static ArtifactId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static ArtifactId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static ArtifactId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(ArtifactId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(ArtifactId left, ArtifactId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(ArtifactId left, ArtifactId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(ArtifactId left, ArtifactId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(ArtifactId left, ArtifactId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies one evaluator's scoring of an artifact or milestone.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<EvaluationId>))]
public readonly record struct EvaluationId(Guid Value) : IBackpackId<EvaluationId>, IComparable<EvaluationId>
{
    /// <inheritdoc />
    public static EvaluationId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static EvaluationId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static EvaluationId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(EvaluationId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(EvaluationId left, EvaluationId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(EvaluationId left, EvaluationId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(EvaluationId left, EvaluationId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(EvaluationId left, EvaluationId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a milestone: a Defense of Learning, Mini-Defense, Student-Led Conference or Exhibition.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<MilestoneId>))]
public readonly record struct MilestoneId(Guid Value) : IBackpackId<MilestoneId>, IComparable<MilestoneId>
{
    /// <inheritdoc />
    public static MilestoneId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static MilestoneId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static MilestoneId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(MilestoneId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(MilestoneId left, MilestoneId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(MilestoneId left, MilestoneId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(MilestoneId left, MilestoneId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(MilestoneId left, MilestoneId right) => left.CompareTo(right) >= 0;
}

/// <summary>Identifies a class roster: a teacher's section of students in a school year.</summary>
/// <param name="Value">The underlying GUID.</param>
[JsonConverter(typeof(BackpackIdJsonConverter<RosterId>))]
public readonly record struct RosterId(Guid Value) : IBackpackId<RosterId>, IComparable<RosterId>
{
    /// <inheritdoc />
    public static RosterId From(Guid value) => new(value);

    /// <summary>Creates a new random identifier.</summary>
    /// <returns>The identifier.</returns>
    public static RosterId New() => new(Guid.NewGuid());

    /// <summary>Parses a GUID string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    public static RosterId Parse(string text) => new(Guid.Parse(text));

    /// <inheritdoc />
    public int CompareTo(RosterId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(RosterId left, RosterId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(RosterId left, RosterId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(RosterId left, RosterId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(RosterId left, RosterId right) => left.CompareTo(right) >= 0;
}
