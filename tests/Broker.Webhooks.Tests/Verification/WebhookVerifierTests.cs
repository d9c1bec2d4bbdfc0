using System.Text;
using Broker.Tests.Support;
using Broker.Webhooks.Tests.Support;

namespace Broker.Webhooks.Tests.Verification;

public sealed class WebhookVerifierTests
{
    // The Standard Webhooks reference test vector.
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorTimestamp = "1614265330";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] s_vectorBody = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1614265330));

    [Fact]
    public void Verify_StandardWebhooksTestVector_IsValid()
    {
        WebhookVerifier verifier = Create();

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Sign_StandardWebhooksTestVector_ProducesTheReferenceSignature()
    {
        WebhookSecret.TryReadKey(TestSecrets.A, out byte[]? key, out _).Should().BeTrue();

        string signature = WebhookSignature.Sign([key!], VectorId, 1614265330, s_vectorBody);

        signature.Should().Be(VectorSignature);
    }

    [Fact]
    public void Verify_TamperedBody_IsInvalidSignature()
    {
        WebhookVerifier verifier = Create();
        byte[] tampered = Encoding.UTF8.GetBytes("""{"test": 2432232315}""");

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, tampered);

        result.Should().Be(WebhookVerificationResult.InvalidSignature);
    }

    [Fact]
    public void Verify_TamperedId_IsInvalidSignature()
    {
        WebhookVerificationResult result = Create().Verify("msg_other", VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.InvalidSignature);
    }

    [Fact]
    public void Verify_TimestampOlderThanTolerance_IsTooOld()
    {
        WebhookVerifier verifier = Create();
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.TimestampTooOld);
    }

    [Fact]
    public void Verify_TimestampAtTheEdgeOfTolerance_IsValid()
    {
        WebhookVerifier verifier = Create();
        _clock.Advance(TimeSpan.FromMinutes(5));

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_TimestampInTheFuture_IsTooNew()
    {
        var early = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330 - 301));
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = early });

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.TimestampTooNew);
    }

    [Theory]
    [InlineData(null, VectorTimestamp, VectorSignature)]
    [InlineData(VectorId, null, VectorSignature)]
    [InlineData(VectorId, VectorTimestamp, null)]
    [InlineData("", VectorTimestamp, VectorSignature)]
    public void Verify_MissingHeader_IsMissingHeaders(string? id, string? timestamp, string? signature)
    {
        WebhookVerificationResult result = Create().Verify(id, timestamp, signature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.MissingHeaders);
    }

    [Theory]
    [InlineData("16142653.30")]
    [InlineData("-1614265330")]
    [InlineData("now")]
    [InlineData("99999999999999999999999")]
    public void Verify_MalformedTimestamp_IsInvalidTimestamp(string timestamp)
    {
        WebhookVerificationResult result = Create().Verify(VectorId, timestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.InvalidTimestamp);
    }

    [Fact]
    public void Verify_SameRequestTwice_IsReplayed()
    {
        WebhookVerifier verifier = Create();
        verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody).Should().Be(WebhookVerificationResult.Valid);

        WebhookVerificationResult again = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        again.Should().Be(WebhookVerificationResult.Replayed);
    }

    [Fact]
    public void Verify_SameIdWithANewTimestamp_IsValid()
    {
        WebhookVerifier verifier = Create();
        WebhookSecret.TryReadKey(TestSecrets.A, out byte[]? key, out _);
        verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody).Should().Be(WebhookVerificationResult.Valid);
        _clock.Advance(TimeSpan.FromSeconds(20));
        string retrySignature = WebhookSignature.Sign([key!], VectorId, 1614265350, s_vectorBody);

        WebhookVerificationResult retry = verifier.Verify(VectorId, "1614265350", retrySignature, s_vectorBody);

        retry.Should().Be(WebhookVerificationResult.Valid, "a sender's retry has the same id, a new timestamp and a new signature");
    }

    [Fact]
    public void Verify_AfterForget_AcceptsTheSameRequestAgain()
    {
        WebhookVerifier verifier = Create();
        verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        verifier.Forget(VectorId, VectorTimestamp);
        WebhookVerificationResult again = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        again.Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_RejectReplaysOff_AcceptsRepeats()
    {
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock, RejectReplays = false });
        verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        WebhookVerificationResult again = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        again.Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_ReplayMemoryFull_ForgetsTheEntryClosestToExpiry()
    {
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock, MaxRememberedRequests = 2 });
        WebhookSecret.TryReadKey(TestSecrets.A, out byte[]? key, out _);
        string Sign(string id, long timestamp) => WebhookSignature.Sign([key!], id, timestamp, s_vectorBody);
        verifier.Verify("a", "1614265320", Sign("a", 1614265320), s_vectorBody).Should().Be(WebhookVerificationResult.Valid);
        verifier.Verify("b", "1614265325", Sign("b", 1614265325), s_vectorBody).Should().Be(WebhookVerificationResult.Valid);
        verifier.Verify("c", "1614265330", Sign("c", 1614265330), s_vectorBody).Should().Be(WebhookVerificationResult.Valid);

        WebhookVerificationResult oldest = verifier.Verify("a", "1614265320", Sign("a", 1614265320), s_vectorBody);
        WebhookVerificationResult newest = verifier.Verify("c", "1614265330", Sign("c", 1614265330), s_vectorBody);

        oldest.Should().Be(WebhookVerificationResult.Valid, "memory is bounded: the entry nearest expiry was dropped");
        newest.Should().Be(WebhookVerificationResult.Replayed);
    }

    [Fact]
    public void Verify_UnknownVersionsAndGarbageEntries_AreSkipped()
    {
        const string header = "v1a,AAAA v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,not-base64!  v1,AAAA " + VectorSignature;

        WebhookVerificationResult result = Create().Verify(VectorId, VectorTimestamp, header, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_OnlyOtherVersions_IsInvalidSignature()
    {
        WebhookVerificationResult result = Create().Verify(VectorId, VectorTimestamp, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", s_vectorBody);

        result.Should().Be(WebhookVerificationResult.InvalidSignature);
    }

    [Fact]
    public void Verify_SeveralSecrets_AcceptsASignatureFromAnyOfThem()
    {
        var verifier = new WebhookVerifier([TestSecrets.B, TestSecrets.A], new WebhookVerifierOptions { TimeProvider = _clock });

        WebhookVerificationResult result = verifier.Verify(VectorId, VectorTimestamp, VectorSignature, s_vectorBody);

        result.Should().Be(WebhookVerificationResult.Valid);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_!!!notbase64")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Constructor_MalformedSecret_ThrowsWithoutQuotingIt(string secret)
    {
        Action create = () => _ = new WebhookVerifier(secret);

        create.Should().Throw<ArgumentException>().Which.Message.Should().NotContain(secret);
    }

    [Fact]
    public void Constructor_ToleranceOutOfRange_Throws()
    {
        Action create = () => _ = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { Tolerance = TimeSpan.Zero });

        create.Should().Throw<ArgumentException>().WithMessage("*Tolerance*");
    }

    [Fact]
    public void Generate_NewSecret_SignsAndVerifies()
    {
        string secret = WebhookSecret.Generate();
        WebhookSecret.TryReadKey(secret, out byte[]? key, out _).Should().BeTrue();
        string signature = WebhookSignature.Sign([key!], "id-1", 1614265330, s_vectorBody);

        WebhookVerificationResult result = new WebhookVerifier(secret, new WebhookVerifierOptions { TimeProvider = _clock })
            .Verify("id-1", VectorTimestamp, signature, s_vectorBody);

        secret.Should().StartWith("whsec_");
        key.Should().HaveCount(32);
        result.Should().Be(WebhookVerificationResult.Valid);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    public void Generate_SizeOutOfRange_Throws(int bytes)
    {
        Action generate = () => WebhookSecret.Generate(bytes);

        generate.Should().Throw<ArgumentOutOfRangeException>();
    }

    private WebhookVerifier Create() => new(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock });
}
