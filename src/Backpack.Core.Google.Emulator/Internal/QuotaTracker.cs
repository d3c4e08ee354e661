namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Fixed one-minute quota windows per (service, user) and per service for the project.</summary>
internal sealed class QuotaTracker
{
    private readonly TimeProvider time;
    private readonly Dictionary<(ApiService Service, string User), Window> users = [];
    private readonly Dictionary<ApiService, Window> projects = [];
    private readonly Lock gate = new();
    private QuotaOptions drive;
    private QuotaOptions classroom;

    public QuotaTracker(TimeProvider time, QuotaOptions drive, QuotaOptions classroom)
    {
        this.time = time;
        this.drive = Copy(drive);
        this.classroom = Copy(classroom);
    }

    public void Configure(QuotaOptions? driveQuota, QuotaOptions? classroomQuota)
    {
        lock (gate)
        {
            if (driveQuota is not null)
            {
                drive = Copy(driveQuota);
            }

            if (classroomQuota is not null)
            {
                classroom = Copy(classroomQuota);
            }
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            users.Clear();
            projects.Clear();
        }
    }

    /// <summary>Charges one unit, or returns the rate-limit error when a quota is exhausted.</summary>
    public ApiResult? TryAdmit(ApiService service, string user)
    {
        lock (gate)
        {
            var options = service == ApiService.Drive ? drive : classroom;
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var index = nowMs / 60_000;
            var retryAfter = TimeSpan.FromMilliseconds(((index + 1) * 60_000) - nowMs);
            var serviceName = service == ApiService.Drive ? "drive.googleapis.com" : "classroom.googleapis.com";

            var project = projects.TryGetValue(service, out var p) && p.Index == index ? p : new Window(index, 0);
            var key = (service, user);
            var own = users.TryGetValue(key, out var u) && u.Index == index ? u : new Window(index, 0);

            if (options.PerProjectPerMinute is { } projectLimit && project.Count >= projectLimit)
            {
                return Errors.RateLimited(
                    options.Use429 ? 429 : 403,
                    "rateLimitExceeded",
                    $"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service '{serviceName}' for consumer 'project_number:0'.",
                    retryAfter);
            }

            if (options.PerUserPerMinute is { } userLimit && own.Count >= userLimit)
            {
                return Errors.RateLimited(
                    options.Use429 ? 429 : 403,
                    options.Use429 ? "rateLimitExceeded" : "userRateLimitExceeded",
                    $"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service '{serviceName}' for consumer 'project_number:0'.",
                    retryAfter);
            }

            projects[service] = project with { Count = project.Count + 1 };
            users[key] = own with { Count = own.Count + 1 };
            return null;
        }
    }

    private static QuotaOptions Copy(QuotaOptions o) => new()
    {
        PerUserPerMinute = o.PerUserPerMinute,
        PerProjectPerMinute = o.PerProjectPerMinute,
        Use429 = o.Use429,
    };

    private readonly record struct Window(long Index, int Count);
}
