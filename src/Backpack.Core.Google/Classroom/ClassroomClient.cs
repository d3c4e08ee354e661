using Backpack.Core.Google.Classroom.Api;
using Google.Apis.Requests;
using Google.Apis.Util;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// The Classroom reads the sync needs, each fully paged at the largest page size. Every call goes through the
/// connection's pipeline (credential, pacing under the per-client and per-user quotas, retries); Google.Apis and
/// HTTP exceptions are translated into <see cref="BackpackGoogleException"/>.
/// </summary>
internal sealed class ClassroomClient(ClassroomConnection connection, int pageSize)
{
    private long requests;

    /// <summary>Logical requests issued (pages), retries not included.</summary>
    public long Requests => Interlocked.Read(ref requests);

    public Task<List<CourseDto>> ListCoursesAsync(CancellationToken ct) =>
        ListAsync<CourseDto, ListCoursesResponse>(() => new CoursesListRequest(connection.Service), "courses.list", null, ct);

    public Task<List<CourseMemberDto>> ListStudentsAsync(string courseId, CancellationToken ct) =>
        ListAsync<CourseMemberDto, ListStudentsResponse>(() => new CoursesStudentsListRequest(connection.Service, courseId), "courses.students.list", courseId, ct);

    public Task<List<CourseMemberDto>> ListTeachersAsync(string courseId, CancellationToken ct) =>
        ListAsync<CourseMemberDto, ListTeachersResponse>(() => new CoursesTeachersListRequest(connection.Service, courseId), "courses.teachers.list", courseId, ct);

    /// <summary>Published and deleted coursework (drafts have no submissions).</summary>
    public Task<List<CourseWorkDto>> ListCourseWorkAsync(string courseId, CancellationToken ct) =>
        ListAsync<CourseWorkDto, ListCourseWorkResponse>(
            () => new CoursesCourseWorkListRequest(connection.Service, courseId) { CourseWorkStates = new Repeatable<string>(["PUBLISHED", "DELETED"]) },
            "courses.courseWork.list",
            courseId,
            ct);

    /// <summary>Every submission of every coursework in the course (courseWorkId <c>-</c>), in every state.</summary>
    public Task<List<StudentSubmissionDto>> ListSubmissionsAsync(string courseId, CancellationToken ct) =>
        ListAsync<StudentSubmissionDto, ListStudentSubmissionsResponse>(() => new StudentSubmissionsListRequest(connection.Service, courseId, "-"), "courses.courseWork.studentSubmissions.list", courseId, ct);

    /// <summary>Every guardian of every student the caller may see (studentId <c>-</c>).</summary>
    public Task<List<GuardianDto>> ListAllGuardiansAsync(CancellationToken ct) =>
        ListAsync<GuardianDto, ListGuardiansResponse>(() => new GuardiansListRequest(connection.Service, "-"), "userProfiles.guardians.list", null, ct);

    public Task<UserProfileDto> GetUserProfileAsync(string userId, CancellationToken ct) =>
        ExecuteAsync(new UserProfilesGetRequest(connection.Service, userId), "userProfiles.get", null, ct);

    public Task<RegistrationDto> CreateRegistrationAsync(RegistrationDto registration, CancellationToken ct) =>
        ExecuteAsync(new RegistrationsCreateRequest(connection.Service, registration), "registrations.create", null, ct);

    private async Task<List<T>> ListAsync<T, TResponse>(Func<ClassroomListRequest<TResponse>> create, string method, string? courseId, CancellationToken ct)
        where TResponse : IPage<T>
    {
        var items = new List<T>();
        var pages = new Drive.Http.PageTokens("Classroom " + method, courseId);
        string? token = null;
        do
        {
            var request = create();
            request.PageSize = pageSize;
            request.PageToken = token;
            var page = await ExecuteAsync(request, method, courseId, ct).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                if (Problem(item) is { } problem)
                {
                    throw ClassroomErrors.Malformed(method, courseId, "a list holding " + problem);
                }

                items.Add(item);
            }

            token = pages.Next(page.NextPageToken);
        }
        while (token is not null);

        return items;
    }

    private async Task<TResponse> ExecuteAsync<TResponse>(ClientServiceRequest<TResponse> request, string method, string? courseId, CancellationToken ct)
    {
        Interlocked.Increment(ref requests);
        TResponse response;
        try
        {
            response = await request.ExecuteAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClassroomErrors.IsProviderException(ex, ct))
        {
            throw ClassroomErrors.Translate(ex, method, courseId);
        }

        return response is null ? throw ClassroomErrors.Malformed(method, courseId, "an empty body")
            : Problem(response) is { } problem ? throw ClassroomErrors.Malformed(method, courseId, problem)
            : response;
    }

    /// <summary>What the sync relies on in a parsed item: present, with its ids. Null when usable.</summary>
    private static string? Problem(object? item) => item switch
    {
        null => "a missing item",
        CourseDto c => string.IsNullOrEmpty(c.Id) ? "a course without an id" : null,
        CourseMemberDto m => string.IsNullOrEmpty(m.UserId) ? "a member without a user id" : null,
        CourseWorkDto w => string.IsNullOrEmpty(w.Id) ? "coursework without an id" : null,
        StudentSubmissionDto s => string.IsNullOrEmpty(s.Id) || string.IsNullOrEmpty(s.UserId) ? "a submission without an id or a user id" : null,
        GuardianDto g => string.IsNullOrEmpty(g.StudentId) || string.IsNullOrEmpty(g.GuardianId) ? "a guardian without a student or guardian id" : null,
        UserProfileDto p => string.IsNullOrEmpty(p.Id) ? "a profile without an id" : null,
        _ => null,
    };
}
