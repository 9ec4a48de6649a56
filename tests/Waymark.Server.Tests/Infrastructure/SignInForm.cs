using System.Text.RegularExpressions;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Signs a browser (an HttpClient with a cookie container) in as a person does: opens the form, posts it with its antiforgery token.</summary>
public static partial class SignInForm
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient browser, string user, string password, string returnUrl = "/") =>
        SubmitAsync(browser, "/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl), "/auth/signin",
            new() { ["username"] = user, ["password"] = password, ["returnUrl"] = returnUrl });

    /// <summary>Opens <paramref name="page"/> and posts <paramref name="fields"/> to <paramref name="action"/> with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string page, string action, Dictionary<string, string> fields)
    {
        var html = await browser.GetStringAsync(page);
        fields["__RequestVerificationToken"] = TokenField().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : "";
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
