from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from quarterdeck.catalog.loading import CatalogError, shipped
from quarterdeck.catalog.playbooks import (
    PLAYBOOKS_DIR,
    PlaybookCatalog,
    load_playbook,
    load_playbook_catalog,
    playbook_catalog,
)
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.playbooks import MAX_DAY

# Every playbook of DOMAIN.md section 4 with its steps, in file order.
EXPECTED_STEPS: dict[str, tuple[str, ...]] = {
    "becoming-cto": (
        "self-assessment",
        "gap-plan",
        "leadership-opportunities",
        "evidence-of-impact",
    ),
    "fractional-engagement": (
        "red-flag-check",
        "assessment-sprint",
        "plan",
        "operating-cadence",
        "outcome-review",
        "exit",
    ),
    "handover-to-permanent-cto": (
        "documentation",
        "knowledge-transfer-meetings",
        "project-status",
        "team-introductions",
        "stakeholder-introductions",
        "communication-channels",
        "formal-handover",
        "support-period",
        "joint-assessment",
    ),
    "interim-cto-onboarding": (
        "pre-onboarding",
        "stakeholder-introductions",
        "infrastructure-access",
        "team-one-to-ones",
        "project-briefing",
        "process-assessment",
        "issues-and-risks",
        "goals-and-strategy",
        "communication-plan",
        "metrics-and-reporting",
        "regular-reviews",
        "knowledge-transfer-plan",
    ),
    "it-manager-new-project": (
        "identify-needs",
        "stack-audit",
        "roadmap",
        "cost-benefit",
        "market-research",
        "request-for-proposal",
        "vendor-demos",
        "vendor-scoring",
        "prioritisation",
    ),
    "new-cpto-30-days": (
        "shared-roadmap",
        "tradeoff-cadence",
        "capacity-allocation",
        "aligned-scorecard",
        "decision-rights",
    ),
    "new-cto-90-days": (
        "business-context",
        "organisation-assessment",
        "peer-relationships",
        "constraints-and-gaps",
        "expectations",
        "early-wins",
        "leadership-agenda",
    ),
    "part-time-to-full-time": (
        "long-term-needs",
        "desired-skill-set",
        "transition-plan",
        "resources",
        "team-collaboration",
        "professional-development",
        "self-assessment",
    ),
    "remote-leadership-setup": (
        "communication-norms",
        "overlap-hours",
        "documented-decisions",
        "escalation-and-on-call",
        "one-to-one-rhythm",
        "onboarding-plan",
        "performance-metrics",
        "work-life-boundaries",
    ),
}
HANDOVER = "handover-to-permanent-cto.yaml"


@pytest.fixture(scope="module")
def catalog() -> PlaybookCatalog:
    return playbook_catalog()


def copy_shipped(tmp_path: Path) -> Path:
    """A writable copy of the shipped playbook folder."""
    folder = tmp_path / PLAYBOOKS_DIR
    folder.mkdir()
    for entry in shipped(PLAYBOOKS_DIR).iterdir():
        if entry.name.endswith(".yaml"):
            (folder / entry.name).write_bytes(entry.read_bytes())
    return folder


def load_edited(tmp_path: Path, name: str, old: str, new: str) -> PlaybookCatalog:
    folder = copy_shipped(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_playbook_catalog(folder)


def refused(tmp_path: Path, name: str, old: str, new: str) -> str:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, name, old, new)
    message = caught.value.message
    assert str(tmp_path / PLAYBOOKS_DIR / name) in message
    return message


# --- the shipped catalog -----------------------------------------------------------------


def test_the_catalog_holds_every_playbook_of_the_domain(catalog: PlaybookCatalog) -> None:
    assert catalog.keys == tuple(sorted(EXPECTED_STEPS))


@pytest.mark.parametrize("key", sorted(EXPECTED_STEPS))
def test_each_playbook_holds_its_domain_steps_in_order(catalog: PlaybookCatalog, key: str) -> None:
    assert catalog.playbook(key).step_keys == EXPECTED_STEPS[key]


def test_the_published_processes_keep_their_step_counts(catalog: PlaybookCatalog) -> None:
    assert len(catalog.playbook("interim-cto-onboarding").steps) == 12
    assert len(catalog.playbook("part-time-to-full-time").steps) == 7


@pytest.mark.parametrize(
    ("key", "step", "words"),
    [
        ("new-cto-90-days", "constraints-and-gaps", ("debt", "bottlenecks")),
        ("new-cto-90-days", "early-wins", ("credibility", "cosmetic")),
        ("new-cpto-30-days", "tradeoff-cadence", ("weekly", "decision log")),
        ("interim-cto-onboarding", "pre-onboarding", ("paperwork",)),
        ("interim-cto-onboarding", "knowledge-transfer-plan", ("knowledge transfer",)),
        ("handover-to-permanent-cto", "formal-handover", ("vendor", "budget")),
        ("fractional-engagement", "red-flag-check", ("red flags", "contract minimum")),
        ("it-manager-new-project", "vendor-scoring", ("cost", "compatibility")),
        ("remote-leadership-setup", "escalation-and-on-call", ("escalation", "on-call")),
        ("becoming-cto", "self-assessment", ("skill stack",)),
    ],
)
def test_step_titles_say_what_the_domain_asks(
    catalog: PlaybookCatalog, key: str, step: str, words: tuple[str, ...]
) -> None:
    title = catalog.playbook(key).step(step).title.lower()
    assert all(word in title for word in words), title


def test_the_90_day_exit_criterion_covers_help_constraint_risk_and_priorities(
    catalog: PlaybookCatalog,
) -> None:
    text = catalog.playbook("new-cto-90-days").exit_criterion.lower()
    for word in ("forward", "holds it back", "risks", "priorities"):
        assert word in text


def test_every_step_is_owned_by_a_known_role_inside_a_sane_window(
    catalog: PlaybookCatalog,
) -> None:
    roles = set(rights_catalog().role_keys)
    for playbook in catalog.playbooks:
        assert playbook.name
        assert playbook.summary
        assert playbook.exit_criterion
        for step in playbook.steps:
            assert step.owner in roles, (playbook.key, step.key)
            assert 0 <= step.start_day <= step.due_day <= MAX_DAY
            assert step.done_when
            assert step.artifact


def test_the_window_of_a_dated_playbook_ends_on_its_named_day(catalog: PlaybookCatalog) -> None:
    assert catalog.playbook("new-cto-90-days").length_days == 90
    assert catalog.playbook("new-cpto-30-days").length_days == 30


def test_an_unknown_playbook_names_the_known_ones(catalog: PlaybookCatalog) -> None:
    with pytest.raises(InvalidInput, match="unknown playbook 'nope'; known: becoming-cto"):
        catalog.playbook("nope")


def test_the_shipped_catalog_is_loaded_once(catalog: PlaybookCatalog) -> None:
    assert playbook_catalog() is catalog


def test_an_unchanged_copy_loads_the_same(tmp_path: Path, catalog: PlaybookCatalog) -> None:
    assert load_playbook_catalog(copy_shipped(tmp_path)) == catalog


# --- malformed and hostile files ---------------------------------------------------------


def test_an_unknown_owner_role_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, HANDOVER, "owner: ceo", "owner: janitor")
    assert "steps[4].owner: unknown leadership role 'janitor'" in message


def test_owners_are_checked_against_the_roles_given(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_playbook_catalog(copy_shipped(tmp_path), role_keys={"ceo"})
    assert caught.value.message.endswith(
        "becoming-cto.yaml: steps[0].owner: unknown leadership role 'head-of-engineering' "
        "(known: ceo)"
    )


def test_a_repeated_step_key_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, HANDOVER, "key: project-status", "key: documentation")
    assert "steps[2].key: 'documentation' is already used by steps[0]" in message


def test_a_step_due_before_it_starts_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, HANDOVER, "start_day: 42", "start_day: 91")
    assert "steps[7].due_day: 90 is before start_day 91" in message


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("start_day: 0", "start_day: -1", "steps[0].start_day"),
        ("due_day: 90\n", f"due_day: {MAX_DAY + 1}\n", "steps[7].due_day"),
        ("due_day: 21", "due_day: '21'", "steps[0].due_day"),
        ("owner: cto", "owner: Not A Key", "steps[0].owner"),
        ("artifact: handover pack", "artifact: handover pack\n    colour: red", "steps[0].colour"),
        ("version: 1", "version: 2", "version"),
    ],
)
def test_schema_breaks_name_the_file_and_path(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert where in refused(tmp_path, HANDOVER, old, new)


def test_a_playbook_does_not_say_which_kinds_it_applies_to(tmp_path: Path) -> None:
    # The role catalog alone says which playbooks apply to which kind (roles.yaml).
    message = refused(
        tmp_path, HANDOVER, "exit_criterion:", "leader_kinds:\n  - interim-cto\nexit_criterion:"
    )
    assert "leader_kinds: Extra inputs are not permitted" in message


def test_a_file_named_other_than_its_key_is_refused(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    shutil.move(folder / HANDOVER, folder / "handover.yaml")
    with pytest.raises(CatalogError) as caught:
        load_playbook_catalog(folder)
    message = caught.value.message
    assert str(folder / "handover.yaml") in message
    assert "key: 'handover-to-permanent-cto' must match the file name" in message


def test_yaml_aliases_and_anchors_are_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, HANDOVER, "owner: ceo\n", "owner: &boss ceo\n")
    assert "anchors are not allowed" in message
    assert "line " in message


def test_a_changed_step_count_of_a_published_process_is_refused(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    path = folder / "part-time-to-full-time.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - key: self-assessment")], encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_playbook_catalog(folder)
    assert str(path) in caught.value.message
    assert "steps: part-time-to-full-time has 6 steps; it needs 7" in caught.value.message


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="holds no playbook"):
        load_playbook_catalog(tmp_path)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "becoming-cto.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape(str(path))):
        load_playbook(path, role_keys={"cto"})
