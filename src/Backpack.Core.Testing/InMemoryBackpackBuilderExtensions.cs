using Backpack.Core;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Backpack.Core.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory store.</summary>
public static class InMemoryBackpackBuilderExtensions
{
    /// <summary>
    /// Uses one <see cref="InMemoryBackpackStore"/> (a singleton) as the <see cref="IBackpackStore"/>, the
    /// <see cref="IOutboxStore"/> and the <see cref="IBulkLoader"/>. Registrations are <c>TryAdd</c>: safe
    /// to call twice, and a store registered earlier wins.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder UseInMemoryStore(this IBackpackBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(_ => new InMemoryBackpackStore());
    }
}
