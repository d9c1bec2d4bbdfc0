using System.Reflection;
using Broker.Webhooks;
using Broker.Webhooks.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.PublicApi.Tests;

/// <summary>Compares the public surface of every packaged assembly with the record checked in under PublicApi/, so the
/// surface changes only on purpose. To accept a change, run the tests with BROKER_UPDATE_PUBLIC_API=1 and commit the
/// rewritten files (see docs/packages.md).</summary>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "BROKER_UPDATE_PUBLIC_API";

    public static TheoryData<string> PackagedAssemblies => new(PackagedAssemblyTypes.Keys);

    private static readonly Dictionary<string, Type> PackagedAssemblyTypes = new[]
    {
        typeof(MessageBroker),
        typeof(BrokerServiceCollectionExtensions),
        typeof(WebhookVerifier),
        typeof(WebhookEndpointExtensions),
    }.ToDictionary(t => t.Assembly.GetName().Name!);

    [Theory]
    [MemberData(nameof(PackagedAssemblies))]
    public void PublicSurface_OfPackagedAssembly_MatchesCheckedInRecord(string assemblyName)
    {
        Assembly assembly = PackagedAssemblyTypes[assemblyName].Assembly;
        string actual = PublicApiFormatter.Format(assembly);
        string path = Path.Combine(ApiDirectory(), assemblyName + ".txt");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
        }

        File.Exists(path).Should().BeTrue($"the public surface of {assemblyName} is recorded in {path}; run the tests with {UpdateVariable}=1 to create it");
        string recorded = File.ReadAllText(path).ReplaceLineEndings("\n");
        string[] added = Lines(actual).Except(Lines(recorded)).ToArray();
        string[] removed = Lines(recorded).Except(Lines(actual)).ToArray();
        actual.Should().Be(
            recorded,
            $"the public surface of {assemblyName} must change only on purpose (to accept it, run the tests with {UpdateVariable}=1 and commit {path}).\n" +
            $"Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n");
    }

    [Theory]
    [MemberData(nameof(PackagedAssemblies))]
    public void PublicSurface_OfPackagedAssembly_ListsEveryExportedType(string assemblyName)
    {
        Assembly assembly = PackagedAssemblyTypes[assemblyName].Assembly;
        string[] typeLines = PublicApiFormatter.Format(assembly).Split('\n').Where(l => l.Length > 0 && l[0] != ' ').ToArray();

        typeLines.Should().HaveCount(assembly.GetExportedTypes().Length);
    }

    [Fact]
    public void PublicSurface_OfCoreAssembly_DescribesMembersWithTheirSignatures()
    {
        string surface = PublicApiFormatter.Format(typeof(MessageBroker).Assembly);

        surface.Should().Contain("public sealed class Broker.MessageBroker : System.IAsyncDisposable, System.IDisposable\n");
        surface.Should().Contain("  public Broker.Queues.IMessageQueue<T> CreateQueue<T>(System.String name, System.Action<Broker.Queues.QueueOptions>? configure = null)\n");
        surface.Should().Contain("  public System.TimeProvider TimeProvider { get; }\n");
    }

    [Fact]
    public void CheckedInRecords_EachBelongToAPackagedAssembly()
    {
        string[] recorded = Directory.GetFiles(ApiDirectory(), "*.txt").Select(Path.GetFileNameWithoutExtension).ToArray()!;

        recorded.Should().BeEquivalentTo(PackagedAssemblyTypes.Keys);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string ApiDirectory() =>
        typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PublicApiDirectory").Value!;
}
