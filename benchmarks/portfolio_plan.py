"""Portfolio plan: optimal selection over 5,000 candidate initiatives, 12 teams, 4 quarters,
a capacity split with bounds in every quarter, 500 dependencies and 50 exclusive pairs,
against the greedy value-per-person-week fill on the same input, same run.

Measured: building the `PlanInput` (its validation and cycle check included); the greedy
fill `fill(plan, by_density)` alone (the baseline: the cheapest plan anything here makes,
and the first incumbent `select` hands HiGHS); `select` asked for a proven optimum (gap 0)
within 30 s, or, when it cannot prove one in that time, `select` again with 10 s and the
gap it reached; and the handbook rule `select_by_rule`. Reported: the time to the plan
(the solver's own seconds and `select` end to end, deferral reasons included), the ratio
of the solver's time to the greedy fill's, and how much risk-adjusted value the greedy
order and the handbook rule lose against the optimal (or best found) plan.

The issue asks for the time to a proven optimum when it comes within 30 s, else the gap
reached in 10 s, and for what the shortcuts cost; the last lines say which, nothing asserts.
Run with `make bench` (about 45 s when no proof comes: 30 s, then 10 s, of solving).

The instance is generated from a fixed seed and meant to look like a real intake: twelve
teams of 60-150 person-weeks a quarter (a little less in the summer quarter) with a 10-20 %
keep-the-lights-on reserve, four of them with a limit on parallel initiatives; candidates
mostly on one or two teams, 2-30 person-weeks on each (small ones more common), about two
in three product bets, the rest platform investment, risk reduction and a few
keep-the-lights-on items; value loosely tied to size and a probability of success from 0.3
to 0.95; dependencies only on candidates listed earlier (no cycles); exclusive pairs of
distinct candidates in no other group; six small mandatory items, two pinned to the first
quarter. Total demand is many times the capacity (5,000 items of that size cannot be
less), so what is left out matters.

On a two-core machine HiGHS does not prove this instance optimal within 30 s: the root cuts
leave the bound about 2 % above the best plan, and both sides still move when time runs out
(the plan improving, the bound slowly). That is the size, not a quirk of the generator: with
the capacity rows alone, with values drawn independently of effort, or with coarse value
points (5-105) and success of 50/70/90 %, a gap is left at 30 s as well, so the instance was
kept as it is rather than tuned until it proves. The gaps and the best plan vary a little
from run to run, since a time limit stops the search wherever it has got to. The value lost
is given against the best plan found and, as an upper limit, against the best bound HiGHS
proved (`value * (1 + gap)`, HiGHS measuring the gap relative to the plan's value).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from dataclasses import replace

from quarterdeck.domain.planning import (
    Candidate,
    ExclusiveGroup,
    Kind,
    Plan,
    PlanInput,
    Share,
    Split,
    Status,
    Team,
    select,
    select_by_rule,
)
from quarterdeck.domain.planning_greedy import by_density, fill
from quarterdeck.domain.planning_ledger import Ledger

SEED = 20_260_101
CANDIDATES = 5_000
TEAMS = 12
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
DEPENDENCIES = 500
EXCLUSIVE_PAIRS = 50
MANDATORY = 6
PROVE_LIMIT = 30.0  # seconds for a proven optimum (gap 0)
FALLBACK_LIMIT = 10.0  # seconds, when no proof came in PROVE_LIMIT: report the gap reached
GREEDY_RUNS = 5
SEASON = (1.0, 1.0, 0.85, 0.95)  # capacity factor per quarter (summer leave in Q3)
KINDS = (Kind.PRODUCT_BET, Kind.PLATFORM_INVESTMENT, Kind.RISK_REDUCTION, Kind.KEEP_THE_LIGHTS_ON)
KIND_WEIGHTS = (0.65, 0.18, 0.13, 0.04)
SPLIT = Split(
    (
        Share(Kind.PRODUCT_BET, 60, 50, 70),
        Share(Kind.PLATFORM_INVESTMENT, 25, 15, 35),
        Share(Kind.RISK_REDUCTION, 15, 5, 25),
    )
)


def teams(chance: random.Random) -> tuple[Team, ...]:
    made = []
    for n in range(TEAMS):
        base = chance.uniform(60, 150)
        reserve = chance.uniform(0.10, 0.20)
        capacity = {q: round(base * f, 1) for q, f in zip(QUARTERS, SEASON, strict=True)}
        made.append(
            Team(
                id=f"team-{n + 1:02d}",
                capacity=capacity,
                keep_the_lights_on={q: round(c * reserve, 1) for q, c in capacity.items()},
                max_parallel=chance.randint(8, 14) if n % 3 == 0 else None,
            )
        )
    return tuple(made)


def effort(chance: random.Random) -> float:
    """2-30 person-weeks, small pieces of work more common than large ones."""
    return round(chance.triangular(2, 30, 4))


def candidates(chance: random.Random, team_ids: list[str]) -> list[Candidate]:
    made: list[Candidate] = []
    for n in range(CANDIDATES):
        spread = chance.choices((1, 2, 3), (0.6, 0.35, 0.05))[0]
        on = chance.sample(team_ids, spread)
        work = {team: float(effort(chance)) for team in on}
        size = sum(work.values())
        value = round(min(100.0, max(1.0, size * chance.lognormvariate(0.0, 0.6))), 1)
        made.append(
            Candidate(
                id=f"init-{n:04d}",
                kind=chance.choices(KINDS, KIND_WEIGHTS)[0],
                value=value,
                effort=work,
                success=round(chance.uniform(0.3, 0.95), 2),
            )
        )
    return made


def mandatory(chance: random.Random, made: list[Candidate], team_ids: list[str]) -> set[int]:
    """Small items on distinct teams that clearly fit: a few person-weeks each."""
    chosen = set(chance.sample(range(CANDIDATES), MANDATORY))
    for k, n in enumerate(sorted(chosen)):
        made[n] = replace(
            made[n],
            kind=Kind.RISK_REDUCTION if k % 2 else Kind.KEEP_THE_LIGHTS_ON,
            effort={team_ids[k]: float(chance.randint(2, 5))},
            mandatory=True,
            quarter=QUARTERS[0] if k < 2 else None,
        )
    return chosen


def requirements(chance: random.Random, made: list[Candidate], fixed: set[int]) -> None:
    """DEPENDENCIES edges, each from a candidate to one listed earlier (within 300 places,
    as related work is entered together), none from a mandatory one."""
    needs: dict[int, list[int]] = {}
    edges = 0
    for _ in range(10 * DEPENDENCIES):  # bounded: a draw that repeats an edge is skipped
        n = chance.randrange(1, CANDIDATES)
        earlier = chance.randrange(max(0, n - 300), n)
        if n in fixed or earlier in needs.setdefault(n, []):
            continue
        needs[n].append(earlier)
        edges += 1
        if edges == DEPENDENCIES:
            break
    else:
        raise SystemExit(f"drew only {edges} of {DEPENDENCIES} dependencies")
    for n, earlier_ones in needs.items():
        if earlier_ones:
            made[n] = replace(made[n], requires=tuple(made[r].id for r in earlier_ones))


def exclusive(chance: random.Random, fixed: set[int]) -> tuple[ExclusiveGroup, ...]:
    pool = [n for n in range(CANDIDATES) if n not in fixed]
    members = chance.sample(pool, 2 * EXCLUSIVE_PAIRS)  # distinct: no candidate in two groups
    return tuple(
        ExclusiveGroup(
            f"alt-{k + 1:02d}", (f"init-{members[2 * k]:04d}", f"init-{members[2 * k + 1]:04d}")
        )
        for k in range(EXCLUSIVE_PAIRS)
    )


def generate() -> tuple[list[Team], list[Candidate], tuple[ExclusiveGroup, ...]]:
    chance = random.Random(SEED)
    made_teams = list(teams(chance))
    team_ids = [team.id for team in made_teams]
    made = candidates(chance, team_ids)
    fixed = mandatory(chance, made, team_ids)
    requirements(chance, made, fixed)
    return made_teams, made, exclusive(chance, fixed)


def ledger_value(plan: PlanInput, ledger: Ledger) -> float:
    return sum(plan.candidate(i).risk_adjusted_value for i in ledger.chosen)


def greedy_seconds(plan: PlanInput) -> tuple[float, Ledger]:
    fill(plan, by_density)  # unmeasured: warms the caches
    samples = []
    ledger = None
    for _ in range(GREEDY_RUNS):
        start = time.perf_counter()
        ledger = fill(plan, by_density)
        samples.append(time.perf_counter() - start)
    assert ledger is not None
    return statistics.median(samples), ledger


def timed_select(plan: PlanInput, limit: float) -> tuple[Plan, float]:
    start = time.perf_counter()
    found = select(plan, time_limit=limit, gap=0.0)
    return found, time.perf_counter() - start


def bound(found: Plan) -> float | None:
    """The best bound HiGHS proved: its gap is (bound - value) / value."""
    return None if found.gap is None else found.value * (1 + found.gap)


def gap_text(found: Plan) -> str:
    return "unknown" if found.gap is None else f"{100 * found.gap:.3f} %"


def row(label: str, value: float, best: float, ceiling: float | None, planned: int) -> str:
    text = (
        f"    {label:<34} {value:10,.1f}  {planned:5,} planned, {CANDIDATES - planned:5,} deferred"
    )
    if value == best:
        return text
    text += f"  loses {100 * (best - value) / best:5.2f} %"
    if ceiling is not None and ceiling > best * (1 + 1e-9):
        text += f" (at most {100 * (ceiling - value) / ceiling:.2f} % against the bound)"
    return text


def main() -> int:
    start = time.perf_counter()
    made_teams, made, groups = generate()
    generated = time.perf_counter() - start
    start = time.perf_counter()
    plan = PlanInput(
        quarters=QUARTERS,
        teams=tuple(made_teams),
        candidates=tuple(made),
        splits=dict.fromkeys(QUARTERS, SPLIT),
        exclusive=groups,
    )
    built = time.perf_counter() - start
    capacity = sum(plan.split_base(q) for q in QUARTERS)
    demand = sum(c.total_effort for c in plan.candidates)
    edges = sum(len(c.requires) for c in plan.candidates)
    print(
        f"Portfolio plan over {CANDIDATES:,} candidates, {TEAMS} teams, {len(QUARTERS)} "
        f"quarters with split bounds, {edges} dependencies, {len(groups)} exclusive pairs, "
        f"{MANDATORY} mandatory"
    )
    print(
        f"  ({sys.executable}; seed {SEED}, generated in {generated:.2f} s; demand "
        f"{demand:,.0f} person-weeks against {capacity:,.0f} available, {demand / capacity:.1f}x)"
    )
    print(f"    {'build PlanInput (validated)':<52} {built * 1000:10,.1f} ms")
    greedy, ledger = greedy_seconds(plan)
    label = f"greedy fill by value/effort (baseline, median of {GREEDY_RUNS})"
    print(f"    {label:<52} {greedy * 1000:10,.1f} ms")

    first, wall = timed_select(plan, PROVE_LIMIT)
    proven = first.status == Status.OPTIMAL
    runs = [first]
    if proven:
        label = "select, gap 0: proven optimal"
        print(
            f"    {label:<52} {first.seconds * 1000:10,.1f} ms ({first.seconds / greedy:,.1f}x "
            f"baseline; {wall:.2f} s end to end, deferral reasons included)"
        )
    else:
        label = f"select, gap 0: no proof within {PROVE_LIMIT:g} s"
        print(
            f"    {label:<52} {first.seconds * 1000:10,.1f} ms ({first.seconds / greedy:,.1f}x "
            f"baseline; {wall:.2f} s end to end), gap {gap_text(first)}"
        )
        second, wall = timed_select(plan, FALLBACK_LIMIT)
        runs.append(second)
        label = f"select, {FALLBACK_LIMIT:g} s limit: {second.status}"
        print(
            f"    {label:<52} {second.seconds * 1000:10,.1f} ms ({second.seconds / greedy:,.1f}x "
            f"baseline; {wall:.2f} s end to end), gap reached {gap_text(second)}"
        )
    start = time.perf_counter()
    rule = select_by_rule(plan)
    rule_seconds = time.perf_counter() - start
    print(f"    {'select_by_rule (handbook rule, end to end)':<52} {rule_seconds * 1000:10,.1f} ms")

    best = max(runs, key=lambda found: found.value)
    ceilings = [c for c in map(bound, runs) if c is not None]
    ceiling = min(ceilings) if ceilings else None
    greedy_value = ledger_value(plan, ledger)
    print("  risk-adjusted value")
    name = "optimal plan" if proven else f"best plan found ({best.seconds:.0f} s)"
    print(row(name, best.value, best.value, None, len(best.planned)))
    if not proven and ceiling is not None:
        print(f"    {'best bound proved':<34} {ceiling:10,.1f}")
    print(row("greedy by value/effort", greedy_value, best.value, ceiling, len(ledger.chosen)))
    print(row("handbook rule", rule.value, best.value, ceiling, len(rule.planned)))
    if proven:
        print(f"  proven optimal in {first.seconds:.1f} s: within the {PROVE_LIMIT:g} s aimed for")
    else:
        print(
            f"  NOT proven optimal within {PROVE_LIMIT:g} s; gap reached in {FALLBACK_LIMIT:g} s: "
            f"{gap_text(runs[-1])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
