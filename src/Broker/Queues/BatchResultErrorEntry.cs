namespace Broker.Queues;

/// <summary>A batch entry that failed, and why.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="Code">A machine-readable reason, such as <c>InvalidParameterValue</c> or <c>ReceiptHandleIsInvalid</c>.</param>
/// <param name="Message">A description of the failure.</param>
/// <param name="SenderFault"><see langword="true"/> when the entry itself was at fault (retrying it unchanged fails again).</param>
public sealed record BatchResultErrorEntry(string Id, string Code, string Message, bool SenderFault);
