namespace Backpack.Core.Google.Classroom;

/// <summary>What one Classroom sync did. Counts only: no names, no student text.</summary>
public sealed record ClassroomSyncResult
{
    /// <summary>Courses Classroom listed.</summary>
    public int Courses { get; init; }

    /// <summary>Courses the district's mapping does not place at a school (left alone).</summary>
    public int UnmappedCourses { get; init; }

    /// <summary>Courses whose roster, artifacts or checkpoint changed and were saved.</summary>
    public int CoursesSaved { get; init; }

    /// <summary>Courses that could not be read or saved, by course id, with the reason (no personal data).</summary>
    public IReadOnlyDictionary<string, string> FailedCourses { get; init; } = new Dictionary<string, string>();

    /// <summary>Students created from Classroom rosters.</summary>
    public int StudentsCreated { get; init; }

    /// <summary>Students enrolled again (they were not enrolled on the sync date).</summary>
    public int StudentsEnrolled { get; init; }

    /// <summary>Students moved to another school or grade (<c>Student.TransferTo</c>): one backpack, a new enrollment.</summary>
    public int StudentsTransferred { get; init; }

    /// <summary>Students whose identities or guardians changed.</summary>
    public int StudentsUpdated { get; init; }

    /// <summary>Rosters added or changed (teachers or students joined or left, archived).</summary>
    public int RostersSaved { get; init; }

    /// <summary>Artifacts suggested to students from turned-in or returned work.</summary>
    public int ArtifactsSuggested { get; init; }

    /// <summary>Suggested artifacts whose returned grade or assignment title changed.</summary>
    public int ArtifactsUpdated { get; init; }

    /// <summary>Suggestions withdrawn (archived) because their coursework was deleted; collected artifacts are never touched.</summary>
    public int ArtifactsWithdrawn { get; init; }

    /// <summary>Turned-in submissions of users who are no student the backpack knows (not on any roster).</summary>
    public int SubmissionsSkipped { get; init; }

    /// <summary>Classroom requests made (list pages and gets; retries not included).</summary>
    public long Requests { get; init; }

    /// <summary>HTTP attempts retried (rate limits, server errors, dropped connections).</summary>
    public long Retries { get; init; }

    /// <summary>Answers that were rate limits (HTTP 429, or 403 with a rate-limit reason).</summary>
    public long RateLimitedResponses { get; init; }

    /// <summary>Change sets saved to the store.</summary>
    public int ChangeSetsSaved { get; init; }

    /// <summary>Whether the sync saved nothing.</summary>
    public bool ChangedNothing => ChangeSetsSaved == 0;
}
