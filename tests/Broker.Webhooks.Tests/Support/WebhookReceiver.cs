using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broker.Webhooks.Tests.Support;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(int Number, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out string? value) ? value : throw new KeyNotFoundException(name);

    public string? HeaderOrNull(string name) => Headers.GetValueOrDefault(name);

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port that records every request and answers through a
/// replaceable handler (200 by default).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedRequest> _requests = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly CancellationTokenSource _stopping = new();
    private int _count;

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the base address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the webhook address, <c>{BaseUrl}hook</c>.</summary>
    public Uri Url => new(BaseUrl, "hook");

    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets or sets how to answer: gets the request and the context, writes the response. Default: 200.</summary>
    public Func<ReceivedRequest, HttpContext, Task> Respond { get; set; } = static (_, _) => Task.CompletedTask;

    /// <summary>Gets a token cancelled when the receiver stops, for handlers that wait.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public static Task<WebhookReceiver> StartAsync() => StartAsync(configure: null, port: 0);

    /// <summary>Starts a receiver; <paramref name="configure"/> may map endpoints before the recording catch-all.</summary>
    public static async Task<WebhookReceiver> StartAsync(Action<WebApplication>? configure, int port = 0)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app);
        configure?.Invoke(app);
        app.Use((context, next) => context.GetEndpoint() is null ? receiver.HandleAsync(context) : next(context));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>Waits for the next request, at most 10 seconds.</summary>
    public async Task<ReceivedRequest> NextAsync()
        => await _requests.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool TryNext(out ReceivedRequest? request) => _requests.Reader.TryRead(out request);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Picks a port that is free right now, for servers whose address must be known before they start.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var request = new ReceivedRequest(
            Interlocked.Increment(ref _count),
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            headers,
            body.ToArray());
        _requests.Writer.TryWrite(request);
        await Respond(request, context);
    }
}
