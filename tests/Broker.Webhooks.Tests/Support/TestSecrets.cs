namespace Broker.Webhooks.Tests.Support;

public static class TestSecrets
{
    public const string A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string B = "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24tdGVzdHM=";
    public const string C = "whsec_dGhpcmQtc2VjcmV0LWZvci1yb3RhdGlvbi10ZXN0cw==";
}
