using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Binds the named options of a queue or topic from the configuration section of the same name; a key that names no option is an error.</summary>
internal sealed class ConfigurationBinding<TOptions>(IConfiguration section) : IPostConfigureOptions<TOptions>
    where TOptions : class
{
    public void PostConfigure(string? name, TOptions options)
    {
        if (name is null)
        {
            return;
        }

        IConfigurationSection named = section.GetSection(name);
        if (named.Exists())
        {
            // A misspelt key would otherwise be ignored and leave a default in force; failing names the key and the path.
            named.Bind(options, static binder => binder.ErrorOnUnknownConfiguration = true);
        }
    }
}
