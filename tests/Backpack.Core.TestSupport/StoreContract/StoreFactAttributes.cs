using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>
/// A store test: runs on every engine whose test class carries no <see cref="StoreServerAttribute"/>, and on an
/// engine that needs a server only when its environment variable is set (skipped, with the reason, otherwise).
/// </summary>
[XunitTestCaseDiscoverer("Backpack.Core.TestSupport.StoreContract.StoreFactDiscoverer", "Backpack.Core.TestSupport")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A store theory (see <see cref="StoreFactAttribute"/>).</summary>
[XunitTestCaseDiscoverer("Backpack.Core.TestSupport.StoreContract.StoreTheoryDiscoverer", "Backpack.Core.TestSupport")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>
/// Marks a test class whose store needs a server reached through the connection string in <see cref="Variable"/>:
/// its <see cref="StoreFactAttribute"/> and <see cref="StoreTheoryAttribute"/> tests are skipped with
/// <see cref="SkipReason"/> while the variable is unset, and run (failing if the server cannot be reached) when it is set.
/// </summary>
/// <param name="variable">The environment variable holding the connection string.</param>
/// <param name="skipReason">Why the tests are skipped, and how to run them.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StoreServerAttribute(string variable, string skipReason) : Attribute
{
    /// <summary>The environment variable holding the connection string.</summary>
    public string Variable { get; } = variable;

    /// <summary>Why the tests are skipped, and how to run them.</summary>
    public string SkipReason { get; } = skipReason;

    /// <summary>The skip reason of <paramref name="testMethod"/>'s class: <see langword="null"/> when it runs.</summary>
    internal static string? SkipReasonOf(ITestMethod testMethod)
    {
        var server = testMethod.TestClass.Class.ToRuntimeType()?.GetCustomAttribute<StoreServerAttribute>(inherit: true);
        return server is null || Environment.GetEnvironmentVariable(server.Variable) is { Length: > 0 } ? null : server.SkipReason;
    }

    /// <summary>One skipped test case standing for the whole test method.</summary>
    internal static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason);
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, skipped when their class's <see cref="StoreServerAttribute"/> variable is unset.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreServerAttribute.SkipReasonOf(testMethod) is { } reason
            ? [StoreServerAttribute.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Discovers <see cref="StoreTheoryAttribute"/> tests, skipped when their class's <see cref="StoreServerAttribute"/> variable is unset.</summary>
public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreServerAttribute.SkipReasonOf(testMethod) is { } reason
            ? [StoreServerAttribute.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
