using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Binds the named options of a queue or topic from the configuration section of the same name; a key that names no option is an error.</summary>
/// <remarks>The bind itself is passed in from where the options type is concrete, so the configuration binding source
/// generator can replace it with generated code: reflection binding is neither trimming- nor AOT-safe.</remarks>
internal sealed class ConfigurationBinding<TOptions>(IConfiguration section, Action<IConfigurationSection, TOptions> bind) : IPostConfigureOptions<TOptions>
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
            bind(named, options);
        }
    }
}
