using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Waymark.Core.Protocol;
using Waymark.Server.Apps;
using Waymark.Server.Collect;
using Waymark.Server.Journeys;
using Waymark.Server.Rules;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>
/// In-page interventions. A beacon of an app whose rules have a widget action
/// is answered with the URL of the intervention script (agent/src/offer.ts),
/// which the agent loads once; the script opens a push channel (server-sent
/// events) for its visitor. Every node follows the change feed: when a rule
/// fires with a widget action, the node holding the visitor's channel pushes
/// it at once, the script calls the page's handler and, unless the handler
/// took it, shows the widget (the chat offer). What the customer does with it
/// (shown, accepted, dismissed) comes back and is recorded in the history.
/// </summary>
public sealed class InPageHub(IChangeFeed feed, IRuleHistory history, TimeProvider clock) : BackgroundService, IBeaconHints
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<string>, byte>> _pages = new(StringComparer.Ordinal);
    private RuleBook? _book;

    internal void Use(RuleBook book) => _book = book;

    /// <summary>The script to load, for an app with a rule that acts in the page.</summary>
    public string? ScriptFor(HttpContext http, BeaconHeader header)
    {
        if (_book?.Find(header.App) is not { } rules || !rules.Set.Rules.Any(r => r.Enabled && r.Actions.Any(a => a.Type == "widget")))
        {
            return null;
        }
        return $"{http.Request.Scheme}://{http.Request.Host}{OfferScript.Path}?app={Uri.EscapeDataString(header.App)}&visitor={Uri.EscapeDataString(header.Visitor)}";
    }

    /// <summary>Pages connected on this node.</summary>
    public int Connected => _pages.Values.Sum(p => p.Count);

    /// <summary>A page's push channel; dispose the lease when the page goes.</summary>
    public (ChannelReader<string> Reader, IDisposable Lease) Connect(string app, string visitor)
    {
        var key = app + "/" + visitor;
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _pages.GetOrAdd(key, _ => new()).TryAdd(channel, 0);
        return (channel.Reader, new Lease(() =>
        {
            if (_pages.TryGetValue(key, out var set))
            {
                set.TryRemove(channel, out _);
            }
            channel.Writer.TryComplete();
        }));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(c => c.Kind == ChangeKind.Signal && c.Signal?.Logic == Firings.Logic);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                if (!_pages.TryGetValue(change.App + "/" + change.Visitor, out var pages) || pages.IsEmpty)
                {
                    continue;
                }
                var firing = Firings.Read(change.App, change.Visitor, change.Signal!);
                if (firing is null || firing.Outcome != "fired")
                {
                    continue;
                }
                foreach (var (index, type, ps) in Firings.Actions(firing.Props))
                {
                    if (type != "widget")
                    {
                        continue;
                    }
                    var message = JsonSerializer.Serialize(new
                    {
                        firing = firing.FiringId, action = index, rule = firing.Rule, widget = ps.GetValueOrDefault("id"), message = ps.GetValueOrDefault("message"),
                        session = firing.Session, at = firing.At,
                    });
                    var pushed = 0;
                    foreach (var page in pages.Keys)
                    {
                        pushed += page.Writer.TryWrite(message) ? 1 : 0;
                    }
                    if (pushed > 0)
                    {
                        await history.RecordFiringEventAsync(new RuleFiringEvent(firing.FiringId, firing.App, firing.Rule, "delivered", index, clock.GetUtcNow(),
                            "widget " + ps.GetValueOrDefault("id") + " pushed to " + pushed + " page(s)"), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed class Lease(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                release();
            }
        }
    }
}

/// <summary>The intervention script (agent/dist/offer.js), served beside the agent.</summary>
public sealed class OfferScript
{
    public const string Path = "/agent/v1/offer.js";

    /// <summary>Beside the agent's bundle (Waymark:Agent:BundlePath), else beside the server.</summary>
    public OfferScript(Microsoft.Extensions.Options.IOptions<Waymark.Server.Agent.AgentOptions> agent)
    {
        var dir = agent.Value.BundlePath is { Length: > 0 } b ? System.IO.Path.GetDirectoryName(b)! : System.IO.Path.Combine(AppContext.BaseDirectory, "agent");
        var path = System.IO.Path.Combine(dir, "offer.js");
        Raw = File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public byte[]? Raw { get; }
}

/// <summary>The agent's side of in-page interventions: the script, the push channel, what the customer did.</summary>
public static class InPageEndpoints
{
    private static readonly string[] s_kinds = ["shown", "accepted", "dismissed"];

    public static IEndpointRouteBuilder MapInPage(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("").AllowAnonymous().WithTags("Agent");
        open.MapGet(OfferScript.Path, (OfferScript script, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.AccessControlAllowOrigin = "*";
            http.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
            return script.Raw is null
                ? Waymark.Server.Http.Problems.Create(StatusCodes.Status404NotFound, "Agent not built", "Build the agent (npm run build in agent/).")
                : Results.Bytes(script.Raw, "text/javascript; charset=utf-8");
        }).WithName("InterventionScript").WithSummary("The in-page intervention script (chat-offer widget, push channel), loaded by the agent only when the app's rules act in the page.");
        open.MapGet("/v1/agent/interventions", PushAsync).WithName("InterventionPush")
            .WithSummary("The push channel of a page (?app=, visitor=): server-sent events, one 'intervention' per rule firing with an in-page action.");
        open.MapPost("/v1/agent/interventions/{firing}/{kind}", RecordAsync).WithName("InterventionOutcome")
            .WithSummary("What the customer did with an intervention (?app=, action=): shown, accepted or dismissed; recorded in the rule's history.");
        return app;
    }

    private static bool Cors(HttpContext http, AppRegistry apps, string? app)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        if (app is null || apps.Find(app) is not { } a || !AppRegistry.OriginAllowed(a, origin))
        {
            return false;
        }
        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        return true;
    }

    private static async Task PushAsync(HttpContext http, string? app, string? visitor, InPageHub hub, AppRegistry apps, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app) || string.IsNullOrEmpty(visitor) || apps.Find(app) is null || !Cors(http, apps, app))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var (reader, lease) = hub.Connect(app, visitor);
        using (lease)
        {
            try
            {
                await http.Response.WriteAsync(": connected\n\n", cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                await foreach (var message in reader.ReadAllAsync(cancellationToken))
                {
                    await http.Response.WriteAsync("event: intervention\ndata: " + message + "\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
        }
    }

    private static async Task<IResult> RecordAsync(
        HttpContext http, string firing, string kind, string? app, int? action, AppRegistry apps, IRuleHistory history, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Cors(http, apps, app) || app is null || !s_kinds.Contains(kind))
        {
            return Waymark.Server.Http.Problems.Create(StatusCodes.Status400BadRequest, "Invalid outcome", "Name a configured app (?app=) and one of shown, accepted, dismissed.");
        }
        if (await history.GetFiringAsync(app, firing, cancellationToken) is not { } f || f.Outcome != "fired")
        {
            return Waymark.Server.Http.Problems.Create(StatusCodes.Status404NotFound, "No such firing", $"App '{app}' has no fired rule '{firing}'.");
        }
        await history.RecordFiringEventAsync(new RuleFiringEvent(f.FiringId, app, f.Rule, kind, action ?? 0, clock.GetUtcNow(), "by the customer"), cancellationToken);
        return Results.NoContent();
    }
}
