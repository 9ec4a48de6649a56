using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Server.Store;

namespace Waymark.Bench.Load;

/// <summary>One beacon's rows as the server appends them: its journey step (facts in order) and, for the baselines, their parts.</summary>
internal sealed record WriteBatch(JourneyAppend Append)
{
    public BatchContext Context => Append.Facts[0].Context;

    public IReadOnlyList<EventRecord> Events { get; } = [.. Append.Facts.Select(f => f.Event)];

    public IReadOnlyList<string> SessionIds { get; } = [.. Append.Facts.Select(f => f.Session)];
}
