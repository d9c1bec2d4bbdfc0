using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Broker.Tests.Docs;

/// <summary>Every C# block in README.md and docs/*.md must compile against the current library, so the docs cannot drift from the API.</summary>
public sealed partial class DocsExamplesTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in DocumentFiles())
        {
            int count = CodeBlock().Count(File.ReadAllText(file));
            for (int i = 0; i < count; i++)
            {
                data.Add(Path.GetRelativePath(RepositoryRoot(), file), i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Compiles(string document, int index)
    {
        string code = CodeBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), document)))[index].Groups["code"].Value;

        var compilation = CSharpCompilation.Create(
            "DocExample",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)), CSharpSyntaxTree.ParseText(ImplicitUsings)],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);

        result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())
            .Should().BeEmpty($"block {index} of {document} must compile:\n{code}");
    }

    [Fact]
    public void Examples_AreFound()
    {
        Examples().Count.Should().BeGreaterThan(2);
    }

    private static IEnumerable<MetadataReference> References()
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "Broker*.dll"))
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.Extensions.*.dll"))
            .Where(path => !path.EndsWith("Broker.Tests.dll", StringComparison.Ordinal))
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static IEnumerable<string> DocumentFiles()
    {
        string root = RepositoryRoot();
        return new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Broker.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Broker.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\\r?\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
