using Google.OrTools.Sat;

namespace Backpack.Core.Planning.Tests;

public sealed class OrToolsRuntimeTests
{
    [Fact]
    public void CpSolver_TinyModel_LoadsNativeRuntimeAndSolves()
    {
        var model = new CpModel();
        var x = model.NewIntVar(0, 10, "x");
        var y = model.NewIntVar(0, 10, "y");
        model.Add(x + y == 7);
        model.Add(x - y == 1);
        var solver = new CpSolver { StringParameters = "max_time_in_seconds:5 num_workers:1" };
        var status = solver.Solve(model);
        Assert.Equal(CpSolverStatus.Optimal, status);
        Assert.Equal(4, solver.Value(x));
        Assert.Equal(3, solver.Value(y));
    }
}
