namespace Waymark.Server.Console;

internal static partial class ConsoleAssets
{
    private const string Css = """
        :root { --wm-sat: #2e7d32; --wm-tol: #b26a00; --wm-fru: #c62828; --wm-muted: #55606e; --wm-line: #e3e7ec; --wm-3p: #6b4fbb; --wm-1p: #1f5fa8; }
        html, body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; background: #f5f7fa; color: #1b2430; }
        h1 { font-size: 1.45rem; font-weight: 650; margin: 0; letter-spacing: -0.01em; }
        h2 { font-size: 1.1rem; font-weight: 650; margin: 0 0 .5rem; }
        h3 { font-size: .95rem; font-weight: 650; margin: 0; }
        a { color: #1f5fa8; }
        a:focus-visible, button:focus-visible { outline: 2px solid #1f5fa8; outline-offset: 2px; }
        .wm-appbar .mud-toolbar { gap: 1.25rem; }
        .wm-brand { color: #fff; text-decoration: none; font-weight: 700; font-size: 1.05rem; display: inline-flex; align-items: center; gap: .35rem; letter-spacing: .01em; }
        .wm-nav { display: flex; gap: .25rem; }
        .wm-nav a { color: #c9d6e6; text-decoration: none; padding: .35rem .7rem; border-radius: 6px; font-size: .9rem; }
        .wm-nav a:hover { color: #fff; background: rgba(255,255,255,.08); }
        .wm-nav a.active { color: #fff; background: rgba(255,255,255,.16); }
        .wm-user { display: inline-flex; align-items: center; gap: .35rem; color: #dbe5f1; font-size: .85rem; text-decoration: none; }
        .wm-user:hover, .wm-user:focus { text-decoration: underline; }
        .wm-role { background: rgba(255,255,255,.15); border-radius: 10px; padding: 0 .5rem; font-size: .75rem; }
        .wm-signout button { background: none; border: 1px solid rgba(255,255,255,.35); color: #fff; border-radius: 6px; padding: .2rem .7rem; cursor: pointer; font: inherit; font-size: .8rem; }
        .wm-page { max-width: 1360px; margin: 0 auto; padding: 1.1rem 1.5rem 3rem; }
        .wm-head { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; margin-bottom: .9rem; }
        .wm-sub { color: var(--wm-muted); font-size: .85rem; }
        .wm-muted { color: var(--wm-muted); }
        .wm-err-text { color: #8e1515; }
        .wm-mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .8rem; }
        .wm-card { background: #fff; border: 1px solid var(--wm-line); border-radius: 8px; padding: .9rem 1rem; }
        .wm-card + .wm-card { margin-top: .9rem; }
        .wm-grid > .wm-card + .wm-card { margin-top: 0; }
        .wm-grid { display: grid; gap: .9rem; }
        .wm-grid.kpis { grid-template-columns: repeat(auto-fit, minmax(165px, 1fr)); }
        .wm-grid.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
        .wm-grid.side { grid-template-columns: minmax(0, 1fr) 340px; align-items: start; }
        @media (max-width: 1100px) { .wm-grid.two, .wm-grid.side { grid-template-columns: minmax(0, 1fr); } }
        .wm-kpi .label { color: var(--wm-muted); font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; }
        .wm-kpi .value { font-size: 1.6rem; font-weight: 650; line-height: 1.2; margin-top: .15rem; }
        .wm-kpi .note { color: var(--wm-muted); font-size: .8rem; }
        .wm-filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .6rem .75rem; align-items: center; }
        .wm-filters .mud-input-control { margin-top: 0; }
        .wm-chart { width: 100%; overflow: hidden; }
        .wm-searchrow { display: flex; gap: .75rem; align-items: center; margin-bottom: .75rem; }
        .wm-searchrow .mud-input-control { flex: 1; }
        table.wm-table { width: 100%; border-collapse: collapse; font-size: .85rem; }
        table.wm-table th { text-align: left; font-weight: 600; color: var(--wm-muted); font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; padding: .45rem .5rem; border-bottom: 1px solid var(--wm-line); white-space: nowrap; }
        table.wm-table td { padding: .45rem .5rem; border-bottom: 1px solid #eef1f4; vertical-align: top; }
        table.wm-table tr:hover td { background: #f8fafc; }
        table.wm-table td.nowrap { white-space: nowrap; }
        table.wm-table td.num, table.wm-table th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .wm-break { word-break: break-word; overflow-wrap: anywhere; }
        .wm-move, .wm-dev { display: inline-block; border-radius: 4px; padding: 0 .35rem; margin: 0 .2rem .2rem 0; font-size: .8rem; background: #e8f5e9; color: #1b5e20; }
        .wm-move.skipped, .wm-dev.skipped { background: #fff3e0; color: #8a4b00; text-decoration: line-through; }
        .wm-move.unexpected, .wm-dev.unexpected { background: #ffebee; color: #8e1515; }
        .wm-dev.repeated { background: #ede7f6; color: #4527a0; }
        #wm-process-map svg { max-width: 100%; height: auto; }
        tr.wm-active td:first-child { box-shadow: inset 3px 0 0 #2e7d32; }
        .wm-live { display: inline-flex; align-items: center; gap: .3rem; color: #2e7d32; font-weight: 600; font-size: .78rem; }
        .wm-live::before { content: ""; width: .55rem; height: .55rem; border-radius: 50%; background: #2e7d32; box-shadow: 0 0 0 3px rgba(46,125,50,.18); animation: wm-pulse 1.6s ease-in-out infinite; }
        @keyframes wm-pulse { 50% { box-shadow: 0 0 0 6px rgba(46,125,50,.05); } }
        .wm-xp { display: inline-block; border-radius: 10px; padding: 0 .55rem; font-size: .75rem; font-weight: 600; line-height: 1.45rem; white-space: nowrap; }
        .wm-xp.satisfied, .wm-rating.good { background: #e6f4ea; color: #1e6b27; }
        .wm-xp.tolerating, .wm-rating.needs-improvement { background: #fff3e0; color: #8a5200; }
        .wm-xp.frustrated, .wm-rating.poor { background: #fdecea; color: #b11c1c; }
        .wm-rating { display: inline-block; border-radius: 10px; padding: 0 .55rem; font-size: .75rem; font-weight: 600; line-height: 1.45rem; }
        .wm-tag { display: inline-block; border-radius: 4px; padding: 0 .4rem; font-size: .72rem; font-weight: 600; line-height: 1.25rem; background: #eef1f5; color: #3b4654; white-space: nowrap; }
        .wm-tag.err { background: #fdecea; color: #b11c1c; }
        .wm-tag.conv { background: #e6f4ea; color: #1e6b27; }
        .wm-tag.tp { background: #efeafd; color: #4b3496; }
        .wm-tag.rage { background: #fff3e0; color: #8a5200; }
        .wm-chan { display: inline-flex; align-items: center; gap: .3rem; white-space: nowrap; }
        .wm-steps { list-style: none; margin: 0; padding: 0; }
        .wm-page-step { border: 1px solid var(--wm-line); border-radius: 8px; background: #fff; margin-bottom: .75rem; }
        .wm-page-step > header { display: flex; gap: .6rem; align-items: baseline; padding: .6rem .9rem; border-bottom: 1px solid #eef1f4; background: #fafbfc; border-radius: 8px 8px 0 0; flex-wrap: wrap; }
        .wm-page-step.broken { border-color: #f0b4b4; }
        .wm-page-step.broken > header { background: #fdf3f3; }
        .wm-action { padding: .55rem .9rem; border-bottom: 1px solid #f1f3f5; }
        .wm-action:last-child { border-bottom: none; }
        .wm-action.broken { background: #fffafa; }
        .wm-action > .line { display: flex; gap: .6rem; align-items: baseline; flex-wrap: wrap; }
        .wm-time { color: var(--wm-muted); font-variant-numeric: tabular-nums; font-size: .8rem; min-width: 4.2rem; }
        .wm-dur { font-variant-numeric: tabular-nums; font-size: .8rem; color: #3b4654; }
        .wm-wf { margin: .45rem 0 .2rem; display: grid; grid-template-columns: minmax(180px, 34%) 1fr 4.5rem; gap: 2px .6rem; font-size: .76rem; align-items: center; }
        .wm-wf .url { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
        .wm-wf .track { position: relative; height: .8rem; background: repeating-linear-gradient(90deg, #f3f5f8 0, #f3f5f8 calc(25% - 1px), #e6e9ee calc(25% - 1px), #e6e9ee 25%); border-radius: 2px; }
        .wm-wf .bar { position: absolute; top: 1px; bottom: 1px; min-width: 2px; border-radius: 2px; background: var(--wm-1p); }
        .wm-wf .bar.tp { background: var(--wm-3p); }
        .wm-wf .bar.failed { background: var(--wm-fru); }
        .wm-wf .ms { text-align: right; font-variant-numeric: tabular-nums; }
        .wm-error { border-left: 3px solid var(--wm-fru); background: #fff; padding: .5rem .75rem; margin: .45rem 0; border-radius: 0 6px 6px 0; }
        .wm-error .msg { font-weight: 600; color: #8e1515; word-break: break-word; }
        pre.wm-stack { margin: .35rem 0 0; padding: .5rem .65rem; background: #1b2430; color: #e6edf3; border-radius: 6px; font-size: .75rem; line-height: 1.45; overflow-x: auto; white-space: pre; max-height: 18rem; }
        dl.wm-facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem .9rem; margin: 0; font-size: .85rem; }
        dl.wm-facts dt { color: var(--wm-muted); }
        dl.wm-facts dd { margin: 0; word-break: break-word; }
        .wm-tl { list-style: none; margin: 0; padding: 0 0 0 1.2rem; border-left: 2px solid var(--wm-line); }
        .wm-tl > li { position: relative; padding: .2rem 0 .9rem .6rem; }
        .wm-tl > li::before { content: ""; position: absolute; left: -1.62rem; top: .55rem; width: .75rem; height: .75rem; border-radius: 50%; background: #fff; border: 2px solid #9aa5b1; }
        .wm-tl > li.satisfied::before { border-color: var(--wm-sat); }
        .wm-tl > li.tolerating::before { border-color: var(--wm-tol); }
        .wm-tl > li.frustrated::before { border-color: var(--wm-fru); background: #fdecea; }
        .wm-tl > li.active::before { background: var(--wm-sat); border-color: var(--wm-sat); }
        .wm-tl .when { color: var(--wm-muted); font-size: .8rem; font-variant-numeric: tabular-nums; }
        .wm-tl .what { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
        .wm-empty { color: var(--wm-muted); padding: 1.5rem; text-align: center; }
        .wm-note { border-bottom: 1px solid #eef1f4; padding: .45rem 0; }
        .wm-note:last-child { border-bottom: none; }
        .wm-note .meta { color: var(--wm-muted); font-size: .78rem; }
        .wm-bar100 { display: flex; height: .7rem; border-radius: 4px; overflow: hidden; background: #eef1f4; min-width: 90px; }
        .wm-bar100 > span { display: block; height: 100%; }
        .wm-bar100 .s { background: var(--wm-sat); } .wm-bar100 .t { background: #e0a030; } .wm-bar100 .f { background: var(--wm-fru); }
        .wm-legend { display: inline-flex; gap: .8rem; font-size: .78rem; color: var(--wm-muted); }
        .wm-legend i { display: inline-block; width: .65rem; height: .65rem; border-radius: 2px; margin-right: .25rem; vertical-align: -1px; }
        .wm-kbd { border: 1px solid #cfd6de; border-bottom-width: 2px; border-radius: 4px; padding: 0 .3rem; font-size: .72rem; font-family: ui-monospace, Menlo, monospace; background: #fff; color: #3b4654; }
        .wm-signin { min-height: 100vh; display: grid; place-items: center; background: linear-gradient(160deg, #14263d 0%, #1f3b5c 100%); }
        .wm-signin-card { background: #fff; border-radius: 10px; padding: 2rem 2.2rem; width: min(360px, 92vw); display: flex; flex-direction: column; gap: .45rem; box-shadow: 0 10px 40px rgba(0,0,0,.25); }
        .wm-signin-card h1 { margin-bottom: .6rem; }
        .wm-account { width: min(480px, 92vw); }
        .wm-account form { display: flex; flex-direction: column; gap: .45rem; }
        .wm-account code { font-size: 1.05rem; letter-spacing: .06em; word-break: break-all; }
        .wm-signin-brand { font-weight: 700; color: #1f5fa8; letter-spacing: .02em; }
        .wm-signin-card label { font-size: .82rem; color: var(--wm-muted); margin-top: .35rem; }
        .wm-signin-card input { font: inherit; padding: .55rem .65rem; border: 1px solid #c9d1da; border-radius: 6px; }
        .wm-signin-card input:focus { outline: 2px solid #1f5fa8; border-color: #1f5fa8; }
        .wm-signin-card button { margin-top: .9rem; font: inherit; font-weight: 600; padding: .6rem; border: none; border-radius: 6px; background: #1f5fa8; color: #fff; cursor: pointer; }
        .wm-signin-error { background: #fdecea; color: #b11c1c; padding: .5rem .65rem; border-radius: 6px; margin: 0; }
        #blazor-error-ui { display: none; position: fixed; bottom: 0; left: 0; right: 0; padding: .6rem 1.25rem; background: #fff3cd; box-shadow: 0 -1px 3px rgba(0,0,0,.2); z-index: 2000; }
        """;
}
