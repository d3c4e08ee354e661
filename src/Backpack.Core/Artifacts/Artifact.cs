using System.Text.Json.Serialization;
using Backpack.Core.Students;

namespace Backpack.Core.Artifacts;

/// <summary>Where an artifact lives.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DriveFileSource), "driveFile")]
[JsonDerivedType(typeof(WebLinkSource), "webLink")]
[JsonDerivedType(typeof(ClassroomSubmissionSource), "classroomSubmission")]
[JsonDerivedType(typeof(ExternalCredentialSource), "externalCredential")]
public abstract record ArtifactSource;

/// <summary>
/// Evidence a student brings from elsewhere: a verified credential (e.g. an Open Badges 3.0 achievement in a
/// transfer student's CLR from another district), kept read-only with its issuer.
/// </summary>
/// <param name="Issuer">The issuer's id (e.g. a <c>did:key</c>).</param>
/// <param name="CredentialId">The credential's id.</param>
public sealed record ExternalCredentialSource(string Issuer, string CredentialId) : ArtifactSource
{
    /// <summary>When the credential became valid, as it says.</summary>
    public DateTimeOffset? ValidFrom { get; init; }
}

/// <summary>A file in the student's Google Drive. The student's original stays where it is.</summary>
/// <param name="FileId">The Drive file id.</param>
/// <param name="MimeType">The file's MIME type, when known.</param>
public sealed record DriveFileSource(string FileId, string? MimeType = null) : ArtifactSource;

/// <summary>A web page, video or other link.</summary>
/// <param name="Url">The address.</param>
public sealed record WebLinkSource(Uri Url) : ArtifactSource;

/// <summary>
/// One attachment of a Google Classroom submission that was turned in or returned. Together the four ids
/// identify it, so a re-sync never duplicates it.
/// </summary>
/// <param name="CourseId">The Classroom course id.</param>
/// <param name="CourseWorkId">The coursework (assignment) id.</param>
/// <param name="SubmissionId">The student submission id.</param>
/// <param name="AttachmentKey">The attachment: its Drive file id, or its link URL.</param>
public sealed record ClassroomSubmissionSource(string CourseId, string CourseWorkId, string SubmissionId, string AttachmentKey) : ArtifactSource
{
    /// <summary>The assignment's title.</summary>
    public string? AssignmentTitle { get; init; }

    /// <summary>The grade the teacher returned, when there is one.</summary>
    public double? AssignedGrade { get; init; }

    /// <summary>The assignment's maximum points, when graded.</summary>
    public double? MaxPoints { get; init; }

    /// <summary>The Drive file id when the attachment is a Drive file.</summary>
    public string? DriveFileId { get; init; }
}

/// <summary>When and where the work was done: captured once, kept as history.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Grade">The student's grade level then.</param>
/// <param name="SchoolId">The school then.</param>
/// <param name="Course">The course, when known.</param>
public sealed record CaptureContext(SchoolYear Year, GradeLevel Grade, SchoolId SchoolId, string? Course = null);

/// <summary>An alignment of an artifact to a skill, with the student's reasoning ("this shows...").</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Reasoning">Why the student thinks the artifact shows the skill. Student text: never logged.</param>
public sealed record SkillAlignment(SkillId SkillId, string? Reasoning)
{
    /// <summary>Whether the student wrote reasoning.</summary>
    public bool HasReasoning => !string.IsNullOrWhiteSpace(Reasoning);
}

/// <summary>A version of the student's reflection on an artifact. Earlier versions are kept.</summary>
/// <param name="Version">The version, from 1.</param>
/// <param name="Text">The reflection. Student text: never logged.</param>
/// <param name="WrittenAt">When it was written.</param>
public sealed record Reflection(int Version, string Text, DateTimeOffset WrittenAt);

/// <summary>A teacher's feedback on an artifact.</summary>
/// <param name="TeacherId">The teacher.</param>
/// <param name="Text">The feedback. Never logged.</param>
/// <param name="GivenAt">When it was given.</param>
public sealed record TeacherFeedback(PersonId TeacherId, string Text, DateTimeOffset GivenAt);

/// <summary>
/// Where an artifact stands in the student's curation: suggested (by a teacher or Classroom sync, not yet
/// accepted), collected (the student keeps it), showcased (chosen for a milestone), archived.
/// </summary>
public enum CurationState
{
    /// <summary>Suggested by a teacher or by Classroom; nothing is published without the student.</summary>
    Suggested,

    /// <summary>Collected by the student into the backpack.</summary>
    Collected,

    /// <summary>Chosen for a showcase.</summary>
    Showcased,

    /// <summary>Set aside; kept for history.</summary>
    Archived,
}

/// <summary>
/// A piece of work in a student's backpack, aligned to skills with reasoning, reflected on and given
/// feedback. Changing methods validate against <see cref="ArtifactRules"/> and return a new value.
/// </summary>
/// <param name="Id">The artifact id.</param>
/// <param name="StudentId">Whose backpack.</param>
/// <param name="Title">The title.</param>
/// <param name="Source">Where it lives.</param>
/// <param name="Captured">When and where it was made.</param>
/// <param name="State">Its curation state.</param>
/// <param name="CreatedAt">When it entered the backpack.</param>
/// <param name="Version">The stored version; 0 before the first save.</param>
public sealed record Artifact(
    ArtifactId Id,
    StudentId StudentId,
    string Title,
    ArtifactSource Source,
    CaptureContext Captured,
    CurationState State,
    DateTimeOffset CreatedAt,
    long Version = 0) : IVersioned
{
    /// <summary>The skills the artifact is aligned to, with reasoning.</summary>
    public ValueList<SkillAlignment> Alignments { get; init; } = ValueList<SkillAlignment>.Empty;

    /// <summary>Every version of the student's reflection, oldest first.</summary>
    public ValueList<Reflection> Reflections { get; init; } = ValueList<Reflection>.Empty;

    /// <summary>Teacher feedback, oldest first.</summary>
    public ValueList<TeacherFeedback> Feedback { get; init; } = ValueList<TeacherFeedback>.Empty;

    /// <summary>
    /// The id of the artifact that holds <paramref name="source"/> in <paramref name="student"/>'s backpack: the same
    /// work (Drive file, web link, Classroom attachment, external credential) is one artifact, so adding it again,
    /// as a retry after a crash or a timeout does, finds the first instead of making a second. Name-based
    /// (RFC 9562 version 8 over SHA-256).
    /// </summary>
    /// <param name="student">Whose backpack.</param>
    /// <param name="source">Where the work lives.</param>
    /// <returns>The artifact id.</returns>
    public static ArtifactId IdFor(StudentId student, ArtifactSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = source switch
        {
            DriveFileSource d => "drive:" + d.FileId,
            WebLinkSource w => "link:" + w.Url.AbsoluteUri,
            ClassroomSubmissionSource c => $"classroom:{c.CourseId}:{c.CourseWorkId}:{c.SubmissionId}:{c.AttachmentKey}",
            ExternalCredentialSource e => $"credential:{e.Issuer}:{e.CredentialId}",
            _ => throw new ArgumentException($"Unknown artifact source {source.GetType().Name}.", nameof(source)),
        };
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"backpack:artifact:{student.Value:N}:{key}"), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (name-based, SHA-256), in Guid's little-endian layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return ArtifactId.From(new Guid(bytes));
    }

    /// <summary>Whether the artifact counts as collected evidence (collected or showcased).</summary>
    public bool IsCollected => State is CurationState.Collected or CurationState.Showcased;

    /// <summary>The current reflection, or <see langword="null"/>.</summary>
    public Reflection? CurrentReflection => Reflections.Count == 0 ? null : Reflections[^1];

    /// <summary>Aligns the artifact to a skill (or replaces the reasoning of an existing alignment).</summary>
    /// <param name="skill">The skill.</param>
    /// <param name="reasoning">The student's reasoning.</param>
    /// <param name="rules">The district's rules.</param>
    /// <returns>The changed artifact.</returns>
    /// <exception cref="BackpackValidationException">Reasoning missing when required, or too long.</exception>
    public Artifact AlignTo(SkillId skill, string? reasoning, ArtifactRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<ValidationProblem>();
        if (rules.ReasoningRequired && string.IsNullOrWhiteSpace(reasoning))
        {
            problems.Add(new("alignments.reasoning", "alignment.reasoning.required", "The district asks students to say why the artifact shows the skill."));
        }

        if (reasoning is not null && reasoning.Length > rules.MaxReasoningLength)
        {
            problems.Add(new("alignments.reasoning", "alignment.reasoning.max-length", $"Reasoning is {reasoning.Length} characters; at most {rules.MaxReasoningLength} are allowed."));
        }

        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var alignment = new SkillAlignment(skill, reasoning);
        for (var i = 0; i < Alignments.Count; i++)
        {
            if (Alignments[i].SkillId == skill)
            {
                return this with { Alignments = Alignments.SetItem(i, alignment) };
            }
        }

        return this with { Alignments = Alignments.Add(alignment) };
    }

    /// <summary>Removes the alignment to a skill, if any.</summary>
    /// <param name="skill">The skill.</param>
    /// <returns>The changed artifact.</returns>
    public Artifact Unalign(SkillId skill) =>
        this with { Alignments = Alignments.Where(a => a.SkillId != skill).ToValueList() };

    /// <summary>Adds a new version of the reflection; earlier versions are kept.</summary>
    /// <param name="text">The reflection.</param>
    /// <param name="at">When.</param>
    /// <param name="rules">The district's rules.</param>
    /// <returns>The changed artifact.</returns>
    /// <exception cref="BackpackValidationException">Empty or over the size bound.</exception>
    public Artifact Reflect(string text, DateTimeOffset at, ArtifactRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BackpackValidationException("reflections.text", "reflection.text.required", "A reflection cannot be empty.");
        }

        if (text.Length > rules.MaxReflectionLength)
        {
            throw new BackpackValidationException("reflections.text", "reflection.text.max-length", $"The reflection is {text.Length} characters; at most {rules.MaxReflectionLength} are allowed.");
        }

        return this with { Reflections = Reflections.Add(new Reflection(Reflections.Count + 1, text, at)) };
    }

    /// <summary>Adds teacher feedback.</summary>
    /// <param name="teacher">The teacher.</param>
    /// <param name="text">The feedback.</param>
    /// <param name="at">When.</param>
    /// <param name="rules">The district's rules.</param>
    /// <returns>The changed artifact.</returns>
    public Artifact GiveFeedback(PersonId teacher, string text, DateTimeOffset at, ArtifactRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (string.IsNullOrWhiteSpace(text) || text.Length > rules.MaxReflectionLength)
        {
            throw new BackpackValidationException("feedback.text", "feedback.text.length", $"Feedback must have between 1 and {rules.MaxReflectionLength} characters.");
        }

        return this with { Feedback = Feedback.Add(new TeacherFeedback(teacher, text, at)) };
    }

    /// <summary>
    /// Moves the artifact to <paramref name="state"/>. Allowed: suggested to collected or archived;
    /// collected to showcased or archived; showcased to collected or archived; archived to collected.
    /// </summary>
    /// <param name="state">The new state.</param>
    /// <returns>The changed artifact.</returns>
    /// <exception cref="BackpackValidationException">The move is not allowed.</exception>
    public Artifact MoveTo(CurationState state) =>
        CanMove(State, state)
            ? this with { State = state }
            : throw new BackpackValidationException("state", "artifact.state.transition", $"An artifact cannot move from {State} to {state}.");

    /// <summary>Whether a curation move is allowed.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The new state.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool CanMove(CurationState from, CurationState to) => (from, to) switch
    {
        _ when from == to => true,
        (CurationState.Suggested, CurationState.Collected or CurationState.Archived) => true,
        (CurationState.Collected, CurationState.Showcased or CurationState.Archived) => true,
        (CurationState.Showcased, CurationState.Collected or CurationState.Archived) => true,
        (CurationState.Archived, CurationState.Collected) => true,
        _ => false,
    };
}

/// <summary>District rules for student text on artifacts.</summary>
public sealed record ArtifactRules
{
    /// <summary>Whether every alignment needs the student's reasoning (default: yes).</summary>
    public bool ReasoningRequired { get; init; } = true;

    /// <summary>The longest reasoning, in characters (default 2,000).</summary>
    public int MaxReasoningLength { get; init; } = 2_000;

    /// <summary>The longest reflection or feedback, in characters (default 10,000).</summary>
    public int MaxReflectionLength { get; init; } = 10_000;

    /// <summary>The longest artifact title, in characters (default 300).</summary>
    public int MaxTitleLength { get; init; } = 300;
}
