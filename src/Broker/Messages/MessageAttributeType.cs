namespace Broker.Messages;

/// <summary>The base type of a message attribute.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are those of the SQS and SNS attribute data types.")]
public enum MessageAttributeType
{
    /// <summary>Unicode text.</summary>
    String,

    /// <summary>A decimal number kept in its text form.</summary>
    Number,

    /// <summary>Arbitrary bytes.</summary>
    Binary,
}
