namespace Backpack.Core.Reporting;

/// <summary>
/// The cells of a report and the equations among them (sets of cells a reader can subtract with), for
/// complementary suppression: <see cref="Complete"/> withholds more cells until no equation of two or more
/// cells has exactly one withheld.
/// </summary>
internal sealed class SuppressionTable
{
    private readonly List<int?> _values = [];
    private readonly List<bool> _rowTotal = [];
    private readonly List<bool> _withheld = [];
    private readonly List<int[]> _equations = [];
    private readonly List<List<int>> _equationsOf = [];

    /// <summary>Adds a cell.</summary>
    /// <param name="value">Its value, or <see langword="null"/> when it is already withheld.</param>
    /// <param name="isRowTotal">Whether it is a row's group size (chosen as a complement last).</param>
    /// <returns>The cell's index.</returns>
    public int Add(int? value, bool isRowTotal = false)
    {
        _values.Add(value);
        _rowTotal.Add(isRowTotal);
        _withheld.Add(value is null);
        _equationsOf.Add([]);
        return _values.Count - 1;
    }

    /// <summary>Withholds a cell.</summary>
    /// <param name="cell">The cell.</param>
    public void Withhold(int cell) => _withheld[cell] = true;

    /// <summary>Adds an equation among cells (one of two or more cells; smaller ones are ignored).</summary>
    /// <param name="cells">The cells.</param>
    public void Equation(int[] cells)
    {
        if (cells.Length < 2)
        {
            return;
        }

        _equations.Add(cells);
        foreach (var c in cells)
        {
            _equationsOf[c].Add(_equations.Count - 1);
        }
    }

    /// <summary>The cell's value, or <see langword="null"/> when withheld.</summary>
    /// <param name="cell">The cell.</param>
    /// <returns>The value shown.</returns>
    public int? Shown(int cell) => _withheld[cell] ? null : _values[cell];

    /// <summary>Complementary suppression: until no equation has exactly one withheld cell, withholds another cell of such an equation.</summary>
    public void Complete()
    {
        var pending = new Queue<int>(Enumerable.Range(0, _equations.Count));
        var queued = Enumerable.Repeat(true, _equations.Count).ToArray();
        while (pending.TryDequeue(out var e))
        {
            queued[e] = false;
            var cells = _equations[e];
            var withheld = 0;
            foreach (var c in cells)
            {
                if (_withheld[c])
                {
                    withheld++;
                }
            }

            if (withheld != 1)
            {
                continue;
            }

            var complement = -1;
            foreach (var c in cells)
            {
                if (!_withheld[c] && (complement < 0 || Better(c, complement)))
                {
                    complement = c;
                }
            }

            _withheld[complement] = true;
            foreach (var other in _equationsOf[complement])
            {
                if (!queued[other])
                {
                    queued[other] = true;
                    pending.Enqueue(other);
                }
            }
        }
    }

    /// <summary>The preferred complement: not a row total, then non-zero, then the smallest value, then the first cell.</summary>
    private bool Better(int a, int b)
    {
        if (_rowTotal[a] != _rowTotal[b])
        {
            return !_rowTotal[a];
        }

        var va = _values[a] ?? 0;
        var vb = _values[b] ?? 0;
        if ((va == 0) != (vb == 0))
        {
            return va != 0;
        }

        return va != vb ? va < vb : a < b;
    }
}
