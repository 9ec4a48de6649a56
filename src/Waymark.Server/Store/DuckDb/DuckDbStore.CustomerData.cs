using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// Export and erasure of one customer, and retention. Erasure deletes the
/// customer's rows from every table of <see cref="CustomerTable.All"/> with
/// writes paused, then rewrites each event segment file into a fresh file
/// (a DuckDB delete only marks rows, and freed blocks keep their bytes) and
/// checkpoints the main file, so no file keeps the customer's events or ids.
/// </summary>
public sealed partial class DuckDbStore : ICustomerData
{
    public async Task<JsonObject?> ExportCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken)
    {
        if (await GetCustomerAsync(app, kind, key, cancellationToken) is not { } journey)
        {
            return null;
        }
        var scope = CustomerScope.Of(journey);
        var doc = new JsonObject { ["app"] = app, ["customer"] = scope.Id };
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            foreach (var t in CustomerTable.All)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = $"SELECT * FROM {t.Table} WHERE {Where(cmd, app, t, scope)}";
                var rows = new JsonArray();
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    var row = new JsonObject();
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i) switch
                        {
                            DateTime d => JsonValue.Create(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture)),
                            string s => JsonValue.Create(s),
                            bool b => JsonValue.Create(b),
                            var v => JsonValue.Create(Convert.ToDouble(v, CultureInfo.InvariantCulture)),
                        };
                    }
                    rows.Add(row);
                }
                doc[t.Table] = rows;
            }
        }
        finally
        {
            ReturnReader(c);
        }
        return doc;
    }

    public async Task<ErasureReceipt?> EraseCustomerAsync(string app, string kind, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await GetCustomerAsync(app, kind, key, cancellationToken) is not { } journey)
        {
            return null;
        }
        var scope = CustomerScope.Of(journey);
        var removed = await RemoveAsync(t => cmd => Where(cmd, app, t, scope), cancellationToken);
        return new ErasureReceipt(app, scope.Id, at, [.. scope.Visitors.Order(StringComparer.Ordinal)], [.. scope.Sessions.Order(StringComparer.Ordinal)], removed, FilesRewritten: true);
    }

    public async Task<IReadOnlyDictionary<string, long>> ApplyRetentionAsync(string app, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // The sessions that ended before the cut, and everything that names them.
        return await RemoveAsync(t => t.SessionColumn is null
            ? null
            : cmd =>
            {
                cmd.Parameters.Add(new DuckDBParameter("app", app));
                cmd.Parameters.Add(new DuckDBParameter("before", before.UtcDateTime));
                return $"app = $app AND {t.SessionColumn} IN (SELECT session_id FROM main.sessions WHERE app = $app AND ended AND end_ts < $before)";
            }, cancellationToken, sessionsLast: true);
    }

    /// <summary>
    /// Deletes what each table's predicate names (a table without one is left),
    /// with writes paused, then rewrites the segment files and checkpoints.
    /// Sessions go last when the others' predicates read them.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, long>> RemoveAsync(
        Func<CustomerTable, Func<DuckDBCommand, string>?> predicate, CancellationToken cancellationToken, bool sessionsLast = false)
    {
        await WaitDerivedAsync(cancellationToken);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        using (PauseWrites())
        {
            var c = _writer!;
            var tables = sessionsLast ? CustomerTable.All.OrderBy(t => t.Table == "sessions" ? 1 : 0).ToList() : CustomerTable.All;
            var events = false;
            foreach (var t in tables)
            {
                if (predicate(t) is not { } where)
                {
                    continue;
                }
                var targets = t.Table == "events" ? DuckDbSchema.Segments.Select(s => s + ".main.events").Concat(HasLegacyEvents(c) ? ["main.events_legacy"] : []) : ["main." + t.Table];
                long n = 0;
                foreach (var target in targets)
                {
                    using var cmd = c.CreateCommand();
                    cmd.CommandText = $"DELETE FROM {target} WHERE {where(cmd)}";
                    n += cmd.ExecuteNonQuery();
                }
                removed[t.Table] = n;
                events |= t.Table == "events" && n > 0;
            }
            if (events)
            {
                foreach (var segment in DuckDbSchema.Segments)
                {
                    RewriteSegment(c, segment);
                }
            }
            Execute(c, "CHECKPOINT");
        }
        return removed;
    }

    private static bool HasLegacyEvents(DuckDBConnection c) =>
        Scalar(c, "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'events_legacy'") > 0;

    /// <summary>Copies a segment's remaining events into a new file and puts it in the old one's place.</summary>
    private void RewriteSegment(DuckDBConnection c, string segment)
    {
        var path = DuckDbSchema.SegmentPath(_options.Path, segment);
        var fresh = path + ".rewrite";
        File.Delete(fresh);
        File.Delete(fresh + ".wal");
        var quoted = fresh.Replace("'", "''", StringComparison.Ordinal);
        Execute(c, $"ATTACH '{quoted}' AS rewrite_{segment}");
        Execute(c, $"CREATE TABLE rewrite_{segment}.main.events ({DuckDbSchema.EventColumns})");
        Execute(c, $"INSERT INTO rewrite_{segment}.main.events BY NAME SELECT * FROM {segment}.main.events ORDER BY seq");
        Execute(c, $"DETACH rewrite_{segment}");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Execute(c, $"DETACH {segment}");
                break;
            }
            catch (DuckDBException) when (attempt < 50)
            {
                // A reader is still in it; it finishes shortly (writes are paused).
                Thread.Sleep(100);
            }
        }
        File.Move(fresh, path, overwrite: true);
        File.Delete(path + ".wal");
        Execute(c, $"ATTACH '{path.Replace("'", "''", StringComparison.Ordinal)}' AS {segment}");
    }

    /// <summary>The predicate that names a customer's rows in one table.</summary>
    private static string Where(DuckDBCommand cmd, string app, CustomerTable t, CustomerScope scope)
    {
        if (!cmd.Parameters.Contains("app"))
        {
            cmd.Parameters.Add(new DuckDBParameter("app", app));
        }
        var ors = new List<string>();
        Add(t.VisitorColumn, scope.Visitors, "v");
        Add(t.SessionColumn, scope.Sessions, "s");
        Add(t.KeyColumn, scope.Keys, "k");
        return ors.Count == 0 ? "false" : $"app = $app AND ({string.Join(" OR ", ors)})";

        void Add(string? column, HashSet<string> values, string prefix)
        {
            if (column is null || values.Count == 0)
            {
                return;
            }
            var names = new List<string>();
            foreach (var v in values)
            {
                var name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
                cmd.Parameters.Add(new DuckDBParameter(name, v));
                names.Add("$" + name);
            }
            ors.Add($"{column} IN ({string.Join(", ", names)})");
        }
    }
}
