namespace Broker;

/// <summary>The exception thrown when an operation conflicts with the state of the broker, a queue or a message.</summary>
/// <remarks>Argument errors (out-of-range numbers, bad names, oversized bodies) are reported with
/// <see cref="ArgumentException"/> and its subclasses instead; this type is for state errors.</remarks>
public sealed class BrokerException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class.</summary>
    public BrokerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public BrokerException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BrokerException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class with an error code and a message.</summary>
    /// <param name="errorCode">The machine-readable reason.</param>
    /// <param name="message">The message that describes the error.</param>
    public BrokerException(BrokerErrorCode errorCode, string? message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Gets the machine-readable reason for the error.</summary>
    /// <value>One of the <see cref="BrokerErrorCode"/> values; zero when the exception was created without a code.</value>
    public BrokerErrorCode ErrorCode { get; }
}
