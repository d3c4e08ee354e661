using System.Globalization;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Emulator.Internal.Drive;

namespace Backpack.Core.Google.Emulator.Internal.Classroom;

/// <summary>The emulated Classroom v1 state (seeded, read-only over REST except registrations) and its REST methods.</summary>
internal sealed class ClassroomApi
{
    /// <summary>The largest page the emulator serves for every Classroom list; larger requests are capped, as Classroom does.</summary>
    public const int MaxPageSize = 1000;

    private const string Courses = "courses";
    private const string Roster = "roster";
    private readonly TimeProvider time;
    private readonly IdGenerator ids;
    private readonly List<JsonObject> courses = [];
    private readonly Dictionary<string, List<string>> students = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> teachers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> courseWork = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> submissions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> guardians = new(StringComparer.Ordinal);
    private readonly List<JsonObject> registrations = [];

    public ClassroomApi(TimeProvider time, IdGenerator ids)
    {
        this.time = time;
        this.ids = ids;
    }

    public Uri Root { get; set; } = DriveApi.DefaultRoot;

    public void Reset()
    {
        courses.Clear();
        students.Clear();
        teachers.Clear();
        courseWork.Clear();
        submissions.Clear();
        profiles.Clear();
        guardians.Clear();
        registrations.Clear();
    }

    public IEnumerable<ApiRoute> Routes()
    {
        yield return Route("classroom.courses.list", "GET", "v1/courses", ListCourses, "studentId", "teacherId", "courseStates", "pageSize", "pageToken");
        yield return Route("classroom.courses.students.list", "GET", "v1/courses/{courseId}/students", c => ListRoster(c, students, "students"), "pageSize", "pageToken");
        yield return Route("classroom.courses.teachers.list", "GET", "v1/courses/{courseId}/teachers", c => ListRoster(c, teachers, "teachers"), "pageSize", "pageToken");
        yield return Route("classroom.courses.courseWork.list", "GET", "v1/courses/{courseId}/courseWork", ListCourseWork, "courseWorkStates", "orderBy", "pageSize", "pageToken");
        yield return Route("classroom.courses.courseWork.studentSubmissions.list", "GET", "v1/courses/{courseId}/courseWork/{courseWorkId}/studentSubmissions", ListSubmissions, "userId", "states", "late", "pageSize", "pageToken");
        yield return Route("classroom.userProfiles.get", "GET", "v1/userProfiles/{userId}", GetProfile);
        yield return Route("classroom.userProfiles.guardians.list", "GET", "v1/userProfiles/{studentId}/guardians", ListGuardians, "invitedEmailAddress", "pageSize", "pageToken");
        yield return Route("classroom.registrations.create", "POST", "v1/registrations", CreateRegistration);
    }

    private static ApiRoute Route(string id, string method, string path, Func<ApiCall, ApiResult> handler, params string[] query) =>
        new(ApiService.Classroom, id, method, string.Empty, path, query, handler);

    private static ApiErrorException NotFound() => new(404, "notFound", "Requested entity was not found.");

    // ---------------------------------------------------------------- REST methods

    private ApiResult ListCourses(ApiCall call)
    {
        var studentId = ResolveUser(call.Query("studentId"), call.User, must: false);
        var teacherId = ResolveUser(call.Query("teacherId"), call.User, must: false);
        var states = call.QueryList("courseStates");
        var matches = courses.Where(c =>
            (studentId is null || (students.TryGetValue(Id(c), out var s) && s.Contains(studentId)))
            && (teacherId is null || (teachers.TryGetValue(Id(c), out var t) && t.Contains(teacherId)))
            && (states.Count == 0 || states.Contains(Str(c, "courseState") ?? "ACTIVE"))).ToList();
        return Page(call, matches, "courses", 100, string.Join('|', Courses, studentId, teacherId, string.Join(',', states)));
    }

    private ApiResult ListRoster(ApiCall call, Dictionary<string, List<string>> roster, string collection)
    {
        var courseId = FindCourse(call.Path("courseId"));
        var members = roster.TryGetValue(courseId, out var list) ? list : [];
        var items = members.Select(userId => new JsonObject
        {
            ["courseId"] = courseId,
            ["userId"] = userId,
            ["profile"] = profiles.TryGetValue(userId, out var p) ? p.DeepClone() : new JsonObject { ["id"] = userId },
        }).ToList();
        return Page(call, items, collection, 30, string.Join('|', Roster, collection, courseId));
    }

    private ApiResult ListCourseWork(ApiCall call)
    {
        var courseId = FindCourse(call.Path("courseId"));
        var states = call.QueryList("courseWorkStates");
        var effectiveStates = states.Count == 0 ? ["PUBLISHED"] : states;
        var items = (courseWork.TryGetValue(courseId, out var list) ? list : []).Where(w => effectiveStates.Contains(Str(w, "state") ?? "PUBLISHED"));
        var orderBy = call.Query("orderBy") ?? "updateTime desc";
        var clauses = orderBy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        IOrderedEnumerable<JsonObject>? ordered = null;
        foreach (var clause in clauses)
        {
            var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var desc = parts.Length > 1 && parts[1] == "desc";
            if (parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")) || parts[0] is not ("updateTime" or "dueDate"))
            {
                throw ApiErrorException.InvalidParameter("orderBy", $"Invalid orderBy: {orderBy}");
            }

            Func<JsonObject, string> key = parts[0] == "updateTime" ? w => Str(w, "updateTime") ?? string.Empty : DueKey;
            ordered = ordered is null
                ? (desc ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal))
                : (desc ? ordered.ThenByDescending(key, StringComparer.Ordinal) : ordered.ThenBy(key, StringComparer.Ordinal));
        }

        var result = (ordered ?? items.OrderBy(_ => 0)).ThenBy(w => Id(w), StringComparer.Ordinal).ToList();
        return Page(call, result, "courseWork", 100, string.Join('|', "courseWork", courseId, string.Join(',', effectiveStates), orderBy));
    }

    private static string DueKey(JsonObject w) =>
        w["dueDate"] is JsonObject d
            ? string.Create(CultureInfo.InvariantCulture, $"{(int?)d["year"] ?? 0:D4}{(int?)d["month"] ?? 0:D2}{(int?)d["day"] ?? 0:D2}")
            : "99999999";

    private ApiResult ListSubmissions(ApiCall call)
    {
        var courseId = FindCourse(call.Path("courseId"));
        var courseWorkId = call.Path("courseWorkId");
        if (courseWorkId != "-" && !(courseWork.TryGetValue(courseId, out var works) && works.Any(w => Id(w) == courseWorkId)))
        {
            throw NotFound();
        }

        var userId = ResolveUser(call.Query("userId"), call.User, must: false);
        var states = call.QueryList("states");
        var late = call.Query("late") ?? "LATE_VALUES_UNSPECIFIED";
        if (late is not ("LATE_VALUES_UNSPECIFIED" or "LATE_ONLY" or "NOT_LATE_ONLY"))
        {
            throw ApiErrorException.InvalidParameter("late");
        }

        var items = (submissions.TryGetValue(courseId, out var list) ? list : [])
            .Where(s => courseWorkId == "-" || Str(s, "courseWorkId") == courseWorkId)
            .Where(s => userId is null || Str(s, "userId") == userId)
            .Where(s => states.Count == 0 || states.Contains(Str(s, "state") ?? "NEW"))
            .Where(s => late switch
            {
                "LATE_ONLY" => (bool?)s["late"] == true,
                "NOT_LATE_ONLY" => (bool?)s["late"] != true,
                _ => true,
            })
            .ToList();
        return Page(call, items, "studentSubmissions", 100, string.Join('|', "submissions", courseId, courseWorkId, userId, string.Join(',', states), late));
    }

    private ApiResult GetProfile(ApiCall call)
    {
        var userId = ResolveUser(call.Path("userId"), call.User, must: true)!;
        return profiles.TryGetValue(userId, out var p) ? ApiResult.Ok(p.DeepClone()) : throw NotFound();
    }

    private ApiResult ListGuardians(ApiCall call)
    {
        var raw = call.Path("studentId");
        var invited = call.Query("invitedEmailAddress");
        IEnumerable<JsonObject> items;
        string key;
        if (raw == "-")
        {
            items = guardians.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value);
            key = "guardians|-";
        }
        else
        {
            var studentId = ResolveUser(raw, call.User, must: true)!;
            items = guardians.TryGetValue(studentId, out var list) ? list : [];
            key = "guardians|" + studentId;
        }

        var filtered = items.Where(g => invited is null || string.Equals(Str(g, "invitedEmailAddress"), invited, StringComparison.OrdinalIgnoreCase)).ToList();
        return Page(call, filtered, "guardians", 30, key + "|" + invited);
    }

    private ApiResult CreateRegistration(ApiCall call)
    {
        var body = call.BodyJson();
        var feed = body["feed"] as JsonObject ?? throw new ApiErrorException(400, "invalid", "feed is required.", location: "feed", locationType: "other");
        var feedType = Str(feed, "feedType");
        switch (feedType)
        {
            case "DOMAIN_ROSTER_CHANGES":
                break;
            case "COURSE_ROSTER_CHANGES":
                FindCourse((feed["courseRosterChangesInfo"] as JsonObject)?["courseId"].AsText("feed.courseRosterChangesInfo.courseId")
                    ?? throw new ApiErrorException(400, "invalid", "courseRosterChangesInfo.courseId is required.", location: "feed.courseRosterChangesInfo", locationType: "other"));
                break;
            case "COURSE_WORK_CHANGES":
                FindCourse((feed["courseWorkChangesInfo"] as JsonObject)?["courseId"].AsText("feed.courseWorkChangesInfo.courseId")
                    ?? throw new ApiErrorException(400, "invalid", "courseWorkChangesInfo.courseId is required.", location: "feed.courseWorkChangesInfo", locationType: "other"));
                break;
            default:
                throw new ApiErrorException(400, "invalid", $"Invalid feedType: {feedType ?? "(none)"}.", location: "feed.feedType", locationType: "other");
        }

        var topic = (body["cloudPubsubTopic"] as JsonObject)?["topicName"].AsText("cloudPubsubTopic.topicName");
        if (string.IsNullOrWhiteSpace(topic) || !topic.StartsWith("projects/", StringComparison.Ordinal) || !topic.Contains("/topics/", StringComparison.Ordinal))
        {
            throw new ApiErrorException(400, "invalid", "cloudPubsubTopic.topicName must look like projects/{project}/topics/{topic}.", location: "cloudPubsubTopic.topicName", locationType: "other");
        }

        var registration = new JsonObject
        {
            ["registrationId"] = ids.Numeric(12),
            ["feed"] = feed.DeepClone(),
            ["cloudPubsubTopic"] = new JsonObject { ["topicName"] = topic },
            ["expiryTime"] = DriveFile.Rfc3339(time.GetUtcNow().AddDays(7)),
        };
        registrations.Add(registration);
        return ApiResult.Ok(registration.DeepClone());
    }

    // ---------------------------------------------------------------- paging and lookups

    private static ApiResult Page(ApiCall call, List<JsonObject> items, string collection, int defaultSize, string key)
    {
        var requested = call.QueryInt("pageSize", 0, 0, int.MaxValue);
        var size = requested == 0 ? defaultSize : Math.Min(requested, MaxPageSize);
        var offset = Paging.DecodeOffset(call.Query("pageToken"), key);
        var page = items.Skip(offset).Take(size).ToList();
        var result = new JsonObject();
        if (page.Count > 0)
        {
            result[collection] = new JsonArray(page.Select(i => i.DeepClone()).ToArray());
        }

        if (offset + page.Count < items.Count)
        {
            result["nextPageToken"] = Paging.EncodeOffset(offset + page.Count, key);
        }

        return ApiResult.Ok(result);
    }

    private string FindCourse(string courseId)
    {
        var course = courses.FirstOrDefault(c => Id(c) == courseId || (c["alias"] is JsonArray aliases && aliases.Any(a => a is JsonValue av && av.TryGetValue<string>(out var text) && text == courseId)));
        return course is null ? throw NotFound() : Id(course);
    }

    /// <summary>Resolves a user given as id, email address or "me" (the bearer token) to a profile id.</summary>
    private string? ResolveUser(string? value, string caller, bool must)
    {
        if (value is null)
        {
            return null;
        }

        var lookup = value == "me" ? caller : value;
        if (profiles.ContainsKey(lookup))
        {
            return lookup;
        }

        var byEmail = profiles.Values.FirstOrDefault(p => string.Equals(Str(p, "emailAddress"), lookup, StringComparison.OrdinalIgnoreCase));
        if (byEmail is not null)
        {
            return Id(byEmail);
        }

        return must ? throw NotFound() : lookup;
    }

    private static string Id(JsonObject o) => Str(o, "id") ?? string.Empty;

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // ---------------------------------------------------------------- seeding

    private string NewId(string? given) => given ?? ids.Numeric(12);

    public string SeedCourse(JsonObject course)
    {
        var c = (JsonObject)course.DeepClone();
        var id = NewId(Str(c, "id"));
        if (courses.Any(x => Id(x) == id))
        {
            throw new ArgumentException($"A course with id {id} already exists.", nameof(course));
        }

        var now = DriveFile.Rfc3339(time.GetUtcNow());
        c["id"] = id;
        c["name"] ??= "Course " + id;
        c["courseState"] ??= "ACTIVE";
        c["creationTime"] ??= now;
        c["updateTime"] ??= now;
        c["alternateLink"] ??= new Uri(Root, "c/" + id).ToString();
        courses.Add(c);
        return id;
    }

    public string SeedUser(JsonObject profile)
    {
        var p = (JsonObject)profile.DeepClone();
        var id = NewId(Str(p, "id"));
        p["id"] = id;
        if (p["name"] is not JsonObject)
        {
            p["name"] = new JsonObject { ["givenName"] = "User", ["familyName"] = id, ["fullName"] = "User " + id };
        }

        profiles[id] = p;
        return id;
    }

    public void Enroll(string courseId, string userId, bool teacher)
    {
        var id = FindCourseForSeed(courseId);
        if (!profiles.ContainsKey(userId))
        {
            throw new ArgumentException($"No user profile {userId}: seed it first.", nameof(userId));
        }

        var roster = teacher ? teachers : students;
        if (!roster.TryGetValue(id, out var list))
        {
            roster[id] = list = [];
        }

        if (!list.Contains(userId))
        {
            list.Add(userId);
        }
    }

    public string SeedCourseWork(string courseId, JsonObject work)
    {
        var id = FindCourseForSeed(courseId);
        var w = (JsonObject)work.DeepClone();
        var workId = NewId(Str(w, "id"));
        var now = DriveFile.Rfc3339(time.GetUtcNow());
        w["id"] = workId;
        w["courseId"] = id;
        w["title"] ??= "Assignment " + workId;
        w["state"] ??= "PUBLISHED";
        w["workType"] ??= "ASSIGNMENT";
        w["creationTime"] ??= now;
        w["updateTime"] ??= now;
        w["alternateLink"] ??= new Uri(Root, $"c/{id}/a/{workId}").ToString();
        if (!courseWork.TryGetValue(id, out var list))
        {
            courseWork[id] = list = [];
        }

        list.Add(w);
        return workId;
    }

    public string SeedSubmission(string courseId, string courseWorkId, JsonObject submission)
    {
        var id = FindCourseForSeed(courseId);
        if (!(courseWork.TryGetValue(id, out var works) && works.Any(w => Id(w) == courseWorkId)))
        {
            throw new ArgumentException($"No coursework {courseWorkId} in course {courseId}.", nameof(courseWorkId));
        }

        var s = (JsonObject)submission.DeepClone();
        if (Str(s, "userId") is null)
        {
            throw new ArgumentException("A submission needs a userId.", nameof(submission));
        }

        var subId = NewId(Str(s, "id"));
        var now = DriveFile.Rfc3339(time.GetUtcNow());
        s["id"] = subId;
        s["courseId"] = id;
        s["courseWorkId"] = courseWorkId;
        s["state"] ??= "CREATED";
        s["creationTime"] ??= now;
        s["updateTime"] ??= now;
        s["alternateLink"] ??= new Uri(Root, $"c/{id}/a/{courseWorkId}/submissions/{subId}").ToString();
        if (!submissions.TryGetValue(id, out var list))
        {
            submissions[id] = list = [];
        }

        list.Add(s);
        return subId;
    }

    public string SeedGuardian(string studentId, JsonObject guardian)
    {
        if (!profiles.ContainsKey(studentId))
        {
            throw new ArgumentException($"No user profile {studentId}: seed it first.", nameof(studentId));
        }

        var g = (JsonObject)guardian.DeepClone();
        var guardianId = Str(g, "guardianId") ?? ids.Numeric(12);
        g["studentId"] = studentId;
        g["guardianId"] = guardianId;
        g["guardianProfile"] ??= new JsonObject { ["id"] = guardianId };
        if (!guardians.TryGetValue(studentId, out var list))
        {
            guardians[studentId] = list = [];
        }

        list.Add(g);
        return guardianId;
    }

    private string FindCourseForSeed(string courseId)
    {
        try
        {
            return FindCourse(courseId);
        }
        catch (ApiErrorException ex)
        {
            throw new ArgumentException($"No course {courseId}: seed it first.", nameof(courseId), ex);
        }
    }

    /// <summary>
    /// The fewest list requests any client needs to read all current Classroom data at maximum page sizes: one
    /// paged courses.list; per course, paged students, teachers, courseWork (all states) and studentSubmissions
    /// (courseWorkId "-"); and one paged guardians.list with studentId "-". Profiles come embedded in rosters.
    /// </summary>
    public long MinimumRequests()
    {
        static long Pages(long n) => Math.Max(1, (n + MaxPageSize - 1) / MaxPageSize);
        var total = Pages(courses.Count);
        foreach (var course in courses)
        {
            var id = Id(course);
            total += Pages(students.TryGetValue(id, out var s) ? s.Count : 0);
            total += Pages(teachers.TryGetValue(id, out var t) ? t.Count : 0);
            total += Pages(courseWork.TryGetValue(id, out var w) ? w.Count : 0);
            total += Pages(submissions.TryGetValue(id, out var sub) ? sub.Count : 0);
        }

        total += Pages(guardians.Values.Sum(g => g.Count));
        return total;
    }

    public JsonObject ExportState() => new()
    {
        ["courses"] = new JsonArray(courses.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        ["userProfiles"] = profiles.Count,
        ["students"] = students.Values.Sum(s => s.Count),
        ["teachers"] = teachers.Values.Sum(s => s.Count),
        ["courseWork"] = courseWork.Values.Sum(s => s.Count),
        ["studentSubmissions"] = submissions.Values.Sum(s => s.Count),
        ["guardians"] = guardians.Values.Sum(s => s.Count),
        ["registrations"] = new JsonArray(registrations.Select(r => (JsonNode)r.DeepClone()).ToArray()),
    };
}
