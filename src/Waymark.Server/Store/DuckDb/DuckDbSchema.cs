using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// The embedded store's tables. Events are the facts; sessions and links are
/// derived and carry <see cref="DerivedVersion"/>: when the code that derives
/// them changes, or they lag the facts, they are derived again on start.
/// <para>
/// Events live in two segment files attached beside the main file, each with
/// an <c>events</c> table and no index; the view <c>events</c> in the main file
/// is their union. The writer appends to one segment while the other is
/// checkpointed, so a checkpoint never holds a commit (docs/benchmarks.md).
/// </para>
/// </summary>
internal static class DuckDbSchema
{
    /// <summary>Bump when SessionAggregator changes what it derives. 2: session boundaries are facts; consent.</summary>
    public const long DerivedVersion = 2;

    /// <summary>The attached event segments (catalog names); their files sit beside the main file.</summary>
    public static readonly string[] Segments = ["events_a", "events_b"];

    /// <summary>The file of a segment: data/waymark.duckdb → data/waymark.events_a.duckdb.</summary>
    public static string SegmentPath(string mainPath, string segment) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(mainPath)) ?? "",
            System.IO.Path.GetFileNameWithoutExtension(mainPath) + "." + segment + ".duckdb");

    /// <summary>
    /// Attaches the segments of the store whose main file <paramref name="mainPath"/>
    /// names to a connection (of any process) and creates their tables and the
    /// view; after this, <c>events</c> reads every stored event.
    /// </summary>
    public static void AttachSegments(DuckDB.NET.Data.DuckDBConnection c, string mainPath)
    {
        foreach (var segment in Segments)
        {
            Run(c, $"ATTACH IF NOT EXISTS '{SegmentPath(mainPath, segment).Replace("'", "''", StringComparison.Ordinal)}' AS {segment}");
            Run(c, $"CREATE TABLE IF NOT EXISTS {segment}.main.events ({EventColumns})");
            // Columns added since the first files were written.
            Run(c, $"ALTER TABLE {segment}.main.events ADD COLUMN IF NOT EXISTS consent VARCHAR");
        }
        // A file written before segments holds its events in a keyed table of
        // its own; it is kept, renamed, and read through the view.
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'events'";
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                Run(c, "ALTER TABLE main.events RENAME TO events_legacy");
            }
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'events_legacy'";
            var legacy = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
            // By name: a legacy table lacks the columns added since.
            var union = string.Join(" UNION ALL BY NAME ", Segments.Select(s => $"SELECT * FROM {s}.main.events"));
            Run(c, "CREATE OR REPLACE VIEW main.events AS " + union + (legacy ? " UNION ALL BY NAME SELECT * EXCLUDE (key) FROM main.events_legacy" : ""));
        }
    }

    private static void Run(DuckDB.NET.Data.DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    // No key: the visitor's grain recognises a retried event (it remembers,
    // and asks the store when it cannot know), so the table needs no index,
    // which keeps appends cheap and lets a checkpoint run beside them.
    public const string EventColumns = """
        seq BIGINT NOT NULL,
        app VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        visitor VARCHAR NOT NULL,
        session VARCHAR NOT NULL,
        client_session VARCHAR,
        user_tag VARCHAR,
        event_id VARCHAR NOT NULL,
        type UTINYINT NOT NULL,
        ts TIMESTAMP NOT NULL,
        received TIMESTAMP NOT NULL,
        name VARCHAR,
        url VARCHAR,
        duration DOUBLE,
        status INTEGER,
        method VARCHAR,
        third_party BOOLEAN NOT NULL,
        value DOUBLE,
        message VARCHAR,
        stack VARCHAR,
        source VARCHAR,
        fingerprint VARCHAR,
        target VARCHAR,
        frustration VARCHAR,
        action_id VARCHAR,
        props VARCHAR,
        failed BOOLEAN NOT NULL,
        event_user VARCHAR,
        device_class VARCHAR NOT NULL,
        browser VARCHAR,
        browser_version VARCHAR,
        os VARCHAR,
        os_version VARCHAR,
        model VARCHAR,
        app_version VARCHAR,
        locale VARCHAR,
        country VARCHAR,
        city VARCHAR,
        ip VARCHAR,
        touchpoint VARCHAR,
        consent VARCHAR
        """;

    public const string SessionColumns = """
        app VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        visitor VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        client_session VARCHAR,
        user_tag VARCHAR,
        start_ts TIMESTAMP NOT NULL,
        end_ts TIMESTAMP NOT NULL,
        first_received TIMESTAMP NOT NULL,
        last_received TIMESTAMP NOT NULL,
        duration_ms BIGINT NOT NULL,
        events INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        actions INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        crashes INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        failed_requests INTEGER NOT NULL,
        rage_clicks INTEGER NOT NULL,
        converted BOOLEAN NOT NULL,
        conversion_value DOUBLE NOT NULL,
        entry_page VARCHAR,
        exit_page VARCHAR,
        satisfied INTEGER NOT NULL,
        tolerating INTEGER NOT NULL,
        frustrated INTEGER NOT NULL,
        frustrating_elements INTEGER NOT NULL,
        last_action_frustrating BOOLEAN NOT NULL,
        actions_after_last_view INTEGER NOT NULL,
        ended BOOLEAN NOT NULL,
        end_reason VARCHAR,
        bounce BOOLEAN NOT NULL,
        experience VARCHAR NOT NULL,
        apdex DOUBLE,
        device_class VARCHAR NOT NULL,
        browser VARCHAR,
        os VARCHAR,
        country VARCHAR,
        city VARCHAR,
        app_version VARCHAR,
        locale VARCHAR,
        touchpoint VARCHAR,
        consent VARCHAR
        """;

    public static readonly string[] Create =
    [
        $"CREATE TABLE IF NOT EXISTS sessions ({SessionColumns}, PRIMARY KEY (app, session_id))",
        "CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)",
        // Identity links: which visitor (or, on a shared device, which session)
        // a key of a customer was seen with. Undoing one keeps it, marked.
        """
        CREATE TABLE IF NOT EXISTS links (
            link_id VARCHAR PRIMARY KEY, app VARCHAR NOT NULL, visitor VARCHAR NOT NULL, session VARCHAR,
            channel VARCHAR NOT NULL, kind VARCHAR NOT NULL, key VARCHAR NOT NULL, source VARCHAR NOT NULL,
            linked_at TIMESTAMP NOT NULL, undone_at TIMESTAMP, undone_reason VARCHAR)
        """,
        // A customer is found by walking keys and visitors (DuckDbStore.Customers):
        // each step looks links up by one of these columns.
        "CREATE INDEX IF NOT EXISTS links_key ON links (key)",
        "CREATE INDEX IF NOT EXISTS links_visitor ON links (visitor)",
        "INSERT OR IGNORE INTO meta VALUES ('derived_seq', 0), ('derived_version', 0)",
        "ALTER TABLE sessions ADD COLUMN IF NOT EXISTS consent VARCHAR",
        // The next deadline of each visitor that has one (a session to end, a
        // rule to fire): what the sweep wakes when the visitor's grain is not active.
        "CREATE TABLE IF NOT EXISTS deadlines (app VARCHAR NOT NULL, visitor VARCHAR NOT NULL, due TIMESTAMP NOT NULL, PRIMARY KEY (app, visitor))",
        $"CREATE TABLE IF NOT EXISTS session_notes ({NoteColumns})",
        "CREATE TABLE IF NOT EXISTS journey_maps (app VARCHAR NOT NULL, map_id VARCHAR NOT NULL, version INTEGER NOT NULL, goal VARCHAR NOT NULL, document VARCHAR NOT NULL, author VARCHAR NOT NULL, saved TIMESTAMP NOT NULL, deleted BOOLEAN NOT NULL, PRIMARY KEY (app, map_id, version))",
        "CREATE TABLE IF NOT EXISTS accounts (username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL, created TIMESTAMP NOT NULL)",
        DuckDbStore.CreateAudit,
        DuckDbStore.CreateSettings,
        "CREATE TABLE IF NOT EXISTS api_tokens (token_hash VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, created TIMESTAMP NOT NULL, revoked BOOLEAN NOT NULL)",
        // Tokens made before scopes were unrestricted beyond their role.
        "ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS scope VARCHAR DEFAULT 'admin'",
        "ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires TIMESTAMP",
        // Rules (DuckDbStore.Rules.cs, DuckDbStore.Outbox.cs): documents by revision, firings, what happened to them, the actions' outbox.
        "CREATE TABLE IF NOT EXISTS rule_documents (app VARCHAR NOT NULL, revision BIGINT NOT NULL, text VARCHAR NOT NULL, author VARCHAR NOT NULL, saved_us BIGINT NOT NULL, deleted BOOLEAN NOT NULL, PRIMARY KEY (app, revision))",
        """
        CREATE TABLE IF NOT EXISTS rule_firings (
            firing_id VARCHAR PRIMARY KEY, app VARCHAR NOT NULL, rule VARCHAR NOT NULL, rule_version INTEGER NOT NULL, visitor VARCHAR NOT NULL,
            customer VARCHAR NOT NULL, session VARCHAR NOT NULL, channel VARCHAR NOT NULL, outcome VARCHAR NOT NULL, reason VARCHAR NOT NULL,
            at_us BIGINT NOT NULL, props VARCHAR NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS rule_firing_events (firing_id VARCHAR NOT NULL, app VARCHAR NOT NULL, rule VARCHAR NOT NULL, kind VARCHAR NOT NULL, action INTEGER NOT NULL, at_us BIGINT NOT NULL, detail VARCHAR)",
        """
        CREATE TABLE IF NOT EXISTS outbox (
            id VARCHAR PRIMARY KEY, app VARCHAR NOT NULL, rule VARCHAR NOT NULL, firing_id VARCHAR NOT NULL, action INTEGER NOT NULL, type VARCHAR NOT NULL,
            payload VARCHAR NOT NULL, due_us BIGINT NOT NULL, attempts INTEGER NOT NULL, last_error VARCHAR, state VARCHAR NOT NULL, owner VARCHAR, lease_us BIGINT NOT NULL)
        """,
    ];

    public const string NoteColumns = """
        note_id VARCHAR PRIMARY KEY, app VARCHAR NOT NULL, session_id VARCHAR NOT NULL, author VARCHAR NOT NULL,
        reference VARCHAR, text VARCHAR NOT NULL, created TIMESTAMP NOT NULL
        """;

    /// <summary>The deriver's connection-local staging table of deadlines.</summary>
    public const string CreateStagingDeadlines = "CREATE TEMP TABLE IF NOT EXISTS staging_deadlines (app VARCHAR NOT NULL, visitor VARCHAR NOT NULL, due TIMESTAMP)";

    /// <summary>The deriver's connection-local staging table.</summary>
    public const string CreateStagingSessions = $"CREATE TEMP TABLE IF NOT EXISTS staging_sessions ({SessionColumns})";
}
