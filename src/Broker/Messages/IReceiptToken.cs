namespace Broker.Messages;

/// <summary>The backend's side of a receipt handle: it knows how to write the handle's string form.</summary>
internal interface IReceiptToken
{
    string FormatHandle(long generation);
}
