using System.Reflection;
using System.Text.RegularExpressions;
using Guance.Billing.Common;
using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// One catalogue of error reasons: clients branch on <c>ErrorInfo.reason</c>, so every reason the
/// host answers is a constant of <see cref="ErrorReasons"/> and a row of docs/errors.md. These tests
/// keep the page and the class equal, and keep reasons from being written inline again (where a
/// typo or a second spelling would reach the wire unnoticed). They read files only.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private static readonly string Page = Path.Combine(Repository.Root, "docs", "errors.md");

    [Fact]
    public void Every_reason_of_the_code_is_documented_and_every_documented_reason_is_in_the_code()
    {
        var constants = Catalogue().Values.ToList();
        var documented = DocumentedReasons().Select(row => row.Reason).ToList();

        Assert.Equal(constants.Count, constants.Distinct().Count());
        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.Empty(constants.Except(documented));
        Assert.Empty(documented.Except(constants));
    }

    [Fact]
    public void The_documented_grpc_code_of_a_reason_is_the_one_its_constant_names()
    {
        // Each constant's summary starts with its code ("FAILED_PRECONDITION: ..."); the page says the same.
        var source = File.ReadAllText(Path.Combine(Repository.Root, "src", "Guance.Billing", "Common", "ErrorReasons.cs"));
        var codeInSource = ConstantWithCode().Matches(source).ToDictionary(m => m.Groups["reason"].Value, m => m.Groups["code"].Value);

        Assert.Equal(Catalogue().Count, codeInSource.Count);
        Assert.All(DocumentedReasons(), row => Assert.Equal((row.Reason, codeInSource.GetValueOrDefault(row.Reason)), (row.Reason, row.Code)));
    }

    [Fact]
    public void Every_not_found_reason_built_from_a_resource_type_is_in_the_catalogue()
    {
        var used = SourceFiles().SelectMany(file => NotFoundOfResourceType().Matches(File.ReadAllText(file)))
            .Select(m => m.Groups["type"].Value).Distinct().ToList();
        var types = typeof(ResourceTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(Errors.NotFoundReason(types[name]), Catalogue().Values));
    }

    [Fact]
    public void No_file_under_src_writes_a_reason_inline()
    {
        var reasons = Catalogue().Values.ToHashSet();
        var offences = new List<string>();
        foreach (var file in SourceFiles().Where(f => Path.GetFileName(f) != "ErrorReasons.cs"))
        {
            var text = File.ReadAllText(file);
            var found = LiteralReasonArgument().Matches(text).Cast<Match>()
                .Concat(StringLiteral().Matches(text).Where(m => reasons.Contains(m.Groups["text"].Value)));
            offences.AddRange(found.Select(m =>
                $"{Path.GetRelativePath(Repository.Root, file)}:{text[..m.Index].Count(c => c == '\n') + 1}: {m.Value.Trim()}"));
        }

        Assert.True(offences.Count == 0,
            "Name reasons through Guance.Billing.Common.ErrorReasons (and resource types through ResourceTypes), "
            + "and document new ones in docs/errors.md:\n" + string.Join('\n', offences.Distinct()));
    }

    private static Dictionary<string, string> Catalogue() =>
        typeof(ErrorReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    private static List<(string Reason, string Code)> DocumentedReasons() =>
        File.ReadLines(Page).Select(line => TableRow().Match(line)).Where(m => m.Success)
            .Select(m => (m.Groups["reason"].Value, m.Groups["code"].Value)).ToList();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>A row of a table on docs/errors.md: <c>| `REASON` | `CODE` | when | what to do |</c>.</summary>
    [GeneratedRegex(@"^\|\s*`(?<reason>[A-Z0-9_]+)`\s*\|\s*`(?<code>[A-Z_]+)`\s*\|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"///\s*<summary>(?<code>[A-Z_]+):[^\n]*\n\s*public const string \w+ = ""(?<reason>[A-Z0-9_]+)"";")]
    private static partial Regex ConstantWithCode();

    [GeneratedRegex(@"Errors\.NotFound\(\s*ResourceTypes\.(?<type>\w+)")]
    private static partial Regex NotFoundOfResourceType();

    /// <summary>
    /// A literal where a factory of Errors takes its reason (or NotFound its resource type), a
    /// literal reason of a BillingException, or an ErrorInfo built with a literal reason.
    /// </summary>
    [GeneratedRegex(@"Errors\.(NotFound|AlreadyExists|PermissionDenied|Unauthenticated|Precondition|QuotaExhausted|Throttled|Aborted|Unavailable|InvalidBatch)\(\s*[$@]*""[^""]*""|new BillingException\(\s*ErrorKind\.\w+,\s*[$@]*""[^""]*""|\bReason\s*=\s*[$@]*""[^""]*""")]
    private static partial Regex LiteralReasonArgument();

    [GeneratedRegex(@"""(?<text>[A-Z][A-Z0-9_]*)""")]
    private static partial Regex StringLiteral();
}
