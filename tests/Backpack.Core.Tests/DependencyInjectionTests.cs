using Backpack.Core.Access;
using Backpack.Core.Frameworks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddBackpack_CalledTwice_AddsNothingTheSecondTime()
    {
        var services = new ServiceCollection();
        services.AddBackpack(o => o.DistrictId = "jeffco");
        var count = services.Count;

        var builder = services.AddBackpack();

        Assert.Same(services, builder.Services);
        Assert.Equal(count, services.Count);
        Assert.Single(services, d => d.ServiceType == typeof(FrameworkService));
        Assert.Single(services, d => d.ServiceType == typeof(IAccessPolicy));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<BackpackOptions>));
    }

    [Fact]
    public void AddBackpack_BadOptions_ValidationNamesEverySettingAndValue()
    {
        var services = new ServiceCollection();
        services.AddBackpack(o =>
        {
            o.DistrictId = "Jeff Co";
            o.SchoolYearStartMonth = 13;
            o.PanelAccessDays = 400;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BackpackOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("DistrictId is 'Jeff Co'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("SchoolYearStartMonth is 13", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PanelAccessDays is 400", StringComparison.Ordinal));
    }

    [Fact]
    public void AddBackpack_UserClock_IsKept()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        services.AddBackpack(o => o.DistrictId = "jeffco");
        using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }
}
