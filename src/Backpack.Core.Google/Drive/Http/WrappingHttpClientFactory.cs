using Google.Apis.Http;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// Google.Apis' client factory with <see cref="BatchResponseGuard"/> over the primary handler (and, in tests, the
/// options' handler wrapper under it).
/// </summary>
internal sealed class WrappingHttpClientFactory(Func<HttpMessageHandler, HttpMessageHandler>? wrap) : HttpClientFactory
{
    public static IHttpClientFactory For(Func<HttpMessageHandler, HttpMessageHandler>? wrap) => new WrappingHttpClientFactory(wrap);

    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args)
    {
        var primary = base.CreateHandler(args);
        return new BatchResponseGuard(wrap is null ? primary : wrap(primary));
    }
}
