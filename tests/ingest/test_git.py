"""Reading git history: real repositories made in tmp_path with the git command line, read
back into exact Commit and TagRef values (shas from git itself, offsets kept)."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quarterdeck.domain.errors import InvalidInput, ToolMissing
from quarterdeck.ingest.git import (
    NotARepository,
    ShallowRepository,
    UnreadableRepository,
    read_repository,
)
from quarterdeck.ingest.git_parse import read_log
from tests.ingest.git_support import (
    BOT,
    commit,
    exactly,
    expected,
    fast_import,
    generated_stream,
    git,
    make_repo,
    tag,
    tagger,
)


@pytest.fixture(autouse=True)
def plain_git_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader runs in the same environment as the helpers: no machine-wide git settings.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def by_sha(repo: Path) -> dict[str, tuple[object, ...]]:
    return {c.sha: exactly(c) for c in read_repository(repo).commits}


def test_commit_keeps_author_and_committer_times_in_their_own_offsets(repo: Path) -> None:
    commit(
        repo,
        "first",
        authored="2024-03-01T09:00:00+05:30",
        committed="2024-03-02T10:15:30-07:00",
        files={"README.md": "hello\n"},
    )

    (read,) = read_repository(repo).commits

    want = expected(
        repo, "HEAD", "ana@example.com", "2024-03-01T09:00:00+05:30", "2024-03-02T10:15:30-07:00"
    )
    assert exactly(read) == exactly(want)
    assert read.parents == ()
    assert read.author_time.utcoffset() == timedelta(hours=5, minutes=30)
    assert read.committer_time.utcoffset() == timedelta(hours=-7)


def test_committer_time_earlier_than_author_time_is_read_as_written(repo: Path) -> None:
    commit(repo, "root", authored="2024-01-01T00:00:00+00:00")
    commit(
        repo, "skewed", authored="2024-05-01T12:00:00+12:45", committed="2024-04-30T08:00:00-10:00"
    )

    newest = read_repository(repo).commits[0]

    assert exactly(newest) == exactly(
        expected(
            repo,
            "HEAD",
            "ana@example.com",
            "2024-05-01T12:00:00+12:45",
            "2024-04-30T08:00:00-10:00",
        )
    )
    assert newest.committer_time < newest.author_time


def test_merge_commit_lists_both_parents_first_parent_first(repo: Path) -> None:
    base = commit(repo, "base", authored="2024-01-01T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "feature")
    side = commit(repo, "feature work", authored="2024-01-02T10:00:00+01:00", files={"a.txt": "a"})
    git(repo, "checkout", "-q", "main")
    main = commit(repo, "main work", authored="2024-01-03T10:00:00+01:00", files={"b.txt": "b"})
    merge_env = {"GIT_AUTHOR_DATE": "@1704445200 +0100", "GIT_COMMITTER_DATE": "@1704445200 +0100"}
    git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature", env=merge_env)

    read = read_repository(repo)

    merge = git(repo, "rev-parse", "HEAD")
    commits = {c.sha: c for c in read.commits}
    assert set(commits) == {base, side, main, merge}
    assert commits[merge].parents == (main, side)
    assert commits[merge].author_time.isoformat() == "2024-01-05T10:00:00+01:00"
    assert read.merge_count == 1


def test_rebased_history_is_linear_with_new_committer_times(repo: Path) -> None:
    commit(repo, "base", authored="2024-02-01T09:00:00+00:00", files={"base.txt": "1"})
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "topic one", authored="2024-02-02T09:00:00-05:00", files={"t1.txt": "1"})
    commit(repo, "topic two", authored="2024-02-03T09:00:00-05:00", files={"t2.txt": "2"})
    git(repo, "checkout", "-q", "main")
    commit(repo, "main moves", authored="2024-02-04T09:00:00+00:00", files={"m.txt": "1"})
    rebased_at = {"GIT_COMMITTER_DATE": "@1707472800 +0900"}  # 2024-02-09T19:00:00+09:00
    git(repo, "rebase", "-q", "main", "topic", env=rebased_at)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "topic")
    git(repo, "branch", "-q", "-d", "topic")

    read = read_repository(repo)

    assert read.commit_count == 4  # the commits from before the rebase are unreachable
    assert read.merge_count == 0
    topic_two, topic_one, main_moves, base = read.commits
    assert topic_two.parents == (topic_one.sha,)
    assert topic_one.parents == (main_moves.sha,)
    assert main_moves.parents == (base.sha,)
    assert topic_one.author_time.isoformat() == "2024-02-02T09:00:00-05:00"
    assert topic_one.committer_time.isoformat() == "2024-02-09T19:00:00+09:00"
    assert exactly(topic_two) == exactly(
        expected(
            repo,
            "HEAD",
            "ana@example.com",
            "2024-02-03T09:00:00-05:00",
            "2024-02-09T19:00:00+09:00",
        )
    )


def test_squash_merge_is_one_commit_with_one_parent(repo: Path) -> None:
    base = commit(repo, "base", authored="2024-06-01T09:00:00+02:00", files={"a.txt": "1"})
    git(repo, "checkout", "-q", "-b", "squashme")
    commit(repo, "wip 1", authored="2024-06-02T09:00:00+02:00", files={"b.txt": "1"})
    commit(repo, "wip 2", authored="2024-06-03T09:00:00+02:00", files={"b.txt": "2"})
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--squash", "squashme")
    squash = commit(repo, "feature, squashed", authored="2024-06-04T09:00:00+02:00")
    git(repo, "branch", "-q", "-D", "squashme")

    read = read_repository(repo)

    assert [c.sha for c in read.commits] == [squash, base]
    assert read.commits[0].parents == (base,)


def test_tags_are_peeled_to_commits_with_tagger_time_only_when_annotated(repo: Path) -> None:
    first = commit(repo, "one", authored="2024-07-01T09:00:00+00:00")
    tag(repo, "v1.0.0")
    second = commit(repo, "two", authored="2024-07-02T09:00:00+00:00")
    tag(repo, "v1.1.0", at="2024-07-02T18:30:00+05:45")
    git(
        repo,
        "tag",
        "-a",
        "-m",
        "tag of a tag",
        "v1.1.0-again",
        "v1.1.0",
        env=tagger("2024-07-03T08:00:00-03:30"),
    )
    git(
        repo,
        "tag",
        "-a",
        "-m",
        "a tree",
        "tree-snapshot",
        "HEAD^{tree}",
        env=tagger("2024-07-04T08:00:00+00:00"),
    )

    read = read_repository(repo)

    assert [exactly(t) for t in read.tags] == [
        ("v1.0.0", first, None),
        ("v1.1.0", second, "2024-07-02T18:30:00+05:45"),
        ("v1.1.0-again", second, "2024-07-03T08:00:00-03:30"),
    ]
    assert read.skipped_tags == ("tree-snapshot",)
    assert (read.tag_count, read.annotated_tag_count) == (3, 2)
    assert read.tips == tuple(sorted({first, second}))


def test_bot_author_email_is_read_verbatim(repo: Path) -> None:
    commit(repo, "Bump lodash from 4.17.20 to 4.17.21", email=BOT)

    (read,) = read_repository(repo).commits

    assert read.author_email == BOT


def test_commits_of_every_service_folder_are_read(repo: Path) -> None:
    payments = commit(repo, "pay", files={"services/payments/app.py": "1"})
    search = commit(repo, "find", files={"services/search/app.py": "1"})
    both = commit(repo, "both", files={"services/payments/x.py": "2", "services/search/y.py": "2"})

    assert set(by_sha(repo)) == {payments, search, both}


def test_detached_head_is_read_and_kept_as_a_tip(repo: Path) -> None:
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "--detach")
    loose = commit(repo, "experiment on a detached head", authored="2024-03-02T09:00:00+00:00")

    read = read_repository(repo)

    assert {c.sha for c in read.commits} == {base, loose}
    assert read.tips == tuple(sorted({base, loose}))


def test_stashes_and_notes_are_not_history(repo: Path) -> None:
    only = commit(repo, "base", files={"a.txt": "1"})
    (repo / "a.txt").write_text("2", encoding="utf-8")
    git(repo, "stash", "-q")
    git(repo, "notes", "add", "-m", "a note", "HEAD")

    read = read_repository(repo)

    assert [c.sha for c in read.commits] == [only]
    assert read.tips == (only,)


def test_bare_clone_reads_the_same_as_its_working_repository(repo: Path, tmp_path: Path) -> None:
    commit(repo, "one", files={"a.txt": "1"})
    commit(repo, "two", authored="2024-03-02T09:00:00-08:00", files={"a.txt": "2"})
    tag(repo, "v1", at="2024-03-03T00:00:00+01:00")
    git(tmp_path, "clone", "-q", "--bare", str(repo), "bare.git")

    working = read_repository(repo)
    bare = read_repository(tmp_path / "bare.git")

    assert (working.bare, bare.bare) == (False, True)
    assert [exactly(c) for c in bare.commits] == [exactly(c) for c in working.commits]
    assert [exactly(t) for t in bare.tags] == [exactly(t) for t in working.tags]
    assert bare.tips == working.tips


def test_the_users_log_settings_do_not_change_what_is_read(repo: Path) -> None:
    commit(repo, "one", authored="2024-03-01T09:00:00+05:30", files={"a.txt": "1"})
    commit(repo, "two", email=BOT, files={"a.txt": "2"})
    plain = by_sha(repo)
    for key, value in {
        "log.showSignature": "true",
        "log.date": "relative",
        "format.pretty": "oneline",
        "log.abbrevCommit": "true",
        "log.decorate": "full",
        "log.mailmap": "true",
    }.items():
        git(repo, "config", key, value)
    (repo / ".mailmap").write_text(f"Ana <ana@other.example> <{BOT}>\n", encoding="utf-8")

    assert by_sha(repo) == plain


def test_git_variables_from_the_environment_do_not_redirect_the_read(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = commit(repo, "mine")
    other = make_repo(tmp_path / "other")
    commit(other, "someone else's")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))

    assert set(by_sha(repo)) == {mine}


def test_impossible_offsets_and_undecodable_emails_keep_the_instant(repo: Path) -> None:
    # Old tools wrote such commits; `git hash-object --literally` writes them without checks.
    tree = git(repo, "write-tree")
    body = (
        f"tree {tree}\n"
        "author Old Tool <caf\xe9@example.com> 1112911993 +6000\n"
        "committer Old Tool <old@example.com> 1112911993 -1399\n\nimported\n"
    ).encode("latin-1")
    odd = git(repo, "hash-object", "-w", "-t", "commit", "--literally", "--stdin", stdin=body)
    git(repo, "update-ref", "refs/heads/imported", odd)

    (read,) = read_repository(repo).commits

    instant = datetime.fromtimestamp(1112911993, UTC)
    assert read.author_email == "caf\ufffd@example.com"
    assert read.author_time == instant
    assert read.author_time.tzinfo == UTC  # +60:00 is no offset at all: the instant in UTC
    assert read.committer_time == instant
    # "-1399" is read as git reads it: minus 13 hours and 99 minutes.
    assert read.committer_time.utcoffset() == -timedelta(hours=13, minutes=99)


def test_sha256_repository_is_read(tmp_path: Path) -> None:
    repo = tmp_path / "sha256"
    git(tmp_path, "init", "-q", "--object-format=sha256", "-b", "main", str(repo))
    one = commit(repo, "one", authored="2024-03-01T09:00:00-03:00")
    tag(repo, "v1", at="2024-03-01T10:00:00-03:00")

    read = read_repository(repo)

    assert [exactly(c) for c in read.commits] == [
        exactly(expected(repo, "HEAD", "ana@example.com", "2024-03-01T09:00:00-03:00"))
    ]
    assert len(one) == 64
    assert [exactly(t) for t in read.tags] == [("v1", one, "2024-03-01T10:00:00-03:00")]
    assert read_repository(repo, known_tips=read.tips).commits == ()


def trickle(data: bytes, size: int) -> Callable[[int], bytes]:
    """A reader handing out `size` bytes at a time, however many are asked for."""
    source = io.BytesIO(data)
    return lambda _: source.read(size)


def test_log_stream_cut_anywhere_reads_the_same() -> None:
    stream = (
        "a" * 40 + "\0" + "\0bot@example.com\0" + "1709263800\0+0530\0"
        "1709263800\0+0530\n" + "b" * 40 + "\0" + "a" * 40 + "\0caf\u00e9@example.com\0"
        "1709395200\0-0700\0" + "1709334000\0+0000\n"
    ).encode()
    whole = read_log(io.BytesIO(stream).read)

    for size in (1, 2, 7, 50):
        assert read_log(trickle(stream, size)) == whole
    assert [c.sha[0] for c in whole] == ["a", "b"]
    assert whole[0].author_time.isoformat() == "2024-03-01T09:00:00+05:30"
    assert whole[1].parents == ("a" * 40,)
    assert whole[1].author_email == "caf\u00e9@example.com"
    assert whole[1].author_time.isoformat() == "2024-03-02T09:00:00-07:00"
    assert whole[1].committer_time.isoformat() == "2024-03-01T23:00:00+00:00"


def test_log_stream_that_stops_mid_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="middle of a line"):
        read_log(io.BytesIO(b"a" * 40 + b"\0\0x@example.com\0").read)


def test_empty_repository_has_no_commits_and_no_tips(repo: Path) -> None:
    read = read_repository(repo)

    assert (read.commits, read.tags, read.tips) == ((), (), ())


def test_progress_reports_the_number_of_commits_read(repo: Path) -> None:
    for day in range(1, 4):
        commit(repo, f"day {day}", authored=f"2024-03-0{day}T09:00:00+00:00")
    seen: list[int] = []

    read_repository(repo, progress=seen.append)

    assert seen[-1] == 3


# Incremental reads ------------------------------------------------------------------------


def test_second_read_with_known_tips_returns_only_the_new_commits(repo: Path) -> None:
    commit(repo, "one", authored="2024-03-01T09:00:00+00:00")
    commit(repo, "two", authored="2024-03-02T09:00:00+00:00")
    first = read_repository(repo)
    three = commit(repo, "three", authored="2024-03-03T09:00:00+09:00")
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    four = commit(repo, "four", authored="2024-03-04T09:00:00-04:00")
    tag(repo, "v2", at="2024-03-05T00:00:00+00:00")

    second = read_repository(repo, known_tips=first.tips)

    assert {c.sha for c in second.commits} == {three, four}
    assert exactly(next(c for c in second.commits if c.sha == four)) == exactly(
        expected(repo, "feature", "ana@example.com", "2024-03-04T09:00:00-04:00")
    )
    assert second.tips == tuple(sorted({three, four}))
    assert [t.name for t in second.tags] == ["v2"]  # tags are listed whole every time


def test_unchanged_repository_reads_zero_commits(repo: Path) -> None:
    commit(repo, "one")
    tag(repo, "v1")
    first = read_repository(repo)
    seen: list[int] = []

    again = read_repository(repo, known_tips=first.tips, progress=seen.append)

    assert again.commits == ()
    assert again.tips == first.tips
    assert [t.name for t in again.tags] == ["v1"]
    assert seen == [0]


def test_known_tip_that_no_longer_exists_is_ignored(repo: Path) -> None:
    one = commit(repo, "one")
    gone = "0123456789abcdef0123456789abcdef01234567"
    two = commit(repo, "two", authored="2024-03-02T09:00:00+00:00")

    read = read_repository(repo, known_tips=[one, gone])

    assert [c.sha for c in read.commits] == [two]


def test_known_tips_must_be_full_commit_ids(repo: Path) -> None:
    one = commit(repo, "one")

    with pytest.raises(InvalidInput, match="not a full commit id"):
        read_repository(repo, known_tips=["--output=/tmp/x"])
    with pytest.raises(InvalidInput, match="not one string"):
        read_repository(repo, known_tips=one)


# Refusals ---------------------------------------------------------------------------------


def test_missing_path_is_refused_by_name(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    with pytest.raises(NotARepository, match=f"{missing} does not exist"):
        read_repository(missing)


def test_folder_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()

    with pytest.raises(NotARepository, match=f"{folder} is not a git repository"):
        read_repository(folder)


def test_folder_inside_a_repository_is_not_the_repository(repo: Path) -> None:
    commit(repo, "one", files={"services/payments/app.py": "1"})

    with pytest.raises(NotARepository, match="is not a git repository"):
        read_repository(repo / "services" / "payments")


def test_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")

    with pytest.raises(NotARepository, match="is a file"):
        read_repository(file)


def test_shallow_clone_is_refused_with_how_to_fetch_the_rest(repo: Path, tmp_path: Path) -> None:
    commit(repo, "one", files={"a.txt": "1"})
    commit(repo, "two", files={"a.txt": "2"})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))

    with pytest.raises(ShallowRepository) as refused:
        read_repository(shallow)

    assert str(shallow) in refused.value.message
    assert "lead times" in refused.value.message
    assert "fetch --unshallow" in refused.value.message


def test_git_missing_from_path_is_a_missing_tool(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    with pytest.raises(ToolMissing, match="git is not installed"):
        read_repository(repo)


@pytest.mark.parametrize("damaged", ["tip", "ancestor"])
def test_corrupt_commit_object_is_reported_with_the_path(repo: Path, damaged: str) -> None:
    ancestor = commit(repo, "one", files={"a.txt": "1"})
    tip = commit(repo, "two", files={"a.txt": "2"})
    sha = tip if damaged == "tip" else ancestor
    loose = repo / ".git" / "objects" / sha[:2] / sha[2:]
    loose.chmod(stat.S_IWUSR | stat.S_IRUSR)
    loose.write_bytes(b"this is not a zlib stream")

    with pytest.raises(UnreadableRepository, match=f"git could not read {repo}"):
        read_repository(repo)


# A generated history against git's own counts ---------------------------------------------


def test_generated_history_matches_gits_own_counts(repo: Path) -> None:
    fast_import(repo, generated_stream(3_000, 60))
    seen: list[int] = []

    read = read_repository(repo, progress=seen.append)

    assert read.commit_count == int(git(repo, "rev-list", "--all", "--count")) == 3_000
    assert read.tag_count == len(git(repo, "for-each-ref", "refs/tags").splitlines()) == 60
    assert read.merge_count == int(git(repo, "rev-list", "--all", "--merges", "--count"))
    annotated = git(repo, "for-each-ref", "--format=%(objecttype)", "refs/tags").split()
    assert read.annotated_tag_count == annotated.count("tag") == 30
    shas = {c.sha for c in read.commits}
    assert shas == set(git(repo, "rev-list", "--all").split())
    assert all(parent in shas for c in read.commits for parent in c.parents)
    offsets = {c.committer_time.utcoffset() for c in read.commits}
    assert len(offsets) > 5
    assert any(c.committer_time < c.author_time for c in read.commits)
    assert all(t.commit in shas for t in read.tags)
    assert len(seen) > 2
    assert seen == sorted(seen)
    assert seen[-1] == 3_000
    # The committer time of one commit, checked against git's strict ISO form.
    newest = read.commits[0]
    assert newest.committer_time.isoformat() == git(repo, "log", "-1", "--format=%cI", newest.sha)
