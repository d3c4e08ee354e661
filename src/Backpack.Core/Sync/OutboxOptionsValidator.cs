using System.Globalization;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Sync;

/// <summary>Validates <see cref="OutboxOptions"/> at start-up; every message names the setting and its value.</summary>
internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    /// <summary>The most entries a worker may lease at once.</summary>
    public const int MaxBatchSize = 1_000;

    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > MaxBatchSize)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:BatchSize is {options.BatchSize}: it must be from 1 to {MaxBatchSize}."));
        }

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:LeaseDuration is {options.LeaseDuration}: it must be positive (longer than the slowest handler call)."));
        }

        if (options.InitialBackoff < TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:InitialBackoff is {options.InitialBackoff}: it cannot be negative."));
        }

        if (options.MaxBackoff < options.InitialBackoff)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:MaxBackoff is {options.MaxBackoff}: it cannot be shorter than Outbox:InitialBackoff ({options.InitialBackoff})."));
        }

        if (options.MaxAttempts < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:MaxAttempts is {options.MaxAttempts}: it must be at least 1."));
        }

        if (options.IdleDelay <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:IdleDelay is {options.IdleDelay}: it must be positive (the hosted worker waits this long when the outbox is empty)."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
