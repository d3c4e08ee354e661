using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Backpack.Samples.District;

/// <summary>
/// The sample's command line (System.CommandLine): every command and option typed, described and shown by
/// <c>--help</c> at every level; an unknown command or option, a missing value or a value of the wrong type is an
/// error naming it (exit code 1), before anything runs; a Backpack validation error while running exits with 2. With no command, the story runs.
/// </summary>
internal static class Cli
{
    // ---------------------------------------------------------------- options shared by the commands that use a store

    public static readonly Option<string?> Db = new("--db") { Description = "The SQLite file (default backpack.db in the current folder).", HelpName = "file" };

    public static readonly Option<string?> Postgres = new("--postgres") { Description = "Use PostgreSQL with this connection string instead of SQLite, e.g. \"Host=...;Username=...\".", HelpName = "connection" };

    public static readonly Option<bool> InMemory = new("--in-memory") { Description = "Keep nothing: an in-memory store." };

    public static readonly Option<Uri?> DriveUrl = new("--drive-url")
    {
        Description = "Use a standalone Google emulator for Drive, e.g. http://127.0.0.1:8787/.",
        HelpName = "url",
        CustomParser = r => AbsoluteUri(r, "--drive-url"),
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for machines instead of tables." };

    private static Option<int> StudentsPerGrade(int defaultValue) => Positive(new Option<int>("--students-per-grade")
    {
        Description = "Students per grade in the demo district.",
        HelpName = "n",
        DefaultValueFactory = _ => defaultValue,
    });

    /// <summary>The store options of a parsed command.</summary>
    public static StoreArgs Store(ParseResult r) => new(r.GetValue(Db), r.GetValue(Postgres), r.GetValue(InMemory), r.GetValue(DriveUrl));

    private static Command WithStore(Command command, bool drive = false)
    {
        command.Options.Add(Db);
        command.Options.Add(Postgres);
        command.Options.Add(InMemory);
        if (drive)
        {
            command.Options.Add(DriveUrl);
        }

        return command;
    }

    // ---------------------------------------------------------------- the tree

    public static RootCommand Build()
    {
        var fresh = new Option<bool>("--fresh") { Description = "Delete the SQLite file first and start over." };
        var storyStudents = StudentsPerGrade(12);
        var root = new RootCommand("Backpack.Core sample district host. With no command it runs the whole story (see 'run').");
        var run = WithStore(new Command("run", "The whole story: framework, rubrics, schools, students, artifacts, scoring, Defenses of Learning, Drive, reports. A second run finds the first run's district; a killed run resumes.") { fresh, storyStudents }, drive: true);
        run.SetAction((r, _) => Commands.RunStoryAsync(Store(r), r.GetValue(fresh), r.GetValue(storyStudents)));
        root.Subcommands.Add(run);

        // `dotnet run --project samples/Backpack.Samples.District` with no command (or only run's options) runs the story.
        foreach (var option in run.Options)
        {
            root.Options.Add(option);
        }

        root.SetAction((r, _) => Commands.RunStoryAsync(Store(r), r.GetValue(fresh), r.GetValue(storyStudents)));

        root.Subcommands.Add(Report());
        root.Subcommands.Add(Case());
        root.Subcommands.Add(Database());
        root.Subcommands.Add(Emulator());
        root.Subcommands.Add(Sync());
        root.Subcommands.Add(Import());
        root.Subcommands.Add(Access());
        root.Subcommands.Add(Retention());
        root.Subcommands.Add(Handoff());
        root.Subcommands.Add(Plan());
        root.Subcommands.Add(Passport());
        root.Subcommands.Add(Chaos());
        root.Subcommands.Add(ChaosWriter());
        root.Subcommands.Add(ChaosWorker());

        var help = new Command("help", "Show this help.");
        help.SetAction(r => root.Parse("--help").Invoke());
        root.Subcommands.Add(help);
        return root;
    }

    private static Command Report()
    {
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Also write readiness/coverage/growth .csv and .png (1200x800) to this folder.", HelpName = "dir" };
        var students = StudentsPerGrade(12);
        var report = WithStore(new Command("report", "The readiness, coverage and Defense-outcome reports of the demo district.") { outDir, students, Json });
        report.SetAction((r, _) => Commands.ReportAsync(Store(r), r.GetValue(outDir), r.GetValue(students), r.GetValue(Json)));

        var csv = new Option<FileInfo>("--csv") { Description = "Ratings as CSV: subject,rater,criterion,level.", HelpName = "file", Required = true };
        csv.AcceptExistingOnly();
        var agreement = new Command("agreement", "Inter-rater agreement per criterion (exact, adjacent, Fleiss' kappa, Krippendorff's alpha).") { csv, Json };
        agreement.SetAction((r, _) => AgreementCommands.RunAsync(r.GetValue(csv)!, r.GetValue(Json)));
        report.Subcommands.Add(agreement);
        return report;
    }

    private static Command Case()
    {
        var command = new Command("case", "CASE 1.1 frameworks (the graduate profile and its rubrics).");
        var importFile = new Argument<FileInfo>("file") { Description = "A CASE 1.1 (or 1.0) CFPackage JSON file." };
        importFile.AcceptExistingOnly();
        var import = new Command("import", "Import a CFPackage and summarise it (warnings name the JSON path).") { importFile, Json };
        import.SetAction((r, _) => CaseCommands.ImportAsync(r.GetValue(importFile)!, r.GetValue(Json)));
        var exportFile = new Argument<FileInfo>("file") { Description = "Where to write the CFPackage." };
        var export = new Command("export", "Export the demo district's framework and rubrics as CASE 1.1.") { exportFile, Json };
        export.SetAction((r, _) => CaseCommands.ExportAsync(r.GetValue(exportFile)!, r.GetValue(Json)));
        command.Subcommands.Add(import);
        command.Subcommands.Add(export);
        return command;
    }

    private static Command Database()
    {
        var command = new Command("db", "The database.");
        var migrate = WithStore(new Command("migrate", "Bring the database schema up to date.") { Json });
        migrate.SetAction((r, _) => Commands.MigrateAsync(Store(r), r.GetValue(Json)));
        command.Subcommands.Add(migrate);
        return command;
    }

    private static Command Emulator()
    {
        var port = Ranged(new Option<int>("--port") { Description = "The loopback port.", DefaultValueFactory = _ => 8787 }, 0, 65535);
        var seedDemo = new Option<bool>("--seed-demo") { Description = "Seed a demo district's Classroom courses, students and submissions." };
        var command = new Command("emulator", "Serve the Google Drive and Classroom emulator until stopped (any bearer token).") { port, seedDemo };
        command.SetAction((r, _) => GoogleCommands.ServeEmulatorAsync(r.GetValue(port), r.GetValue(seedDemo)));
        return command;
    }

    private static Command Sync()
    {
        var emulator = new Option<Uri?>("--emulator") { Description = "A running emulator's URL (default: an in-process one, seeded).", HelpName = "url", CustomParser = r => AbsoluteUri(r, "--emulator") };
        var classroom = WithStore(new Command("classroom", "Pull the demo district from Classroom and show the suggested artifacts.") { emulator });
        classroom.SetAction((r, _) => GoogleCommands.SyncClassroomAsync(Store(r), r.GetValue(emulator)));
        var command = new Command("sync", "Pull from Google.");
        command.Subcommands.Add(classroom);
        return command;
    }

    private static Command Import()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A OneRoster 1.1/1.2 CSV export (manifest.csv, orgs.csv, users.csv, ...)." };
        folder.AcceptExistingOnly();
        var oneRoster = WithStore(new Command("oneroster", "Load a OneRoster CSV export: schools, students, enrollments, transfers, rosters.") { folder, Json });
        oneRoster.SetAction((r, _) => GoogleCommands.ImportOneRosterAsync(Store(r), r.GetValue(folder)!, r.GetValue(Json)));
        var command = new Command("import", "Load roster data.");
        command.Subcommands.Add(oneRoster);
        return command;
    }

    private static Command Access()
    {
        var matrix = new Command("matrix", "Who may run what: every cell of the access table run through the services (for a privacy review).") { Json };
        matrix.SetAction((r, _) => AccessCommands.RunAsync(r.GetValue(Json)));
        var command = new Command("access", "The access policy.");
        command.Subcommands.Add(matrix);
        return command;
    }

    private static Command Retention()
    {
        var asOf = new Option<DateOnly?>("--as-of")
        {
            Description = "The day to apply the retention period on (default today).",
            HelpName = "yyyy-MM-dd",
            CustomParser = r => DateOnly.TryParseExact(r.Tokens.Single().Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : Error<DateOnly?>(r, $"--as-of '{r.Tokens.Single().Value}' is not a date (yyyy-MM-dd)."),
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the students due, purge nothing." };
        var run = WithStore(new Command("run", "Purge (or list) the students past the district's retention period after exit; ids and counts only.") { asOf, dryRun, Json });
        run.SetAction((r, _) => RetentionCommands.RunAsync(Store(r), r.GetValue(asOf), r.GetValue(dryRun), r.GetValue(Json)));
        var command = new Command("retention", "The district's retention of student records.");
        command.Subcommands.Add(run);
        return command;
    }

    private static Command Handoff()
    {
        var student = new Option<string>("--student") { Description = "The student's id, or 'first' for the demo's first graduate.", DefaultValueFactory = _ => "first", HelpName = "id|first" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where to write the archive.", DefaultValueFactory = _ => new DirectoryInfo("handoff"), HelpName = "dir" };
        var email = new Option<string?>("--email") { Description = "The graduate's personal email to share their showcases with (90 days).", HelpName = "address" };
        var run = WithStore(new Command("run", "The handoff of a student who graduated or withdrew: an offline archive (index.html, the signed passport); re-runs resume.") { student, outDir, email });
        run.SetAction((r, _) => HandoffCommands.RunAsync(Store(r), r.GetValue(student)!, r.GetValue(outDir)!, r.GetValue(email)));
        var command = new Command("handoff", "What the student takes with them.");
        command.Subcommands.Add(run);
        return command;
    }

    private static Command Plan()
    {
        var students = NonNegative(new Option<int>("--students") { Description = "Defenses to plan.", DefaultValueFactory = _ => 22_000, HelpName = "n" });
        var season = new Command("season", "Plan a synthetic Defense of Learning season, check it independently and report the panel load spread.") { students, Json };
        season.SetAction(r => SeasonCommands.Run(r.GetValue(students), r.GetValue(Json)));
        var command = new Command("plan", "Defense season planning.");
        command.Subcommands.Add(season);
        return command;
    }

    private static Command Passport()
    {
        var student = new Option<string>("--student") { Description = "The student's id, or 'first'.", DefaultValueFactory = _ => "first", HelpName = "id|first" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where to write clr.json and ob-N.json.", DefaultValueFactory = _ => new DirectoryInfo("passport"), HelpName = "dir" };
        var rule = new Option<string>("--rule") { Description = "Which skills count as met.", DefaultValueFactory = _ => "showcased" };
        rule.AcceptOnlyFromAmong("showcased", "defense");
        var export = WithStore(new Command("export", "A student's signed CLR 2.0 and Open Badges 3.0 credentials; the key is district-key.json beside the db.") { student, outDir, rule });
        export.SetAction((r, _) => PassportCommands.ExportAsync(Store(r), r.GetValue(student)!, r.GetValue(outDir)!, r.GetValue(rule)!));
        var file = new Argument<FileInfo>("file") { Description = "An OB 3.0 or CLR 2.0 credential (JSON)." };
        file.AcceptExistingOnly();
        var verify = new Command("verify", "Verify a credential: prints {\"verified\":..,\"errors\":[..]}.") { file };
        verify.SetAction((r, _) => PassportCommands.VerifyAsync(r.GetValue(file)!.FullName));
        var command = new Command("passport", "The verifiable passport.");
        command.Subcommands.Add(export);
        command.Subcommands.Add(verify);
        return command;
    }

    private static Command Chaos()
    {
        var engine = new Option<string>("--engine") { Description = "The store to run on.", DefaultValueFactory = _ => "sqlite" };
        engine.AcceptOnlyFromAmong("sqlite", "postgres");
        var kills = NonNegative(new Option<int>("--kills") { Description = "How many times to SIGKILL the story.", DefaultValueFactory = _ => 20, HelpName = "n" });
        var seed = NonNegative(new Option<int>("--seed") { Description = "Chooses the kill moments and the faults.", DefaultValueFactory = _ => 1, HelpName = "s" });
        var faultRate = new Option<double>("--fault-rate")
        {
            Description = "Share of Google requests that fail (0 to 1).",
            DefaultValueFactory = _ => 0.15,
            HelpName = "rate",
            CustomParser = r => double.TryParse(r.Tokens.Single().Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
                ? rate
                : Error<double>(r, $"--fault-rate '{r.Tokens.Single().Value}' is not a number between 0 and 1."),
        };
        var keep = new Option<bool>("--keep") { Description = "Keep the work folder (databases, logs)." };
        var students = StudentsPerGrade(4);
        var chaos = new Command("chaos", "Kill the story's process with SIGKILL N times against a faulty emulator, finish it, and compare with a clean run of the same seed.")
        {
            engine, kills, seed, students, faultRate, Postgres, Json, keep,
        };
        chaos.SetAction((r, _) => ChaosCommands.RunAsync(r.GetValue(engine)!, r.GetValue(Postgres), r.GetValue(kills), r.GetValue(seed), r.GetValue(students), r.GetValue(faultRate), r.GetValue(Json), r.GetValue(keep)));

        var concurrentEngine = new Option<string>("--engine") { Description = "The store to run on.", DefaultValueFactory = _ => "postgres" };
        concurrentEngine.AcceptOnlyFromAmong("sqlite", "postgres");
        var operations = Positive(new Option<int>("--operations") { Description = "Writes in all, shared by the writers.", DefaultValueFactory = _ => 5000, HelpName = "n" });
        var writers = Positive(new Option<int>("--writers") { Description = "Writer processes.", DefaultValueFactory = _ => 2, HelpName = "n" });
        var workers = Positive(new Option<int>("--workers") { Description = "Outbox-worker processes.", DefaultValueFactory = _ => 3, HelpName = "n" });
        var concurrent = new Command("concurrent", "Writer and outbox-worker processes on one store at once, checked for lost updates, duplicates and the readiness report.")
        {
            concurrentEngine, operations, writers, workers, seed, Postgres, Json, keep,
        };
        concurrent.SetAction((r, _) => ConcurrencyCommands.RunAsync(r.GetValue(concurrentEngine)!, r.GetValue(Postgres), r.GetValue(operations), r.GetValue(writers), r.GetValue(workers), r.GetValue(seed), r.GetValue(Json), r.GetValue(keep)));
        chaos.Subcommands.Add(concurrent);
        return chaos;
    }

    private static Command ChaosWriter()
    {
        var plan = new Option<FileInfo>("--plan") { Required = true };
        var writer = new Option<string>("--writer") { Required = true };
        var operations = new Option<int>("--operations") { Required = true };
        var seed = new Option<int>("--seed") { Required = true };
        var output = new Option<FileInfo>("--out") { Required = true };
        var command = WithStore(new Command("chaos-writer", "(internal) one writer process of 'chaos concurrent'.") { Hidden = true }, drive: true);
        foreach (var option in new Option[] { plan, writer, operations, seed, output })
        {
            command.Options.Add(option);
        }

        command.SetAction((r, _) => ConcurrencyCommands.WriterAsync(Store(r), r.GetValue(plan)!, r.GetValue(writer)!, r.GetValue(operations), r.GetValue(seed), r.GetValue(output)!));
        return command;
    }

    private static Command ChaosWorker()
    {
        var stopFile = new Option<FileInfo>("--stop-file") { Required = true };
        var worker = new Option<string>("--worker") { Required = true };
        var command = WithStore(new Command("chaos-worker", "(internal) one outbox-worker process of 'chaos concurrent'.") { Hidden = true }, drive: true);
        command.Options.Add(stopFile);
        command.Options.Add(worker);
        command.SetAction((r, _) => ConcurrencyCommands.WorkerAsync(Store(r), r.GetValue(stopFile)!, r.GetValue(worker)!));
        return command;
    }

    // ---------------------------------------------------------------- parsers and validators

    private static Uri? AbsoluteUri(ArgumentResult r, string name)
    {
        var text = r.Tokens.Single().Value;
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Error<Uri?>(r, $"{name} '{text}' is not an http(s) URL.");
        }

        return uri;
    }

    private static T Error<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }

    private static Option<int> Positive(Option<int> option) => Ranged(option, 1, int.MaxValue);

    private static Option<int> NonNegative(Option<int> option) => Ranged(option, 0, int.MaxValue);

    /// <summary>A whole number in [min, max]; anything else is a parse error naming the option and the value.</summary>
    private static Option<int> Ranged(Option<int> option, int min, int max)
    {
        option.CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return Error<int>(r, $"{option.Name} '{text}' is not a whole number.");
            }

            return value < min || value > max
                ? Error<int>(r, max == int.MaxValue ? $"{option.Name} must be {min} or more, not {value}." : $"{option.Name} must be between {min} and {max}, not {value}.")
                : value;
        };
        return option;
    }
}

/// <summary>Where the story's data lives: the SQLite file (default), PostgreSQL, or memory; and Drive, when a standalone emulator is named.</summary>
/// <param name="Db">The SQLite file, or the default <c>backpack.db</c>.</param>
/// <param name="Postgres">A PostgreSQL connection string, or SQLite.</param>
/// <param name="InMemory">Keep nothing.</param>
/// <param name="DriveUrl">A standalone emulator for Drive.</param>
internal sealed record StoreArgs(string? Db = null, string? Postgres = null, bool InMemory = false, Uri? DriveUrl = null)
{
    /// <summary>The SQLite file's full path.</summary>
    public string DatabasePath => Path.GetFullPath(Db ?? "backpack.db");

    /// <summary>The standalone emulator, if one is named.</summary>
    public RemoteDrive? Remote => DriveUrl is { } url ? new RemoteDrive(url) : null;

    /// <summary>The same store as options of a child process's command line.</summary>
    public IEnumerable<string> ToArgs()
    {
        if (Db is not null)
        {
            yield return "--db";
            yield return Db;
        }

        if (Postgres is not null)
        {
            yield return "--postgres";
            yield return Postgres;
        }

        if (InMemory)
        {
            yield return "--in-memory";
        }

        if (DriveUrl is not null)
        {
            yield return "--drive-url";
            yield return DriveUrl.ToString();
        }
    }
}
