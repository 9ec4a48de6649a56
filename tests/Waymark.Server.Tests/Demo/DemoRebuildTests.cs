using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Demo;
using Waymark.Server.Apps;
using Waymark.Server.Store;
using Waymark.Server.Store.DuckDb;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Demo;

/// <summary>
/// Summaries are a pure function of the facts: rebuilding every session of a
/// whole demo day from the event log gives what the live journeys wrote,
/// field by field, end reasons included.
/// </summary>
public sealed class DemoRebuildTests
{
    [Fact]
    public async Task Rebuild_WholeDemoDay_GivesTheLiveSummariesFieldByField()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-replay-").FullName;
        await using (var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Demo:Enabled"] = "true",
            ["Waymark:Demo:Days"] = "1",
            ["Waymark:Demo:Scale"] = "0.3",
            ["Waymark:Apps:2:Id"] = "horizon",
            ["Waymark:Apps:2:IngestKey"] = "horizon-key",
        }, folder))
        {
            var loader = (DemoLoader)server.Application.Services.GetService(typeof(DemoLoader))!;
            await loader.Loaded.WaitAsync(TimeSpan.FromMinutes(10));
            await server.StopAsync();
        }
        var path = Path.Combine(folder, "waymark.duckdb");
        var live = Sessions(path);
        Assert.True(live.Count > 1000, $"{live.Count} sessions");
        Assert.Contains(live.Values, s => s["end_reason"] is "inactivity");
        Assert.Contains(live.Values, s => s["end_reason"] is "app");
        Assert.Contains(live.Values, s => s["ended"] is false);

        using (var db = new DuckDBConnection("Data Source=" + path))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            // As if older code had derived them: every session is derived again from the facts.
            cmd.CommandText = "DELETE FROM sessions; UPDATE meta SET value = 0";
            cmd.ExecuteNonQuery();
        }
        using (var store = new DuckDbStore(
            Options.Create(new StoreOptions { Path = path, MemoryLimit = "1GB" }),
            new ApdexThresholdsProvider(_ => new ApdexThresholds()),
            NullLogger<DuckDbStore>.Instance))
        {
            store.Open();
        }
        var rebuilt = Sessions(path);

        Assert.Equal(live.Keys.Order(), rebuilt.Keys.Order());
        foreach (var (id, fields) in live)
        {
            foreach (var (column, value) in fields)
            {
                Assert.True(Equals(value, rebuilt[id][column]), $"session {id}, {column}: live {value ?? "null"}, rebuilt {rebuilt[id][column] ?? "null"}");
            }
        }
    }

    /// <summary>Every column of every stored session, by app and id.</summary>
    private static Dictionary<string, Dictionary<string, object?>> Sessions(string path)
    {
        using var db = new DuckDBConnection("Data Source=" + path);
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT * FROM sessions";
        using var r = cmd.ExecuteReader();
        var all = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        while (r.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++)
            {
                row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i);
            }
            all[string.Create(CultureInfo.InvariantCulture, $"{row["app"]}/{row["session_id"]}")] = row;
        }
        return all;
    }
}
