namespace Backpack.Core.OneRoster;

/// <summary>What a OneRoster import changed. Importing the same files again reports no changes.</summary>
public sealed record OneRosterImportResult
{
    /// <summary>The OneRoster version of the folder: <c>1.1</c> or <c>1.2</c>.</summary>
    public required string OneRosterVersion { get; init; }

    /// <summary>Schools created.</summary>
    public int SchoolsAdded { get; init; }

    /// <summary>Schools whose name or code changed.</summary>
    public int SchoolsUpdated { get; init; }

    /// <summary>Students created (new backpacks).</summary>
    public int StudentsAdded { get; init; }

    /// <summary>Existing students whose identities, guardians or enrollments changed.</summary>
    public int StudentsUpdated { get; init; }

    /// <summary>New enrollments at a different school than the student's previous one (moves between schools).</summary>
    public int Transfers { get; init; }

    /// <summary>Rosters created.</summary>
    public int RostersAdded { get; init; }

    /// <summary>Rosters whose name, school, year, teachers, students or archived state changed.</summary>
    public int RostersUpdated { get; init; }

    /// <summary>What was accepted with a warning (ignored files, unused values).</summary>
    public ValueList<ValidationProblem> Warnings { get; init; } = ValueList<ValidationProblem>.Empty;

    /// <summary>Whether anything was written.</summary>
    public bool HasChanges => SchoolsAdded + SchoolsUpdated + StudentsAdded + StudentsUpdated + RostersAdded + RostersUpdated > 0;
}
