using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class ErrorFingerprintsTests
{
    [Fact]
    public void Compute_SameBugInTwoSessionsAndTwoBuilds_SameKey()
    {
        var a = ErrorFingerprints.Compute(
            "Order 12345 not found at https://shop.example/api/orders/12345?token=abc",
            "Error: Order 12345 not found\n    at loadOrder (https://cdn.example/static/checkout.3f9a1c.js:10:5)\n    at https://cdn.example/static/vendor.js:1:1");
        var b = ErrorFingerprints.Compute(
            "Order 98 not found at https://shop.example/api/orders/98?token=zzz#top",
            "Error: Order 98 not found\n    at loadOrder (https://cdn.example/static/checkout.77bb02.js:12:9)");
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("Order <n> not found at https://shop.example/api/orders/<n><query>", a.Message);
        Assert.Equal(new StackFrameInfo("checkout.js", "loadOrder"), a.TopFrame);
        Assert.Matches("^[0-9a-f]{16}$", a.Key);
    }

    [Fact]
    public void Compute_SameMessageInDifferentFunctions_DifferentKeys()
    {
        const string message = "Cannot read properties of undefined (reading 'total')";
        var a = ErrorFingerprints.Compute(message, "TypeError: x\n    at renderCart (https://x/app.js:1:1)");
        var b = ErrorFingerprints.Compute(message, "TypeError: x\n    at renderInvoice (https://x/app.js:1:1)");
        var c = ErrorFingerprints.Compute(message, "TypeError: x\n    at renderCart (https://x/other.js:1:1)");
        Assert.NotEqual(a.Key, b.Key);
        Assert.NotEqual(a.Key, c.Key);
    }

    [Fact]
    public void Compute_DifferentMessagesSameFrame_DifferentKeys()
    {
        const string stack = "    at pay (https://x/pay.js:1:1)";
        Assert.NotEqual(
            ErrorFingerprints.Compute("Payment declined", stack).Key,
            ErrorFingerprints.Compute("Network request failed", stack).Key);
    }

    [Fact]
    public void Compute_ChromeOnErrorPrefixAndLineNumbers_Ignored()
    {
        var a = ErrorFingerprints.Compute("Uncaught TypeError: boom", "    at f (https://x/a.js:1:1)");
        var b = ErrorFingerprints.Compute("TypeError: boom", "    at f (https://x/a.js:900:17)");
        Assert.Equal(a.Key, b.Key);
    }

    [Theory]
    [InlineData("Session 3f2a9c1e-0b7d-4c1e-9f00-1a2b3c4d5e6f expired", "Session <uuid> expired")]
    [InlineData("Bad pointer 0x7FFE1234 in module", "Bad pointer <hex> in module")]
    [InlineData("Document 5f2b9c1e8a7d4400 locked", "Document <hex> locked")]
    [InlineData("Element \"#buy-now\" missing, 'price' is null", "Element <str> missing, <str> is null")]
    [InlineData("Template `row` failed", "Template <str> failed")]
    [InlineData("Can't find variable: gtag", "Can't find variable: gtag")]   // the apostrophe is not a quote
    [InlineData("Timeout after 1.5 s for user_17, item42, h1", "Timeout after <n> s for user_<n>, item42, h1")]
    [InlineData("Loading chunk 7 failed.\n  (https://x/7.js?v=1)", "Loading chunk <n> failed. (https://x/<n>.js<query>)")]
    [InlineData("   ", "")]
    public void NormalizeMessage_VariableParts_BecomePlaceholders(string message, string expected) =>
        Assert.Equal(expected, ErrorFingerprints.NormalizeMessage(message));

    [Theory]
    [InlineData("datepicker.3f9a.js", "datepicker.js")]
    [InlineData("https://cdn.example/assets/index-BxK3fY2a.js", "index.js")]
    [InlineData("main.3f9a1c2b.chunk.js", "main.chunk.js")]
    [InlineData("app.1699999999.js", "app.js")]
    [InlineData("/static/js/app.js?v=3#x", "app.js")]
    [InlineData("jquery-3.6.0.min.js", "jquery-3.6.0.min.js")]     // a version is not a hash
    [InlineData("chunk-vendors.a1b2c3d4.js", "chunk-vendors.js")]
    [InlineData(@"C:\src\Shop\Checkout.cs", "Checkout.cs")]
    public void NormalizeFileName_CacheBustingHashes_Removed(string file, string expected) =>
        Assert.Equal(expected, ErrorFingerprints.NormalizeFileName(file));

    [Theory]
    // V8 (Chrome, Edge, Node): receiver and alias dropped, async and new too.
    [InlineData("TypeError: x\n    at Object.handleClick [as onclick] (https://x/ui.3f9a1c.js:3:7)", "ui.js", "handleClick")]
    [InlineData("Error\n    at async Checkout.submit (https://x/co.js:3:7)", "co.js", "submit")]
    [InlineData("Error\n    at https://x/boot.js:1:10", "boot.js", null)]
    [InlineData("Error\n    at JSON.parse (<anonymous>)\n    at readCart (https://x/cart.js:5:1)", "cart.js", "readCart")]
    [InlineData("Error\n    at eval (eval at run (https://x/a.js:1:2), <anonymous>:1:1)\n    at run (https://x/a.js:1:2)", "a.js", "run")]
    // SpiderMonkey (Firefox) and JavaScriptCore (Safari).
    [InlineData("handleClick@https://x/ui.3f9a1c.js:3:7\n@https://x/ui.js:9:1", "ui.js", "handleClick")]
    [InlineData("render/<@https://x/ui.js:3:7", "ui.js", "render")]
    [InlineData("async*submit@https://x/co.js:3:7", "co.js", "submit")]
    [InlineData("@https://x/boot.js:1:10", "boot.js", null)]
    // .NET and Java/Android.
    [InlineData("System.InvalidOperationException: x\n   at Shop.Cart.<Pay>d__5.MoveNext() in /src/Shop/Cart.cs:line 42", "Cart.cs", "Shop.Cart.Pay")]
    [InlineData("java.lang.NullPointerException\n\tat com.shop.Cart.pay(Cart.java:42)\n\tat android.os.Handler.dispatch(Handler.java:1)", "Cart.java", "com.shop.Cart.pay")]
    public void TopFrame_EngineFormats_FileAndFunction(string stack, string file, string? function) =>
        Assert.Equal(new StackFrameInfo(file, function), ErrorFingerprints.TopFrame(stack));

    [Fact]
    public void TopFrame_FirefoxAndChromeStacksOfOneBug_SameFrame()
    {
        var chrome = ErrorFingerprints.TopFrame("TypeError: a is undefined\n    at Cart.render (https://x/cart.5e1f.js:1:1)");
        var firefox = ErrorFingerprints.TopFrame("render@https://x/cart.5e1f.js:1:1");
        Assert.Equal(chrome, firefox);
    }

    [Fact]
    public void TopFrame_NoFrames_Null()
    {
        Assert.Null(ErrorFingerprints.TopFrame(null));
        Assert.Null(ErrorFingerprints.TopFrame("Script error."));
        Assert.Null(ErrorFingerprints.TopFrame("Error: mail to a@b.example failed"));
    }

    [Fact]
    public void Compute_NoStack_UsesSourceFile()
    {
        var e = ErrorFingerprints.Compute("Script error 5", null, "https://x/widget.ab12cd.js:10");
        Assert.Equal(new StackFrameInfo("widget.js", null), e.TopFrame);
        Assert.Equal(e.Key, ErrorFingerprints.Compute("Script error 6", "", "https://x/widget.99ee01.js:77").Key);
    }
}
