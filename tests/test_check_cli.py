"""``cleaner check`` end to end: every findings format parses, exit codes, baselines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from cleaner.cli import main
from conftest import ROOT, SEED, SHARED

SARIF_SCHEMA = json.loads((ROOT / "tests" / "sarif-2.1.0-subset.schema.json").read_text())
TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): "
                       r"(?P<severity>error|warning|info) (?P<rule>[\w.-]+): (?P<message>.+)$")
GITHUB_LINE = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<message>.+)$")


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def cleaned_seed(tmp_path_factory):
    """The seed cleaned to Markdown and JSON by the CLI."""
    folder = tmp_path_factory.mktemp("cleaned")
    for extension in ("md", "json"):
        assert main(["clean", str(SEED), "-o", str(folder / f"seed.{extension}")]) == 0
    return folder


def test_raw_seed_fails_in_every_format(capsys):
    counts = {}
    for fmt in ("text", "json", "github", "junit", "sarif"):
        code, out, err = run(["check", SEED, "--format", fmt], capsys)
        assert code == 1, (fmt, err)
        counts[fmt] = _count(fmt, out)
    assert counts["text"] > 10
    assert len(set(counts.values())) == 1, counts  # every format reports the same findings


def test_cleaned_seed_passes(cleaned_seed, capsys):
    code, out, err = run(["check", cleaned_seed / "seed.md"], capsys)
    assert (code, out) == (0, ""), err
    code, out, _ = run(["check", cleaned_seed / "seed.md", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["findings"] == []


def test_cleaner_json_outputs_are_skipped_in_folders_and_explained_when_named(cleaned_seed,
                                                                              capsys):
    code, out, _ = run(["check", cleaned_seed, "--format", "json"], capsys)
    document = json.loads(out)
    assert code == 0 and document["summary"]["files"] == 1
    code, _, err = run(["check", cleaned_seed / "seed.json"], capsys)
    assert code == 2 and "cleaner's JSON output" in err and err.count("\n") == 1


def test_text_format_is_one_parseable_line_per_finding(capsys):
    _, out, _ = run(["check", SEED], capsys)
    rows = [TEXT_LINE.match(line) for line in out.splitlines()]
    assert rows and all(rows)
    seed_lines = SEED.read_text(encoding="utf-8").splitlines()
    loops = [row for row in rows if row["message"].startswith("hallucination loop")]
    assert len(loops) == 1  # the seed's loop near its end
    for row in rows:
        line = seed_lines[int(row["line"]) - 1]
        before = re.search(r"known ASR error '(.+?)' should be", row["message"]) or re.search(
            r"hallucination loop on lines? [\d-]+(?: repeated \d+ times)?: [\"'](.+)", row["message"]) \
            or re.search(r"lead-in to a loop on lines? [\d-]+ \(kept\): [\"'](.+)", row["message"])
        # The column points at the offending text in the input line.
        first_word = before.group(1).split()[0]
        assert line[int(row["col"]) - 1:].startswith(first_word), (row.group(0), line)


def test_json_format_follows_the_documented_schema(capsys):
    _, out, _ = run(["check", SEED, "--format", "json"], capsys)
    document = json.loads(out)
    assert document["schema"] == "cleaner/findings@1"
    assert document["fail_on"] == "error" and document["summary"]["failed"] is True
    assert document["summary"]["findings"] == len(document["findings"])
    keys = {"path", "line", "col", "end_line", "end_col", "severity", "rule", "kind", "message",
            "fingerprint"}
    for finding in document["findings"]:
        assert set(finding) == keys
        assert (finding["kind"], finding["severity"]) in {
            ("asr-error", "error"), ("loop", "error"), ("review", "warning")}  # a loop's lead-in
        assert finding["kind"] != "review" or finding["rule"] == "tidy.lead-in"
        assert finding["line"] >= 1 and finding["col"] >= 1
    fingerprints = [f["fingerprint"] for f in document["findings"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_junit_format_parses_and_counts_failures(capsys):
    _, out, _ = run(["check", SEED, "--format", "junit"], capsys)
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["seeds/000_779c6c37a6df98f0.txt"] or \
        suites[0].get("name").endswith("seeds/000_779c6c37a6df98f0.txt")
    cases = suites[0].findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert len(cases) - len(failures) == 1  # the loop's lead-in: a warning, below --fail-on
    assert int(root.get("failures")) == len(failures)
    assert len(cases) == int(suites[0].get("tests"))


def test_junit_lists_clean_files_as_passing(cleaned_seed, capsys):
    _, out, _ = run(["check", cleaned_seed / "seed.md", "--format", "junit"], capsys)
    root = ET.fromstring(out)
    case = root.find("testsuite/testcase")
    assert root.get("failures") == "0" and case is not None and case.find("failure") is None


def test_sarif_format_matches_the_published_structure(capsys):
    _, out, _ = run(["check", SEED, "--format", "sarif"], capsys)
    log = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA)
    sarif_run = log["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["endColumn"] > region["startColumn"] or region["endLine"] > region["startLine"]


def test_the_sarif_schema_subset_rejects_broken_logs():
    """The schema used above must be able to fail."""
    broken = [
        {"version": "2.0.0", "runs": []},
        {"version": "2.1.0", "runs": [{"results": []}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                       "results": [{"message": {"text": "m"}, "level": "fatal"}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"message": {"text": "m"}, "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]},
    ]
    for log in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(log, SARIF_SCHEMA)


def test_github_format_escapes_and_parses(capsys, tmp_path):
    path = tmp_path / "odd, name: 100%.txt"
    path.write_text("I asked chat GPT.\n", encoding="utf-8")
    code, out, _ = run(["check", path, "--format", "github"], capsys)
    assert code == 1
    match = GITHUB_LINE.match(out.strip())
    assert match and match["level"] == "error"
    props = dict(item.split("=", 1) for item in match["props"].split(","))
    assert props["line"] == "1" and props["col"] == "9" and props["endColumn"] == "16"
    assert props["file"].endswith("odd%2C name%3A 100%25.txt")
    assert "chatgpt" in props["title"]


def test_fail_on_and_warnings(tmp_path, capsys, write_pack):
    """A failing rule self-test is an error; --fail-on decides what fails the run."""
    text = tmp_path / "t.txt"
    text.write_text("Nothing to see here.\n")
    pack = write_pack("rules:\n  - id: zorp\n    category: term\n    match: [zorp lang]\n"
                      "    replace: Zorplang\n    examples:\n"
                      "      - {in: 'zorp lang', out: 'Zorp Lang'}\n")
    code, out, _ = run(["check", text, "--rules", pack], capsys)
    assert code == 1 and "rules.selftest" in out and f"{pack}:7:" in out
    code, out, _ = run(["check", text], capsys)
    assert (code, out) == (0, "")


def test_baseline_reports_only_new_findings(tmp_path, capsys):
    transcript = tmp_path / "t.txt"
    transcript.write_text("I asked chat GPT.\nThen Open AI replied.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    code, _, err = run(["check", transcript, "--baseline", baseline, "--write-baseline"], capsys)
    assert code == 0 and "2 findings" in err
    assert len(json.loads(baseline.read_text())["findings"]) == 2
    assert run(["check", transcript, "--baseline", baseline], capsys)[:2] == (0, "")
    # Lines moved and a new error added: only the new one is reported.
    transcript.write_text("A new first line.\nI asked chat GPT.\nThen Open AI replied.\n"
                          "And chat GPT again.\n", encoding="utf-8")
    code, out, _ = run(["check", transcript, "--baseline", baseline], capsys)
    assert code == 1 and out.count("\n") == 1 and ":4:" in out and "chatgpt" in out


def test_baseline_errors_are_one_line(tmp_path, capsys):
    transcript = tmp_path / "t.txt"
    transcript.write_text("fine\n")
    code, _, err = run(["check", transcript, "--baseline", tmp_path / "none.json"], capsys)
    assert code == 2 and "baseline file not found" in err and err.count("\n") == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something else"}')
    code, _, err = run(["check", transcript, "--baseline", bad], capsys)
    assert code == 2 and "not a cleaner baseline" in err
    code, _, err = run(["check", transcript, "--write-baseline"], capsys)
    assert code == 2 and "--baseline" in err


def test_folders_globs_and_input_errors(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("I asked chat GPT.\n")
    (tmp_path / "a" / "two.md").write_text("All fine here.\n")
    (tmp_path / "a" / "skip.py").write_text("chat GPT = 1\n")
    (tmp_path / "a" / "broken.srt").write_bytes(b"\x00\x01")
    code, out, err = run(["check", tmp_path / "a", "--jobs", "2"], capsys)
    assert code == 2 and "broken.srt" in err and "binary" in err  # input error wins
    assert "one.txt:1:9: error chatgpt" in out and "skip.py" not in out
    code, out, _ = run(["check", tmp_path / "a", "--extensions", ".py,.md", "--jobs", "1"],
                       capsys)
    assert code == 1 and "skip.py:1:1: error chatgpt" in out and "one.txt" not in out
    code, out, _ = run(["check", tmp_path / "a", "--exclude", "*.srt", "--exclude", "one.*"],
                       capsys)
    assert (code, out) == (0, "")
    code, out, _ = run(["check", f"{tmp_path}/a/*.txt"], capsys)
    assert code == 1 and "one.txt" in out
    code, _, err = run(["check", f"{tmp_path}/a/*.none"], capsys)
    assert code == 2 and "no files match" in err
    code, _, err = run(["check", tmp_path / "missing"], capsys)
    assert code == 2 and "no such file" in err


def test_output_file(tmp_path, capsys):
    target = tmp_path / "out" / "cleaner.sarif"
    code, out, _ = run(["check", SEED, "--format", "sarif", "-o", target], capsys)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_check_of_every_cleaned_dev_transcript_is_clean(tmp_path, capsys):
    """Idempotence as CI sees it: what clean writes, check accepts (no rule still matches)."""
    dev = next((base / "eval" / "dev" for base in (SHARED, Path("/work/shared"))
                if (base / "eval" / "dev").is_dir()), None)
    if dev is None:
        pytest.skip("shared eval set not present")
    source = tmp_path / "in"
    source.mkdir()
    for path in sorted(dev.glob("*.md"))[:4]:
        shutil.copy(path, source / path.name)
    shutil.copy(SEED, source / "seed.txt")
    assert main(["clean", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    capsys.readouterr()
    code, out, _ = run(["check", tmp_path / "out", "--jobs", "1"], capsys)
    assert (code, out) == (0, "")


def _count(fmt: str, out: str) -> int:
    if fmt == "text":
        return len(out.splitlines())
    if fmt == "json":
        return len(json.loads(out)["findings"])
    if fmt == "github":
        return sum(1 for line in out.splitlines() if GITHUB_LINE.match(line))
    if fmt == "junit":
        return len(ET.fromstring(out).findall(".//testcase"))
    return len(json.loads(out)["runs"][0]["results"])


def test_self_test_findings_are_cached_by_the_packs_content(tmp_path, capsys, write_pack):
    """The self-test findings are kept between runs, but a fixed pack is tested again."""
    text = tmp_path / "t.txt"
    text.write_text("Nothing to see here.\n")
    failing = ("rules:\n  - id: zorp\n    category: term\n    match: [zorp lang]\n"
               "    replace: Zorplang\n    examples:\n      - {in: 'zorp lang', out: 'Zorp Lang'}\n")
    pack = write_pack(failing)
    first = run(["check", text, "--rules", pack], capsys)
    again = run(["check", text, "--rules", pack], capsys)  # from the cache: the same, once
    assert first == again and first[1].count("rules.selftest") == 1
    write_pack(failing.replace("out: 'Zorp Lang'", "out: 'Zorplang'"))
    assert run(["check", text, "--rules", pack], capsys)[:2] == (0, "")
