namespace Waymark.Server.Store;

/// <summary>
/// The embedded store's tables. Events are the facts; sessions are derived
/// and carry <see cref="DerivedVersion"/>: when the code that derives them
/// changes, or they lag the facts, they are rebuilt on start.
/// </summary>
internal static class DuckDbSchema
{
    /// <summary>Bump when SessionAggregator changes what it derives.</summary>
    public const long DerivedVersion = 1;

    // The key is a 128-bit hash of (app, visitor, event id): the primary key
    // that makes a retried event a no-op (INSERT OR IGNORE).
    public const string EventColumns = """
        key UUID NOT NULL,
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
        touchpoint VARCHAR
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
        touchpoint VARCHAR
        """;

    public static readonly string[] Create =
    [
        $"CREATE TABLE IF NOT EXISTS events ({EventColumns}, PRIMARY KEY (key))",
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
        $"CREATE TEMP TABLE IF NOT EXISTS staging_events ({EventColumns})",
        $"CREATE TEMP TABLE IF NOT EXISTS staging_sessions ({SessionColumns})",
    ];

    /// <summary>Column list of the sessions table, for SELECTs that map onto SessionSummary.</summary>
    public const string SessionSelect = """
        app, session_id, visitor, channel, client_session, user_tag, start_ts, end_ts, first_received, last_received,
        events, pages, actions, errors, crashes, requests, failed_requests, rage_clicks, converted, conversion_value,
        entry_page, exit_page, satisfied, tolerating, frustrated, frustrating_elements, last_action_frustrating,
        actions_after_last_view, ended, end_reason, device_class, browser, os, country, city, app_version, locale, touchpoint
        """;

    /// <summary>Column list of the events table, for SELECTs that map onto a stored event.</summary>
    public const string EventSelect = """
        app, channel, visitor, session, client_session, user_tag, event_id, type, ts, received, name, url, duration,
        status, method, third_party, value, message, stack, source, fingerprint, target, frustration, action_id, props,
        failed, event_user, device_class, browser, browser_version, os, os_version, model, app_version, locale, country,
        city, ip, touchpoint
        """;
}
