using Broker.Queues;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Validates the options of every declared queue with the same rules as <see cref="MessageBroker.CreateQueue{T}(string, QueueOptions)"/>,
/// so <c>ValidateOnStart</c> stops a host with bad configuration and lists every problem.</summary>
internal sealed class QueueOptionsValidation(BrokerDeclarations declarations) : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        if (name is null || !declarations.QueueNames.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate(name, options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Queue '{name}': {e}"));
    }
}
