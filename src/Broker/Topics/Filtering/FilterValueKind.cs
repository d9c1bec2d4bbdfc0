namespace Broker.Topics.Filtering;

/// <summary>The JSON kind of a single value that filter conditions are tested against.</summary>
internal enum FilterValueKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}
