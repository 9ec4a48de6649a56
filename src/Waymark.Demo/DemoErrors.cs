namespace Waymark.Demo;

/// <summary>The errors the demo's clients report; each has a constant fingerprint, as the same bug should.</summary>
internal static class DemoErrors
{
    public const string DatePickerScript = DemoCatalog.WebOrigin + "/static/js/datepicker.3f9a.js";
    public const string DatePickerFingerprint = "9c41e7d2f05a3b68";

    /// <summary>
    /// Scenario 1: since web release 2026.11.3, the date picker reads the week's first day from a locale
    /// table that has no entry for de-DE and nl-NL in Safari's Intl data, so
    /// "Pick dates" throws and nobody on those locales can book.
    /// </summary>
    public static readonly DemoError DatePicker = new(
        "TypeError: undefined is not an object (evaluating 'locale.firstDayOfWeek')",
        "weekStart@" + DatePickerScript + ":2:18734\n" +
        "buildMonth@" + DatePickerScript + ":2:19102\n" +
        "applyRange@" + DatePickerScript + ":2:21457\n" +
        "onApply@" + DatePickerScript + ":2:23811",
        DatePickerScript + ":2:18734",
        DatePickerFingerprint);

    /// <summary>Whether a web visitor on this release, browser and locale hits the date-picker bug.</summary>
    public static bool HasDatePickerBug(string channel, string? appVersion, string? browser, string? locale) =>
        channel == "web" && appVersion == DemoRelease.BuggyWebVersion && browser == "Safari" && locale is "de-DE" or "nl-NL";

    private const string ResultsScript = DemoCatalog.WebOrigin + "/static/js/results.8c21.js";

    public static readonly DemoError AvailabilityUnavailable = new(
        "AvailabilityError: partner availability returned 503",
        "AvailabilityError: partner availability returned 503\n    at loadPrices (" + ResultsScript + ":1:4410)\n    at async ResultsPage.refresh (" + ResultsScript + ":1:5021)",
        ResultsScript + ":1:4410",
        "41b07ce9a2d8f316");

    public static readonly DemoError AvailabilityTimeout = new(
        "AvailabilityError: partner availability timed out after 10000 ms",
        "AvailabilityError: partner availability timed out after 10000 ms\n    at loadPrices (" + ResultsScript + ":1:4388)\n    at async ResultsPage.refresh (" + ResultsScript + ":1:5021)",
        ResultsScript + ":1:4388",
        "d27f5a90c1e84b3e");

    public static readonly DemoError ResizeObserver = new(
        "ResizeObserver loop completed with undelivered notifications.",
        null,
        DemoCatalog.WebOrigin + "/",
        "5e8a0f3c71d2b946");

    /// <summary>Android app 5.2.1 crashes on the results screen now and then.</summary>
    public static readonly DemoError AndroidResultsCrash = new(
        "java.lang.IllegalStateException: Cannot call this method while RecyclerView is computing a layout or scrolling",
        "java.lang.IllegalStateException: Cannot call this method while RecyclerView is computing a layout or scrolling\n" +
        "\tat androidx.recyclerview.widget.RecyclerView.assertNotInLayoutOrScroll(RecyclerView.java:3145)\n" +
        "\tat com.horizontravel.app.results.ResultsAdapter.onPricesLoaded(ResultsAdapter.kt:142)\n" +
        "\tat com.horizontravel.app.results.ResultsViewModel$load$1.invokeSuspend(ResultsViewModel.kt:88)",
        "ResultsAdapter.kt:142",
        "a6c3e19f40b7d582",
        Fatal: true);

    public static readonly DemoError PrinterJam = new(
        "PrinterError: paper jam in tray 1 (code 0x2F)",
        "PrinterError: paper jam in tray 1 (code 0x2F)\n   at Horizon.Kiosk.Printing.BrochurePrinter.PrintAsync(Brochure brochure)\n   at Horizon.Kiosk.Screens.DestinationScreen.OnPrint()",
        "Horizon.Kiosk.Printing.BrochurePrinter",
        "0f7b2d64e9a1c358");

    public static readonly DemoError PassportUnreadable = new(
        "ScannerError: MRZ unreadable after 3 attempts",
        "ScannerError: MRZ unreadable after 3 attempts\n   at Horizon.Checkin.Devices.PassportReader.ReadAsync()\n   at Horizon.Checkin.Screens.ScanScreen.OnScan()",
        "Horizon.Checkin.Devices.PassportReader",
        "b83e5c27f1a0d469");
}
