using System.Net;
using System.Net.Http.Headers;

namespace Backpack.Core.Google.Tests.Fuzzing;

/// <summary>One HTTP response as it came over the wire.</summary>
internal sealed record WireResponse(HttpStatusCode Status, string? ContentType, byte[] Body);

/// <summary>
/// The handler under Google.Apis in the fuzz tests: records real responses from the emulator (per operation label),
/// then, in replay mode, answers every request in-process with one canned response (no network).
/// </summary>
internal sealed class WireSwitch
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<WireResponse>> recorded = new(StringComparer.Ordinal);

    /// <summary>The handler to put under Google.Apis (the options' WrapHttpHandler).</summary>
    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Handler(this, inner);

    /// <summary>The label responses are recorded under while not replaying.</summary>
    public string Label { get; set; } = "none";

    /// <summary>When set, every request gets this response in-process.</summary>
    public WireResponse? Replay { get; set; }

    /// <summary>Requests answered by the replay since it was last set.</summary>
    public int Replayed { get; set; }

    public IReadOnlyDictionary<string, List<WireResponse>> Recorded => recorded;

    private sealed class Handler(WireSwitch wire, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            wire.SendAsync(request, r => base.SendAsync(r, cancellationToken), cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Func<HttpRequestMessage, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (Replay is { } replay)
        {
            Replayed++;
            var content = new ByteArrayContent(replay.Body);
            if (replay.ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", replay.ContentType);
            }

            return new HttpResponseMessage(replay.Status) { Content = content, RequestMessage = request };
        }

        var response = await send(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var type = response.Content.Headers.ContentType?.ToString();
        lock (gate)
        {
            if (!recorded.TryGetValue(Label, out var list))
            {
                recorded[Label] = list = [];
            }

            list.Add(new WireResponse(response.StatusCode, type, body));
        }

        // The body was read: hand Google.Apis a fresh copy.
        var copy = new ByteArrayContent(body);
        foreach (var h in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        response.Content = copy;
        return response;
    }
}
