using Google.Apis.Requests;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Backpack.Core.Google.Classroom.Api;

// Classroom v1 resources as the adapter reads them. Parsed tolerantly: enum values stay strings (an unknown state
// never breaks a sync) and every field this revision does not name is kept in ExtensionData, where the optional
// rubric and learning-standard strategies look for later revisions' fields.

/// <summary>Common base: ETag and every unknown field.</summary>
internal abstract class ClassroomResource : IDirectResponseSchema
{
    [JsonExtensionData]
    public IDictionary<string, JToken> ExtensionData { get; set; } = new Dictionary<string, JToken>(StringComparer.Ordinal);

    [JsonIgnore]
    public string? ETag { get; set; }
}

internal sealed class CourseDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    [JsonProperty("section")]
    public string? Section { get; set; }

    [JsonProperty("room")]
    public string? Room { get; set; }

    [JsonProperty("ownerId")]
    public string? OwnerId { get; set; }

    [JsonProperty("courseState")]
    public string? CourseState { get; set; }

    [JsonProperty("updateTime")]
    public string? UpdateTime { get; set; }
}

internal sealed class NameDto : ClassroomResource
{
    [JsonProperty("givenName")]
    public string? GivenName { get; set; }

    [JsonProperty("familyName")]
    public string? FamilyName { get; set; }

    [JsonProperty("fullName")]
    public string? FullName { get; set; }
}

internal sealed class UserProfileDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("name")]
    public NameDto? Name { get; set; }

    [JsonProperty("emailAddress")]
    public string? EmailAddress { get; set; }
}

/// <summary>A course member: <c>Student</c> and <c>Teacher</c> have the same shape for what the adapter reads.</summary>
internal sealed class CourseMemberDto : ClassroomResource
{
    [JsonProperty("courseId")]
    public string? CourseId { get; set; }

    [JsonProperty("userId")]
    public string? UserId { get; set; }

    [JsonProperty("profile")]
    public UserProfileDto? Profile { get; set; }
}

internal sealed class CourseWorkDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("courseId")]
    public string? CourseId { get; set; }

    [JsonProperty("title")]
    public string? Title { get; set; }

    [JsonProperty("description")]
    public string? Description { get; set; }

    [JsonProperty("state")]
    public string? State { get; set; }

    [JsonProperty("workType")]
    public string? WorkType { get; set; }

    [JsonProperty("maxPoints")]
    public double? MaxPoints { get; set; }

    [JsonProperty("topicId")]
    public string? TopicId { get; set; }

    [JsonProperty("updateTime")]
    public string? UpdateTime { get; set; }
}

internal sealed class DriveFileRefDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("title")]
    public string? Title { get; set; }

    [JsonProperty("alternateLink")]
    public string? AlternateLink { get; set; }
}

internal sealed class LinkDto : ClassroomResource
{
    [JsonProperty("url")]
    public string? Url { get; set; }

    [JsonProperty("title")]
    public string? Title { get; set; }
}

internal sealed class YouTubeVideoDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("title")]
    public string? Title { get; set; }

    [JsonProperty("alternateLink")]
    public string? AlternateLink { get; set; }
}

internal sealed class FormDto : ClassroomResource
{
    [JsonProperty("formUrl")]
    public string? FormUrl { get; set; }

    [JsonProperty("title")]
    public string? Title { get; set; }
}

internal sealed class AttachmentDto : ClassroomResource
{
    [JsonProperty("driveFile")]
    public DriveFileRefDto? DriveFile { get; set; }

    [JsonProperty("link")]
    public LinkDto? Link { get; set; }

    [JsonProperty("youTubeVideo")]
    public YouTubeVideoDto? YouTubeVideo { get; set; }

    [JsonProperty("form")]
    public FormDto? Form { get; set; }
}

internal sealed class AssignmentSubmissionDto : ClassroomResource
{
    [JsonProperty("attachments")]
    public IList<AttachmentDto>? Attachments { get; set; }
}

internal sealed class StudentSubmissionDto : ClassroomResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("courseId")]
    public string? CourseId { get; set; }

    [JsonProperty("courseWorkId")]
    public string? CourseWorkId { get; set; }

    [JsonProperty("userId")]
    public string? UserId { get; set; }

    [JsonProperty("state")]
    public string? State { get; set; }

    [JsonProperty("late")]
    public bool? Late { get; set; }

    [JsonProperty("assignedGrade")]
    public double? AssignedGrade { get; set; }

    [JsonProperty("updateTime")]
    public string? UpdateTime { get; set; }

    [JsonProperty("assignmentSubmission")]
    public AssignmentSubmissionDto? AssignmentSubmission { get; set; }
}

internal sealed class GuardianDto : ClassroomResource
{
    [JsonProperty("studentId")]
    public string? StudentId { get; set; }

    [JsonProperty("guardianId")]
    public string? GuardianId { get; set; }
}

internal sealed class FeedDto : ClassroomResource
{
    [JsonProperty("feedType")]
    public string? FeedType { get; set; }

    [JsonProperty("courseRosterChangesInfo")]
    public JObject? CourseRosterChangesInfo { get; set; }

    [JsonProperty("courseWorkChangesInfo")]
    public JObject? CourseWorkChangesInfo { get; set; }
}

internal sealed class CloudPubsubTopicDto : ClassroomResource
{
    [JsonProperty("topicName")]
    public string? TopicName { get; set; }
}

internal sealed class RegistrationDto : ClassroomResource
{
    [JsonProperty("registrationId")]
    public string? RegistrationId { get; set; }

    [JsonProperty("feed")]
    public FeedDto? Feed { get; set; }

    [JsonProperty("cloudPubsubTopic")]
    public CloudPubsubTopicDto? CloudPubsubTopic { get; set; }

    [JsonProperty("expiryTime")]
    public string? ExpiryTime { get; set; }
}

/// <summary>A page of a list method: the items under their collection name and the next page token.</summary>
internal interface IPage<out T>
{
    IEnumerable<T> Items { get; }

    string? NextPageToken { get; }
}

internal sealed class ListCoursesResponse : ClassroomResource, IPage<CourseDto>
{
    [JsonProperty("courses")]
    public IList<CourseDto>? Courses { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<CourseDto> IPage<CourseDto>.Items => Courses ?? [];
}

internal sealed class ListStudentsResponse : ClassroomResource, IPage<CourseMemberDto>
{
    [JsonProperty("students")]
    public IList<CourseMemberDto>? Students { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<CourseMemberDto> IPage<CourseMemberDto>.Items => Students ?? [];
}

internal sealed class ListTeachersResponse : ClassroomResource, IPage<CourseMemberDto>
{
    [JsonProperty("teachers")]
    public IList<CourseMemberDto>? Teachers { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<CourseMemberDto> IPage<CourseMemberDto>.Items => Teachers ?? [];
}

internal sealed class ListCourseWorkResponse : ClassroomResource, IPage<CourseWorkDto>
{
    [JsonProperty("courseWork")]
    public IList<CourseWorkDto>? CourseWork { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<CourseWorkDto> IPage<CourseWorkDto>.Items => CourseWork ?? [];
}

internal sealed class ListStudentSubmissionsResponse : ClassroomResource, IPage<StudentSubmissionDto>
{
    [JsonProperty("studentSubmissions")]
    public IList<StudentSubmissionDto>? StudentSubmissions { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<StudentSubmissionDto> IPage<StudentSubmissionDto>.Items => StudentSubmissions ?? [];
}

internal sealed class ListGuardiansResponse : ClassroomResource, IPage<GuardianDto>
{
    [JsonProperty("guardians")]
    public IList<GuardianDto>? Guardians { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    IEnumerable<GuardianDto> IPage<GuardianDto>.Items => Guardians ?? [];
}
