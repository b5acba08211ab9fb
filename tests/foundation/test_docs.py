"""The README is short, starts with the two set-up commands, and links every page of docs/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_the_readme_stays_under_twelve_thousand_characters():
    assert len(README) < 12_000


def test_the_readme_starts_with_the_two_set_up_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block[1].splitlines()]
    assert commands == ["make run", "make test"]
    # Only the title and one paragraph come before them.
    assert README.index("```sh") < README.index("\n## ")


def test_every_page_in_docs_is_linked_from_the_readme():
    pages = {path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").rglob("*.md")}
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)", README))
    assert pages - linked == set()


def test_every_link_from_the_readme_to_docs_finds_its_page():
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / target).exists(), target


def test_the_docs_hold_no_build_history_headings():
    for path in (ROOT / "docs").rglob("*.md"):
        headings = [line for line in path.read_text().splitlines() if line.startswith("#")]
        assert not [heading for heading in headings if re.search(r"\bissue \d+", heading, flags=re.I)], path
