namespace Broker.Queues;

/// <summary>Which part of a message broke a limit.</summary>
internal enum SendProblemKind
{
    Delay,
    Attributes,
    Size,
    GroupId,
    DeduplicationId,
}

/// <summary>Why a message cannot be sent; becomes an exception for a single send and a failed entry in a batch.</summary>
internal sealed record SendProblem(SendProblemKind Kind, string Message)
{
    public Exception ToException(string optionsParamName, string bodyParamName) => Kind switch
    {
        SendProblemKind.Delay => new ArgumentOutOfRangeException(optionsParamName + ".Delay", Message),
        SendProblemKind.Attributes => new ArgumentException(Message, optionsParamName + ".Attributes"),
        SendProblemKind.GroupId => new ArgumentException(Message, optionsParamName + ".MessageGroupId"),
        SendProblemKind.DeduplicationId => new ArgumentException(Message, optionsParamName + ".DeduplicationId"),
        _ => new ArgumentException(Message, bodyParamName),
    };
}
