using System.Text.Json.Nodes;
using Backpack.Core.Google.Emulator.Internal;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

/// <summary>Every emulated route, HTTP method and query parameter must exist in Google's discovery documents.</summary>
public sealed class DiscoveryConformanceTests
{
    private static JsonObject Load(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name)))!;

    private static Dictionary<string, JsonObject> Methods(JsonObject discovery)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        void Walk(JsonObject? resource)
        {
            if (resource?["methods"] is JsonObject methods)
            {
                foreach (var (_, m) in methods)
                {
                    result[m!["id"]!.GetValue<string>()] = m.AsObject();
                }
            }

            if (resource?["resources"] is JsonObject children)
            {
                foreach (var (_, child) in children)
                {
                    Walk(child!.AsObject());
                }
            }
        }

        Walk(discovery);
        return result;
    }

    public static TheoryData<string> Services() => new() { "drive.v3.json", "classroom.v1.json" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Routes_MatchDiscoveryDocument_PathMethodAndParameters(string document)
    {
        var discovery = Load(document);
        var methods = Methods(discovery);
        var globals = discovery["parameters"]!.AsObject().Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var servicePath = discovery["servicePath"]!.GetValue<string>();
        var prefix = document.Split('.')[0] + ".";

        await using var emu = await GoogleEmulator.StartAsync();
        var routes = emu.Routes.Where(r => r.MethodId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        var problems = new List<string>();
        foreach (var route in routes)
        {
            if (!methods.TryGetValue(route.MethodId, out var method))
            {
                problems.Add($"{route.MethodId}: not in {document}");
                continue;
            }

            if (method["httpMethod"]!.GetValue<string>() != route.HttpMethod)
            {
                problems.Add($"{route.MethodId}: HTTP method {route.HttpMethod}, discovery says {method["httpMethod"]}");
            }

            if (route.IsUpload)
            {
                var uploadPath = method["mediaUpload"]?["protocols"]?["simple"]?["path"]?.GetValue<string>();
                if (uploadPath != "/" + route.ServicePath + route.PathTemplate)
                {
                    problems.Add($"{route.MethodId}: upload path /{route.ServicePath}{route.PathTemplate}, discovery says {uploadPath}");
                }
            }
            else
            {
                if (route.ServicePath != servicePath)
                {
                    problems.Add($"{route.MethodId}: service path {route.ServicePath}, discovery says {servicePath}");
                }

                if (method["path"]!.GetValue<string>() != route.PathTemplate)
                {
                    problems.Add($"{route.MethodId}: path {route.PathTemplate}, discovery says {method["path"]}");
                }
            }

            var parameters = method["parameters"]?.AsObject() ?? [];
            foreach (var name in route.QueryParameters)
            {
                if (!parameters.ContainsKey(name) && !globals.Contains(name))
                {
                    problems.Add($"{route.MethodId}: reads query parameter '{name}' that the discovery document does not define");
                }
                else if (parameters[name] is JsonObject p && p["location"]?.GetValue<string>() != "query")
                {
                    problems.Add($"{route.MethodId}: '{name}' is not a query parameter in discovery");
                }
            }

            foreach (var pathParam in route.PathTemplate.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1]))
            {
                if (parameters[pathParam]?["location"]?.GetValue<string>() != "path")
                {
                    problems.Add($"{route.MethodId}: path parameter '{pathParam}' is not a path parameter in discovery");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Routes_CoverTheDriveAndClassroomMethodsTheAdaptersUse()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var ids = emu.Routes.Select(r => r.MethodId).ToHashSet(StringComparer.Ordinal);
        string[] required =
        [
            "drive.files.create", "drive.files.list", "drive.files.get", "drive.files.update", "drive.files.copy", "drive.files.delete",
            "drive.files.generateIds", "drive.permissions.create", "drive.permissions.list", "drive.permissions.update",
            "drive.permissions.delete", "drive.changes.getStartPageToken", "drive.changes.list",
            "classroom.courses.list", "classroom.courses.students.list", "classroom.courses.teachers.list",
            "classroom.courses.courseWork.list", "classroom.courses.courseWork.studentSubmissions.list",
            "classroom.userProfiles.get", "classroom.userProfiles.guardians.list", "classroom.registrations.create",
        ];
        Assert.All(required, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void DriveDiscovery_BatchPathAndServicePath_MatchTheEmulatorUris()
    {
        var discovery = Load("drive.v3.json");
        Assert.Equal("batch/drive/v3", discovery["batchPath"]!.GetValue<string>());
        Assert.Equal("drive/v3/", discovery["servicePath"]!.GetValue<string>());
    }

    [Fact]
    public void ApiCall_UndeclaredQueryParameter_IsAProgrammingError()
    {
        var route = new ApiRoute(ApiService.Drive, "drive.files.get", "GET", "drive/v3/", "files/{fileId}", [], _ => ApiResult.NoContent());
        var call = new ApiCall(route, "u", [], new Dictionary<string, string> { ["orderBy"] = "name" }, [], null, new Dictionary<string, string>(), new Uri("http://127.0.0.1/"));
        Assert.Throws<InvalidOperationException>(() => call.Query("orderBy"));
        Assert.Null(call.Query("fields"));
    }
}
