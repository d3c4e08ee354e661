using System.Security.Cryptography;
using System.Text;

namespace Backpack.Core.Credentials.Rdf;

/// <summary>The hash function RDFC-1.0 uses.</summary>
public enum RdfCanonicalizationHash
{
    /// <summary>SHA-256, the default of RDFC-1.0 and the one Data Integrity cryptosuites use.</summary>
    Sha256,

    /// <summary>SHA-384.</summary>
    Sha384,
}

/// <summary>Options of RDFC-1.0 canonicalization.</summary>
public sealed record RdfCanonicalizationOptions
{
    /// <summary>The default options: SHA-256 and a work factor of 10.</summary>
    public static RdfCanonicalizationOptions Default { get; } = new();

    /// <summary>The hash function; SHA-256 by default.</summary>
    public RdfCanonicalizationHash Hash { get; init; } = RdfCanonicalizationHash.Sha256;

    /// <summary>
    /// The poison-graph limit: how many times the hash N-degree quads algorithm may run, per blank node whose
    /// first-degree hash is shared with another, before canonicalization gives up with an
    /// <see cref="RdfCanonicalizationException"/>. The budget for the whole dataset is this factor times the square
    /// of the number of such blank nodes. Default 10: the W3C suite's computable "evil" graphs need 5, a 10-node
    /// clique is refused in well under a second, and real credentials rarely need the algorithm at all.
    /// </summary>
    public int MaxWorkFactor { get; init; } = 10;
}

/// <summary>The result of canonicalizing a dataset.</summary>
public sealed class RdfCanonicalForm
{
    internal RdfCanonicalForm(string nquads, IReadOnlyList<RdfQuad> quads, IReadOnlyDictionary<string, string> issuedIdentifiers)
    {
        NQuads = nquads;
        Quads = quads;
        IssuedIdentifiers = issuedIdentifiers;
    }

    /// <summary>The canonical N-Quads document: lines sorted in code point order, each ending with a newline.</summary>
    public string NQuads { get; }

    /// <summary>The quads with canonical blank node labels, in the order of <see cref="NQuads"/>.</summary>
    public IReadOnlyList<RdfQuad> Quads { get; }

    /// <summary>Each input blank node label mapped to its canonical label (<c>c14n0</c>, <c>c14n1</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> IssuedIdentifiers { get; }
}

/// <summary>RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024).</summary>
public static class RdfCanonicalizer
{
    /// <summary>Canonicalizes a dataset.</summary>
    /// <param name="quads">The dataset; duplicate quads count once.</param>
    /// <param name="options">Options; <see cref="RdfCanonicalizationOptions.Default"/> when null.</param>
    /// <returns>The canonical form.</returns>
    /// <exception cref="RdfCanonicalizationException">The poison-graph limit was reached.</exception>
    public static RdfCanonicalForm Canonicalize(IEnumerable<RdfQuad> quads, RdfCanonicalizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(quads);
        return new Run(quads, options ?? RdfCanonicalizationOptions.Default).Execute();
    }

    /// <summary>Parses N-Quads and canonicalizes them.</summary>
    /// <param name="nquads">The dataset as N-Quads.</param>
    /// <param name="options">Options; <see cref="RdfCanonicalizationOptions.Default"/> when null.</param>
    /// <returns>The canonical form.</returns>
    /// <exception cref="RdfSyntaxException">The text is not N-Quads.</exception>
    /// <exception cref="RdfCanonicalizationException">The poison-graph limit was reached.</exception>
    public static RdfCanonicalForm CanonicalizeNQuads(string nquads, RdfCanonicalizationOptions? options = null) =>
        Canonicalize(Rdf.NQuads.Parse(nquads), options);

    private sealed class IdentifierIssuer
    {
        private readonly string prefix;
        private readonly Dictionary<string, string> issued;
        private readonly List<string> order;

        public IdentifierIssuer(string prefix)
        {
            this.prefix = prefix;
            issued = new Dictionary<string, string>(StringComparer.Ordinal);
            order = [];
        }

        private IdentifierIssuer(IdentifierIssuer other)
        {
            prefix = other.prefix;
            issued = new Dictionary<string, string>(other.issued, StringComparer.Ordinal);
            order = [.. other.order];
        }

        public IReadOnlyList<string> Order => order;

        public IReadOnlyDictionary<string, string> Issued => issued;

        public string Issue(string existing)
        {
            if (issued.TryGetValue(existing, out var id))
            {
                return id;
            }

            id = prefix + order.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            issued.Add(existing, id);
            order.Add(existing);
            return id;
        }

        public bool TryGet(string existing, out string id) => issued.TryGetValue(existing, out id!);

        public IdentifierIssuer Copy() => new(this);
    }

    private sealed class Run
    {
        private readonly List<RdfQuad> quads;
        private readonly Dictionary<string, List<RdfQuad>> blankNodeQuads = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> firstDegreeHashes = new(StringComparer.Ordinal);
        private readonly IdentifierIssuer canonicalIssuer = new("c14n");
        private readonly RdfCanonicalizationOptions options;
        private long deepIterations;
        private long maxDeepIterations;

        public Run(IEnumerable<RdfQuad> input, RdfCanonicalizationOptions options)
        {
            this.options = options;
            var seen = new HashSet<RdfQuad>();
            quads = [];
            foreach (var quad in input)
            {
                if (seen.Add(quad))
                {
                    quads.Add(quad);
                }
            }
        }

        public RdfCanonicalForm Execute()
        {
            foreach (var quad in quads)
            {
                AddBlankNode(quad.Subject, quad);
                AddBlankNode(quad.Object, quad);
                if (quad.Graph is not null)
                {
                    AddBlankNode(quad.Graph, quad);
                }
            }

            var hashToBlankNodes = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var node in blankNodeQuads.Keys)
            {
                var hash = HashFirstDegreeQuads(node);
                if (!hashToBlankNodes.TryGetValue(hash, out var list))
                {
                    hashToBlankNodes.Add(hash, list = []);
                }

                list.Add(node);
            }

            var shared = new List<List<string>>();
            foreach (var (_, list) in hashToBlankNodes)
            {
                if (list.Count == 1)
                {
                    canonicalIssuer.Issue(list[0]);
                }
                else
                {
                    shared.Add(list);
                }
            }

            var nonUnique = shared.Sum(l => (long)l.Count);
            maxDeepIterations = Math.Max(1, (long)options.MaxWorkFactor * nonUnique * nonUnique);

            foreach (var list in shared)
            {
                var hashPathList = new List<(string Hash, IdentifierIssuer Issuer)>();
                foreach (var node in list)
                {
                    if (canonicalIssuer.TryGet(node, out _))
                    {
                        continue;
                    }

                    var temporary = new IdentifierIssuer("b");
                    temporary.Issue(node);
                    hashPathList.Add(HashNDegreeQuads(node, temporary));
                }

                hashPathList.Sort((a, b) => string.CompareOrdinal(a.Hash, b.Hash));
                foreach (var (_, issuer) in hashPathList)
                {
                    foreach (var existing in issuer.Order)
                    {
                        canonicalIssuer.Issue(existing);
                    }
                }
            }

            var lines = new List<(string Line, RdfQuad Quad)>(quads.Count);
            var builder = new StringBuilder();
            foreach (var quad in quads)
            {
                var relabelled = new RdfQuad(Relabel(quad.Subject), quad.Predicate, Relabel(quad.Object), quad.Graph is null ? null : Relabel(quad.Graph));
                builder.Clear();
                Rdf.NQuads.WriteQuad(builder, relabelled, null);
                lines.Add((builder.ToString(), relabelled));
            }

            lines.Sort((a, b) => string.CompareOrdinal(a.Line, b.Line));
            var document = string.Concat(lines.Select(l => l.Line));
            return new RdfCanonicalForm(document, lines.Select(l => l.Quad).ToArray(), new Dictionary<string, string>(canonicalIssuer.Issued, StringComparer.Ordinal));
        }

        private RdfTerm Relabel(RdfTerm term) =>
            term.IsBlankNode ? RdfTerm.BlankNode(canonicalIssuer.Issue(term.Value)) : term;

        private void AddBlankNode(RdfTerm term, RdfQuad quad)
        {
            if (!term.IsBlankNode)
            {
                return;
            }

            if (!blankNodeQuads.TryGetValue(term.Value, out var list))
            {
                blankNodeQuads.Add(term.Value, list = []);
            }

            if (list.Count == 0 || !ReferenceEquals(list[^1], quad))
            {
                list.Add(quad);
            }
        }

        private string Hash(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var digest = options.Hash == RdfCanonicalizationHash.Sha384 ? SHA384.HashData(bytes) : SHA256.HashData(bytes);
            return Convert.ToHexStringLower(digest);
        }

        private string HashFirstDegreeQuads(string node)
        {
            if (firstDegreeHashes.TryGetValue(node, out var cached))
            {
                return cached;
            }

            var lines = new List<string>();
            var builder = new StringBuilder();
            foreach (var quad in blankNodeQuads[node])
            {
                builder.Clear();
                Rdf.NQuads.WriteQuad(builder, quad, label => label == node ? "a" : "z");
                lines.Add(builder.ToString());
            }

            lines.Sort(string.CompareOrdinal);
            var hash = Hash(string.Concat(lines));
            firstDegreeHashes.Add(node, hash);
            return hash;
        }

        private string HashRelatedBlankNode(string related, RdfQuad quad, IdentifierIssuer issuer, char position)
        {
            var builder = new StringBuilder();
            builder.Append(position);
            if (position != 'g')
            {
                builder.Append('<').Append(quad.Predicate.Value).Append('>');
            }

            if (canonicalIssuer.TryGet(related, out var id) || issuer.TryGet(related, out id))
            {
                builder.Append("_:").Append(id);
            }
            else
            {
                builder.Append(HashFirstDegreeQuads(related));
            }

            return Hash(builder.ToString());
        }

        private (string Hash, IdentifierIssuer Issuer) HashNDegreeQuads(string node, IdentifierIssuer issuer)
        {
            if (++deepIterations > maxDeepIterations)
            {
                throw new RdfCanonicalizationException(
                    "rdfc10.max-deep-iterations",
                    (int)Math.Min(int.MaxValue, maxDeepIterations),
                    "The dataset needs more work to canonicalize than allowed (a poison graph of blank nodes); no canonical form is produced.");
            }

            var relatedByHash = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var quad in blankNodeQuads[node])
            {
                AddRelated(quad.Subject, 's');
                AddRelated(quad.Object, 'o');
                if (quad.Graph is not null)
                {
                    AddRelated(quad.Graph, 'g');
                }

                void AddRelated(RdfTerm term, char position)
                {
                    if (!term.IsBlankNode || term.Value == node)
                    {
                        return;
                    }

                    var hash = HashRelatedBlankNode(term.Value, quad, issuer, position);
                    if (!relatedByHash.TryGetValue(hash, out var list))
                    {
                        relatedByHash.Add(hash, list = []);
                    }

                    list.Add(term.Value);
                }
            }

            var dataToHash = new StringBuilder();
            foreach (var (relatedHash, blankNodes) in relatedByHash)
            {
                dataToHash.Append(relatedHash);
                string? chosenPath = null;
                IdentifierIssuer? chosenIssuer = null;
                foreach (var permutation in Permutations(blankNodes))
                {
                    var issuerCopy = issuer.Copy();
                    var path = new StringBuilder();
                    var recursionList = new List<string>();
                    var skip = false;
                    foreach (var related in permutation)
                    {
                        if (canonicalIssuer.TryGet(related, out var canonical))
                        {
                            path.Append("_:").Append(canonical);
                        }
                        else
                        {
                            if (!issuerCopy.TryGet(related, out _))
                            {
                                recursionList.Add(related);
                            }

                            path.Append("_:").Append(issuerCopy.Issue(related));
                        }

                        if (chosenPath is not null && path.Length >= chosenPath.Length && string.CompareOrdinal(path.ToString(), chosenPath) > 0)
                        {
                            skip = true;
                            break;
                        }
                    }

                    if (skip)
                    {
                        continue;
                    }

                    foreach (var related in recursionList)
                    {
                        var result = HashNDegreeQuads(related, issuerCopy);
                        path.Append("_:").Append(issuerCopy.Issue(related));
                        path.Append('<').Append(result.Hash).Append('>');
                        issuerCopy = result.Issuer;
                        if (chosenPath is not null && path.Length >= chosenPath.Length && string.CompareOrdinal(path.ToString(), chosenPath) > 0)
                        {
                            skip = true;
                            break;
                        }
                    }

                    if (skip)
                    {
                        continue;
                    }

                    var candidate = path.ToString();
                    if (chosenPath is null || string.CompareOrdinal(candidate, chosenPath) < 0)
                    {
                        chosenPath = candidate;
                        chosenIssuer = issuerCopy;
                    }
                }

                dataToHash.Append(chosenPath);
                issuer = chosenIssuer!;
            }

            return (Hash(dataToHash.ToString()), issuer);
        }

        private static IEnumerable<string[]> Permutations(List<string> items)
        {
            var current = items.ToArray();
            Array.Sort(current, StringComparer.Ordinal);
            yield return (string[])current.Clone();
            while (NextPermutation(current))
            {
                yield return (string[])current.Clone();
            }
        }

        private static bool NextPermutation(string[] a)
        {
            var i = a.Length - 2;
            while (i >= 0 && string.CompareOrdinal(a[i], a[i + 1]) >= 0)
            {
                i--;
            }

            if (i < 0)
            {
                return false;
            }

            var j = a.Length - 1;
            while (string.CompareOrdinal(a[j], a[i]) <= 0)
            {
                j--;
            }

            (a[i], a[j]) = (a[j], a[i]);
            Array.Reverse(a, i + 1, a.Length - i - 1);
            return true;
        }
    }
}
