using System.Data.Common;
using System.Text.Json;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// Maps facts and sessions to DuckDB rows and back. An appender writes the
/// columns in the order of <see cref="DuckDbSchema"/>'s tables (a test reads
/// every field back); readers find each column by its name.
/// <para>
/// An identify event's <see cref="Identity"/> is kept in <c>name</c> (the kind)
/// and <c>event_user</c> (the key), its traits' keys in <c>props</c>.
/// </para>
/// </summary>
internal static class DuckDbRows
{
    public static void AppendEvent(DuckDBAppender appender, long seq, JourneyFact f)
    {
        var (session, c, e) = f;
        appender.CreateRow()
            .AppendValue(seq)
            .AppendValue(c.App)
            .AppendValue(c.Channel)
            .AppendValue(c.Visitor)
            .AppendValue(session)
            .AppendValue(c.ClientSession)
            .AppendValue(c.UserTag)
            .AppendValue(e.EventId)
            .AppendValue((byte)e.Type)
            .AppendValue(e.Timestamp.UtcDateTime)
            .AppendValue(c.Received.UtcDateTime)
            .AppendValue(e.Identity?.Kind ?? e.Name)
            .AppendValue(e.Url)
            .AppendValue(e.Duration)
            .AppendValue(e.Status)
            .AppendValue(e.Method)
            .AppendValue(e.ThirdParty)
            .AppendValue(e.Value)
            .AppendValue(e.Message)
            .AppendValue(e.Stack)
            .AppendValue(e.Source)
            .AppendValue(e.Fingerprint)
            .AppendValue(e.Target)
            .AppendValue(e.Frustration)
            .AppendValue(e.ActionId)
            .AppendValue(e.Props)
            .AppendValue(e.Failed)
            .AppendValue(e.Identity?.Key)
            .AppendValue(c.DeviceClass)
            .AppendValue(c.Browser)
            .AppendValue(c.BrowserVersion)
            .AppendValue(c.Os)
            .AppendValue(c.OsVersion)
            .AppendValue(c.Model)
            .AppendValue(c.AppVersion)
            .AppendValue(c.Locale)
            .AppendValue(c.Country)
            .AppendValue(c.City)
            .AppendValue(c.Ip)
            .AppendValue(c.Touchpoint)
            .AppendValue(c.Consent)
            .EndRow();
    }

    public static void AppendSession(DuckDBAppender appender, SessionSummary s)
    {
        appender.CreateRow()
            .AppendValue(s.App)
            .AppendValue(s.SessionId)
            .AppendValue(s.Visitor)
            .AppendValue(s.Channel)
            .AppendValue(s.ClientSession)
            .AppendValue(s.UserTag)
            .AppendValue(s.Start.UtcDateTime)
            .AppendValue(s.End.UtcDateTime)
            .AppendValue(s.FirstReceived.UtcDateTime)
            .AppendValue(s.LastReceived.UtcDateTime)
            .AppendValue((long)s.Duration.TotalMilliseconds)
            .AppendValue(s.Events)
            .AppendValue(s.Pages)
            .AppendValue(s.Actions)
            .AppendValue(s.Errors)
            .AppendValue(s.Crashes)
            .AppendValue(s.Requests)
            .AppendValue(s.FailedRequests)
            .AppendValue(s.RageClicks)
            .AppendValue(s.Converted)
            .AppendValue(s.ConversionValue)
            .AppendValue(s.EntryPage)
            .AppendValue(s.ExitPage)
            .AppendValue(s.SatisfiedActions)
            .AppendValue(s.ToleratingActions)
            .AppendValue(s.FrustratedActions)
            .AppendValue(s.FrustratingElements)
            .AppendValue(s.LastActionFrustrating)
            .AppendValue(s.ActionsAfterLastView)
            .AppendValue(s.Ended)
            .AppendValue(s.EndReason)
            .AppendValue(s.Bounce)
            .AppendValue(ExperienceScore.Name(s.Experience))
            .AppendValue(s.ApdexScore)
            .AppendValue(s.DeviceClass)
            .AppendValue(s.Browser)
            .AppendValue(s.Os)
            .AppendValue(s.Country)
            .AppendValue(s.City)
            .AppendValue(s.AppVersion)
            .AppendValue(s.Locale)
            .AppendValue(s.Touchpoint)
            .AppendValue(s.Consent)
            .EndRow();
    }

    /// <summary>Reads the rows of a sessions query (any columns of the sessions table, found by name).</summary>
    public static async Task<List<SessionSummary>> ReadSessionsAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var list = new List<SessionSummary>();
        var o = new Ordinals(r);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(ReadSession(r, o));
        }
        return list;
    }

    public static SessionSummary ReadSession(DbDataReader r, Ordinals o) => new()
    {
        App = r.GetString(o["app"]),
        SessionId = r.GetString(o["session_id"]),
        Visitor = r.GetString(o["visitor"]),
        Channel = r.GetString(o["channel"]),
        ClientSession = Str(r, o["client_session"]),
        UserTag = Str(r, o["user_tag"]),
        Start = Utc(r, o["start_ts"]),
        End = Utc(r, o["end_ts"]),
        FirstReceived = Utc(r, o["first_received"]),
        LastReceived = Utc(r, o["last_received"]),
        Events = r.GetInt32(o["events"]),
        Pages = r.GetInt32(o["pages"]),
        Actions = r.GetInt32(o["actions"]),
        Errors = r.GetInt32(o["errors"]),
        Crashes = r.GetInt32(o["crashes"]),
        Requests = r.GetInt32(o["requests"]),
        FailedRequests = r.GetInt32(o["failed_requests"]),
        RageClicks = r.GetInt32(o["rage_clicks"]),
        Converted = r.GetBoolean(o["converted"]),
        ConversionValue = r.GetDouble(o["conversion_value"]),
        EntryPage = Str(r, o["entry_page"]),
        ExitPage = Str(r, o["exit_page"]),
        SatisfiedActions = r.GetInt32(o["satisfied"]),
        ToleratingActions = r.GetInt32(o["tolerating"]),
        FrustratedActions = r.GetInt32(o["frustrated"]),
        FrustratingElements = r.GetInt32(o["frustrating_elements"]),
        LastActionFrustrating = r.GetBoolean(o["last_action_frustrating"]),
        ActionsAfterLastView = r.GetInt32(o["actions_after_last_view"]),
        Ended = r.GetBoolean(o["ended"]),
        EndReason = Str(r, o["end_reason"]),
        DeviceClass = r.GetString(o["device_class"]),
        Browser = Str(r, o["browser"]),
        Os = Str(r, o["os"]),
        Country = Str(r, o["country"]),
        City = Str(r, o["city"]),
        AppVersion = Str(r, o["app_version"]),
        Locale = Str(r, o["locale"]),
        Touchpoint = Str(r, o["touchpoint"]),
        Consent = o.Has("consent") ? Str(r, o["consent"]) : null,
    };

    /// <summary>Reads the rows of an events query (any columns of the events table, found by name).</summary>
    public static async Task<List<StoredEvent>> ReadEventsAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var list = new List<StoredEvent>();
        var o = new Ordinals(r);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(ReadEvent(r, o));
        }
        return list;
    }

    public static StoredEvent ReadEvent(DbDataReader r, Ordinals o)
    {
        var context = new BatchContext
        {
            App = r.GetString(o["app"]),
            Channel = r.GetString(o["channel"]),
            Visitor = r.GetString(o["visitor"]),
            ClientSession = Str(r, o["client_session"]),
            UserTag = Str(r, o["user_tag"]),
            Received = Utc(r, o["received"]),
            DeviceClass = r.GetString(o["device_class"]),
            Browser = Str(r, o["browser"]),
            BrowserVersion = Str(r, o["browser_version"]),
            Os = Str(r, o["os"]),
            OsVersion = Str(r, o["os_version"]),
            Model = Str(r, o["model"]),
            AppVersion = Str(r, o["app_version"]),
            Locale = Str(r, o["locale"]),
            Country = Str(r, o["country"]),
            City = Str(r, o["city"]),
            Ip = Str(r, o["ip"]),
            Touchpoint = Str(r, o["touchpoint"]),
            Consent = o.Has("consent") ? Str(r, o["consent"]) : null,
        };
        var type = (EventType)r.GetByte(o["type"]);
        var name = Str(r, o["name"]);
        var props = Str(r, o["props"]);
        var e = new EventRecord
        {
            EventId = r.GetString(o["event_id"]),
            Type = type,
            Timestamp = Utc(r, o["ts"]),
            Name = type == EventType.Identify ? null : name,
            Url = Str(r, o["url"]),
            Duration = r.IsDBNull(o["duration"]) ? null : r.GetDouble(o["duration"]),
            Status = r.IsDBNull(o["status"]) ? null : r.GetInt32(o["status"]),
            Method = Str(r, o["method"]),
            ThirdParty = r.GetBoolean(o["third_party"]),
            Value = r.IsDBNull(o["value"]) ? null : r.GetDouble(o["value"]),
            Message = Str(r, o["message"]),
            Stack = Str(r, o["stack"]),
            Source = Str(r, o["source"]),
            Fingerprint = Str(r, o["fingerprint"]),
            Target = Str(r, o["target"]),
            Frustration = Str(r, o["frustration"]),
            ActionId = Str(r, o["action_id"]),
            Props = props,
            Failed = r.GetBoolean(o["failed"]),
            Identity = type == EventType.Identify && Str(r, o["event_user"]) is { } key
                ? new Identity(name ?? IdentityKeys.User, key, DerivedLinks.TraitsOf(props))
                : null,
        };
        return new StoredEvent(r.GetString(o["session"]), context, e);
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Utc(DbDataReader r, int i) =>
        new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));

    /// <summary>The ordinals of a reader's columns by name, looked up once per query.</summary>
    internal sealed class Ordinals(DbDataReader r)
    {
        private readonly Dictionary<string, int> _byName = Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => i, StringComparer.Ordinal);

        public int this[string name] => _byName.TryGetValue(name, out var i)
            ? i
            : throw new InvalidOperationException($"The query has no column '{name}'.");

        public bool Has(string name) => _byName.ContainsKey(name);
    }
}
