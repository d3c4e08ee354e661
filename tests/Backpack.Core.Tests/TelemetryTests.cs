using System.Diagnostics;
using Backpack.Core.Access;
using Backpack.Core.Diagnostics;
using Backpack.Core.Artifacts;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Backpack.Core.Tests;

/// <summary>
/// Spans and metrics through OpenTelemetry's in-memory exporter. Other test classes run in parallel and report to the
/// same source and meter, so assertions look for this class's own operations and never for exact totals.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string NameMarker = "Zz-Telemetry-Name-Marker-7f3a";
    private static readonly ActivitySource TestSource = new("Backpack.Core.Tests.Telemetry");

    private const string EmailMarker = "zz-telemetry-email-marker-7f3a@example.org";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly Actor _admin = Actor.ForDistrictAdmin(PersonId.New());
    private readonly SchoolId _school = SchoolId.New();
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private ServiceProvider _provider = null!;
    private TracerProvider _tracing = null!;
    private MeterProvider _meters = null!;
    private Student _student = null!;

    private T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(BackpackTelemetry.ActivitySourceName, TestSource.Name).AddInMemoryExporter(_spans).Build();
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(BackpackTelemetry.MeterName).AddInMemoryExporter(_metrics).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock);
        services.AddBackpack(o => o.DistrictId = "test-district").UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_admin, new School(_school, "Aspen Elementary"));
        var student = new Student(StudentId.New(), "D-telemetry", NameMarker, [new Enrollment(_school, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 8, 20))]) { Email = EmailMarker };
        _student = await rosters.SaveStudentAsync(_admin, student);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _tracing.Dispose();
        _meters.Dispose();
    }

    /// <summary>A root span of this test's own: the spans under it are this test's, whatever runs in parallel.</summary>
    private static Activity Root() => TestSource.StartActivity("test") ?? throw new InvalidOperationException("The test source is not listened to.");

    private List<Activity> Spans(Activity root)
    {
        _tracing.ForceFlush();
        lock (_spans)
        {
            return [.. _spans.Where(s => s.TraceId == root.TraceId && s.Source.Name == BackpackTelemetry.ActivitySourceName)];
        }
    }

    private long Sum(string instrument, params (string Key, string Value)[] tags)
    {
        _meters.ForceFlush();
        long sum = 0;
        // Each flush appends a cumulative snapshot: the last one holds the totals.
        var metric = _metrics.LastOrDefault(m => m.Name == instrument);
        if (metric is not null)
        {
            foreach (var point in metric.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && (v as string) == t.Value))
                {
                    sum += point.GetSumLong();
                }
            }
        }

        return sum;
    }

    [Fact]
    public async Task GetBackpackAsync_Denied_SpanWithOutcomeDeniedAndDenialCounted()
    {
        using var root = Root();
        var panelist = Actor.ForPanelist(PersonId.New());

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(panelist, _student.Id));

        var span = Assert.Single(Spans(root), s => s.DisplayName == "backpack.ReadBackpack" && Equals(s.GetTagItem("backpack.role"), "Panelist"));
        Assert.Equal("denied", span.GetTagItem("backpack.outcome"));
        Assert.Equal("access-denied", span.GetTagItem("error.type"));
        Assert.Equal("Unrelated", span.GetTagItem("backpack.relation"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.True(Sum("backpack.access.denials", ("backpack.operation", "ReadBackpack"), ("backpack.role", "Panelist")) >= 1);
        Assert.True(Sum("backpack.operations", ("backpack.operation", "ReadBackpack"), ("backpack.outcome", "denied")) >= 1);
    }

    [Fact]
    public async Task GetBackpackAsync_OwnBackpack_SpanWithOutcomeAllowedAndStoreSaveTimed()
    {
        using var root = Root();
        await Get<BackpackService>().GetBackpackAsync(Actor.ForStudent(_student.Id), _student.Id);

        var span = Assert.Single(Spans(root), s => s.DisplayName == "backpack.ReadBackpack" && Equals(s.GetTagItem("backpack.role"), "Student"));
        Assert.Equal("allowed", span.GetTagItem("backpack.outcome"));
        Assert.Equal("ReadBackpack", span.GetTagItem("backpack.operation"));
        Assert.Equal("OwnWork", span.GetTagItem("backpack.relation"));
        Assert.Equal(BackpackTelemetry.ActivitySourceName, span.Source.Name);
        Assert.True(Sum("backpack.operations", ("backpack.operation", "ReadBackpack"), ("backpack.outcome", "allowed")) >= 1);
        _meters.ForceFlush();
        Assert.Contains(_metrics, m => m.Name == "backpack.store.save.duration" && m.MetricPoints.Any(p => p.GetHistogramCount() > 0));
    }

    [Fact]
    public async Task Operations_StudentWithMarkedNameAndEmail_NoTagCarriesPersonalDataOrStudentId()
    {
        using var root = Root();
        await Get<BackpackService>().GetBackpackAsync(Actor.ForStudent(_student.Id), _student.Id);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.ForGuardian(PersonId.New()), _student.Id));
        await Get<RosterService>().SaveStudentAsync(_admin, _student with { DisplayName = NameMarker + " renamed" });

        var spans = Spans(root);
        _meters.ForceFlush();
        Assert.NotEmpty(spans);
        var values = spans.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString()))
            .Concat(spans.Select(s => s.DisplayName))
            .Concat(spans.Select(s => s.StatusDescription))
            .Concat(_metrics.SelectMany(m => m.MetricPoints).SelectMany(p => Tags(p)))
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(values);
        Assert.DoesNotContain(values, v => v.Contains(NameMarker, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(values, v => v.Contains(EmailMarker, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(values, v => v.Contains(_student.Id.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DrainAsync_PermanentFailure_OutboxAttemptAndDeadLetterCounted()
    {
        using var root = Root();
        var store = new InMemoryBackpackStore();
        var operation = $"telemetry.test-{Guid.NewGuid():N}";
        await store.SaveAsync(new ChangeSet().Put(new OutboxMessage(operation, "k1", "{}", _clock.GetUtcNow() - TimeSpan.FromMinutes(1))));
        var worker = new OutboxWorker(store, [new FailingHandler(operation)], _clock, Options.Create(new OutboxOptions()));

        await worker.DrainAsync();

        Assert.Equal(1, Sum("backpack.outbox.attempts", ("backpack.outbox.operation", operation)));
        Assert.Equal(1, Sum("backpack.outbox.dead_letters", ("backpack.outbox.operation", operation), ("error.type", "invalid-argument")));
        Assert.Equal(0, Sum("backpack.outbox.completions", ("backpack.outbox.operation", operation)));
        var span = Assert.Single(Spans(root), s => Equals(s.GetTagItem("backpack.outbox.operation"), operation));
        Assert.Equal("backpack.outbox.handle", span.DisplayName);
        Assert.Equal("dead-lettered", span.GetTagItem("backpack.outcome"));
    }

    private static List<string?> Tags(MetricPoint point)
    {
        var values = new List<string?>();
        foreach (var tag in point.Tags)
        {
            values.Add(tag.Value?.ToString());
        }

        return values;
    }

    private sealed class FailingHandler(string operation) : IOutboxHandler
    {
        public string Operation => operation;

        public Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken) =>
            throw new ArgumentException("Bad payload.", nameof(entry));
    }
}
