using System.Buffers;
using System.Text;
using System.Text.Json;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Journeys;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>
/// Takes a journey step's rule signals before the step is stored: every match
/// goes to the history with its outcome, and the webhooks and mails of a
/// firing go to the outbox, in one write (<see cref="IOutbox.EnqueueAsync"/>).
/// The step is stored only after that write, so a crash between the match and
/// the delivery leaves the action in the outbox; a step made again (the beacon
/// retried, the deadline fired again after a replay) writes the same ids.
/// The payload carries the customer's journey context as it was at the match.
/// </summary>
public sealed class SignalOutbox(IOutbox outbox, OutboxDispatcher dispatcher, TimeProvider clock) : IJourneySignalSink
{
    /// <summary>Action types delivered through the outbox (in-page and alerts go out on the change feed).</summary>
    public static readonly IReadOnlySet<string> Durable = new HashSet<string>(StringComparer.Ordinal) { "webhook", "email" };

    public async Task TakeAsync(string app, string visitor, JourneyWrite write, CancellationToken cancellationToken)
    {
        List<RuleFiring>? firings = null;
        List<OutboxItem>? items = null;
        var now = clock.GetUtcNow();
        foreach (var signal in write.Signals)
        {
            if (Firings.Read(app, visitor, signal) is not { } firing)
            {
                continue;
            }
            (firings ??= []).Add(firing);
            if (firing.Outcome != "fired")
            {
                continue;
            }
            string? payload = null;
            foreach (var (index, type, _) in Firings.Actions(firing.Props))
            {
                if (Durable.Contains(type))
                {
                    payload ??= Payload(firing, write.Sessions.FirstOrDefault(s => s.SessionId == firing.Session));
                    (items ??= []).Add(new OutboxItem(Firings.MessageId(firing.FiringId, index), app, firing.Rule, firing.FiringId, index, type, payload, now));
                }
            }
        }
        if (firings is null)
        {
            return;
        }
        await outbox.EnqueueAsync(firings, (IReadOnlyList<OutboxItem>?)items ?? [], cancellationToken);
        if (items is not null)
        {
            dispatcher.Wake();
        }
    }

    /// <summary>{"signal": the signal's props, "session": the session's summary at the match, or null}.</summary>
    public static string Payload(RuleFiring firing, SessionSummary? s)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("signal");
            w.WriteRawValue(firing.Props);
            if (s is null)
            {
                w.WriteNull("session");
            }
            else
            {
                w.WriteStartObject("session");
                w.WriteString("id", s.SessionId);
                w.WriteString("channel", s.Channel);
                w.WriteString("visitor", s.Visitor);
                w.WriteString("userTag", s.UserTag);
                w.WriteString("start", s.Start);
                w.WriteString("last", s.End);
                w.WriteNumber("durationSeconds", Math.Round((s.End - s.Start).TotalSeconds, 1));
                w.WriteNumber("pages", s.Pages);
                w.WriteNumber("actions", s.Actions);
                w.WriteNumber("errors", s.Errors);
                w.WriteNumber("failedRequests", s.FailedRequests);
                w.WriteNumber("rageClicks", s.RageClicks);
                w.WriteBoolean("converted", s.Converted);
                w.WriteString("entryPage", s.EntryPage);
                w.WriteString("currentPage", s.ExitPage);
                w.WriteString("touchpoint", s.Touchpoint);
                w.WriteString("experience", s.Experience.ToString().ToLowerInvariant());
                w.WriteString("device", s.DeviceClass);
                w.WriteString("browser", s.Browser);
                w.WriteString("os", s.Os);
                w.WriteString("country", s.Country);
                w.WriteString("city", s.City);
                w.WriteString("locale", s.Locale);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
