using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Backpack.Core.Storage;

namespace Backpack.Core.Relational;

/// <content>Bulk load: a whole data set as new rows in one transaction, its rows built on another thread ahead of the engine's writer.</content>
internal abstract partial class RelationalStore
{
    public Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RunAsync(
            "bulk loading a district",
            async c =>
            {
                await BeforeBulkLoadAsync(c, cancellationToken).ConfigureAwait(false);
                try
                {
                    var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        await BulkLoadCoreAsync(c, tx, BuiltAheadAsync(Schema.RowsOf(data, BulkJsonAsUtf8), cancellationToken), cancellationToken).ConfigureAwait(false);
                        await RecountAllAsync(c, tx, cancellationToken).ConfigureAwait(false);
                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                }
                finally
                {
                    await AfterBulkLoadAsync(c).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The rows, built (serialized) on a thread-pool thread a bounded number of items ahead of the consumer, so
    /// serialization overlaps the database's work. A builder error surfaces on the consumer; a consumer leaving
    /// early (a failed insert, cancellation) stops the builder before this returns.
    /// </summary>
    private static async IAsyncEnumerable<AggregateRows> BuiltAheadAsync(IEnumerable<AggregateRows> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<AggregateRows>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var builder = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var item in rows)
                    {
                        await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
#pragma warning disable CA1031 // Any builder failure is handed to the consumer, which rethrows it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await builder.ConfigureAwait(false);
        }
    }
}
