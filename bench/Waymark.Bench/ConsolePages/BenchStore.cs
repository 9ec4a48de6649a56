using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.ConsolePages;

/// <summary>What the bench needs to know of the store it made: ids to ask for.</summary>
internal sealed record BenchSample(
    IReadOnlyList<string> Sessions, IReadOnlyList<string> Users, IReadOnlyList<string> Phones, IReadOnlyList<string> Visitors,
    long SessionRows, long EventRows, long LinkRows, double Seconds);

/// <summary>
/// Fills a fresh DuckDB file with the server's schema (DuckDbSchema.Create)
/// straight through appenders: N sessions over the last 30 days of one app,
/// their events (views with their requests and vitals, clicks, errors with
/// stacks, conversions), and the identity links that make customers of them
/// (user tags on web and app, a hashed phone linking contact-centre calls,
/// session-only loyalty links at kiosks). Sessions are derived from their
/// events by SessionAggregator, as the server derives them, and written in
/// time order, so the received-time zone maps are as tight as a live store's.
/// </summary>
internal static class BenchStore
{
    public const string App = "bench";

    private static readonly string[] s_channels = ["web", "mobile", "kiosk", "checkin", "contact-center"];
    private static readonly double[] s_channelWeights = [0.55, 0.25, 0.04, 0.08, 0.08];
    private static readonly string[] s_pages = ["Home", "Search", "Results", "Offer detail", "Date selection", "Cart", "Payment", "Confirmation"];
    private static readonly string[] s_countries = ["NL", "DE", "GB", "FR", "BE", "SE", "US"];
    private static readonly string[] s_cities = ["Amsterdam", "Berlin", "London", "Paris", "Brussels", "Stockholm", "New York"];
    private static readonly string[] s_browsers = ["Chrome", "Safari", "Firefox", "Edge"];
    private static readonly string[] s_versions = ["5.1.4", "5.2.1", "5.3.0"];
    private static readonly ApdexThresholds s_apdex = new();

    public static BenchSample Fill(string path, int sessions, DateTimeOffset end, int seed)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        foreach (var sql in DuckDbSchema.Create)
        {
            Execute(c, sql);
        }
        DuckDbSchema.AttachSegments(c, path);
        // A transaction writes one file: the events (a segment) go through a connection of their own.
        using var ce = new DuckDBConnection("Data Source=" + path);
        ce.Open();
        var rng = new Random(seed);
        var customers = Math.Max(1, sessions / 8);
        var anonymous = Math.Max(1, sessions / 4);
        var start = end - TimeSpan.FromDays(30);
        var step = (end - start).TotalMilliseconds / sessions;
        var links = new HashSet<string>(StringComparer.Ordinal);
        var sampleSessions = new List<string>();
        var sampleUsers = new List<string>();
        var samplePhones = new List<string>();
        var sampleVisitors = new List<string>();
        long seq = 0, linkRows = 0;

        using (var tx = c.BeginTransaction())
        using (var etx = ce.BeginTransaction())
        {
            using var events = ce.CreateAppender(DuckDbSchema.Segments[0], "main", "events");
            using var summaries = c.CreateAppender("sessions");
            using var linkAppender = c.CreateAppender("links");
            for (var i = 0; i < sessions; i++)
            {
                var at = start.AddMilliseconds(i * step + rng.NextDouble() * step);
                var channel = Pick(rng, s_channels, s_channelWeights);
                var customer = rng.Next(customers);
                var tag = "cust-" + customer.ToString("D7", CultureInfo.InvariantCulture);
                var phone = "+31 6 " + (10_000_000 + customer).ToString(CultureInfo.InvariantCulture);
                string visitor;
                string? user = null;
                var sessionId = "s-" + i.ToString("x8", CultureInfo.InvariantCulture);
                var linkList = new List<(string Kind, string Key, string? Session)>();
                switch (channel)
                {
                    case "web" or "mobile" when rng.NextDouble() < (channel == "web" ? 0.5 : 0.7):
                        visitor = (channel == "web" ? "v-w" : "v-m") + customer.ToString(CultureInfo.InvariantCulture);
                        user = tag;
                        linkList.Add((IdentityKeys.User, tag, null));
                        linkList.Add((IdentityKeys.Phone, IdentityKeys.Sha256Hex(IdentityKeys.Phone, phone), null));
                        break;
                    case "web" or "mobile":
                        visitor = "v-a" + rng.Next(anonymous).ToString(CultureInfo.InvariantCulture);
                        break;
                    case "contact-center":
                        visitor = "v-p" + customer.ToString(CultureInfo.InvariantCulture);
                        linkList.Add((IdentityKeys.Phone, IdentityKeys.Sha256Hex(IdentityKeys.Phone, phone), null));
                        break;
                    default:
                        visitor = (channel == "kiosk" ? "v-k" : "v-c") + rng.Next(300).ToString(CultureInfo.InvariantCulture);
                        if (rng.NextDouble() < 0.3)
                        {
                            linkList.Add((IdentityKeys.Loyalty, IdentityKeys.Sha256Hex(IdentityKeys.Loyalty, "HZ-" + customer), sessionId));
                        }
                        break;
                }
                var ctx = new BatchContext
                {
                    App = App,
                    Channel = channel,
                    Visitor = visitor,
                    ClientSession = sessionId,
                    UserTag = user,
                    Received = at,
                    DeviceClass = channel switch { "kiosk" => "kiosk", "checkin" => "kiosk", "contact-center" => "desktop", "mobile" => "mobile", _ => rng.NextDouble() < 0.55 ? "mobile" : "desktop" },
                    Browser = channel is "web" ? s_browsers[rng.Next(s_browsers.Length)] : null,
                    Os = channel is "mobile" ? (rng.NextDouble() < 0.5 ? "iOS" : "Android") : null,
                    AppVersion = channel is "mobile" ? s_versions[rng.Next(s_versions.Length)] : null,
                    Country = s_countries[rng.Next(s_countries.Length)],
                    Locale = "en-GB",
                };
                ctx = ctx with { City = s_cities[Array.IndexOf(s_countries, ctx.Country)] };
                var aggregator = new SessionAggregator(SessionAggregator.Begin(ctx, sessionId, at), s_apdex);
                foreach (var (batch, e) in Events(rng, ctx, i, at))
                {
                    aggregator.Add(batch, e);
                    DuckDbRows.AppendEvent(events, ++seq, new Waymark.Core.Journeys.JourneyFact(sessionId, batch, e));
                }
                var summary = aggregator.Summary;
                if (summary.LastReceived < end - TimeSpan.FromMinutes(30))
                {
                    summary.Ended = true;
                    summary.EndReason = "inactivity";
                }
                DuckDbRows.AppendSession(summaries, summary);
                foreach (var (kind, key, session) in linkList)
                {
                    var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', App, visitor, session ?? "", kind, key))))[..24];
                    if (!links.Add(id))
                    {
                        continue;
                    }
                    linkAppender.CreateRow()
                        .AppendValue(id).AppendValue(App).AppendValue(visitor).AppendValue(session).AppendValue(channel)
                        .AppendValue(kind).AppendValue(key).AppendValue(kind == IdentityKeys.User ? "batch" : "identify")
                        .AppendValue(at.UtcDateTime).AppendNullValue().AppendNullValue()
                        .EndRow();
                    linkRows++;
                }
                if (i % 997 == 0)
                {
                    sampleSessions.Add(sessionId);
                    if (user is not null)
                    {
                        sampleUsers.Add(user);
                        samplePhones.Add(phone);
                    }
                    sampleVisitors.Add(visitor);
                }
            }
            events.Close();
            summaries.Close();
            linkAppender.Close();
            using (var cmd = c.CreateCommand())
            {
                // The sessions are derived up to the last event, by this version of the code: no rebuild on start.
                cmd.CommandText = "UPDATE meta SET value = CASE name WHEN 'derived_seq' THEN $seq ELSE $version END";
                cmd.Parameters.Add(new DuckDBParameter("seq", seq));
                cmd.Parameters.Add(new DuckDBParameter("version", DuckDbSchema.DerivedVersion));
                cmd.ExecuteNonQuery();
            }
            events.Dispose();
            etx.Commit();
            tx.Commit();
        }
        Execute(c, "CHECKPOINT");
        Execute(c, "CHECKPOINT " + DuckDbSchema.Segments[0]);
        return new BenchSample(sampleSessions, sampleUsers, samplePhones, sampleVisitors, sessions, seq, linkRows, Stopwatch.GetElapsedTime(t0).TotalSeconds);
    }

    /// <summary>Ids to ask for, read back from a store filled earlier.</summary>
    public static BenchSample Sample(string path)
    {
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        DuckDbSchema.AttachSegments(c, path);
        List<string> Read(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read())
            {
                list.Add(r.GetString(0));
            }
            return list;
        }
        long Count(string table)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM " + table;
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var users = Read("SELECT user_tag FROM sessions WHERE user_tag IS NOT NULL USING SAMPLE 1000 ROWS");
        var phones = users.Select(u => "+31 6 " + (10_000_000 + int.Parse(u.AsSpan(5), CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)).ToList();
        return new BenchSample(
            Read("SELECT session_id FROM sessions USING SAMPLE 1000 ROWS"), users, phones,
            Read("SELECT visitor FROM sessions USING SAMPLE 1000 ROWS"), Count("sessions"), Count("events"), Count("links"), 0);
    }

    /// <summary>
    /// One session's events in time order, in batches of a few events, each
    /// batch received just after its last event: 2–7 pages, each with its
    /// load, one or two requests (some to a third party) and, on the web, LCP;
    /// clicks with a request; an error with a stack in one session of eight,
    /// on a click of the date page; a booking in one of twenty-five.
    /// </summary>
    private static IEnumerable<(BatchContext Batch, EventRecord Event)> Events(Random rng, BatchContext ctx, int session, DateTimeOffset at)
    {
        var n = 0;
        var t = at;
        var batch = ctx;
        var inBatch = 0;
        string Id() => "e" + session.ToString("x", CultureInfo.InvariantCulture) + "-" + (n++).ToString(CultureInfo.InvariantCulture);
        (BatchContext, EventRecord) Emit(EventRecord e)
        {
            if (inBatch++ % 6 == 0)
            {
                batch = ctx with { Received = e.Timestamp.AddMilliseconds(200 + rng.Next(300)) };
            }
            else if (e.Timestamp >= batch.Received)
            {
                batch = batch with { Received = e.Timestamp.AddMilliseconds(200) };
            }
            return (batch, e);
        }
        var pages = 2 + rng.Next(6);
        var failing = rng.Next(8) == 0;
        var converts = !failing && rng.Next(25) == 0;
        for (var p = 0; p < pages; p++)
        {
            var page = s_pages[Math.Min(p, s_pages.Length - 1)];
            var viewId = Id();
            var load = 400 + rng.Next(3000);
            yield return Emit(new EventRecord { EventId = viewId, Type = EventType.View, Timestamp = t, Name = page, Url = "https://www.bench.example/" + p.ToString(CultureInfo.InvariantCulture), Duration = load });
            var thirdParty = rng.Next(4) == 0;
            yield return Emit(new EventRecord
            {
                EventId = Id(), Type = EventType.Request, Timestamp = t.AddMilliseconds(50), ActionId = viewId, Method = "GET", Status = 200,
                Url = thirdParty ? "https://partner.example/v2/offers" : "https://www.bench.example/api/page", Duration = 80 + rng.Next(900), ThirdParty = thirdParty,
            });
            if (ctx.Channel == "web")
            {
                yield return Emit(new EventRecord { EventId = Id(), Type = EventType.Vital, Timestamp = t.AddMilliseconds(load), Name = "LCP", Value = load * 0.9 });
            }
            t = t.AddSeconds(3 + rng.Next(40));
            var actionId = Id();
            var error = failing && p == pages - 1;
            yield return Emit(new EventRecord
            {
                EventId = actionId, Type = EventType.Action, Timestamp = t, Name = error ? "Pick dates" : "Next", Target = "button.next", Duration = 60 + rng.Next(700),
                Frustration = error ? "error" : null,
            });
            yield return Emit(new EventRecord
            {
                EventId = Id(), Type = EventType.Request, Timestamp = t.AddMilliseconds(10), ActionId = actionId, Method = "POST", Status = error ? 500 : 200,
                Url = "https://www.bench.example/api/step", Duration = 50 + rng.Next(400), Failed = error,
            });
            if (error)
            {
                yield return Emit(new EventRecord
                {
                    EventId = Id(), Type = EventType.Error, Timestamp = t.AddMilliseconds(40), ActionId = actionId,
                    Message = "TypeError: undefined is not an object (evaluating 'locale.firstDayOfWeek')",
                    Stack = "weekStart@https://www.bench.example/js/datepicker.js:2:18734\nbuildMonth@https://www.bench.example/js/datepicker.js:2:19102",
                    Source = "https://www.bench.example/js/datepicker.js:2:18734", Fingerprint = "9c41e7d2f05a3b68",
                });
            }
            t = t.AddSeconds(2 + rng.Next(20));
        }
        if (converts)
        {
            yield return Emit(new EventRecord { EventId = Id(), Type = EventType.Conversion, Timestamp = t, Name = "booking", Value = 200 + rng.Next(3000) });
        }
    }

    private static string Pick(Random rng, string[] values, double[] weights)
    {
        var x = rng.NextDouble();
        for (var i = 0; i < values.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return values[i];
            }
        }
        return values[^1];
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
