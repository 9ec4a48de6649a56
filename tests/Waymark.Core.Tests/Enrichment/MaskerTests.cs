using Waymark.Core.Enrichment;
using Xunit;

namespace Waymark.Core.Tests.Enrichment;

public class MaskerTests
{
    private readonly Masker _masker = new(new MaskingOptions { AllowedQueryKeys = ["utm_source", "page"] });

    [Theory]
    [InlineData("https://shop.example.com/checkout?token=abc123&email=jane%40example.com", "https://shop.example.com/checkout")]
    [InlineData("https://shop.example.com/list?UTM_SOURCE=news&session=9&page=2", "https://shop.example.com/list?UTM_SOURCE=news&page=2")]
    [InlineData("https://shop.example.com/list?q=shoes&page=2&q=boots", "https://shop.example.com/list?page=2")]
    [InlineData("https://shop.example.com/list?utm%5Fsource=mail&x=1", "https://shop.example.com/list?utm%5Fsource=mail")]
    [InlineData("https://shop.example.com/list?page", "https://shop.example.com/list?page")]
    [InlineData("https://shop.example.com/list?&&page=1&&", "https://shop.example.com/list?page=1")]
    [InlineData("https://docs.example.com/guide#install", "https://docs.example.com/guide")]
    [InlineData("https://docs.example.com/guide?secret=1#install", "https://docs.example.com/guide")]
    [InlineData("https://app.example.com/#/orders/42", "https://app.example.com/#/orders/42")]
    [InlineData("https://app.example.com/#!/orders/42", "https://app.example.com/#!/orders/42")]
    [InlineData("https://app.example.com/?ref=x#/search?q=jane&page=3", "https://app.example.com/#/search?page=3")]
    [InlineData("https://bob:hunter2@app.example.com/admin", "https://app.example.com/admin")]
    [InlineData("https://app.example.com/users/jane.doe@example.com/profile", "https://app.example.com/users/[email]/profile")]
    [InlineData("https://app.example.com/@jane", "https://app.example.com/@jane")]
    [InlineData("/search?q=private+thing", "/search")]
    [InlineData("orders?id=7#top", "orders")]
    [InlineData("#/settings?token=x", "#/settings")]
    [InlineData("?a=1", "")]
    [InlineData("#", "")]
    public void MaskUrl_Url_DropsQueryAndFragmentExceptAllowed(string url, string expected)
    {
        Assert.Equal(expected, _masker.MaskUrl(url));
    }

    [Theory]
    [InlineData("https://app.example.com/orders/42")]
    [InlineData("/relative/path")]
    [InlineData("not a url at all")]
    public void MaskUrl_NothingToMask_ReturnsSameString(string url)
    {
        Assert.Same(url, _masker.MaskUrl(url));
    }

    [Theory]
    [InlineData("::::??##")]
    [InlineData("%%%?%%%=%zz&%=#!/%")]
    [InlineData("http://[::1")]
    [InlineData("://@@@/?#")]
    [InlineData("javascript:alert(1)?x=1")]
    [InlineData("\0\uFFFF?\uD800=1#\uDC00")]
    public void MaskUrl_Garbage_DoesNotThrowAndDropsQuery(string url)
    {
        var masked = _masker.MaskUrl(url);

        Assert.NotNull(masked);
        Assert.DoesNotContain('?', masked);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    public void MaskUrl_NullOrEmpty_ReturnsInput(string? url, string? expected)
    {
        Assert.Equal(expected, _masker.MaskUrl(url));
    }

    [Fact]
    public void MaskUrl_NoAllowedKeys_DropsWholeQuery()
    {
        var masker = new Masker(new MaskingOptions());

        Assert.Equal("https://shop.example.com/list", masker.MaskUrl("https://shop.example.com/list?page=2&utm_source=x"));
    }

    [Theory]
    [InlineData("Contact jane.doe+news@mail.example.co.uk for help", "Contact [email] for help")]
    [InlineData("Payment failed for card 4111 1111 1111 1111", "Payment failed for card [card]")]
    [InlineData("Payment failed for card 4111-1111-1111-1111.", "Payment failed for card [card].")]
    [InlineData("Call +1 (555) 123-4567 now", "Call [phone] now")]
    [InlineData("IBAN DE89370400440532013000", "IBAN [iban]")]
    [InlineData("user a@b.io and 0612345678", "user [email] and [phone]")]
    public void MaskText_PersonalData_IsReplaced(string text, string expected)
    {
        Assert.Equal(expected, Masker.MaskText(text));
    }

    [Theory]
    [InlineData("Cannot read properties of undefined (reading 'x')")]
    [InlineData("Uncaught TypeError: foo is not a function at line 42")]
    [InlineData("ChunkLoadError: Loading chunk 8123 failed. (error: https://cdn.example.com/8123.js)")]
    [InlineData("Request failed at 2024-01-15 12:30:00 with status 503")]
    [InlineData("render@https://app.example.com/main.js:10:5")]
    [InlineData("Invalid hook call in react-dom@18.2.0")]
    [InlineData("order 12345678 not found")]
    [InlineData("order 4111111111111112 not found")]
    [InlineData("account 123456789")]
    public void MaskText_OrdinaryErrorMessage_IsUnchanged(string text)
    {
        Assert.Same(text, Masker.MaskText(text));
    }

    [Fact]
    public void MaskText_Null_ReturnsNull()
    {
        Assert.Null(Masker.MaskText(null));
    }
}
