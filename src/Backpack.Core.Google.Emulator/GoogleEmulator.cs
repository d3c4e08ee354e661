using System.Net;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Emulator.Internal;
using Backpack.Core.Google.Emulator.Internal.Classroom;
using Backpack.Core.Google.Emulator.Internal.Drive;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backpack.Core.Google.Emulator;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the Google Drive v3 (and Classroom v1) wire format for the subset
/// Backpack.Core uses: in-memory state, any bearer token accepted, request and quota counters, emulated quotas and
/// reproducible fault injection. Point a Google.Apis <c>BaseClientService.Initializer.BaseUri</c> at
/// <see cref="DriveBaseUri"/> or <see cref="ClassroomBaseUri"/>.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions());
/// var initializer = new BaseClientService.Initializer { BaseUri = emulator.DriveBaseUri.ToString() };
/// </code>
/// </example>
public sealed class GoogleEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly DriveApi drive;
    private readonly ClassroomApi classroom;
    private readonly Counters counters = new();
    private readonly RequestLog requests;
    private readonly QuotaTracker quota;
    private readonly FaultInjector faults;
    private readonly IdGenerator ids;
    private readonly HttpFront front;
    private int disposed;

    private GoogleEmulator(GoogleEmulatorOptions options, WebApplication app)
    {
        this.app = app;
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GoogleEmulator>();
        ids = new IdGenerator(options.Seed);
        drive = new DriveApi(gate, options.TimeProvider, ids);
        classroom = new ClassroomApi(options.TimeProvider, ids);
        quota = new QuotaTracker(options.TimeProvider, options.DriveQuota ?? new QuotaOptions(), options.ClassroomQuota ?? new QuotaOptions());
        faults = new FaultInjector(options.Faults);
        requests = new RequestLog(options.TimeProvider);
        var pipeline = new CallPipeline(gate, counters, quota, faults, requests, options.TimeProvider, logger);
        front = new HttpFront(drive.Routes().Concat(classroom.Routes()), pipeline, counters, requests, options.TimeProvider, drive, gate, logger, GetState, Reset);
        Logger = logger;
    }

    private ILogger Logger { get; }

    /// <summary>The emulator's root, for example <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseUri { get; private set; } = DriveApi.DefaultRoot;

    /// <summary>The Drive v3 base URI (<c>{root}drive/v3/</c>), for <c>Initializer.BaseUri</c> of a Drive service.</summary>
    public Uri DriveBaseUri => new(BaseUri, DriveApi.ServicePath);

    /// <summary>The Drive v3 upload base (<c>{root}upload/drive/v3/</c>); Google.Apis derives it from the base URI's host.</summary>
    public Uri DriveUploadUri => new(BaseUri, DriveApi.UploadServicePath);

    /// <summary>The Drive batch endpoint (<c>{root}batch/drive/v3</c>); pass it explicitly to a Google.Apis <c>BatchRequest</c>.</summary>
    public Uri DriveBatchUri => new(BaseUri, "batch/drive/v3");

    /// <summary>The Classroom v1 base URI (the root: REST paths start with <c>v1/</c>).</summary>
    public Uri ClassroomBaseUri => BaseUri;

    /// <summary>The Classroom batch endpoint (<c>{root}batch</c>).</summary>
    public Uri ClassroomBatchUri => new(BaseUri, "batch");

    /// <summary>The emulator's own admin endpoints: <c>stats</c> (GET), <c>state</c> (GET) and <c>reset</c> (POST).</summary>
    public Uri AdminUri => new(BaseUri, "_emulator/");

    /// <summary>The id of the emulated user's My Drive root folder (also reachable as the alias <c>root</c>).</summary>
    public string DriveRootFolderId => drive.RootId;

    /// <summary>Starts an emulator on 127.0.0.1.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    public static async Task<GoogleEmulator> StartAsync(GoogleEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GoogleEmulatorOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options.Port));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GoogleEmulator).Assembly.GetName().Name,
        });
        builder.Services.AddLogging();
        if (options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(options.LoggerFactory);
        }

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var emulator = new GoogleEmulator(options, app);
        app.Run(emulator.front.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        emulator.BaseUri = new Uri($"http://127.0.0.1:{port}/");
        emulator.front.Root = emulator.BaseUri;
        emulator.drive.Root = emulator.BaseUri;
        emulator.classroom.Root = emulator.BaseUri;
        Log.Started(emulator.Logger, emulator.BaseUri);
        return emulator;
    }

    /// <summary>Returns a snapshot of the counters.</summary>
    /// <returns>HTTP requests, method calls by name, quota units, rate-limited calls and injected faults.</returns>
    public EmulatorStatistics GetStatistics() => counters.Snapshot();

    /// <summary>Replaces the fault injection settings and restarts their random sequence and schedule counts.</summary>
    /// <param name="faults">The new settings, or null to stop injecting faults.</param>
    public void SetFaults(FaultOptions? faults) => this.faults.Configure(faults);

    /// <summary>Replaces the emulated quotas; a null argument keeps that API's current quota.</summary>
    /// <param name="driveQuota">The Drive quota.</param>
    /// <param name="classroomQuota">The Classroom quota.</param>
    public void SetQuotas(QuotaOptions? driveQuota, QuotaOptions? classroomQuota = null) => quota.Configure(driveQuota, classroomQuota);

    /// <summary>
    /// Clears all state (files, permissions, changes, uploads and seeded Classroom data), the counters and the quota
    /// windows, and restarts the fault sequence and the id generator. Same as <c>POST /_emulator/reset</c>.
    /// </summary>
    public void Reset()
    {
        lock (gate)
        {
            drive.Reset();
            classroom.Reset();
            ids.Reset();
        }

        counters.Reset();
        requests.Clear();
        quota.Reset();
        faults.Restart();
    }

    /// <summary>Returns the whole state as JSON, the same document as <c>GET /_emulator/state</c>.</summary>
    /// <returns>A detached JSON object.</returns>
    public JsonObject GetState()
    {
        lock (gate)
        {
            return new JsonObject
            {
                ["drive"] = drive.ExportState(BaseUri),
                ["classroom"] = classroom.ExportState(),
                ["statistics"] = HttpFront.StatisticsJson(counters.Snapshot()),
            };
        }
    }

    /// <summary>
    /// Adds a Drive file directly (no request is counted), as Drive's own JSON: <c>name</c>, <c>mimeType</c>,
    /// <c>parents</c> (one id, default My Drive), <c>appProperties</c>, <c>properties</c>, <c>shortcutDetails</c>,
    /// and optionally any <c>id</c>. Records a change like a create would.
    /// </summary>
    /// <param name="file">The file metadata.</param>
    /// <param name="content">Optional binary content.</param>
    /// <returns>The new file's id.</returns>
    public string SeedDriveFile(JsonObject file, byte[]? content = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (gate)
        {
            try
            {
                return drive.CreateFile((JsonObject)file.DeepClone(), content, content is null ? null : "application/octet-stream", "seed@emulator.invalid", apply: true, generatedIdsOnly: false).Id;
            }
            catch (ApiErrorException ex)
            {
                throw new ArgumentException($"The file cannot be seeded: {ex.Message} ({ex.Reason}).", nameof(file), ex);
            }
        }
    }

    /// <summary>
    /// Returns typed snapshots of every Drive file (the My Drive root excluded), in creation order, for tests that
    /// assert what an app did: names, parents, trash, app properties, shortcut targets, content size and checksum,
    /// times and live permissions. <see cref="GetState"/> gives the same state as Drive's JSON.
    /// </summary>
    /// <returns>An immutable list of immutable snapshots.</returns>
    public IReadOnlyList<EmulatedDriveFile> GetDriveFiles()
    {
        lock (gate)
        {
            return drive.Snapshots().AsReadOnly();
        }
    }

    /// <summary>Returns the live (unexpired) permissions of one Drive file, the owner's first.</summary>
    /// <param name="fileId">The file id (or <c>root</c>).</param>
    /// <returns>An immutable list of permissions.</returns>
    /// <exception cref="ArgumentException">No file has that id.</exception>
    public IReadOnlyList<EmulatedPermission> GetDrivePermissions(string fileId)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        lock (gate)
        {
            return drive.PermissionSnapshots(fileId)?.AsReadOnly()
                ?? throw new ArgumentException($"No Drive file has the id '{fileId}'.", nameof(fileId));
        }
    }

    /// <summary>
    /// Returns the method calls received since start or the last <see cref="Reset"/>, in arrival order (the most recent
    /// 100,000): discovery method id, HTTP method, path, status and time, so tests can assert which calls an app made.
    /// </summary>
    /// <returns>An immutable list of recorded calls.</returns>
    public IReadOnlyList<EmulatedRequest> GetRequests() => requests.Snapshot();

    /// <summary>Returns a Drive file's full JSON representation, or null when it does not exist.</summary>
    /// <param name="fileId">The file id (or <c>root</c>).</param>
    /// <returns>A detached JSON object, or null.</returns>
    public JsonObject? GetDriveFile(string fileId)
    {
        lock (gate)
        {
            return drive.GetFileJson(fileId, BaseUri);
        }
    }

    /// <summary>Returns a copy of a Drive file's binary content, or null when it has none or does not exist.</summary>
    /// <param name="fileId">The file id.</param>
    /// <returns>The bytes, or null.</returns>
    public byte[]? GetDriveFileContent(string fileId)
    {
        lock (gate)
        {
            return drive.GetContent(fileId)?.ToArray();
        }
    }

    /// <summary>The number of Drive files (excluding the My Drive root).</summary>
    public int DriveFileCount
    {
        get
        {
            lock (gate)
            {
                return drive.FileCount;
            }
        }
    }

    internal IReadOnlyList<ApiRoute> Routes => front.Routes;

    /// <summary>
    /// Adds a Classroom course, as Classroom's JSON (<c>name</c>, <c>section</c>, <c>ownerId</c>, <c>courseState</c>
    /// default ACTIVE, <c>teacherFolder</c>, ...); an <c>id</c> is generated when absent.
    /// </summary>
    /// <param name="course">The course.</param>
    /// <returns>The course id.</returns>
    /// <exception cref="ArgumentException">The id is already used.</exception>
    public string SeedClassroomCourse(JsonObject course)
    {
        ArgumentNullException.ThrowIfNull(course);
        lock (gate)
        {
            return classroom.SeedCourse(course);
        }
    }

    /// <summary>
    /// Adds a Classroom user profile (<c>id</c>, <c>name{givenName,familyName,fullName}</c>, <c>emailAddress</c>); users
    /// can then be enrolled, looked up by id or email, and used as "me" when the bearer token equals their id or email.
    /// </summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The user id.</returns>
    public string SeedClassroomUser(JsonObject profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        lock (gate)
        {
            return classroom.SeedUser(profile);
        }
    }

    /// <summary>Enrolls a seeded user in a seeded course as a student or a teacher.</summary>
    /// <param name="courseId">The course id.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="asTeacher">True for a teacher, false for a student.</param>
    /// <exception cref="ArgumentException">The course or the user does not exist.</exception>
    public void EnrollClassroomUser(string courseId, string userId, bool asTeacher = false)
    {
        ArgumentNullException.ThrowIfNull(courseId);
        ArgumentNullException.ThrowIfNull(userId);
        lock (gate)
        {
            classroom.Enroll(courseId, userId, asTeacher);
        }
    }

    /// <summary>Adds coursework to a course (<c>title</c>, <c>state</c> default PUBLISHED, <c>workType</c>, <c>dueDate</c>, <c>materials</c>, ...).</summary>
    /// <param name="courseId">The course id.</param>
    /// <param name="courseWork">The coursework.</param>
    /// <returns>The coursework id.</returns>
    public string SeedClassroomCourseWork(string courseId, JsonObject courseWork)
    {
        ArgumentNullException.ThrowIfNull(courseId);
        ArgumentNullException.ThrowIfNull(courseWork);
        lock (gate)
        {
            return classroom.SeedCourseWork(courseId, courseWork);
        }
    }

    /// <summary>
    /// Adds a student submission (<c>userId</c> required; <c>state</c> default CREATED, <c>late</c>,
    /// <c>assignedGrade</c>, <c>assignmentSubmission.attachments[].driveFile</c>, ...).
    /// </summary>
    /// <param name="courseId">The course id.</param>
    /// <param name="courseWorkId">The coursework id.</param>
    /// <param name="submission">The submission.</param>
    /// <returns>The submission id.</returns>
    public string SeedClassroomSubmission(string courseId, string courseWorkId, JsonObject submission)
    {
        ArgumentNullException.ThrowIfNull(courseId);
        ArgumentNullException.ThrowIfNull(courseWorkId);
        ArgumentNullException.ThrowIfNull(submission);
        lock (gate)
        {
            return classroom.SeedSubmission(courseId, courseWorkId, submission);
        }
    }

    /// <summary>Adds a guardian of a seeded student (<c>guardianProfile</c>, <c>invitedEmailAddress</c>).</summary>
    /// <param name="studentId">The student's user id.</param>
    /// <param name="guardian">The guardian.</param>
    /// <returns>The guardian id.</returns>
    public string SeedClassroomGuardian(string studentId, JsonObject guardian)
    {
        ArgumentNullException.ThrowIfNull(studentId);
        ArgumentNullException.ThrowIfNull(guardian);
        lock (gate)
        {
            return classroom.SeedGuardian(studentId, guardian);
        }
    }

    /// <summary>The largest page the emulator serves for any Classroom list method (larger page sizes are capped).</summary>
    public static int ClassroomMaxPageSize => ClassroomApi.MaxPageSize;

    /// <summary>
    /// The lower bound on requests any client needs to read all current Classroom data at the maximum page size:
    /// one paged <c>courses.list</c>; per course, paged <c>students.list</c>, <c>teachers.list</c>,
    /// <c>courseWork.list</c> (all states) and <c>studentSubmissions.list</c> with courseWorkId "-"; and one paged
    /// <c>guardians.list</c> with studentId "-". Every list costs at least one request even when empty. Compare it
    /// with <see cref="EmulatorStatistics.TotalMethodCalls"/> to see how close a sync comes to optimal.
    /// </summary>
    /// <returns>The minimum number of requests.</returns>
    public long ComputeClassroomMinimumRequests()
    {
        lock (gate)
        {
            return classroom.MinimumRequests();
        }
    }

    /// <summary>Stops the server.</summary>
    /// <param name="cancellationToken">Cancels a graceful stop.</param>
    /// <returns>A task that completes when the server stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    /// <summary>Stops the server and releases it.</summary>
    /// <returns>A task that completes when the server is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
