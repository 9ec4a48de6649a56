using System.Data.Common;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Sessions;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>Maps events and sessions to DuckDB rows and back, in the column order of <see cref="DuckDbSchema"/>.</summary>
internal static class DuckDbRows
{
    public static void AppendEvent(DuckDBAppender appender, long seq, BatchContext c, string session, EventRecord e)
    {
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
            .AppendValue(e.Name)
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
            .AppendValue(e.UserTag)
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
            .EndRow();
    }

    /// <summary>Reads a row selected with <see cref="DuckDbSchema.SessionSelect"/>.</summary>
    public static SessionSummary ReadSession(DbDataReader r) => new()
    {
        App = r.GetString(0),
        SessionId = r.GetString(1),
        Visitor = r.GetString(2),
        Channel = r.GetString(3),
        ClientSession = Str(r, 4),
        UserTag = Str(r, 5),
        Start = Utc(r, 6),
        End = Utc(r, 7),
        FirstReceived = Utc(r, 8),
        LastReceived = Utc(r, 9),
        Events = r.GetInt32(10),
        Pages = r.GetInt32(11),
        Actions = r.GetInt32(12),
        Errors = r.GetInt32(13),
        Crashes = r.GetInt32(14),
        Requests = r.GetInt32(15),
        FailedRequests = r.GetInt32(16),
        RageClicks = r.GetInt32(17),
        Converted = r.GetBoolean(18),
        ConversionValue = r.GetDouble(19),
        EntryPage = Str(r, 20),
        ExitPage = Str(r, 21),
        SatisfiedActions = r.GetInt32(22),
        ToleratingActions = r.GetInt32(23),
        FrustratedActions = r.GetInt32(24),
        FrustratingElements = r.GetInt32(25),
        LastActionFrustrating = r.GetBoolean(26),
        ActionsAfterLastView = r.GetInt32(27),
        Ended = r.GetBoolean(28),
        EndReason = Str(r, 29),
        DeviceClass = r.GetString(30),
        Browser = Str(r, 31),
        Os = Str(r, 32),
        Country = Str(r, 33),
        City = Str(r, 34),
        AppVersion = Str(r, 35),
        Locale = Str(r, 36),
        Touchpoint = Str(r, 37),
    };

    /// <summary>Reads a row selected with <see cref="DuckDbSchema.EventSelect"/>.</summary>
    public static StoredEvent ReadEvent(DbDataReader r)
    {
        var context = new BatchContext
        {
            App = r.GetString(0),
            Channel = r.GetString(1),
            Visitor = r.GetString(2),
            ClientSession = Str(r, 4),
            UserTag = Str(r, 5),
            Received = Utc(r, 9),
            DeviceClass = r.GetString(27),
            Browser = Str(r, 28),
            BrowserVersion = Str(r, 29),
            Os = Str(r, 30),
            OsVersion = Str(r, 31),
            Model = Str(r, 32),
            AppVersion = Str(r, 33),
            Locale = Str(r, 34),
            Country = Str(r, 35),
            City = Str(r, 36),
            Ip = Str(r, 37),
            Touchpoint = Str(r, 38),
        };
        var e = new EventRecord
        {
            EventId = r.GetString(6),
            Type = (EventType)r.GetByte(7),
            Timestamp = Utc(r, 8),
            Name = Str(r, 10),
            Url = Str(r, 11),
            Duration = r.IsDBNull(12) ? null : r.GetDouble(12),
            Status = r.IsDBNull(13) ? null : r.GetInt32(13),
            Method = Str(r, 14),
            ThirdParty = r.GetBoolean(15),
            Value = r.IsDBNull(16) ? null : r.GetDouble(16),
            Message = Str(r, 17),
            Stack = Str(r, 18),
            Source = Str(r, 19),
            Fingerprint = Str(r, 20),
            Target = Str(r, 21),
            Frustration = Str(r, 22),
            ActionId = Str(r, 23),
            Props = Str(r, 24),
            Failed = r.GetBoolean(25),
            UserTag = Str(r, 26),
        };
        return new StoredEvent(r.GetString(3), context, e);
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Utc(DbDataReader r, int i) =>
        new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));
}
