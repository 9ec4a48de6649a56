namespace Waymark.Server.Store;

/// <summary>One saved version of a journey map.</summary>
/// <param name="App">The app the map belongs to.</param>
/// <param name="Id">The map's id within the app (<c>book-a-holiday</c>).</param>
/// <param name="Version">1 for the first save, then one more on every save.</param>
/// <param name="Goal">The map's goal, for lists.</param>
/// <param name="Document">The map as its JSON document (docs/journey-maps.md).</param>
/// <param name="Author">Who saved it.</param>
/// <param name="Saved">When.</param>
public sealed record StoredJourneyMap(string App, string Id, int Version, string Goal, string Document, string Author, DateTimeOffset Saved);

/// <summary>
/// Journey maps per app, versioned: saving always adds a version and never
/// changes one; deleting hides the map from the list and from "latest" but
/// keeps its versions readable by number (and a later save of the same id
/// goes on from the last version number).
/// </summary>
public interface IJourneyMaps
{
    /// <summary>Saves a new version of the map and returns it with its version number.</summary>
    Task<StoredJourneyMap> SaveJourneyMapAsync(string app, string id, string goal, string document, string author, DateTimeOffset saved, CancellationToken cancellationToken);

    /// <summary>The latest version of every map of the app that is not deleted, by id.</summary>
    Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapsAsync(string app, CancellationToken cancellationToken);

    /// <summary>Every version of one map, oldest first (deleted maps included).</summary>
    Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapVersionsAsync(string app, string id, CancellationToken cancellationToken);

    /// <summary>The given version, or the latest when <paramref name="version"/> is null (null when the map is deleted); null when there is none.</summary>
    Task<StoredJourneyMap?> GetJourneyMapAsync(string app, string id, int? version, CancellationToken cancellationToken);

    /// <summary>Deletes the map; false when there was no such map (or it was deleted already).</summary>
    Task<bool> DeleteJourneyMapAsync(string app, string id, DateTimeOffset deleted, CancellationToken cancellationToken);
}
