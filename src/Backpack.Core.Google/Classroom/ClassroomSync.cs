using System.Collections.Concurrent;
using System.Globalization;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Classroom.Api;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// Brings Google Classroom into the backpacks without teacher busywork: courses, students and teachers become
/// schools' rosters and students' enrollments (a student whose classes move to another school is transferred,
/// keeping one backpack), and work turned in or returned with Drive files or links becomes <em>suggested</em>
/// artifacts in each student's backpack, with the skills the coursework suggests kept for the student to confirm.
/// </summary>
/// <remarks>
/// <para>Incremental and idempotent: ids are derived from Classroom ids, every course's roster, artifacts and
/// checkpoint are saved in one change set, and a run that finds nothing new saves nothing. Students' enrollments are
/// saved first, in batches, and only when the district's rosters changed since the last run.</para>
/// <para>Suggested skills are not alignments (an alignment carries the student's reasoning): they are kept beside
/// the artifact, read them with <see cref="GetSuggestedSkillsAsync"/> and let the student align with reasoning.</para>
/// </remarks>
public sealed partial class ClassroomSync
{
    private const string ActiveState = "ACTIVE";
    private const int StudentBatchSize = 500;
    private readonly IBackpackStore store;
    private readonly ClassroomConnection connection;
    private readonly GoogleClassroomOptions options;
    private readonly BackpackOptions backpack;
    private readonly TimeProvider clock;
    private readonly CommandPath path;
    private readonly ILogger logger;
    private readonly ICourseWorkSkillStrategy strategy;
    private int running;

    internal ClassroomSync(IBackpackStore store, ClassroomConnection connection, IOptions<BackpackOptions> backpack, TimeProvider clock, CommandPath path, ILogger<ClassroomSync> logger)
    {
        this.store = store;
        this.connection = connection;
        options = connection.Options;
        this.backpack = backpack.Value;
        this.clock = clock;
        this.path = path;
        this.logger = logger;
        strategy = options.CreateSkillStrategy();
    }

    /// <summary>
    /// Reads every course and, for the courses the district's mapping places, their rosters, coursework and
    /// submissions, and saves what changed. One sync runs at a time per instance (a second call meanwhile throws a transient <see cref="BackpackGoogleException"/>); runs on several instances converge.
    /// </summary>
    /// <param name="cancellationToken">Cancels the sync; what was saved stays saved and the next run goes on from there.</param>
    /// <returns>What the sync did.</returns>
    /// <exception cref="BackpackGoogleException">Classroom's course list, rosters or guardians could not be read.</exception>
    /// <exception cref="BackpackGoogleException">A sync is already running on this instance (transient: try again when it ends).</exception>
    public async Task<ClassroomSyncResult> SyncAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref running, 1) != 0)
        {
            throw new BackpackGoogleException("A Classroom sync is already running on this instance; wait for it to finish.", null, null, "sync-running", isTransient: true, null);
        }

        try
        {
            var run = new Run(this, new ClassroomClient(connection, options.PageSize), clock.GetUtcNow());
            return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }

    /// <summary>The skills Classroom suggested for an artifact it suggested, for the student to confirm with their reasoning.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The suggested skills; empty when none (or the artifact did not come from Classroom).</returns>
    public async Task<IReadOnlyList<SkillId>> GetSuggestedSkillsAsync(ArtifactId artifact, CancellationToken cancellationToken = default)
    {
        var checkpoint = await store.GetCheckpointAsync(CourseCheckpoint.SkillsKeyPrefix + artifact, cancellationToken).ConfigureAwait(false);
        return checkpoint is null ? [] : ParseSkills(checkpoint.Value);
    }

    /// <summary>
    /// Registers for Classroom push notifications to <see cref="GoogleClassroomOptions.PubSubTopic"/>: domain roster
    /// changes, and coursework changes of each course given. Classroom registrations expire (about a week): call it
    /// again before then. A notification is the host's cue to run <see cref="SyncAsync"/>.
    /// </summary>
    /// <param name="courseIds">Courses whose coursework changes to hear about.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The registration ids.</returns>
    /// <exception cref="BackpackGoogleException">No Pub/Sub topic is configured.</exception>
    public async Task<IReadOnlyList<string>> RegisterForChangesAsync(IEnumerable<string>? courseIds = null, CancellationToken cancellationToken = default)
    {
        var topic = options.PubSubTopic ?? throw new BackpackGoogleException("GoogleClassroom:PubSubTopic is not set: push notifications need a Cloud Pub/Sub topic.");
        var client = new ClassroomClient(connection, options.PageSize);
        var feeds = new List<FeedDto> { new() { FeedType = "DOMAIN_ROSTER_CHANGES" } };
        foreach (var id in courseIds ?? [])
        {
            feeds.Add(new FeedDto { FeedType = "COURSE_WORK_CHANGES", CourseWorkChangesInfo = new Newtonsoft.Json.Linq.JObject { ["courseId"] = id } });
        }

        var ids = new List<string>();
        foreach (var feed in feeds)
        {
            var created = await client.CreateRegistrationAsync(new RegistrationDto { Feed = feed, CloudPubsubTopic = new CloudPubsubTopicDto { TopicName = topic } }, cancellationToken).ConfigureAwait(false);
            ids.Add(created.RegistrationId ?? string.Empty);
        }

        return ids;
    }

    internal static IReadOnlyList<SkillId> ParseSkills(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Guid.TryParse(s, out var g) ? SkillId.From(g) : (SkillId?)null)
            .Where(s => s is not null).Select(s => s!.Value).ToArray();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Classroom sync started: {Courses} courses, {Unmapped} unmapped.")]
    private static partial void LogStarted(ILogger logger, int courses, int unmapped);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Classroom sync finished: {Saved} courses saved, {Created} students created, {Transferred} transferred, {Suggested} artifacts suggested, {Requests} requests.")]
    private static partial void LogFinished(ILogger logger, int saved, int created, int transferred, int suggested, long requests);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Classroom course {CourseId} was not synced: {Reason}")]
    private static partial void LogCourseFailed(ILogger logger, string courseId, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Classroom course {CourseId} saved: roster {RosterChanged}, {Suggested} suggested, {Withdrawn} withdrawn.")]
    private static partial void LogCourseSaved(ILogger logger, string courseId, bool rosterChanged, int suggested, int withdrawn);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Classroom course {CourseId} changed in the store during the sync; attempt {Attempt} starts again.")]
    private static partial void LogConcurrency(ILogger logger, string courseId, int attempt);

    private sealed class Counters
    {
        public int CoursesSaved;
        public int StudentsCreated;
        public int StudentsEnrolled;
        public int StudentsTransferred;
        public int StudentsUpdated;
        public int RostersSaved;
        public int ArtifactsSuggested;
        public int ArtifactsUpdated;
        public int ArtifactsWithdrawn;
        public int SubmissionsSkipped;
        public int ChangeSetsSaved;
    }

    private sealed record MappedCourse(CourseDto Dto, ClassroomCourse Course, CoursePlacement Placement, bool IsActive);

    /// <summary>One sync run: the reads, the plan and the saves.</summary>
    private sealed class Run(ClassroomSync sync, ClassroomClient client, DateTimeOffset now)
    {
        private readonly Counters counters = new();
        private readonly ConcurrentDictionary<string, string> failures = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, StudentId?> studentIds = new(StringComparer.Ordinal);
        private readonly DateOnly today = sync.backpack.TodayAt(now);
        private readonly long retriesBefore = sync.connection.Statistics.Retries;
        private readonly long rateLimitedBefore = sync.connection.Statistics.RateLimitedResponses;
        private IReadOnlyList<Skill> skills = [];

        private IBackpackStore Store => sync.store;

        private GoogleClassroomOptions Options => sync.options;

        private SchoolYear Year => sync.backpack.SchoolYearOf(today);

        public async Task<ClassroomSyncResult> ExecuteAsync(CancellationToken ct)
        {
            await sync.path.BeginAsync(Actor.CourseworkSync, new AccessRequest(BackpackOperation.AddArtifact), "classroom.coursework", ct).ConfigureAwait(false);
            skills = await LoadSkillsAsync(ct).ConfigureAwait(false);
            var courses = await client.ListCoursesAsync(ct).ConfigureAwait(false);
            var mapped = new List<MappedCourse>();
            var unmapped = 0;
            foreach (var dto in courses.Where(c => !string.IsNullOrEmpty(c.Id)).OrderBy(c => c.Id, StringComparer.Ordinal))
            {
                var course = new ClassroomCourse(dto.Id!, dto.Name ?? string.Empty, dto.Section, dto.OwnerId, dto.CourseState ?? "COURSE_STATE_UNSPECIFIED");
                if (Options.PlacementOf(course) is { } placement)
                {
                    mapped.Add(new MappedCourse(dto, course, placement, course.State == ActiveState));
                }
                else
                {
                    unmapped++;
                }
            }

            LogStarted(sync.logger, courses.Count, unmapped);

            // Rosters of the active courses, then guardians: everything the students' placement needs.
            var members = new ConcurrentDictionary<string, (List<CourseMemberDto> Students, List<CourseMemberDto> Teachers)>(StringComparer.Ordinal);
            await ForEachAsync(mapped.Where(c => c.IsActive), async (c, token) =>
            {
                var students = await client.ListStudentsAsync(c.Course.Id, token).ConfigureAwait(false);
                var teachers = await client.ListTeachersAsync(c.Course.Id, token).ConfigureAwait(false);
                members[c.Course.Id] = (students, teachers);
            }, ct).ConfigureAwait(false);

            var guardians = Options.SyncGuardians ? await client.ListAllGuardiansAsync(ct).ConfigureAwait(false) : [];
            var snapshot = BuildSnapshot(mapped, members, guardians);

            await ApplyStudentsAsync(snapshot, ct).ConfigureAwait(false);

            var rosters = snapshot.Rosters.ToDictionary(r => r.ExternalId, StringComparer.Ordinal);
            await ForEachAsync(mapped, (c, token) => SyncCourseAsync(c, rosters[c.Course.Id], token), ct).ConfigureAwait(false);

            var result = new ClassroomSyncResult
            {
                Courses = courses.Count,
                UnmappedCourses = unmapped,
                CoursesSaved = counters.CoursesSaved,
                FailedCourses = new SortedDictionary<string, string>(failures, StringComparer.Ordinal),
                StudentsCreated = counters.StudentsCreated,
                StudentsEnrolled = counters.StudentsEnrolled,
                StudentsTransferred = counters.StudentsTransferred,
                StudentsUpdated = counters.StudentsUpdated,
                RostersSaved = counters.RostersSaved,
                ArtifactsSuggested = counters.ArtifactsSuggested,
                ArtifactsUpdated = counters.ArtifactsUpdated,
                ArtifactsWithdrawn = counters.ArtifactsWithdrawn,
                SubmissionsSkipped = counters.SubmissionsSkipped,
                Requests = client.Requests,
                Retries = sync.connection.Statistics.Retries - retriesBefore,
                RateLimitedResponses = sync.connection.Statistics.RateLimitedResponses - rateLimitedBefore,
                ChangeSetsSaved = counters.ChangeSetsSaved,
            };
            LogFinished(sync.logger, result.CoursesSaved, result.StudentsCreated, result.StudentsTransferred, result.ArtifactsSuggested, result.Requests);
            return result;
        }

        private async Task<IReadOnlyList<Skill>> LoadSkillsAsync(CancellationToken ct)
        {
            var frameworks = await Store.ListFrameworksAsync(ct).ConfigureAwait(false);
            return frameworks.Where(f => f.Current is not null).SelectMany(f => f.Current!.Content.Skills).ToArray();
        }

        private RosterSnapshot BuildSnapshot(List<MappedCourse> mapped, ConcurrentDictionary<string, (List<CourseMemberDto> Students, List<CourseMemberDto> Teachers)> members, List<GuardianDto> guardians)
        {
            var guardiansOf = guardians.Where(g => !string.IsNullOrEmpty(g.StudentId) && !string.IsNullOrEmpty(g.GuardianId))
                .GroupBy(g => g.StudentId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<PersonId>)g.Select(x => ClassroomIds.Guardian(x.GuardianId!)).Distinct().Order().ToArray(), StringComparer.Ordinal);
            var students = new Dictionary<string, SnapshotStudent>(StringComparer.Ordinal);
            var rosters = new List<SnapshotRoster>();
            foreach (var c in mapped)
            {
                var (roster, teachers) = members.TryGetValue(c.Course.Id, out var m) ? m : ([], []);
                var studentIdsOfCourse = new List<string>();
                foreach (var s in roster)
                {
                    var id = s.UserId ?? s.Profile?.Id;
                    if (string.IsNullOrEmpty(id))
                    {
                        continue;
                    }

                    studentIdsOfCourse.Add(id);
                    if (!students.ContainsKey(id))
                    {
                        var email = s.Profile?.EmailAddress;
                        students[id] = new SnapshotStudent(id, Options.DistrictStudentIdOf(id, email), NameOf(s.Profile), email)
                        {
                            Guardians = guardiansOf.TryGetValue(id, out var g) ? g : [],
                        };
                    }
                }

                var teacherIds = teachers.Select(t => t.UserId ?? t.Profile?.Id).Where(t => !string.IsNullOrEmpty(t)).Select(t => ClassroomIds.Teacher(t!)).ToArray();
                rosters.Add(new SnapshotRoster(ClassroomIds.Roster(c.Course.Id), c.Course.Id, c.Placement.SchoolId, c.Placement.Grade, RosterName(c.Course), c.IsActive)
                {
                    Teachers = teacherIds,
                    Students = studentIdsOfCourse,
                });
            }

            return new RosterSnapshot(today, Year, rosters, students);
        }

        private static string NameOf(UserProfileDto? profile)
        {
            var name = profile?.Name;
            if (!string.IsNullOrWhiteSpace(name?.FullName))
            {
                return name.FullName;
            }

            var joined = string.Join(' ', new[] { name?.GivenName, name?.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            return joined;
        }

        private static string RosterName(ClassroomCourse course)
        {
            var name = string.IsNullOrWhiteSpace(course.Name) ? "Course " + course.Id : course.Name;
            return string.IsNullOrWhiteSpace(course.Section) ? name : $"{name} ({course.Section})";
        }

        // ------------------------------------------------------------------ students

        private async Task ApplyStudentsAsync(RosterSnapshot snapshot, CancellationToken ct)
        {
            var rostersOf = new Dictionary<string, List<SnapshotRoster>>(StringComparer.Ordinal);
            foreach (var r in snapshot.Rosters)
            {
                foreach (var s in r.Students)
                {
                    if (!rostersOf.TryGetValue(s, out var list))
                    {
                        rostersOf[s] = list = [];
                    }

                    list.Add(r);
                }
            }

            var hash = CourseCheckpoint.Hash(
                new[] { "students-v1", snapshot.Year.ToString() }.Concat(snapshot.Students.Values.OrderBy(s => s.ExternalId, StringComparer.Ordinal).Select(s =>
                    string.Join('|', s.ExternalId, s.DistrictStudentId, s.DisplayName, s.Email, string.Join(',', s.Guardians),
                        string.Join(',', rostersOf[s.ExternalId].Where(r => r.IsActive).Select(r => $"{r.SchoolId}/{r.Grade}").Order(StringComparer.Ordinal))))));
            var stored = await Store.GetCheckpointAsync(CourseCheckpoint.StudentsKey, ct).ConfigureAwait(false);
            if (stored?.Value == hash)
            {
                return;
            }

            var ids = snapshot.Students.Keys.Order(StringComparer.Ordinal).ToArray();
            for (var start = 0; start < ids.Length; start += StudentBatchSize)
            {
                var batch = ids.AsMemory(start, Math.Min(StudentBatchSize, ids.Length - start));
                await RetryOnConflictAsync("students", async () =>
                {
                    var changes = await BeginAsync(ct).ConfigureAwait(false);
                    var kinds = new List<StudentChangeKind>();
                    foreach (var gid in batch.ToArray())
                    {
                        var info = snapshot.Students[gid];
                        var existing = await FindStudentAsync(gid, info.DistrictStudentId, ct).ConfigureAwait(false);
                        var classes = RosterSnapshotPlanner.Classes(rostersOf[gid], today, snapshot.Year);
                        var (after, kind) = RosterSnapshotPlanner.Apply(existing, ClassroomIds.Student(gid), info, classes, today);
                        if (after is not null)
                        {
                            studentIds[gid] = after.Id;
                        }

                        if (kind == StudentChangeKind.Unchanged || after is null)
                        {
                            continue;
                        }

                        var problems = RosterService.Validate(after);
                        if (problems.Count > 0)
                        {
                            throw new BackpackValidationException(problems);
                        }

                        changes.Put(existing, after);
                        changes.Audit("classroom.student." + kind.ToString().ToLowerInvariant(), after.Id, after.Id.ToString());

                        kinds.Add(kind);
                    }

                    if (changes.HasChanges)
                    {
                        await SaveAsync(changes, ct).ConfigureAwait(false);
                        Interlocked.Add(ref counters.StudentsCreated, kinds.Count(k => k == StudentChangeKind.Created));
                        Interlocked.Add(ref counters.StudentsEnrolled, kinds.Count(k => k == StudentChangeKind.Enrolled));
                        Interlocked.Add(ref counters.StudentsTransferred, kinds.Count(k => k == StudentChangeKind.Transferred));
                        Interlocked.Add(ref counters.StudentsUpdated, kinds.Count(k => k == StudentChangeKind.Updated));
                    }
                }, ct).ConfigureAwait(false);
            }

            await RetryOnConflictAsync("students", async () =>
            {
                var current = await Store.GetCheckpointAsync(CourseCheckpoint.StudentsKey, ct).ConfigureAwait(false);
                var command = await BeginAsync(ct).ConfigureAwait(false);
                command.Put(new SyncCheckpoint(CourseCheckpoint.StudentsKey, hash, current?.Version ?? 0));
                await SaveAsync(command, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }

        private async Task<Student?> FindStudentAsync(string googleUserId, string? districtStudentId, CancellationToken ct) =>
            await Store.FindStudentAsync(StudentIdentityKind.GoogleUserId, googleUserId, ct).ConfigureAwait(false)
            ?? (districtStudentId is null ? null : await Store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, districtStudentId, ct).ConfigureAwait(false));

        private async Task<StudentId?> ResolveStudentAsync(string googleUserId, CancellationToken ct)
        {
            if (studentIds.TryGetValue(googleUserId, out var known))
            {
                return known;
            }

            var found = await Store.FindStudentAsync(StudentIdentityKind.GoogleUserId, googleUserId, ct).ConfigureAwait(false);
            studentIds[googleUserId] = found?.Id;
            return found?.Id;
        }

        // ------------------------------------------------------------------ courses

        private async Task SyncCourseAsync(MappedCourse course, SnapshotRoster roster, CancellationToken ct)
        {
            var id = course.Course.Id;
            try
            {
                List<CourseWorkDto> work = [];
                List<StudentSubmissionDto> submissions = [];
                if (course.IsActive)
                {
                    work = await client.ListCourseWorkAsync(id, ct).ConfigureAwait(false);
                    submissions = await client.ListSubmissionsAsync(id, ct).ConfigureAwait(false);
                }

                await RetryOnConflictAsync(id, () => ApplyCourseAsync(course, roster, work, submissions, ct), ct).ConfigureAwait(false);
            }
            catch (BackpackException ex) when (ex is BackpackGoogleException or BackpackConcurrencyException)
            {
                failures[id] = ex.Message;
                LogCourseFailed(sync.logger, id, ex.GetType().Name);
            }
        }

        private async Task ApplyCourseAsync(MappedCourse course, SnapshotRoster roster, List<CourseWorkDto> work, List<StudentSubmissionDto> submissions, CancellationToken ct)
        {
            var id = course.Course.Id;
            var key = CourseCheckpoint.KeyOf(id);
            var stored = await Store.GetCheckpointAsync(key, ct).ConfigureAwait(false);
            var before = CourseCheckpoint.Parse(stored?.Value);
            var changes = await BeginAsync(ct).ConfigureAwait(false);

            // Roster: only looked at when what Classroom says differs from what was last applied.
            var rosterHash = CourseCheckpoint.Hash(
                new[] { "roster-v1", Year.ToString(), roster.SchoolId.ToString(), roster.Grade.ToString(), roster.Name, roster.IsActive ? "active" : "inactive" }
                    .Concat(roster.Teachers.Select(t => t.ToString()).Order(StringComparer.Ordinal))
                    .Append("|")
                    .Concat(roster.Students.Order(StringComparer.Ordinal)));
            var rosterChanged = false;
            if (rosterHash != before.RosterHash)
            {
                var existing = await Store.GetRosterAsync(roster.Id, ct).ConfigureAwait(false);
                var map = new Dictionary<string, StudentId>(StringComparer.Ordinal);
                foreach (var gid in roster.Students)
                {
                    if (await ResolveStudentAsync(gid, ct).ConfigureAwait(false) is { } sid)
                    {
                        map[gid] = sid;
                    }
                }

                var desired = RosterSnapshotPlanner.PlanRoster(existing, roster, Year, map);
                if (desired is not null && !SameRoster(existing, desired))
                {
                    changes.Put(existing, desired);
                    changes.Audit(existing is null ? "classroom.roster.create" : "classroom.roster.update", null, desired.Id.ToString());

                    rosterChanged = true;
                }
            }

            var published = work.Where(w => w.State == "PUBLISHED" && !string.IsNullOrEmpty(w.Id)).ToDictionary(w => w.Id!, StringComparer.Ordinal);
            var withdrawn = 0;
            var suggested = 0;
            var updated = 0;
            var skipped = 0;
            var watermark = before.Watermark;
            IReadOnlyList<string> knownWork = before.CourseWork;
            if (course.IsActive)
            {
                // Coursework deleted since the last run: its suggestions (not what students collected) are withdrawn.
                var gone = before.CourseWork.Where(w => !published.ContainsKey(w)).ToHashSet(StringComparer.Ordinal);
                if (gone.Count > 0)
                {
                    withdrawn = await WithdrawAsync(id, gone, roster, changes, ct).ConfigureAwait(false);
                }

                var strategyCache = new Dictionary<string, SkillId[]>(StringComparer.Ordinal);
                foreach (var s in submissions.OrderBy(s => s.Id, StringComparer.Ordinal))
                {
                    var updatedAt = CourseCheckpoint.ParseTime(s.UpdateTime);
                    if (updatedAt is { } u && (watermark is null || u > watermark))
                    {
                        watermark = u;
                    }

                    if (s.State is not ("TURNED_IN" or "RETURNED") || string.IsNullOrEmpty(s.Id) || string.IsNullOrEmpty(s.UserId)
                        || s.CourseWorkId is null || !published.TryGetValue(s.CourseWorkId, out var cw)
                        || (before.Watermark is { } w && updatedAt is { } t && t < w))
                    {
                        continue;
                    }

                    var attachments = Attachments(s).ToList();
                    if (attachments.Count == 0)
                    {
                        continue;
                    }

                    if (await ResolveStudentAsync(s.UserId, ct).ConfigureAwait(false) is not { } student)
                    {
                        skipped++;
                        continue;
                    }

                    if (!strategyCache.TryGetValue(cw.Id!, out var suggestedSkills))
                    {
                        strategyCache[cw.Id!] = suggestedSkills = SuggestSkills(id, cw);
                    }

                    foreach (var a in attachments)
                    {
                        var result = await PlanArtifactAsync(course, cw, s, student, a, suggestedSkills, changes, ct).ConfigureAwait(false);
                        suggested += result == ArtifactChange.Suggested ? 1 : 0;
                        updated += result == ArtifactChange.Updated ? 1 : 0;
                    }
                }

                knownWork = published.Keys.Order(StringComparer.Ordinal).ToArray();
            }

            var after = before with { RosterHash = rosterHash, Watermark = watermark, CourseWork = knownWork };
            var value = after.ToValue();
            if (value != stored?.Value)
            {
                changes.Put(new SyncCheckpoint(key, value, stored?.Version ?? 0));
            }

            if (!changes.HasChanges)
            {
                Interlocked.Add(ref counters.SubmissionsSkipped, skipped);
                return;
            }

            await SaveAsync(changes, ct).ConfigureAwait(false);
            Interlocked.Increment(ref counters.CoursesSaved);
            Interlocked.Add(ref counters.RostersSaved, rosterChanged ? 1 : 0);
            Interlocked.Add(ref counters.ArtifactsSuggested, suggested);
            Interlocked.Add(ref counters.ArtifactsUpdated, updated);
            Interlocked.Add(ref counters.ArtifactsWithdrawn, withdrawn);
            Interlocked.Add(ref counters.SubmissionsSkipped, skipped);
            LogCourseSaved(sync.logger, id, rosterChanged, suggested, withdrawn);
        }

        private static bool SameRoster(Roster? existing, Roster desired) =>
            existing is not null && existing with { Version = 0 } == desired with { Version = 0 };

        private SkillId[] SuggestSkills(string courseId, CourseWorkDto cw)
        {
            var view = CourseWorkReader.Read(courseId, cw);
            return sync.strategy.SuggestSkills(view, skills).Distinct().ToArray();
        }

        private enum ArtifactChange
        {
            None,
            Suggested,
            Updated,
        }

        private sealed record AttachmentRef(string Key, string? Title, string? DriveFileId);

        private static IEnumerable<AttachmentRef> Attachments(StudentSubmissionDto s)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in s.AssignmentSubmission?.Attachments ?? [])
            {
                AttachmentRef? r = a switch
                {
                    { DriveFile.Id: { Length: > 0 } fileId } => new AttachmentRef(fileId, a.DriveFile.Title, fileId),
                    { Link.Url: { Length: > 0 } url } => new AttachmentRef(url, a.Link.Title, null),
                    { YouTubeVideo: { } v } when !string.IsNullOrEmpty(v.AlternateLink ?? v.Id) =>
                        new AttachmentRef(v.AlternateLink ?? "https://www.youtube.com/watch?v=" + v.Id, v.Title, null),
                    _ => null,
                };
                if (r is not null && seen.Add(r.Key))
                {
                    yield return r;
                }
            }
        }

        private async Task<ArtifactChange> PlanArtifactAsync(MappedCourse course, CourseWorkDto cw, StudentSubmissionDto s, StudentId student, AttachmentRef a, SkillId[] suggestedSkills, Command changes, CancellationToken ct)
        {
            var courseId = course.Course.Id;
            var id = ClassroomIds.Artifact(courseId, cw.Id!, s.Id!, a.Key);
            var grade = Options.IncludeGrades && s.State == "RETURNED" ? s.AssignedGrade : null;
            var source = new ClassroomSubmissionSource(courseId, cw.Id!, s.Id!, a.Key)
            {
                AssignmentTitle = cw.Title,
                AssignedGrade = grade,
                MaxPoints = cw.MaxPoints,
                DriveFileId = a.DriveFileId,
            };
            var existing = await Store.GetArtifactAsync(id, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                if (existing.State != CurationState.Suggested || existing.Source == source)
                {
                    return ArtifactChange.None;
                }

                var changed = existing with { Source = source };
                changes.Put(existing, changed);
                changes.Audit("classroom.artifact.update", existing.StudentId, id.ToString(), actor: Actor.CourseworkSync);

                return ArtifactChange.Updated;
            }

            var submittedOn = CourseCheckpoint.ParseTime(s.UpdateTime) is { } at ? sync.backpack.TodayAt(at) : today;
            var captured = new CaptureContext(sync.backpack.SchoolYearOf(submittedOn), course.Placement.Grade, course.Placement.SchoolId, course.Course.Name);
            var artifact = new Artifact(id, student, Title(cw.Title, a.Title), source, captured, CurationState.Suggested, now);
            changes.Put(null, artifact);
            changes.Audit("classroom.artifact.suggest", student, id.ToString(), actor: Actor.CourseworkSync);
            if (suggestedSkills.Length > 0)
            {
                changes.Put(new SyncCheckpoint(CourseCheckpoint.SkillsKeyPrefix + id, string.Join(',', suggestedSkills.Select(k => k.ToString()))));
            }

            return ArtifactChange.Suggested;
        }

        private string Title(string? assignment, string? attachment)
        {
            var max = sync.backpack.ArtifactRules.MaxTitleLength;
            var a = string.IsNullOrWhiteSpace(assignment) ? null : assignment.Trim();
            var f = string.IsNullOrWhiteSpace(attachment) ? null : attachment.Trim();
            var title = (a, f) switch
            {
                (null, null) => "Classroom submission",
                (null, _) => f!,
                (_, null) => a,
                _ when string.Equals(a, f, StringComparison.OrdinalIgnoreCase) => a,
                _ => $"{a} ({f})",
            };
            return title.Length <= max ? title : title[..max];
        }

        private async Task<int> WithdrawAsync(string courseId, HashSet<string> gone, SnapshotRoster roster, Command changes, CancellationToken ct)
        {
            var withdrawn = 0;
            foreach (var gid in roster.Students.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (await ResolveStudentAsync(gid, ct).ConfigureAwait(false) is not { } student)
                {
                    continue;
                }

                foreach (var artifact in await Store.ListArtifactsAsync(student, ct).ConfigureAwait(false))
                {
                    if (artifact.State == CurationState.Suggested && artifact.Source is ClassroomSubmissionSource src
                        && src.CourseId == courseId && gone.Contains(src.CourseWorkId))
                    {
                        var archived = artifact.MoveTo(CurationState.Archived);
                        changes.Put(artifact, archived);
                        changes.Audit("classroom.artifact.withdraw", student, artifact.Id.ToString(), actor: Actor.CourseworkSync);

                        withdrawn++;
                    }
                }
            }

            return withdrawn;
        }

        // ------------------------------------------------------------------ plumbing

        // Roster work runs as the roster sync job, coursework as the coursework job: both authorized by the policy
        // once per run (ExecuteAsync), each change set through the command path (planners, references, audit).
        private async Task<Command> BeginAsync(CancellationToken ct)
        {
            var command = await sync.path.BeginAsync(Actor.RosterSync, new AccessRequest(BackpackOperation.ImportRosters), "classroom.sync", ct).ConfigureAwait(false);
            command.RecordsOperation = false;
            return command;
        }

        private async Task SaveAsync(Command changes, CancellationToken ct)
        {
            await changes.CommitAsync(ct).ConfigureAwait(false);
            Interlocked.Increment(ref counters.ChangeSetsSaved);
        }

        private async Task RetryOnConflictAsync(string what, Func<Task> action, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await action().ConfigureAwait(false);
                    return;
                }
                catch (BackpackConcurrencyException) when (attempt <= Options.MaxConcurrencyRetries)
                {
                    LogConcurrency(sync.logger, what, attempt + 1);
                    studentIds.Clear();
                    ct.ThrowIfCancellationRequested();
                }
            }
        }

        private Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> body, CancellationToken ct) =>
            Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrentCourses, CancellationToken = ct }, async (item, token) =>
                await body(item, token).ConfigureAwait(false));
    }
}
