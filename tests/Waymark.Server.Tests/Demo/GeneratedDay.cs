using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>One generated day, shared by the demo tests, and views of it the tests ask about.</summary>
internal static class GeneratedDay
{
    public static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<IReadOnlyList<DemoBatch>> s_batches = new(() => [.. TravelDemo.Generate(Day, new DemoOptions())]);
    private static readonly Lazy<IReadOnlyList<ClientSession>> s_sessions = new(() => GroupSessions(s_batches.Value));

    public static IReadOnlyList<DemoBatch> Batches => s_batches.Value;

    /// <summary>Every event with the context of the batch that carried it.</summary>
    public static IEnumerable<(BatchContext Context, IncomingEvent Event)> Events =>
        Batches.SelectMany(b => b.Events.Select(e => (b.Context, e)));

    /// <summary>The day's sessions as the clients saw them (before the server's session rules).</summary>
    public static IReadOnlyList<ClientSession> Sessions => s_sessions.Value;

    public static IReadOnlyList<ClientSession> Channel(string channel) => [.. Sessions.Where(s => s.First.Channel == channel)];

    private static readonly Enricher s_enricher = new(new GeoLocator(null),
        new AppRegistry(Options.Create(new List<AppOptions> { new() { Id = "horizon", IngestKey = "k" } })), Options.Create(new IdentityOptions()));

    /// <summary>A batch's events as the pipeline stores them (masked, identities hashed), for tests that drive a journey directly.</summary>
    public static EventRecord[] Accepted(DemoBatch batch) =>
        [.. batch.Events.Select(e => s_enricher.Accept(new AppOptions { Id = "horizon", IngestKey = "k" }, e, e.Timestamp, "www.horizon-travel.example", out _)!)];

    public static List<ClientSession> GroupSessions(IReadOnlyList<DemoBatch> batches)
    {
        var byId = new Dictionary<string, List<DemoBatch>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var b in batches)
        {
            var key = b.Context.Visitor + "/" + b.Context.ClientSession;
            if (!byId.TryGetValue(key, out var list))
            {
                byId[key] = list = [];
                order.Add(key);
            }
            list.Add(b);
        }
        return [.. order.Select(k => new ClientSession(byId[k]))];
    }
}

/// <summary>One client session: its batches in the order they were received, and its events in time order.</summary>
internal sealed class ClientSession(List<DemoBatch> batches)
{
    public IReadOnlyList<DemoBatch> Batches { get; } = batches;

    public BatchContext First => Batches[0].Context;

    public IReadOnlyList<IncomingEvent> Events { get; } = [.. batches.SelectMany(b => b.Events).OrderBy(e => e.Timestamp)];

    public DateTimeOffset Start => Events[0].Timestamp;

    public DateTimeOffset End => Events[^1].Timestamp;

    public bool Converted => Events.Any(e => e.Type == EventType.Conversion);

    public bool HasView(string name) => Events.Any(e => e.Type == EventType.View && e.Name == name);

    public bool HasError(string fingerprint) => Events.Any(e => e.Type == EventType.Error && e.Fingerprint == fingerprint);

    /// <summary>The longest pause between two consecutive events.</summary>
    public TimeSpan LongestGap => Events.Count < 2 ? TimeSpan.Zero : Events.Zip(Events.Skip(1), (a, b) => b.Timestamp - a.Timestamp).Max();
}
