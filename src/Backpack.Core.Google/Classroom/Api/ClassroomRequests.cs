using Google.Apis.Discovery;
using Google.Apis.Requests;
using Google.Apis.Services;
using Google.Apis.Util;

namespace Backpack.Core.Google.Classroom.Api;

// One request class per REST method the adapter calls, named after it. Every [RequestParameter] is registered
// in InitParameters(), or Google.Apis refuses to execute the request ("Invalid parameter").

/// <summary>A Classroom request with registered parameters.</summary>
internal abstract class ClassroomRequest<TResponse> : ClientServiceRequest<TResponse>
{
    protected ClassroomRequest(IClientService service)
        : base(service)
    {
    }

    protected void Register(string name, string type, bool required = false) =>
        RequestParameters.Add(name, new Parameter { Name = name, ParameterType = type, IsRequired = required });
}

/// <summary>A paged list request.</summary>
internal abstract class ClassroomListRequest<TResponse> : ClassroomRequest<TResponse>
{
    protected ClassroomListRequest(IClientService service)
        : base(service)
    {
    }

    [RequestParameter("pageSize", RequestParameterType.Query)]
    public int? PageSize { get; set; }

    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string? PageToken { get; set; }

    public override string HttpMethod => "GET";

    public override string MethodName => "list";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("pageSize", "query");
        Register("pageToken", "query");
    }
}

/// <summary><c>courses.list</c>.</summary>
internal sealed class CoursesListRequest : ClassroomListRequest<ListCoursesResponse>
{
    public CoursesListRequest(IClientService service)
        : base(service) => InitParameters();

    [RequestParameter("courseStates", RequestParameterType.Query)]
    public Repeatable<string>? CourseStates { get; set; }

    [RequestParameter("studentId", RequestParameterType.Query)]
    public string? StudentId { get; set; }

    [RequestParameter("teacherId", RequestParameterType.Query)]
    public string? TeacherId { get; set; }

    public override string RestPath => "v1/courses";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("courseStates", "query");
        Register("studentId", "query");
        Register("teacherId", "query");
    }
}

/// <summary><c>courses.students.list</c>.</summary>
internal sealed class CoursesStudentsListRequest : ClassroomListRequest<ListStudentsResponse>
{
    public CoursesStudentsListRequest(IClientService service, string courseId)
        : base(service)
    {
        CourseId = courseId;
        InitParameters();
    }

    [RequestParameter("courseId", RequestParameterType.Path)]
    public string CourseId { get; }

    public override string RestPath => "v1/courses/{courseId}/students";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("courseId", "path", required: true);
    }
}

/// <summary><c>courses.teachers.list</c>.</summary>
internal sealed class CoursesTeachersListRequest : ClassroomListRequest<ListTeachersResponse>
{
    public CoursesTeachersListRequest(IClientService service, string courseId)
        : base(service)
    {
        CourseId = courseId;
        InitParameters();
    }

    [RequestParameter("courseId", RequestParameterType.Path)]
    public string CourseId { get; }

    public override string RestPath => "v1/courses/{courseId}/teachers";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("courseId", "path", required: true);
    }
}

/// <summary><c>courses.courseWork.list</c>.</summary>
internal sealed class CoursesCourseWorkListRequest : ClassroomListRequest<ListCourseWorkResponse>
{
    public CoursesCourseWorkListRequest(IClientService service, string courseId)
        : base(service)
    {
        CourseId = courseId;
        InitParameters();
    }

    [RequestParameter("courseId", RequestParameterType.Path)]
    public string CourseId { get; }

    [RequestParameter("courseWorkStates", RequestParameterType.Query)]
    public Repeatable<string>? CourseWorkStates { get; set; }

    [RequestParameter("orderBy", RequestParameterType.Query)]
    public string? OrderBy { get; set; }

    public override string RestPath => "v1/courses/{courseId}/courseWork";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("courseId", "path", required: true);
        Register("courseWorkStates", "query");
        Register("orderBy", "query");
    }
}

/// <summary><c>courses.courseWork.studentSubmissions.list</c> (courseWorkId <c>-</c> for every coursework).</summary>
internal sealed class StudentSubmissionsListRequest : ClassroomListRequest<ListStudentSubmissionsResponse>
{
    public StudentSubmissionsListRequest(IClientService service, string courseId, string courseWorkId)
        : base(service)
    {
        CourseId = courseId;
        CourseWorkId = courseWorkId;
        InitParameters();
    }

    [RequestParameter("courseId", RequestParameterType.Path)]
    public string CourseId { get; }

    [RequestParameter("courseWorkId", RequestParameterType.Path)]
    public string CourseWorkId { get; }

    [RequestParameter("states", RequestParameterType.Query)]
    public Repeatable<string>? States { get; set; }

    [RequestParameter("userId", RequestParameterType.Query)]
    public string? UserId { get; set; }

    public override string RestPath => "v1/courses/{courseId}/courseWork/{courseWorkId}/studentSubmissions";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("courseId", "path", required: true);
        Register("courseWorkId", "path", required: true);
        Register("states", "query");
        Register("userId", "query");
    }
}

/// <summary><c>userProfiles.get</c>.</summary>
internal sealed class UserProfilesGetRequest : ClassroomRequest<UserProfileDto>
{
    public UserProfilesGetRequest(IClientService service, string userId)
        : base(service)
    {
        UserId = userId;
        InitParameters();
    }

    [RequestParameter("userId", RequestParameterType.Path)]
    public string UserId { get; }

    public override string HttpMethod => "GET";

    public override string MethodName => "get";

    public override string RestPath => "v1/userProfiles/{userId}";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("userId", "path", required: true);
    }
}

/// <summary><c>userProfiles.guardians.list</c> (studentId <c>-</c> for every student the caller may see).</summary>
internal sealed class GuardiansListRequest : ClassroomListRequest<ListGuardiansResponse>
{
    public GuardiansListRequest(IClientService service, string studentId)
        : base(service)
    {
        StudentId = studentId;
        InitParameters();
    }

    [RequestParameter("studentId", RequestParameterType.Path)]
    public string StudentId { get; }

    public override string RestPath => "v1/userProfiles/{studentId}/guardians";

    protected override void InitParameters()
    {
        base.InitParameters();
        Register("studentId", "path", required: true);
    }
}

/// <summary><c>registrations.create</c>: push notifications to a Cloud Pub/Sub topic.</summary>
internal sealed class RegistrationsCreateRequest : ClassroomRequest<RegistrationDto>
{
    private readonly RegistrationDto body;

    public RegistrationsCreateRequest(IClientService service, RegistrationDto body)
        : base(service)
    {
        this.body = body;
        InitParameters();
    }

    public override string HttpMethod => "POST";

    public override string MethodName => "create";

    public override string RestPath => "v1/registrations";

    protected override object GetBody() => body;
}
