"""axe-core in a real browser: every violation on the page, whatever its impact."""

from django.templatetags.static import static

# Loaded by URL from the site itself: the Content-Security-Policy refuses inline scripts.
AXE = "vendor/axe-core-4.11.0/axe.min.js"

# axe's experimental rules are off by default. The language checks turn them on: among
# them is label-content-name-mismatch (a control's accessible name must contain its
# visible text, which a half-translated aria-label breaks). Left out: p-as-heading, a
# heuristic that reads the bold result count ("81 个组织", shorter in Chinese than the
# paragraph after it) as a heading; the results have a real heading of their own.
EXPERIMENTAL_LEFT_OUT = ("p-as-heading",)


def accessibility_violations(page, *, experimental: bool = False) -> list[str]:
    """One line per violated rule: impact, rule and the elements that break it."""
    page.add_script_tag(url=static(AXE))
    return page.evaluate(
        """async ([experimental, leftOut]) => {
            const rules = {};
            if (experimental) {
              for (const rule of axe.getRules(['experimental'])) {
                rules[rule.ruleId] = {enabled: !leftOut.includes(rule.ruleId)};
              }
            }
            const results = await axe.run(document, {resultTypes: ['violations'], rules});
            return results.violations.map((v) =>
              v.impact + ' ' + v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
        }""",
        [experimental, list(EXPERIMENTAL_LEFT_OUT)],
    )
