namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// The ClickHouse tables, in SQL that runs on ClickHouse 18.16 (Debian's) and
/// on current releases: MergeTree families only, times as microseconds since
/// the Unix epoch in Int64 (18.16 has no DateTime64), no JSON functions, no
/// LowCardinality. Read models that change (sessions, deadlines, links,
/// accounts) are ReplacingMergeTree tables versioned by the append that wrote
/// the row; queries read the latest version (FINAL, or argMax).
/// <para>
/// Sharded (<see cref="ClickHouseOptions.Cluster"/>): each table is created as
/// <c>name_local</c> on every server and <c>name</c> is a Distributed table over
/// them, sharded by app and visitor, so that a visitor's facts, sessions and
/// deadline are on one shard and FINAL per shard is the whole truth.
/// </para>
/// </summary>
internal static class ClickHouseSchema
{
    public const string EventColumns = """
        seq UInt64, app String, channel String, visitor String, session String, client_session Nullable(String), user_tag Nullable(String),
        event_id String, type UInt8, ts_us Int64, received_us Int64, name Nullable(String), url Nullable(String), duration Nullable(Float64),
        status Nullable(Int32), method Nullable(String), third_party UInt8, value Nullable(Float64), message Nullable(String), stack Nullable(String),
        source Nullable(String), fingerprint Nullable(String), target Nullable(String), frustration Nullable(String), action_id Nullable(String),
        props Nullable(String), failed UInt8, event_user Nullable(String), device_class String, browser Nullable(String), browser_version Nullable(String),
        os Nullable(String), os_version Nullable(String), model Nullable(String), app_version Nullable(String), locale Nullable(String),
        country Nullable(String), city Nullable(String), ip Nullable(String), touchpoint Nullable(String), consent Nullable(String)
        """;

    public const string SessionColumns = """
        version UInt64, app String, session_id String, visitor String, channel String, client_session Nullable(String), user_tag Nullable(String),
        start_us Int64, end_us Int64, first_received_us Int64, last_received_us Int64, duration_ms Int64, events Int32, pages Int32, actions Int32,
        errors Int32, crashes Int32, requests Int32, failed_requests Int32, rage_clicks Int32, converted UInt8, conversion_value Float64,
        entry_page Nullable(String), exit_page Nullable(String), satisfied Int32, tolerating Int32, frustrated Int32, frustrating_elements Int32,
        last_action_frustrating UInt8, actions_after_last_view Int32, ended UInt8, end_reason Nullable(String), bounce UInt8, experience String,
        apdex Nullable(Float64), device_class String, browser Nullable(String), os Nullable(String), country Nullable(String), city Nullable(String),
        app_version Nullable(String), locale Nullable(String), touchpoint Nullable(String), consent Nullable(String)
        """;

    /// <summary>(table, columns, engine and keys, sharding key).</summary>
    public static readonly (string Table, string Columns, string Engine, string Shard)[] Tables =
    [
        ("events", EventColumns, "MergeTree() PARTITION BY toYYYYMM(toDate(intDiv(received_us, 1000000))) ORDER BY (app, visitor, session, seq) SETTINGS index_granularity = 1024", "cityHash64(app, visitor)"),
        ("sessions", SessionColumns, "ReplacingMergeTree(version) ORDER BY (app, visitor, session_id) SETTINGS index_granularity = 1024", "cityHash64(app, visitor)"),
        ("deadlines", "version UInt64, app String, visitor String, due_us Int64, cleared UInt8", "ReplacingMergeTree(version) ORDER BY (app, visitor)", "cityHash64(app, visitor)"),
        ("links", """
            version UInt64, link_id String, app String, visitor String, session Nullable(String), channel String, kind String, key String, source String,
            linked_us Int64, undone_us Nullable(Int64), undone_reason Nullable(String)
            """, "ReplacingMergeTree(version) ORDER BY (app, link_id)", "cityHash64(app, visitor)"),
        ("session_notes", "note_id String, app String, session_id String, author String, reference Nullable(String), text String, created_us Int64",
            "ReplacingMergeTree() ORDER BY (app, session_id, note_id)", "cityHash64(app, session_id)"),
        ("journey_maps", "app String, map_id String, version Int32, goal String, document String, author String, saved_us Int64, deleted UInt8",
            "ReplacingMergeTree() ORDER BY (app, map_id, version)", "cityHash64(app, map_id)"),
        ("accounts", "version UInt64, username String, password_hash String, role String, created_us Int64",
            "ReplacingMergeTree(version) ORDER BY username", "cityHash64(username)"),
        ("api_tokens", "version UInt64, token_hash String, name String, role String, created_us Int64, revoked UInt8, scope String, expires_us Nullable(Int64)",
            "ReplacingMergeTree(version) ORDER BY token_hash", "cityHash64(token_hash)"),
        // Rules (ClickHouseStore.Rules.cs).
        ("rule_documents", "app String, revision Int64, text String, author String, saved_us Int64, deleted UInt8",
            "ReplacingMergeTree() ORDER BY (app, revision)", "cityHash64(app)"),
        ("rule_firings", """
            firing_id String, app String, rule String, rule_version Int32, visitor String, customer String, session String, channel String,
            outcome String, reason String, at_us Int64, props String
            """, "ReplacingMergeTree() ORDER BY (app, firing_id)", "cityHash64(app, firing_id)"),
        ("rule_firing_events", "firing_id String, app String, rule String, kind String, action Int32, at_us Int64, detail Nullable(String)",
            "MergeTree() ORDER BY (app, firing_id, at_us)", "cityHash64(app, firing_id)"),
        ("outbox", """
            version UInt64, id String, app String, rule String, firing_id String, action Int32, type String, payload String, due_us Int64,
            attempts Int32, last_error Nullable(String), state String, owner Nullable(String), lease_us Int64
            """, "ReplacingMergeTree(version) ORDER BY (app, id)", "cityHash64(app, id)"),
        ("experience_settings", "version UInt64, app String, kind String, key String, value String, author String, saved_us Int64, removed UInt8",
            "MergeTree() ORDER BY (app, kind, key, version)", "cityHash64(app)"),
        ("audit_log", "at_us Int64, actor String, action String, app String, customer String, detail Nullable(String)",
            "MergeTree() ORDER BY (customer, at_us)", "cityHash64(customer)"),
    ];

    /// <summary>The statements that create the schema on one server (local tables when sharded).</summary>
    public static IEnumerable<string> Local(string database, bool sharded)
    {
        yield return $"CREATE DATABASE IF NOT EXISTS {database}";
        foreach (var (table, columns, engine, _) in Tables)
        {
            yield return $"CREATE TABLE IF NOT EXISTS {database}.{table}{(sharded ? "_local" : "")} ({columns}) ENGINE = {engine}";
        }
    }

    /// <summary>The Distributed tables over the cluster's local tables (on the server the store talks to).</summary>
    public static IEnumerable<string> Distributed(string database, string cluster)
    {
        foreach (var (table, columns, _, shard) in Tables)
        {
            yield return $"CREATE TABLE IF NOT EXISTS {database}.{table} ({columns}) ENGINE = Distributed({cluster}, {database}, {table}_local, {shard})";
        }
    }
}
