using System.Buffers;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>Facts, summaries and links as JSONEachRow rows, and rows back; the columns of <see cref="ClickHouseSchema"/>.</summary>
internal static class ClickHouseRows
{
    private delegate void Write(Utf8JsonWriter w);

    private static byte[] Row(Write write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Dbl(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static byte[] Event(ulong seq, JourneyFact f) => Row(w =>
    {
        var (session, c, e) = f;
        w.WriteNumber("seq", seq);
        w.WriteString("app", c.App);
        w.WriteString("channel", c.Channel);
        w.WriteString("visitor", c.Visitor);
        w.WriteString("session", session);
        Str(w, "client_session", c.ClientSession);
        Str(w, "user_tag", c.UserTag);
        w.WriteString("event_id", e.EventId);
        w.WriteNumber("type", (byte)e.Type);
        w.WriteNumber("ts_us", Sql.Us(e.Timestamp));
        w.WriteNumber("received_us", Sql.Us(c.Received));
        Str(w, "name", e.Identity?.Kind ?? e.Name);
        Str(w, "url", e.Url);
        Dbl(w, "duration", e.Duration);
        if (e.Status is { } status)
        {
            w.WriteNumber("status", status);
        }
        else
        {
            w.WriteNull("status");
        }
        Str(w, "method", e.Method);
        w.WriteNumber("third_party", e.ThirdParty ? 1 : 0);
        Dbl(w, "value", e.Value);
        Str(w, "message", e.Message);
        Str(w, "stack", e.Stack);
        Str(w, "source", e.Source);
        Str(w, "fingerprint", e.Fingerprint);
        Str(w, "target", e.Target);
        Str(w, "frustration", e.Frustration);
        Str(w, "action_id", e.ActionId);
        Str(w, "props", e.Props);
        w.WriteNumber("failed", e.Failed ? 1 : 0);
        Str(w, "event_user", e.Identity?.Key);
        w.WriteString("device_class", c.DeviceClass);
        Str(w, "browser", c.Browser);
        Str(w, "browser_version", c.BrowserVersion);
        Str(w, "os", c.Os);
        Str(w, "os_version", c.OsVersion);
        Str(w, "model", c.Model);
        Str(w, "app_version", c.AppVersion);
        Str(w, "locale", c.Locale);
        Str(w, "country", c.Country);
        Str(w, "city", c.City);
        Str(w, "ip", c.Ip);
        Str(w, "touchpoint", c.Touchpoint);
        Str(w, "consent", c.Consent);
    });

    public static byte[] Session(ulong version, SessionSummary s) => Row(w =>
    {
        w.WriteNumber("version", version);
        w.WriteString("app", s.App);
        w.WriteString("session_id", s.SessionId);
        w.WriteString("visitor", s.Visitor);
        w.WriteString("channel", s.Channel);
        Str(w, "client_session", s.ClientSession);
        Str(w, "user_tag", s.UserTag);
        w.WriteNumber("start_us", Sql.Us(s.Start));
        w.WriteNumber("end_us", Sql.Us(s.End));
        w.WriteNumber("first_received_us", Sql.Us(s.FirstReceived));
        w.WriteNumber("last_received_us", Sql.Us(s.LastReceived));
        w.WriteNumber("duration_ms", (long)s.Duration.TotalMilliseconds);
        w.WriteNumber("events", s.Events);
        w.WriteNumber("pages", s.Pages);
        w.WriteNumber("actions", s.Actions);
        w.WriteNumber("errors", s.Errors);
        w.WriteNumber("crashes", s.Crashes);
        w.WriteNumber("requests", s.Requests);
        w.WriteNumber("failed_requests", s.FailedRequests);
        w.WriteNumber("rage_clicks", s.RageClicks);
        w.WriteNumber("converted", s.Converted ? 1 : 0);
        w.WriteNumber("conversion_value", s.ConversionValue);
        Str(w, "entry_page", s.EntryPage);
        Str(w, "exit_page", s.ExitPage);
        w.WriteNumber("satisfied", s.SatisfiedActions);
        w.WriteNumber("tolerating", s.ToleratingActions);
        w.WriteNumber("frustrated", s.FrustratedActions);
        w.WriteNumber("frustrating_elements", s.FrustratingElements);
        w.WriteNumber("last_action_frustrating", s.LastActionFrustrating ? 1 : 0);
        w.WriteNumber("actions_after_last_view", s.ActionsAfterLastView);
        w.WriteNumber("ended", s.Ended ? 1 : 0);
        Str(w, "end_reason", s.EndReason);
        w.WriteNumber("bounce", s.Bounce ? 1 : 0);
        w.WriteString("experience", ExperienceScore.Name(s.Experience));
        Dbl(w, "apdex", s.ApdexScore);
        w.WriteString("device_class", s.DeviceClass);
        Str(w, "browser", s.Browser);
        Str(w, "os", s.Os);
        Str(w, "country", s.Country);
        Str(w, "city", s.City);
        Str(w, "app_version", s.AppVersion);
        Str(w, "locale", s.Locale);
        Str(w, "touchpoint", s.Touchpoint);
        Str(w, "consent", s.Consent);
    });

    public static byte[] Deadline(ulong version, string app, string visitor, DateTimeOffset? due) => Row(w =>
    {
        w.WriteNumber("version", version);
        w.WriteString("app", app);
        w.WriteString("visitor", visitor);
        w.WriteNumber("due_us", due is { } d ? Sql.Us(d) : 0);
        w.WriteNumber("cleared", due is null ? 1 : 0);
    });

    /// <summary>A link as first written: version 0, so that an undo (a later version) always wins over writing it again.</summary>
    public static byte[] Link(DerivedLink l) => Row(w =>
    {
        w.WriteNumber("version", 0);
        w.WriteString("link_id", l.Id);
        w.WriteString("app", l.App);
        w.WriteString("visitor", l.Visitor);
        Str(w, "session", l.Session);
        w.WriteString("channel", l.Channel);
        w.WriteString("kind", l.Kind);
        w.WriteString("key", l.Key);
        w.WriteString("source", l.Source);
        w.WriteNumber("linked_us", Sql.Us(l.At));
        w.WriteNull("undone_us");
        w.WriteNull("undone_reason");
    });

    public static string? S(JsonElement r, string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long L(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Number ? r.GetProperty(name).GetInt64() : 0;

    public static double? D(JsonElement r, string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static bool B(JsonElement r, string name) => L(r, name) != 0;

    public static DateTimeOffset T(JsonElement r, string name) => Sql.FromUs(L(r, name));

    public static SessionSummary ReadSession(JsonElement r) => new()
    {
        App = S(r, "app")!,
        SessionId = S(r, "session_id")!,
        Visitor = S(r, "visitor")!,
        Channel = S(r, "channel")!,
        ClientSession = S(r, "client_session"),
        UserTag = S(r, "user_tag"),
        Start = T(r, "start_us"),
        End = T(r, "end_us"),
        FirstReceived = T(r, "first_received_us"),
        LastReceived = T(r, "last_received_us"),
        Events = (int)L(r, "events"),
        Pages = (int)L(r, "pages"),
        Actions = (int)L(r, "actions"),
        Errors = (int)L(r, "errors"),
        Crashes = (int)L(r, "crashes"),
        Requests = (int)L(r, "requests"),
        FailedRequests = (int)L(r, "failed_requests"),
        RageClicks = (int)L(r, "rage_clicks"),
        Converted = B(r, "converted"),
        ConversionValue = D(r, "conversion_value") ?? 0,
        EntryPage = S(r, "entry_page"),
        ExitPage = S(r, "exit_page"),
        SatisfiedActions = (int)L(r, "satisfied"),
        ToleratingActions = (int)L(r, "tolerating"),
        FrustratedActions = (int)L(r, "frustrated"),
        FrustratingElements = (int)L(r, "frustrating_elements"),
        LastActionFrustrating = B(r, "last_action_frustrating"),
        ActionsAfterLastView = (int)L(r, "actions_after_last_view"),
        Ended = B(r, "ended"),
        EndReason = S(r, "end_reason"),
        DeviceClass = S(r, "device_class") ?? "unknown",
        Browser = S(r, "browser"),
        Os = S(r, "os"),
        Country = S(r, "country"),
        City = S(r, "city"),
        AppVersion = S(r, "app_version"),
        Locale = S(r, "locale"),
        Touchpoint = S(r, "touchpoint"),
        Consent = S(r, "consent"),
    };

    public static StoredEvent ReadEvent(JsonElement r)
    {
        var context = new BatchContext
        {
            App = S(r, "app")!,
            Channel = S(r, "channel")!,
            Visitor = S(r, "visitor")!,
            ClientSession = S(r, "client_session"),
            UserTag = S(r, "user_tag"),
            Received = T(r, "received_us"),
            DeviceClass = S(r, "device_class") ?? "unknown",
            Browser = S(r, "browser"),
            BrowserVersion = S(r, "browser_version"),
            Os = S(r, "os"),
            OsVersion = S(r, "os_version"),
            Model = S(r, "model"),
            AppVersion = S(r, "app_version"),
            Locale = S(r, "locale"),
            Country = S(r, "country"),
            City = S(r, "city"),
            Ip = S(r, "ip"),
            Touchpoint = S(r, "touchpoint"),
            Consent = S(r, "consent"),
        };
        var type = (EventType)L(r, "type");
        var name = S(r, "name");
        var props = S(r, "props");
        var e = new EventRecord
        {
            EventId = S(r, "event_id")!,
            Type = type,
            Timestamp = T(r, "ts_us"),
            Name = type == EventType.Identify ? null : name,
            Url = S(r, "url"),
            Duration = D(r, "duration"),
            Status = r.GetProperty("status").ValueKind == JsonValueKind.Number ? r.GetProperty("status").GetInt32() : null,
            Method = S(r, "method"),
            ThirdParty = B(r, "third_party"),
            Value = D(r, "value"),
            Message = S(r, "message"),
            Stack = S(r, "stack"),
            Source = S(r, "source"),
            Fingerprint = S(r, "fingerprint"),
            Target = S(r, "target"),
            Frustration = S(r, "frustration"),
            ActionId = S(r, "action_id"),
            Props = props,
            Failed = B(r, "failed"),
            Identity = type == EventType.Identify && S(r, "event_user") is { } key
                ? new Identity(name ?? IdentityKeys.User, key, DerivedLinks.TraitsOf(props))
                : null,
        };
        return new StoredEvent(S(r, "session")!, context, e);
    }
}
