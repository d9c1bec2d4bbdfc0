namespace Broker.Topics.Filtering;

/// <summary>The limits that <see cref="FilterPolicy.Parse"/> enforces; they are those of Amazon SNS.</summary>
public static class FilterPolicyLimits
{
    /// <summary>The most keys a policy may have: 5. For body policies only top-level keys count; with <c>$or</c>, each alternative counts separately.</summary>
    public const int MaxKeys = 5;

    /// <summary>The most value combinations a policy may describe: 150.</summary>
    /// <remarks>
    /// The count is the product of the lengths of the policy's value arrays, each length first multiplied by its
    /// nesting depth (1 at the top level). The alternatives of an <c>$or</c> are added, not multiplied.
    /// </remarks>
    public const int MaxCombinations = 150;

    /// <summary>The largest policy, in bytes of UTF-8 JSON: 256 KiB (262,144 bytes).</summary>
    public const int MaxPolicySize = 256 * 1024;

    /// <summary>The largest magnitude of a number in a policy: one billion (10^9).</summary>
    public const double MaxNumericMagnitude = 1_000_000_000;
}
