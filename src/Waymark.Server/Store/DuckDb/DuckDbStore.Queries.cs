using System.Text;
using DuckDB.NET.Data;
using Waymark.Core.Sessions;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : ISessionQueries
{
    public async Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> QuerySessionsAsync(SessionFilter filter, CancellationToken cancellationToken)
    {
        var f = filter;
        var where = new StringBuilder("WHERE true");
        var parameters = new List<DuckDBParameter>();
        void Add(string clause, string name, object value)
        {
            where.Append(" AND ").Append(clause);
            parameters.Add(new DuckDBParameter(name, value));
        }
        if (f.App is not null) Add("app = $app", "app", f.App);
        if (f.From is { } from) Add("end_ts >= $from", "from", from.UtcDateTime);
        if (f.To is { } to) Add("start_ts < $to", "to", to.UtcDateTime);
        if (f.Channel is not null) Add("channel = $channel", "channel", f.Channel);
        if (f.UserTag is not null) Add("user_tag = $user", "user", f.UserTag);
        if (f.Visitor is not null) Add("visitor = $visitor", "visitor", f.Visitor);
        if (f.Country is not null) Add("country = $country", "country", f.Country.ToUpperInvariant());
        if (f.DeviceClass is not null) Add("device_class = $device", "device", f.DeviceClass);
        if (f.HasErrors is { } e) where.Append(e ? " AND errors > 0" : " AND errors = 0");
        if (f.Converted is { } cv) where.Append(cv ? " AND converted" : " AND NOT converted");
        if (f.Experience is { } x) Add("experience = $experience", "experience", ExperienceScore.Name(x));
        if (f.ActiveSince is { } since) Add("last_received >= $since AND NOT ended", "since", since.UtcDateTime);

        var c = await RentReaderAsync(cancellationToken);
        try
        {
            long total;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT count(*) FROM sessions " + where;
                cmd.Parameters.AddRange(parameters.Select(Clone));
                total = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }
            var list = new List<SessionSummary>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"SELECT {DuckDbSchema.SessionSelect} FROM sessions {where} ORDER BY start_ts DESC, session_id LIMIT $limit OFFSET $offset";
                cmd.Parameters.AddRange(parameters);
                cmd.Parameters.Add(new DuckDBParameter("limit", f.Limit));
                cmd.Parameters.Add(new DuckDBParameter("offset", f.Offset));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    list.Add(DuckDbRows.ReadSession(r));
                }
            }
            return (list, total);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<SessionSummary?> GetSessionAsync(string? app, string sessionId, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {DuckDbSchema.SessionSelect} FROM sessions WHERE session_id = $id" +
                (app is null ? "" : " AND app = $app") + " LIMIT 1";
            cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
            if (app is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("app", app));
            }
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? DuckDbRows.ReadSession(r) : null;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> GetTimelineAsync(SessionSummary session, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            return await ReadSessionEventsAsync(c, session, cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<long> CountEventsAsync(string? app, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM events" + (app is null ? "" : " WHERE app = $app");
            if (app is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("app", app));
            }
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private static DuckDBParameter Clone(DuckDBParameter p) => new(p.ParameterName, p.Value);
}
