using System.Text.RegularExpressions;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Signs a browser (an HttpClient with a cookie container) in as a person does: opens the form, posts it with its antiforgery token.</summary>
public static partial class SignInForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string user, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var token = TokenField().Match(page) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : "";
        return await browser.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
