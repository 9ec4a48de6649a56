using System.Diagnostics;
using System.Globalization;
using System.Net;
using Waymark.Bench.Load;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.ConsolePages;

/// <summary>
/// <c>console</c>: the search, customer and session answers (query API and
/// the console's pages, server-rendered with a signed-in cookie) on a store
/// of a million sessions. Fills the store with <see cref="BenchStore"/>,
/// starts the real server on it as a child process, asks each endpoint for
/// different customers and sessions one request at a time, and prints
/// p50/p95/max per endpoint as RESULT lines.
/// </summary>
internal static class ConsoleBench
{
    public const string Usage = """
        console options (defaults in brackets):
          --sessions N     sessions in the store [1000000]
          --requests N     measured requests per endpoint [100]
          --store PATH     use this store file (filled by an earlier run with --keep) instead of filling a new one
          --keep           keep the temp folder (and its store file)
          --set Key=Value  extra server setting, e.g. --set Waymark:Store:Threads=1
        """;

    private const string Token = "bench-console-admin-token-0123456789";
    private const string Password = "bench-console-password";

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = 1_000_000;
        var requests = 100;
        string? store = null;
        var keep = false;
        var extra = new List<(string Key, string Value)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sessions": sessions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--store": store = args[++i]; break;
                case "--keep": keep = true; break;
                case "--set" when args[i + 1].Split('=', 2) is [var key, var value]: extra.Add((key, value)); i++; break;
                default:
                    await Console.Error.WriteLineAsync("unknown option " + args[i] + "\n" + Usage);
                    return 2;
            }
        }
        var folder = Directory.CreateTempSubdirectory("waymark-console-bench-").FullName;
        var results = new List<string>();
        void R(FormattableString line)
        {
            var s = "RESULT " + line.ToString(CultureInfo.InvariantCulture);
            results.Add(s);
            Console.WriteLine(s);
        }
        try
        {
            foreach (var line in MachineFacts.Lines(folder))
            {
                R($"machine {line}");
            }
            var path = store ?? Path.Combine(folder, "waymark.duckdb");
            BenchSample sample;
            if (store is null)
            {
                Console.WriteLine($"filling {path} with {sessions:N0} sessions ...");
                sample = BenchStore.Fill(path, sessions, DateTimeOffset.UtcNow, seed: 7);
                R($"store sessions={sample.SessionRows} events={sample.EventRows} links={sample.LinkRows} fill_seconds={sample.Seconds:0.0} file_mb={StoreMegabytes(path):0}");
            }
            else
            {
                sample = BenchStore.Sample(path);
                R($"store reused={path} sessions={sample.SessionRows} events={sample.EventRows} links={sample.LinkRows} file_mb={StoreMegabytes(path):0}");
            }

            var settings = ServerHandle.Settings(folder);
            settings["Waymark:Store:Path"] = path;
            foreach (var (key, value) in extra)
            {
                settings[key] = value;
            }
            settings["Waymark:Apps:0:Id"] = BenchStore.App;
            settings["Waymark:Apps:0:IngestKey"] = "bench-key";
            settings["Waymark:Apps:0:FirstPartyHosts:0"] = "www.bench.example";
            settings["Waymark:Auth:AdminPassword"] = Password;
            settings["Waymark:Auth:Tokens:0:Name"] = "bench";
            settings["Waymark:Auth:Tokens:0:Token"] = Token;
            settings["Waymark:Auth:Tokens:0:Role"] = "admin";
            var t0 = Stopwatch.GetTimestamp();
            using var server = await ServerHandle.StartAsync(settings, TimeSpan.FromMinutes(5));
            R($"server start_seconds={Stopwatch.GetElapsedTime(t0).TotalSeconds:0.0}");

            using var api = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var browser = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            // The form's antiforgery token, as a browser sends it back.
            var form = await browser.GetStringAsync("/signin");
            var tokenAt = form.IndexOf("name=\"__RequestVerificationToken\"", StringComparison.Ordinal);
            var valueAt = form.IndexOf("value=\"", tokenAt, StringComparison.Ordinal) + 7;
            var antiforgery = WebUtility.HtmlDecode(form[valueAt..form.IndexOf('"', valueAt)]);
            using (var signin = await browser.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "admin", ["password"] = Password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = antiforgery,
            })))
            {
                if (signin.StatusCode != HttpStatusCode.Redirect || signin.Headers.Location?.ToString() != "/")
                {
                    throw new InvalidOperationException($"sign-in answered {(int)signin.StatusCode} {signin.Headers.Location}");
                }
            }

            string S(int i) => Uri.EscapeDataString(sample.Sessions[i % sample.Sessions.Count]);
            string U(int i) => Uri.EscapeDataString(sample.Users[i % sample.Users.Count]);
            string P(int i) => Uri.EscapeDataString(sample.Phones[i % sample.Phones.Count]);
            string[] filters =
            [
                "hasErrors=true&experience=frustrated&channel=web",
                "channel=mobile&converted=true",
                "country=NL&device=mobile",
                "experience=tolerating&hasErrors=false",
                "",
            ];
            string F(int i) => filters[i % filters.Length];
            var endpoints = new (string Name, HttpClient Client, Func<int, string> Url)[]
            {
                ("api_search_filters", api, i => $"/v1/sessions?app=bench&limit=50&{F(i)}"),
                ("api_search_user", api, i => $"/v1/sessions?app=bench&user={U(i)}"),
                ("api_customer_user", api, i => $"/v1/customers?app=bench&user={U(i)}"),
                ("api_customer_phone", api, i => $"/v1/customers?app=bench&phone={P(i)}"),
                ("api_session", api, i => $"/v1/sessions/{S(i)}?app=bench"),
                ("page_search_filters", browser, i => $"/?app=bench&range=all&{F(i).Replace("hasErrors=true", "errors=yes", StringComparison.Ordinal).Replace("hasErrors=false", "errors=no", StringComparison.Ordinal).Replace("experience=", "xp=", StringComparison.Ordinal).Replace("converted=true", "converted=yes", StringComparison.Ordinal)}"),
                ("page_search_user", browser, i => $"/?q={U(i)}"),
                ("page_search_phone", browser, i => $"/?q={P(i)}"),
                ("page_customer", browser, i => $"/customers?app=bench&user={U(i)}"),
                ("page_session", browser, i => $"/sessions/{S(i)}?app=bench"),
                ("page_overview_24h", browser, i => "/overview?app=bench"),
            };
            foreach (var (name, client, url) in endpoints)
            {
                var n = name.StartsWith("page_overview", StringComparison.Ordinal) ? Math.Min(requests, 10) : requests;
                var (times, bytes) = await TimeAsync(client, url, n);
                times.Sort();
                R($"{name} n={times.Count} p50_ms={Pct(times, 0.5):0.0} p95_ms={Pct(times, 0.95):0.0} max_ms={times[^1]:0.0} mean_ms={times.Average():0.0} mean_kb={bytes / 1024.0 / times.Count:0.0}");
            }
            var (code, took) = await server.StopAsync(TimeSpan.FromSeconds(60));
            R($"server stop exit={code} seconds={took.TotalSeconds:0.0}");
            return 0;
        }
        finally
        {
            Console.WriteLine();
            foreach (var line in results)
            {
                Console.WriteLine(line);
            }
            // With --store the folder holds only the server's settings: it goes too.
            if (!keep)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
            else
            {
                Console.WriteLine("kept " + folder);
            }
        }
    }

    /// <summary>Three unmeasured requests, then <paramref name="n"/> one after another, each for another customer or session.</summary>
    private static async Task<(List<double> Times, long Bytes)> TimeAsync(HttpClient client, Func<int, string> url, int n)
    {
        for (var i = 0; i < 3; i++)
        {
            using var warm = await client.GetAsync(url(1000 + i));
            await warm.Content.ReadAsByteArrayAsync();
        }
        var times = new List<double>(n);
        long bytes = 0;
        for (var i = 0; i < n; i++)
        {
            var u = url(i);
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(u);
            var body = await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            bytes += body.Length;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {u} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(400, body.Length)]}");
            }
        }
        return (times, bytes);
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The main file and its event segments together.</summary>
    private static double StoreMegabytes(string path) =>
        Waymark.Server.Store.DuckDb.DuckDbSchema.Segments.Append(null)
            .Select(segment => segment is null ? path : Waymark.Server.Store.DuckDb.DuckDbSchema.SegmentPath(path, segment))
            .Where(File.Exists)
            .Sum(f => new FileInfo(f).Length) / 1048576.0;
}
