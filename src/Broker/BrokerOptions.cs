using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Broker;

/// <summary>Settings shared by every queue and topic of a <see cref="MessageBroker"/>.</summary>
public sealed class BrokerOptions
{
    /// <summary>Gets or sets the clock for timeouts, delays, retention and timestamps.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the JSON settings used where a body must become bytes: content-based de-duplication of FIFO queues
    /// with bodies other than strings and bytes, and later body filter policies and webhooks.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>. For native AOT, pass options whose
    /// <see cref="JsonSerializerOptions.TypeInfoResolver"/> is a source-generated context that knows your body types.</value>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>Gets or sets where queues, topics and subscriptions log (category <c>Broker</c>).</summary>
    /// <value>The default is <see langword="null"/>: no logging. In a host, <c>AddBroker</c> passes the host's logger factory.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
