namespace Backpack.Core.Google.Emulator;

/// <summary>
/// One method call the emulator received, in arrival order: a plain request, one part of a batch, or one chunk of a
/// resumable upload. Requests to paths the emulator does not serve are recorded with a null <see cref="MethodId"/>.
/// </summary>
/// <param name="MethodId">The discovery method id, for example <c>drive.files.create</c>; null when no method matched.</param>
/// <param name="HttpMethod">The HTTP method, for example <c>POST</c>.</param>
/// <param name="Path">The request path without the query, for example <c>/drive/v3/files</c>.</param>
/// <param name="Status">The HTTP status answered, or 0 when the connection was dropped (an injected fault).</param>
/// <param name="Time">When the call was answered, on the emulator's clock.</param>
/// <param name="Batched">True when the call was one part of a batch request.</param>
public sealed record EmulatedRequest(string? MethodId, string HttpMethod, string Path, int Status, DateTimeOffset Time, bool Batched);
