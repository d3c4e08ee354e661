using System.Runtime.InteropServices;
using Backpack.Core.Artifacts;
using Backpack.Core.Reporting;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <content>
/// The readiness report. At write time every student gets a placement per school year (school index and
/// grade of <see cref="Student.LatestEnrollmentIn"/>) and a flat evidence array: one 12-byte entry per
/// collected artifact and distinct skill it is aligned to (capture year, capture grade, skill index,
/// reasoning and reflection flags). A report is then one pass over those arrays with per-skill counters on
/// the stack, accumulating into flat arrays indexed by school index and grade: no grouping, no hashing of
/// artifacts, a handful of allocations per call.
/// </content>
public sealed partial class InMemoryBackpackStore
{
    private const int GradeCount = 14; // PK, K, 1..12
    private const byte HasReasoningFlag = 1;
    private const byte HasReflectionFlag = 2;

    private readonly Dictionary<SkillId, int> _skillIndex = [];
    private readonly Dictionary<SchoolId, int> _schoolIndex = [];
    private readonly List<SchoolId> _schoolIds = [];

    /// <inheritdoc />
    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Rule);
        ArgumentNullException.ThrowIfNull(request.TransitionGrades);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(ComputeReadiness(request));
        }
    }

    private int SchoolIndex(SchoolId id)
    {
        if (!_schoolIndex.TryGetValue(id, out var index))
        {
            index = _schoolIds.Count;
            _schoolIndex.Add(id, index);
            _schoolIds.Add(id);
        }

        return index;
    }

    private int SkillIndex(SkillId id)
    {
        if (!_skillIndex.TryGetValue(id, out var index))
        {
            index = _skillIndex.Count;
            _skillIndex.Add(id, index);
        }

        return index;
    }

    /// <summary>An artifact's evidence entries: none unless collected; one per distinct aligned skill.</summary>
    private Evidence[] EvidenceOf(Artifact artifact)
    {
        if (!artifact.IsCollected || artifact.Alignments.Count == 0)
        {
            return [];
        }

        var entries = new List<Evidence>(artifact.Alignments.Count);
        var reflected = artifact.Reflections.Count > 0 ? HasReflectionFlag : (byte)0;
        foreach (var alignment in artifact.Alignments)
        {
            var skill = SkillIndex(alignment.SkillId);
            var flags = (byte)(reflected | (alignment.HasReasoning ? HasReasoningFlag : 0));
            var merged = false;
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Skill == skill)
                {
                    // Aligned twice to one skill: one entry, with reasoning if either alignment has it.
                    entries[i] = entries[i] with { Flags = (byte)(entries[i].Flags | flags) };
                    merged = true;
                    break;
                }
            }

            if (!merged)
            {
                entries.Add(new Evidence(skill, artifact.Captured.Year.StartYear, (sbyte)artifact.Captured.Grade.Ordinal, flags));
            }
        }

        return [.. entries];
    }

    /// <summary>Recounts a student's maintained counts from their artifacts' evidence entries (every write that touches the student).</summary>
    private static void RebuildEvidence(StudentState state)
    {
        var counts = new List<EvidenceCount>();
        foreach (var stored in state.Artifacts.Values)
        {
            foreach (var e in stored.Evidence)
            {
                var reasoned = (e.Flags & HasReasoningFlag) != 0 ? 1 : 0;
                var reflected = (e.Flags & HasReflectionFlag) != 0 ? 1 : 0;
                var i = counts.FindIndex(c => c.Skill == e.Skill && c.Year == e.Year && c.Grade == e.Grade);
                var add = new EvidenceCount(e.Skill, e.Year, e.Grade, 1, reasoned, reflected, reasoned * reflected);
                if (i < 0)
                {
                    counts.Add(add);
                }
                else
                {
                    var c = counts[i];
                    counts[i] = c with { Artifacts = c.Artifacts + 1, Reasoned = c.Reasoned + add.Reasoned, Reflected = c.Reflected + add.Reflected, ReasonedReflected = c.ReasonedReflected + add.ReasonedReflected };
                }
            }
        }

        state.Counts = [.. counts];
    }

    /// <summary>
    /// The maintained evidence counts of a student, as the reports read them: per capture year, capture grade and
    /// skill, the collected (or showcased) artifacts aligned to the skill, with reasoning, with a reflection, and with both.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <returns>The counts (none for an unknown student).</returns>
    public IReadOnlyList<MaintainedEvidenceCount> GetMaintainedCounts(StudentId student)
    {
        lock (_gate)
        {
            if (!_studentStates.TryGetValue(student, out var state))
            {
                return [];
            }

            var skills = _skillIndex.ToDictionary(kv => kv.Value, kv => kv.Key);
            return state.Counts.Select(c => new MaintainedEvidenceCount(new SchoolYear(c.Year), GradeLevel.FromOrdinal(c.Grade), skills[c.Skill], c.Artifacts, c.Reasoned, c.Reflected, c.ReasonedReflected)).ToArray();
        }
    }

    private ReadinessReport ComputeReadiness(ReadinessReportRequest request)
    {
        var rule = request.Rule;
        var year = request.Year.StartYear;
        var skills = request.Skills;
        var k = skills.Count;

        // Request positions -> distinct slots (a skill named twice is counted once, reported twice).
        var slotOfPosition = new int[k];
        var slotOfSkill = new int[_skillIndex.Count];
        Array.Fill(slotOfSkill, -1);
        var slots = 0;
        var slotOfUnknown = new Dictionary<SkillId, int>();
        for (var p = 0; p < k; p++)
        {
            if (_skillIndex.TryGetValue(skills[p], out var index))
            {
                if (slotOfSkill[index] < 0)
                {
                    slotOfSkill[index] = slots++;
                }

                slotOfPosition[p] = slotOfSkill[index];
            }
            else
            {
                // No evidence anywhere for this skill: its counters stay at zero.
                if (!slotOfUnknown.TryGetValue(skills[p], out var slot))
                {
                    slotOfUnknown[skills[p]] = slot = slots++;
                }

                slotOfPosition[p] = slot;
            }
        }

        Span<int> bandFrom = stackalloc int[GradeCount];
        Span<int> bandTo = stackalloc int[GradeCount];
        Span<bool> gradeIncluded = stackalloc bool[GradeCount];
        for (var g = 0; g < GradeCount; g++)
        {
            var band = request.TransitionGrades.BandOf(GradeLevel.FromOrdinal(g - 1));
            bandFrom[g] = band.From.Ordinal;
            bandTo[g] = band.To.Ordinal;
            gradeIncluded[g] = request.Grades.Count == 0;
        }

        foreach (var grade in request.Grades)
        {
            gradeIncluded[grade.Ordinal + 1] = true;
        }

        var schools = _schoolIds.Count;
        bool[]? schoolIncluded = null;
        if (request.Schools.Count > 0)
        {
            schoolIncluded = new bool[schools];
            foreach (var s in request.Schools)
            {
                if (_schoolIndex.TryGetValue(s, out var si))
                {
                    schoolIncluded[si] = true;
                }
            }
        }

        var rows = schools * GradeCount;
        var students = new int[rows];
        var ready = new int[rows];
        var notReady = new int[rows * k];
        Span<int> counters = slots <= 256 ? stackalloc int[2 * slots] : new int[2 * slots];
        var artifactsPerSlot = counters[..slots];
        var reflectedPerSlot = counters[slots..];
        var requireReasoning = rule.RequireReasoning;
        var minimumArtifacts = rule.MinimumArtifactsPerSkill;
        var minimumReflections = rule.MinimumReflectionsPerSkill;

        foreach (var state in CollectionsMarshal.AsSpan(_studentOrder))
        {
            if (state.Student is null)
            {
                continue;
            }

            var found = false;
            var placement = default(Placement);
            foreach (var p in state.Placements)
            {
                if (p.Year == year)
                {
                    placement = p;
                    found = true;
                    break;
                }
            }

            var gradeSlot = placement.Grade + 1;
            if (!found || !gradeIncluded[gradeSlot] || (schoolIncluded is not null && !schoolIncluded[placement.School]))
            {
                continue;
            }

            var from = bandFrom[gradeSlot];
            var to = bandTo[gradeSlot];
            counters.Clear();
            foreach (var e in state.Counts)
            {
                if (e.Year > year || e.Grade < from || e.Grade > to)
                {
                    continue;
                }

                var slot = slotOfSkill[e.Skill];
                if (slot < 0)
                {
                    continue;
                }

                artifactsPerSlot[slot] += requireReasoning ? e.Reasoned : e.Artifacts;
                reflectedPerSlot[slot] += requireReasoning ? e.ReasonedReflected : e.Reflected;
            }

            var row = (placement.School * GradeCount) + gradeSlot;
            students[row]++;
            var isReady = true;
            var offset = row * k;
            for (var p = 0; p < k; p++)
            {
                var slot = slotOfPosition[p];
                if (artifactsPerSlot[slot] < minimumArtifacts || reflectedPerSlot[slot] < minimumReflections)
                {
                    notReady[offset + p]++;
                    isReady = false;
                }
            }

            if (isReady)
            {
                ready[row]++;
            }
        }

        var order = new int[schools];
        for (var i = 0; i < schools; i++)
        {
            order[i] = i;
        }

        var ids = _schoolIds;
        Array.Sort(order, (a, b) => ids[a].CompareTo(ids[b]));
        var result = new List<ReadinessReportRow>();
        foreach (var si in order)
        {
            for (var g = 0; g < GradeCount; g++)
            {
                var row = (si * GradeCount) + g;
                if (students[row] == 0)
                {
                    continue;
                }

                var gaps = new SkillGapCount[k];
                for (var p = 0; p < k; p++)
                {
                    gaps[p] = new SkillGapCount(skills[p], notReady[(row * k) + p]);
                }

                result.Add(new ReadinessReportRow(ids[si], GradeLevel.FromOrdinal(g - 1), students[row], ready[row], ValueList<SkillGapCount>.FromArray(gaps)));
            }
        }

        return new ReadinessReport(request.Year, ValueList<ReadinessReportRow>.FromArray([.. result]));
    }

    /// <summary>Where a student ended a school year.</summary>
    /// <param name="Year">The school year's start year.</param>
    /// <param name="School">The school's dense index.</param>
    /// <param name="Grade">The grade ordinal (-1 PK to 12).</param>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Placement(int Year, int School, int Grade);

    /// <summary>The maintained counts of one student, capture year, capture grade and skill.</summary>
    /// <param name="Skill">The skill's dense index.</param>
    /// <param name="Year">The capture year's start year.</param>
    /// <param name="Grade">The capture grade ordinal.</param>
    /// <param name="Artifacts">Collected artifacts aligned to the skill.</param>
    /// <param name="Reasoned">Those with reasoning.</param>
    /// <param name="Reflected">Those with a reflection.</param>
    /// <param name="ReasonedReflected">Those with both.</param>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct EvidenceCount(int Skill, int Year, int Grade, int Artifacts, int Reasoned, int Reflected, int ReasonedReflected);

    /// <summary>One collected artifact's evidence for one skill.</summary>
    /// <param name="Skill">The skill's dense index.</param>
    /// <param name="Year">The capture year's start year.</param>
    /// <param name="Grade">The capture grade ordinal.</param>
    /// <param name="Flags">Reasoning and reflection flags.</param>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Evidence(int Skill, int Year, sbyte Grade, byte Flags);
}

/// <summary>One row of a store's maintained evidence counts (see <see cref="InMemoryBackpackStore.GetMaintainedCounts"/>).</summary>
/// <param name="Year">The capture year.</param>
/// <param name="Grade">The capture grade.</param>
/// <param name="SkillId">The skill.</param>
/// <param name="Artifacts">Collected (or showcased) artifacts aligned to the skill.</param>
/// <param name="Reasoned">Those whose alignment has the student's reasoning.</param>
/// <param name="Reflected">Those with at least one reflection.</param>
/// <param name="ReasonedReflected">Those with both.</param>
public sealed record MaintainedEvidenceCount(SchoolYear Year, GradeLevel Grade, SkillId SkillId, int Artifacts, int Reasoned, int Reflected, int ReasonedReflected);
