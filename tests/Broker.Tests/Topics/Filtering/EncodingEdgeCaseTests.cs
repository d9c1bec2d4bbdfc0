using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class EncodingEdgeCaseTests
{
    [Fact]
    public void TryParse_PolicyWithLoneSurrogate_ReturnsFalseInsteadOfThrowing()
    {
        bool ok = FilterPolicy.TryParse("{\"a\": [\"\uD800\"]}", FilterPolicyScope.MessageAttributes, out _, out string? error);

        ok.Should().BeFalse();
        error.Should().Contain("not valid JSON");
    }

    [Fact]
    public void Matches_Utf8BodyWithInvalidUtf8InString_DoesNotMatch()
    {
        var policy = BodyPolicy("""{"a": [{"prefix": "x"}]}""");
        byte[] body = [.. "{\"a\": \"x"u8, 0xFF, .. "\"}"u8];

        bool matches = policy.Matches(body);

        matches.Should().BeFalse();
    }
}
