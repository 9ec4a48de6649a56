namespace Waymark.Demo;

/// <summary>A place a visitor is in: the locale they use and where the IP says they are.</summary>
internal sealed record Place(string Locale, string Country, string City, int IpFirstOctet);

/// <summary>A holiday Horizon Travel sells.</summary>
internal sealed record Destination(string Slug, string Name, double BasePrice);

/// <summary>A store with kiosks, or an airport with check-in desks.</summary>
internal sealed record Site(string Name, Place Place, IReadOnlyList<string> Devices);

/// <summary>The fixed facts of the fictional Horizon Travel: where its customers are, what it sells, its stores and desks.</summary>
internal static class DemoCatalog
{
    public const string WebOrigin = "https://www.horizon-travel.example";
    public const string AppApi = "https://api.horizon-travel.example";

    public static readonly (string Item, double Weight)[] Locales =
    [
        ("en-GB", 0.27), ("en-US", 0.10), ("de-DE", 0.20), ("fr-FR", 0.13), ("nl-NL", 0.19), ("sv-SE", 0.11),
    ];

    private static readonly Dictionary<string, (Place Item, double Weight)[]> s_places = new(StringComparer.Ordinal)
    {
        ["en-GB"] =
        [
            (new("en-GB", "GB", "London", 81), 0.40), (new("en-GB", "GB", "Manchester", 86), 0.15),
            (new("en-GB", "GB", "Birmingham", 82), 0.12), (new("en-GB", "GB", "Leeds", 86), 0.10),
            (new("en-GB", "GB", "Glasgow", 90), 0.10), (new("en-GB", "GB", "Bristol", 81), 0.13),
        ],
        ["en-US"] =
        [
            (new("en-US", "US", "New York", 73), 0.35), (new("en-US", "US", "Chicago", 98), 0.20),
            (new("en-US", "US", "San Francisco", 73), 0.15), (new("en-US", "US", "Boston", 96), 0.15),
            (new("en-US", "US", "Seattle", 98), 0.15),
        ],
        ["de-DE"] =
        [
            (new("de-DE", "DE", "Berlin", 91), 0.30), (new("de-DE", "DE", "Munich", 93), 0.22),
            (new("de-DE", "DE", "Hamburg", 91), 0.18), (new("de-DE", "DE", "Frankfurt", 93), 0.15),
            (new("de-DE", "DE", "Cologne", 87), 0.15),
        ],
        ["fr-FR"] =
        [
            (new("fr-FR", "FR", "Paris", 90), 0.50), (new("fr-FR", "FR", "Lyon", 92), 0.20),
            (new("fr-FR", "FR", "Marseille", 92), 0.15), (new("fr-FR", "FR", "Toulouse", 90), 0.15),
        ],
        ["nl-NL"] =
        [
            (new("nl-NL", "NL", "Amsterdam", 84), 0.35), (new("nl-NL", "NL", "Rotterdam", 145), 0.22),
            (new("nl-NL", "NL", "Utrecht", 84), 0.18), (new("nl-NL", "NL", "The Hague", 145), 0.15),
            (new("nl-NL", "NL", "Eindhoven", 77), 0.10),
        ],
        ["sv-SE"] =
        [
            (new("sv-SE", "SE", "Stockholm", 83), 0.50), (new("sv-SE", "SE", "Gothenburg", 155), 0.25),
            (new("sv-SE", "SE", "Malmo", 83), 0.15), (new("sv-SE", "SE", "Uppsala", 155), 0.10),
        ],
    };

    public static readonly Destination[] Destinations =
    [
        new("mallorca-palma-beach-7n", "Mallorca", 890), new("crete-chania-resort-7n", "Crete", 1040),
        new("tenerife-adeje-10n", "Tenerife", 1290), new("algarve-albufeira-7n", "Algarve", 820),
        new("antalya-belek-all-inclusive-7n", "Antalya", 1150), new("rome-city-break-3n", "Rome", 560),
        new("barcelona-city-break-3n", "Barcelona", 610), new("lisbon-city-break-4n", "Lisbon", 640),
        new("new-york-manhattan-5n", "New York", 1890), new("dubai-marina-6n", "Dubai", 2150),
        new("bali-ubud-villa-12n", "Bali", 2790), new("phuket-kata-beach-10n", "Phuket", 2340),
        new("iceland-ring-road-8n", "Iceland", 2480), new("lapland-aurora-4n", "Lapland", 1760),
    ];

    public static readonly Site[] Stores =
    [
        new("Store Amsterdam Centraal", new("nl-NL", "NL", "Amsterdam", 84), ["kiosk-ams-1", "kiosk-ams-2"]),
        new("Store Rotterdam Lijnbaan", new("nl-NL", "NL", "Rotterdam", 145), ["kiosk-rtm-1"]),
        new("Store Utrecht Hoog Catharijne", new("nl-NL", "NL", "Utrecht", 84), ["kiosk-utr-1"]),
        new("Store London Oxford Street", new("en-GB", "GB", "London", 81), ["kiosk-lon-1", "kiosk-lon-2"]),
        new("Store Manchester Arndale", new("en-GB", "GB", "Manchester", 86), ["kiosk-man-1"]),
        new("Store Berlin Alexanderplatz", new("de-DE", "DE", "Berlin", 91), ["kiosk-ber-1"]),
        new("Store Munich Marienplatz", new("de-DE", "DE", "Munich", 93), ["kiosk-muc-1"]),
        new("Store Paris Opera", new("fr-FR", "FR", "Paris", 90), ["kiosk-par-1"]),
        new("Store Stockholm Drottninggatan", new("sv-SE", "SE", "Stockholm", 83), ["kiosk-sto-1"]),
    ];

    public static readonly Site[] Airports =
    [
        new("AMS", new("nl-NL", "NL", "Amsterdam", 84), ["AMS Desk 10", "AMS Desk 11", "AMS Desk 12", "AMS Desk 14"]),
        new("LHR", new("en-GB", "GB", "London", 81), ["LHR Desk 3", "LHR Desk 4", "LHR Desk 5"]),
        new("MAN", new("en-GB", "GB", "Manchester", 86), ["MAN Desk 21", "MAN Desk 22"]),
        new("FRA", new("de-DE", "DE", "Frankfurt", 93), ["FRA Desk 7", "FRA Desk 8"]),
        new("MUC", new("de-DE", "DE", "Munich", 93), ["MUC Desk 31"]),
        new("CDG", new("fr-FR", "FR", "Paris", 90), ["CDG Desk 2", "CDG Desk 3"]),
        new("ARN", new("sv-SE", "SE", "Stockholm", 83), ["ARN Desk 16"]),
    ];

    public static Place PlaceFor(DemoRandom rng, string locale) => rng.Pick(s_places[locale]);

    public static string Language(string locale) => locale[..2];
}
