namespace Waymark.Server.Console;

internal static partial class ConsoleAssets
{
    // "/" focuses the search box from anywhere (as on GitHub); copy puts a
    // shareable link on the clipboard.
    private const string Js = """
        (function () {
          document.addEventListener('keydown', function (e) {
            if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
            var t = e.target;
            if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
            var box = document.querySelector('#wm-search input, input#wm-search');
            if (box) { e.preventDefault(); box.focus(); box.select(); }
          });
          window.waymark = {
            copy: function (text) {
              if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; });
              var a = document.createElement('textarea');
              a.value = text; a.style.position = 'fixed'; a.style.opacity = '0';
              document.body.appendChild(a); a.select();
              var ok = false;
              try { ok = document.execCommand('copy'); } catch (x) { ok = false; }
              document.body.removeChild(a);
              return Promise.resolve(ok);
            },
            focus: function (selector) {
              var el = document.querySelector(selector);
              if (el) el.focus();
            }
          };
        })();
        """;
}
