namespace Broker.Topics.Filtering;

/// <summary>What a <see cref="FilterPolicy"/> is evaluated against, as the SNS <c>FilterPolicyScope</c> subscription attribute.</summary>
public enum FilterPolicyScope
{
    /// <summary>The message attributes. The policy must be flat: each key names an attribute. This is the default.</summary>
    MessageAttributes,

    /// <summary>The message body, which must be a JSON object. Nested policy objects follow nested body properties.</summary>
    MessageBody,
}
