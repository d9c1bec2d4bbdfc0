using Broker.Topics;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Validates the options of every declared topic, so <c>ValidateOnStart</c> stops a host with bad configuration.</summary>
internal sealed class TopicOptionsValidation(BrokerDeclarations declarations) : IValidateOptions<TopicOptions>
{
    public ValidateOptionsResult Validate(string? name, TopicOptions options)
    {
        if (name is null || !declarations.TopicNames.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = TopicOptionsValidator.Validate(name, options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Topic '{name}': {e}"));
    }
}
