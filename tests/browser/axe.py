"""axe-core in Chromium: the check every accessibility test makes."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']} {node['html'][:160]} -- {summary}")
    return "\n".join(lines)


def serious_violations(page):
    """What axe-core finds serious or critical on the page as it stands."""
    violations = _axe.run(page).response["violations"]
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def assert_no_serious_violations(page):
    """axe-core finds nothing serious or critical on the page as it stands."""
    blocking = serious_violations(page)
    assert not blocking, f"axe-core on {page.url}:\n{describe(blocking)}"
