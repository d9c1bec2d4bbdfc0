using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Broker.Messages;

namespace Broker.Topics.Filtering;

/// <summary>An Amazon SNS subscription filter policy, validated and compiled once, then evaluated against each message.</summary>
/// <remarks>
/// <para>
/// A policy is a JSON object. Each key names a message attribute (scope <see cref="FilterPolicyScope.MessageAttributes"/>)
/// or a body property (scope <see cref="FilterPolicyScope.MessageBody"/>) and holds an array of accepted values: a message
/// matches when every key matches (AND across keys) and, for each key, any entry of its array matches (OR within a key).
/// Keys the policy does not name are ignored. <c>"$or": [{...}, {...}]</c> accepts a message when any of its policy objects
/// matches, at any level. The empty policy <c>{}</c> matches every message.
/// </para>
/// <para>
/// Array entries are exact strings (case-sensitive), numbers (compared by value, so <c>300</c> equals <c>3.0e2</c>),
/// <c>true</c>, <c>false</c>, <c>null</c>, or operator objects: <c>prefix</c>, <c>suffix</c>, <c>equals-ignore-case</c>,
/// <c>anything-but</c> (a value, a list of strings or of numbers, or a <c>prefix</c> or <c>suffix</c> object),
/// <c>numeric</c> (<c>=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> or a range such as
/// <c>[">", 0, "&lt;=", 150]</c>), <c>exists</c> and <c>cidr</c> (IPv4 or IPv6).
/// </para>
/// <para>
/// Attributes: <c>String</c> attributes are strings, <c>Number</c> attributes are numbers, and a <c>String.Array</c>
/// attribute (a JSON array in its text) matches when any element matches. <c>Binary</c> attributes are ignored, as if absent.
/// A missing key fails every condition except <c>{"exists": false}</c>; <c>anything-but</c> does not match it either.
/// As in SNS, <c>{"exists": false}</c> never matches a message that carries no attributes at all.
/// </para>
/// <para>
/// Body: nested policy objects follow nested JSON objects; arrays in the body match when any element matches, and under
/// a nested policy object all its keys must hold within the same array element. A body that is not a JSON object
/// matches nothing. The limits are those of SNS; see <see cref="FilterPolicyLimits"/>.
/// </para>
/// <para>Instances are immutable; <c>Matches</c> may be called from any number of threads at once.</para>
/// </remarks>
/// <example>
/// <code>
/// var policy = FilterPolicy.Parse("""{"size": ["large"], "price": [{"numeric": [">", 0, "&lt;=", 150]}]}""");
/// bool ok = policy.Matches(new Dictionary&lt;string, MessageAttributeValue&gt;
/// {
///     ["size"] = "large",
///     ["price"] = MessageAttributeValue.FromNumber(42),
/// }); // true
/// </code>
/// </example>
public sealed class FilterPolicy
{
    private readonly PolicyNode _root;
    private readonly string _json;

    private FilterPolicy(string json, FilterPolicyScope scope, PolicyNode root)
    {
        _json = json;
        Scope = scope;
        _root = root;
    }

    /// <summary>Gets what the policy is evaluated against.</summary>
    /// <value><see cref="FilterPolicyScope.MessageAttributes"/> or <see cref="FilterPolicyScope.MessageBody"/>, as given to <see cref="Parse"/>.</value>
    public FilterPolicyScope Scope { get; }

    /// <summary>Validates and compiles a filter policy.</summary>
    /// <param name="json">The policy: a JSON object of at most 256 KiB.</param>
    /// <param name="scope">What the policy applies to; the default is the message attributes.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not valid JSON or not a valid policy (an unknown operator, an operand of the wrong type,
    /// an empty array, a nested object in attribute scope) or exceeds a limit of <see cref="FilterPolicyLimits"/>.
    /// The message says what is wrong and at which key path.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scope"/> is not a defined <see cref="FilterPolicyScope"/>.</exception>
    public static FilterPolicy Parse(string json, FilterPolicyScope scope = FilterPolicyScope.MessageAttributes)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!TryParse(json, scope, out FilterPolicy? policy, out string? error))
        {
            throw new ArgumentException(error, nameof(json));
        }

        return policy;
    }

    /// <summary>Validates and compiles a filter policy, reporting failure instead of throwing.</summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="scope">What the policy applies to.</param>
    /// <param name="policy">The compiled policy, or <see langword="null"/> when <paramref name="json"/> is not a valid policy.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scope"/> is not a defined <see cref="FilterPolicyScope"/>.</exception>
    public static bool TryParse(string? json, FilterPolicyScope scope, [NotNullWhen(true)] out FilterPolicy? policy)
        => TryParse(json, scope, out policy, out _);

    /// <summary>Validates and compiles a filter policy, reporting failure and its reason instead of throwing.</summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="scope">What the policy applies to.</param>
    /// <param name="policy">The compiled policy, or <see langword="null"/> when <paramref name="json"/> is not a valid policy.</param>
    /// <param name="error">Why the policy is not valid, naming the key path; <see langword="null"/> when it is valid.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scope"/> is not a defined <see cref="FilterPolicyScope"/>.</exception>
    public static bool TryParse(
        string? json,
        FilterPolicyScope scope,
        [NotNullWhen(true)] out FilterPolicy? policy,
        [NotNullWhen(false)] out string? error)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, $"The scope must be {nameof(FilterPolicyScope.MessageAttributes)} or {nameof(FilterPolicyScope.MessageBody)}.");
        }

        policy = null;
        if (json is null)
        {
            error = "Invalid filter policy: it is null.";
            return false;
        }

        if (!FilterPolicyCompiler.TryCompile(json, scope, out PolicyNode? root, out error))
        {
            return false;
        }

        policy = new FilterPolicy(json, scope, root);
        return true;
    }

    /// <summary>Evaluates the policy against the attributes of a message.</summary>
    /// <param name="attributes">The message attributes; empty when the message has none.</param>
    /// <returns><see langword="true"/> when the message should be delivered to the subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="attributes"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The policy's <see cref="Scope"/> is <see cref="FilterPolicyScope.MessageBody"/>.</exception>
    /// <remarks>Does not allocate, except to parse the text of an IPv6 address for a <c>cidr</c> condition.</remarks>
    public bool Matches(IReadOnlyDictionary<string, MessageAttributeValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ThrowIfScopeIsNot(FilterPolicyScope.MessageAttributes);
        return _root.MatchesAttributes(attributes, hasAttributes: attributes.Count > 0);
    }

    /// <summary>Evaluates the policy against a JSON message body.</summary>
    /// <param name="body">The body; anything but a JSON object matches no policy except the empty one.</param>
    /// <returns><see langword="true"/> when the message should be delivered to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's <see cref="Scope"/> is <see cref="FilterPolicyScope.MessageAttributes"/>.</exception>
    /// <remarks>Does not allocate, except to parse the text of an IPv6 address for a <c>cidr</c> condition.</remarks>
    public bool Matches(JsonElement body)
    {
        ThrowIfScopeIsNot(FilterPolicyScope.MessageBody);
        return _root.IsEmpty || (body.ValueKind == JsonValueKind.Object && _root.MatchesBody(body));
    }

    /// <summary>Evaluates the policy against a message body given as UTF-8 JSON text.</summary>
    /// <param name="utf8Json">The body; text that is not valid JSON, or not a JSON object, matches no policy except the empty one.</param>
    /// <returns><see langword="true"/> when the message should be delivered to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's <see cref="Scope"/> is <see cref="FilterPolicyScope.MessageAttributes"/>.</exception>
    /// <remarks>Parses the text into a temporary <see cref="JsonDocument"/>; to test one body against many policies, parse it once and call <see cref="Matches(JsonElement)"/>.</remarks>
    public bool Matches(ReadOnlySpan<byte> utf8Json)
    {
        ThrowIfScopeIsNot(FilterPolicyScope.MessageBody);
        if (_root.IsEmpty)
        {
            return true;
        }

        var reader = new Utf8JsonReader(utf8Json);
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                return false; // unreachable in practice: the reader throws on a second top-level value
            }
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            return Matches(document.RootElement);
        }
    }

    /// <summary>Returns the policy JSON as it was given to <see cref="Parse"/>.</summary>
    /// <returns>The policy JSON.</returns>
    public override string ToString() => _json;

    private void ThrowIfScopeIsNot(FilterPolicyScope scope)
    {
        if (Scope != scope)
        {
            throw new InvalidOperationException(
                $"This filter policy applies to the {(Scope == FilterPolicyScope.MessageBody ? "message body" : "message attributes")}; call the Matches overload for its scope.");
        }
    }
}
