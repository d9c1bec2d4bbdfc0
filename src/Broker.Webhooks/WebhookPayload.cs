using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Broker.Messages;
using Broker.Topics;

namespace Broker.Webhooks;

/// <summary>Builds webhook bodies: the SNS-style JSON envelope, or the raw body.</summary>
internal static class WebhookPayload
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";
    public const string BinaryContentType = "application/octet-stream";

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // Bodies go to HTTP endpoints, never into HTML, so quotes and non-ASCII text stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Builds the body of a notification.</summary>
    /// <param name="message">The message.</param>
    /// <param name="typeInfo">The body's JSON contract; only needed for bodies other than text and bytes.</param>
    /// <param name="raw"><see langword="true"/> for the body alone.</param>
    public static WebhookBody Notification<T>(TopicMessage<T> message, JsonTypeInfo<T>? typeInfo, bool raw)
    {
        T body = message.Body;
        if (raw)
        {
            return body switch
            {
                string text => new WebhookBody(Encoding.UTF8.GetBytes(text), TextContentType),
                byte[] bytes => new WebhookBody(bytes, BinaryContentType),
                ReadOnlyMemory<byte> memory => new WebhookBody(memory, BinaryContentType),
                _ => new WebhookBody(Serialize(body, typeInfo), JsonContentType),
            };
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Type"u8, WebhookMessageTypes.Notification);
            WriteMessageId(writer, message.MessageId);
            writer.WriteString("Topic"u8, message.TopicName);
            if (message.Subject is { } subject)
            {
                writer.WriteString("Subject"u8, subject);
            }

            switch (body)
            {
                case string text:
                    writer.WriteString("Message"u8, text);
                    break;
                case byte[] bytes:
                    writer.WriteBase64String("Message"u8, bytes);
                    break;
                case ReadOnlyMemory<byte> memory:
                    writer.WriteBase64String("Message"u8, memory.Span);
                    break;
                default:
                    writer.WriteString("Message"u8, Serialize(body, typeInfo)); // JSON text inside a string, as SNS's Message
                    break;
            }

            WriteTimestamp(writer, message.Timestamp);
            if (message.Attributes.Count > 0)
            {
                writer.WriteStartObject("MessageAttributes"u8);
                foreach (KeyValuePair<string, MessageAttributeValue> attribute in message.Attributes)
                {
                    writer.WriteStartObject(attribute.Key);
                    writer.WriteString("Type"u8, attribute.Value.DataType);
                    if (attribute.Value.StringValue is { } value)
                    {
                        writer.WriteString("Value"u8, value);
                    }
                    else
                    {
                        writer.WriteBase64String("Value"u8, attribute.Value.BinaryValue.Span);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            if (message.MessageGroupId is { } group)
            {
                writer.WriteString("MessageGroupId"u8, group);
            }

            if (message.DeduplicationId is { } deduplication)
            {
                writer.WriteString("MessageDeduplicationId"u8, deduplication);
            }

            if (message.SequenceNumber is { } sequence)
            {
                writer.WriteString("SequenceNumber"u8, sequence);
            }

            writer.WriteEndObject();
        }

        return new WebhookBody(buffer.WrittenMemory, JsonContentType);
    }

    /// <summary>Builds the body of a subscription confirmation request.</summary>
    public static WebhookBody Confirmation(MessageId messageId, string topicName, string token, Uri? subscribeUrl, DateTimeOffset timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Type"u8, WebhookMessageTypes.SubscriptionConfirmation);
            WriteMessageId(writer, messageId);
            writer.WriteString("Token"u8, token);
            writer.WriteString("Topic"u8, topicName);
            writer.WriteString(
                "Message"u8,
                subscribeUrl is null
                    ? $"You have chosen to subscribe to the topic {topicName}. To confirm the subscription, give the Token to the publishing application."
                    : $"You have chosen to subscribe to the topic {topicName}. To confirm the subscription, visit the SubscribeURL included in this message.");
            if (subscribeUrl is not null)
            {
                writer.WriteString("SubscribeURL"u8, subscribeUrl.AbsoluteUri);
            }

            WriteTimestamp(writer, timestamp);
            writer.WriteEndObject();
        }

        return new WebhookBody(buffer.WrittenMemory, JsonContentType);
    }

    /// <summary>Formats a time as SNS does: ISO-8601 UTC with milliseconds, such as <c>2012-05-02T00:54:06.655Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp)
        => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Serialize<T>(T body, JsonTypeInfo<T>? typeInfo)
    {
        if (typeInfo is null)
        {
            throw new InvalidOperationException($"No JSON contract for {typeof(T).Name}.");
        }

        return JsonSerializer.SerializeToUtf8Bytes(body, typeInfo);
    }

    private static void WriteMessageId(Utf8JsonWriter writer, MessageId messageId)
    {
        Span<char> id = stackalloc char[36];
        messageId.TryFormat(id, out int written, default, CultureInfo.InvariantCulture);
        writer.WriteString("MessageId"u8, id[..written]);
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset timestamp)
    {
        Span<char> text = stackalloc char[24];
        timestamp.UtcDateTime.TryFormat(text, out int written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("Timestamp"u8, text[..written]);
    }
}
