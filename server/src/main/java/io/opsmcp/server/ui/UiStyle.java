package io.opsmcp.server.ui;

/**
 * The approval page's one stylesheet (served from {@code /ui/static/ui.css}: the CSP allows no inline style). Colours
 * meet WCAG 2.1 AA contrast (4.5:1 for text) on their backgrounds.
 */
final class UiStyle {

    private UiStyle() {}

    static final String CSS = """
            :root { color-scheme: light; }
            body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a1a1a;
                   background: #ffffff; }
            header { display: flex; justify-content: space-between; align-items: center; padding: .5rem 1.5rem;
                     background: #1f2937; color: #ffffff; }
            header a.brand { color: #ffffff; font-weight: 700; text-decoration: none; }
            header form.logout span { margin-right: .75rem; }
            main { max-width: 70rem; margin: 1.5rem auto; padding: 0 1.5rem; }
            main.login { max-width: 28rem; }
            a { color: #1d4ed8; }
            table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
            caption { text-align: left; font-weight: 600; padding: .25rem 0; }
            th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d1d5db; vertical-align: top; }
            thead th { background: #f3f4f6; }
            .env { padding: .1rem .4rem; border-radius: .25rem; background: #e5e7eb; color: #111827; }
            .env-prod, .env-production { background: #991b1b; color: #ffffff; }
            .status { font-size: .8em; padding: .1rem .4rem; border-radius: .25rem; background: #e5e7eb; color: #111827;
                      vertical-align: middle; }
            .status-pending { background: #fef3c7; color: #78350f; }
            .status-approved, .status-used { background: #d1fae5; color: #065f46; }
            .status-denied, .status-expired { background: #fee2e2; color: #991b1b; }
            dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
            dl.facts dt { font-weight: 600; }
            dl.facts dd { margin: 0; }
            table.diff del { background: #fee2e2; color: #7f1d1d; text-decoration: line-through; }
            table.diff ins { background: #d1fae5; color: #064e3b; text-decoration: none; }
            pre.change, p.summary { font-family: ui-monospace, monospace; background: #f3f4f6; padding: .5rem;
                                    white-space: pre-wrap; }
            .error { border-left: 4px solid #991b1b; background: #fee2e2; color: #7f1d1d; padding: .5rem 1rem; }
            form.vote label, main.login label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
            textarea, input[type=password] { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem;
                                             border: 1px solid #6b7280; border-radius: .25rem; }
            .buttons { margin-top: .75rem; display: flex; gap: .75rem; }
            button, a.button { font: inherit; padding: .45rem 1rem; border-radius: .25rem; border: 1px solid #374151;
                               background: #f9fafb; color: #111827; cursor: pointer; text-decoration: none;
                               display: inline-block; }
            button.approve { background: #065f46; border-color: #065f46; color: #ffffff; }
            button.deny { background: #991b1b; border-color: #991b1b; color: #ffffff; }
            header button { background: #374151; color: #ffffff; border-color: #9ca3af; }
            :focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
            """;
}
