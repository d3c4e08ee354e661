using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Google.Tests.Classroom;
using FsCheck;
using FsCheck.Fluent;

namespace Backpack.Core.Google.Tests.Fuzzing;

/// <summary>
/// Hostile Google responses at volume, in-process: real responses of the emulator are recorded once per operation,
/// then each case answers every request of one client operation with a mutated copy of one of them (byte flips,
/// truncations, duplicated and deleted slices, splices; status and Content-Type kept). The Drive and Classroom clients
/// either succeed or throw <see cref="BackpackGoogleException"/> naming the method; never any other exception, never a
/// hang. <see cref="Mutations.Cases"/> cases per API (<c>BACKPACK_FUZZ_CASES</c>, <c>BACKPACK_FUZZ_SEED</c>).
/// </summary>
public sealed class ClientFuzzTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    /// <summary>One client operation: the method name its errors must carry, and how to run it.</summary>
    private sealed record Operation<TClient>(string Label, string Method, Func<TClient, Task<object?>> Run)
    {
        public override string ToString() => Label;
    }

    [Fact]
    public async Task DriveClient_MutatedResponses_SucceedOrBackpackGoogleExceptionNamingTheMethod()
    {
        var wire = new WireSwitch();
        await using var emulator = await DriveHarness.StartEmulatorAsync(new VirtualClock(DriveHarness.Start));
        await using var h = new DriveHarness(emulator, new VirtualClock(DriveHarness.Start), o =>
        {
            o.WrapHttpHandler = wire.Wrap;
            o.MaxAttempts = 2;
            o.RetryBaseDelay = TimeSpan.Zero;
            o.RetryMaxDelay = TimeSpan.Zero;
            o.IdBlockSize = 3;
        });
        var folder = emulator.SeedDriveFile(new JsonObject { ["name"] = "Backpack", ["mimeType"] = "application/vnd.google-apps.folder", ["appProperties"] = new JsonObject { ["backpackKind"] = "fuzz" } });
        var file = emulator.SeedDriveFile(new JsonObject { ["name"] = "work.pdf", ["mimeType"] = "application/pdf", ["parents"] = new JsonArray(folder), ["appProperties"] = new JsonObject { ["backpackKind"] = "fuzz" } }, [1, 2, 3]);
        const string User = "default";
        var body = new DriveFile { Name = "made", MimeType = "application/vnd.google-apps.folder", AppProperties = new Dictionary<string, string> { ["backpackKind"] = "made" } };
        var operations = new List<Operation<DriveClient>>
        {
            new("generateIds", "files.generateIds", async c => await c.TakeIdAsync(User, default)),
            new("get", "files.get", async c => await c.GetAsync(User, file, default)),
            new("get-missing", "files.get", async c => await c.GetAsync(User, "missing-file", default)),
            new("find", "files.list", async c => await c.FindAsync(User, [KeyValuePair.Create("backpackKind", "fuzz")], default)),
            new("update", "files.update", async c => await c.UpdateAsync(User, file, new DriveFile { Name = "renamed.pdf" }, null, null, default)),
            new("startPageToken", "changes.getStartPageToken", async c => await c.GetStartPageTokenAsync(User, default)),
            new("changes", "changes.list", async c => await c.ListChangesAsync(User, "1", default)),
            new("permissions-batch", "permissions.list", async c => await c.ListPermissionsAsync(User, [folder, file], default)),
            new("create-batch", "files.create", async c => await c.ExecuteManyAsync(User, [() => c.CreateRequest(User, body), () => c.CreateRequest(User, body)], default)),
        };

        // Record the real responses of each operation, plus a rate-limit answer and a server error.
        using var client = new DriveClient(h.Connections, h.Clock);
        foreach (var op in operations)
        {
            wire.Label = op.Label;
            await op.Run(new DriveClient(h.Connections, h.Clock));
        }

        emulator.SetFaults(new FaultOptions { Schedule = { new ScheduledFault("drive.files.get", 1, FaultKind.UserRateLimitExceeded), new ScheduledFault("drive.files.get", 3, FaultKind.InternalError) } });
        wire.Label = "get";
        await client.GetAsync(User, file, default);
        await client.GetAsync(User, file, default);
        emulator.SetFaults(null);

        var failures = await FuzzAsync(wire, operations, () => new DriveClient(h.Connections, h.Clock), "Drive");

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(15)));
    }

    [Fact]
    public async Task ClassroomClient_MutatedResponses_SucceedOrBackpackGoogleExceptionNamingTheMethod()
    {
        var wire = new WireSwitch();
        await using var h = await ClassroomHarness.StartAsync(o =>
        {
            o.WrapHttpHandler = wire.Wrap;
            o.MaxAttempts = 2;
            o.RetryBaseDelay = TimeSpan.Zero;
            o.RetryMaxDelay = TimeSpan.Zero;
            o.PageSize = 2;
        });
        var world = new ClassroomWorld();
        world.AddUser("s1", "Ada Lovelace");
        world.AddUser("s2", "Grace Hopper");
        world.AddUser("s3", "Katherine Johnson");
        world.AddUser("t1", "Teacher One");
        world.Courses.Add(new WorldCourse("c1", "Biology", School: 1, Grade: 5) { Students = ["s1", "s2", "s3"], Teachers = ["t1"] });
        world.Courses.Add(new WorldCourse("c2", "Art", School: 1, Grade: 5) { Students = ["s1"], Teachers = ["t1"] });
        world.Work.Add(new WorldWork("c1", "w1", "Poster #communicator"));
        world.Work.Add(new WorldWork("c1", "w2", "Lab"));
        world.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-3), 90) { Attachments = [new WorldAttachment("drive1", null, "Poster.pdf"), new WorldAttachment(null, "https://example.org/x", "Site")] });
        world.Submissions.Add(new WorldSubmission("c1", "w2", "sub2", "s2", "CREATED", ClassroomHarness.Start.AddDays(-2)));
        world.Guardians.Add(("s1", "g1"));
        world.SeedInto(h.Emulator);
        var connection = h.Get<ClassroomConnection>();
        var operations = new List<Operation<ClassroomClient>>
        {
            new("courses", "courses.list", async c => await c.ListCoursesAsync(default)),
            new("students", "courses.students.list", async c => await c.ListStudentsAsync("c1", default)),
            new("teachers", "courses.teachers.list", async c => await c.ListTeachersAsync("c1", default)),
            new("courseWork", "courses.courseWork.list", async c => await c.ListCourseWorkAsync("c1", default)),
            new("submissions", "courses.courseWork.studentSubmissions.list", async c => await c.ListSubmissionsAsync("c1", default)),
            new("guardians", "userProfiles.guardians.list", async c => await c.ListAllGuardiansAsync(default)),
            new("profile", "userProfiles.get", async c => await c.GetUserProfileAsync("s1", default)),
            new("profile-missing", "userProfiles.get", async c => await c.GetUserProfileAsync("nobody", default)),
        };

        foreach (var op in operations)
        {
            wire.Label = op.Label;
            try
            {
                await op.Run(new ClassroomClient(connection, 2));
            }
            catch (BackpackGoogleException)
            {
                // The missing profile's 404 is a seed too.
            }
        }

        var failures = await FuzzAsync(wire, operations, () => new ClassroomClient(connection, 2), "Classroom");

        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(15)));
    }

    /// <summary>Runs <see cref="Mutations.Cases"/> cases: an operation, one of its recorded responses, mutated.</summary>
    private static async Task<List<string>> FuzzAsync<TClient>(WireSwitch wire, List<Operation<TClient>> operations, Func<TClient> newClient, string api)
    {
        var seeds = operations.Select(op => (op, responses: wire.Recorded[op.Label])).ToList();
        var cases = from pick in Gen.Elements(seeds.ToArray())
                    from response in Gen.Elements(pick.responses.ToArray())
                    from body in Mutations.Of(pick.responses.Select(r => r.Body).Append(response.Body).ToArray())
                    select (pick.op, response: response with { Body = body });
        var failures = new List<string>();
        var typed = 0;
        var succeeded = 0;
        Check.One(Mutations.Config, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            wire.Replay = c.response;
            wire.Replayed = 0;
            try
            {
                // On its own thread: a client that loops without yielding must not stop the test from reporting it.
                var client = newClient();
                var run = Task.Run(() => c.op.Run(client));
                if (!run.Wait(Hang))
                {
                    failures.Add($"{api} {c.op}: no answer after {Hang.TotalSeconds} s ({wire.Replayed} requests) for {Describe(c.response)}");
                    return true;
                }

                succeeded++;
            }
            catch (AggregateException ae) when (ae.InnerException is BackpackGoogleException e)
            {
                typed++;
                if (!e.Message.Contains(c.op.Method, StringComparison.Ordinal))
                {
                    failures.Add($"{api} {c.op}: the error does not name {c.op.Method}: {e.Message}");
                }
            }
            catch (AggregateException ae)
            {
                var e = ae.InnerException!;
                failures.Add($"{api} {c.op}: {e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Backpack", StringComparison.Ordinal))?.Trim()} for {Describe(c.response)}");
            }
            finally
            {
                wire.Replay = null;
            }

            return true;
        }));

        Assert.True(typed > Mutations.Cases / 20, $"only {typed} of {Mutations.Cases} mutated {api} responses were rejected: the mutations are too weak");
        Assert.True(succeeded > 0, "no mutated response was accepted: the seeds are not being served");
        return failures;
    }

    private static string Describe(WireResponse r)
    {
        var text = Encoding.UTF8.GetString(r.Body);
        return $"HTTP {(int)r.Status} '{(text.Length > 160 ? text[..160] : text).ReplaceLineEndings(" ")}'";
    }
}
