"""The bad-input corpus (fixtures/bad/): every case either works correctly (the output is
right and the JSON restores the input byte for byte) or ends with one line naming the file
and the problem, exit code 2, no traceback and no output file."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile
import tracemalloc
from pathlib import Path

import pytest

from cleaner import restore_bytes
from cleaner.cli import main
from cleaner.collector import collector_paused
from cleaner.errors import CleanerError
from cleaner.correct.packs import CastMember, load_yaml, parse_cast_items
from conftest import FIXTURES

BAD = FIXTURES / "bad"
RULES = BAD / "rules.yaml"  # chat GPT -> ChatGPT, Kevin Roos -> Kevin Roose


def clean_cli(capsys, source: Path, out: Path, *extra) -> tuple[int, str]:
    """Run ``cleaner clean`` in-process with only the test pack; return (code, stderr)."""
    argv = ["clean", str(source), "-o", str(out), "--no-default-rules", "--rules", str(RULES),
            *map(str, extra)]
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


VERBATIM = ("--style", "verbatim", "--no-speakers")  # rule fixes only: outputs to compare


def works(capsys, tmp_path: Path, source: Path, *extra, notice: bool = False) -> tuple[str, dict]:
    """Clean ``source`` with the whole pipeline (tidy, speakers) to JSON, and check that it
    restores the exact input bytes; then with rule fixes only, to Markdown and JSON, and
    return those for the caller to check what the fixes made of the text. ``notice``: the
    input has no transcript text, which stderr says in one line."""
    full = tmp_path / "full.json"
    code, err = clean_cli(capsys, source, full)
    if notice:
        assert code == 0 and err.count("\n") == 1 and err.startswith("cleaner: notice: "), err
        assert f"{source}: no transcript text" in err
        err = ""
    assert (code, err) == (0, ""), err
    assert restore_bytes(json.loads(full.read_text(encoding="utf-8"))) == source.read_bytes()
    md, js = tmp_path / "out.md", tmp_path / "out.json"
    for out in (md, js):
        code, err = clean_cli(capsys, source, out, *VERBATIM, *extra)
        if notice:
            err = err if not err.startswith("cleaner: notice: ") else ""
        assert (code, err) == (0, ""), err
    document = json.loads(js.read_text(encoding="utf-8"))
    assert restore_bytes(document) == source.read_bytes()
    return md.read_text(encoding="utf-8"), document


def words(text: str) -> list[str]:
    """The words of an output, whatever its line and paragraph layout."""
    return text.split()


def fails(capsys, tmp_path: Path, source: Path, *extra, path: Path | None = None) -> str:
    """Run on ``source``: exit 2, one line naming ``path`` (default: the input), no output."""
    out = tmp_path / "out.md"
    code, err = clean_cli(capsys, source, out, *extra)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("cleaner: error: "), err
    assert "Traceback" not in err
    assert f"{path or source}:" in err, err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary files either
    return err


# --- inputs that work ---------------------------------------------------------------------

def test_empty_file_gives_empty_output(capsys, tmp_path):
    md, document = works(capsys, tmp_path, BAD / "empty.txt", notice=True)
    assert md == ""
    assert document["turns"] == [] and document["edits"] == []


def test_header_only_file_keeps_its_header_and_has_no_text(capsys, tmp_path):
    md, document = works(capsys, tmp_path, BAD / "header-only.txt", notice=True)
    assert document["source"]["format"] == "seed"
    assert document["source"]["title"] == "An episode with no transcript yet"
    assert md == ("# An episode with no transcript yet\n\n"
                  "**Source:** [2024-05-01](https://example.com/episode)\n")
    assert document["turns"] == []


@pytest.mark.parametrize("name, encoding, bom", [
    ("utf8-bom.txt", "utf-8", True),
    ("utf16-bom.txt", "utf-16-le", True),
])
def test_byte_order_marks_are_read_and_kept(capsys, tmp_path, name, encoding, bom):
    md, document = works(capsys, tmp_path, BAD / name)
    assert words(md) == words("I asked ChatGPT today. Kevin Roose was there.")
    assert "\ufeff" not in md
    assert (document["source"]["encoding"], document["source"]["bom"]) == (encoding, bom)


def test_cp1252_smart_quotes_are_decoded(capsys, tmp_path):
    md, document = works(capsys, tmp_path, BAD / "cp1252-quotes.txt")
    assert words(md) == words("He said \u201cChatGPT\u201d isn\u2019t new \u2013 it\u2019s old.")
    assert document["source"]["encoding"] == "cp1252"


def test_crlf_endings_are_kept_for_restore(capsys, tmp_path):
    md, document = works(capsys, tmp_path, BAD / "crlf.txt")
    assert words(md) == words("I asked ChatGPT today. Kevin Roose was there.")
    assert document["source"]["newlines"] == [["\r\n", 2]]


def test_mixed_endings_and_a_fix_across_a_line_break(capsys, tmp_path):
    md, document = works(capsys, tmp_path, BAD / "mixed-endings.txt")
    assert words(md) == words("I asked ChatGPT today. Kevin Roose was there. Last line, no ending")
    roose = [e for e in document["edits"] if e["rule"] == "kevin-roose"]
    assert [(e["line"], e["before"], e["after"]) for e in roose] == [
        (2, "Kevin", "Kevin"), (3, "Roos", "Roose")]  # one change, one piece per line
    assert document["source"]["newlines"] == [["\r\n", 1], ["\n", 1], ["\r", 1], ["", 1]]


def test_rule_replacing_with_the_empty_string_deletes_and_restores(capsys, tmp_path):
    source = BAD / "empty-replacement.txt"
    md, document = works(capsys, tmp_path, source, "--rules", BAD / "empty-replacement.yaml")
    assert words(md) == words("So I asked ChatGPT, , about it.")  # the line "um" is gone
    deleted = [(e["line"], e["before"], e["after"]) for e in document["edits"] if e["rule"] == "um"]
    assert deleted == [(1, "um", ""), (1, "um", ""), (2, "um", "")]
    # Cleaning the output again changes nothing more.
    again = tmp_path / "again.md"
    shutil.copy(tmp_path / "out.md", tmp_path / "cleaned.md")
    code, _ = clean_cli(capsys, tmp_path / "cleaned.md", again, *VERBATIM, "--format", "json",
                        "--rules", BAD / "empty-replacement.yaml")
    assert code == 0 and json.loads(again.read_text())["edits"] == []


def test_whisper_json_with_unpaired_surrogate_escapes(capsys, tmp_path):
    """JSON allows "\\ud83d" alone; UTF-8 cannot write it: it is read as U+FFFD."""
    md, document = works(capsys, tmp_path, BAD / "lone-surrogate.json")
    assert words(md) == words("**Kevin \ufffd:** I asked ChatGPT \ufffd about it.")
    assert [e["before"] for e in document["edits"]] == ["chat GPT"]


def test_json_nested_too_deeply_is_refused(capsys, tmp_path):
    source = tmp_path.parent / f"{tmp_path.name}-deep.json"
    source.write_text('{"segments": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert "invalid JSON: nested too deeply" in fails(capsys, tmp_path, source)


def test_a_single_5mb_line(capsys, tmp_path):
    sentence = "so I asked chat GPT about it and then we talked for a while about the news "
    line = (sentence * (5_000_000 // len(sentence) + 1))[:5_000_000]
    line = line[: line.rindex(" ")]
    source = tmp_path / "one-line.txt"
    source.write_text(line + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    code, err = clean_cli(capsys, source, out, *VERBATIM)
    assert (code, err) == (0, "")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert restore_bytes(document) == source.read_bytes()
    assert len(document["edits"]) == line.count("chat GPT") > 60_000
    assert "".join(t["text"] for t in document["turns"]) == line.replace("chat GPT", "ChatGPT")


@pytest.mark.slow
def test_a_million_short_lines(capsys, tmp_path):
    phrases = ["ok", "chat GPT", "yes", "Kevin", "Roos said so", "right"]
    lines = [phrases[i % len(phrases)] for i in range(1_000_000)]
    source = tmp_path / "many-lines.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, back = tmp_path / "out.json", tmp_path / "back.txt"
    code, err = clean_cli(capsys, source, out, *VERBATIM)
    assert (code, err) == (0, "")
    assert main(["restore", str(out), "-o", str(back)]) == 0
    assert back.read_bytes() == source.read_bytes()
    with collector_paused():  # a million small dicts: see cleaner/collector.py
        document = json.loads(out.read_text(encoding="utf-8"))
    texts = [turn["text"] for turn in document["turns"]]
    expected = {"chat GPT": "ChatGPT", "Roos said so": "Roose said so"}
    assert texts == [expected.get(line, line) for line in lines]


# --- inputs that are refused --------------------------------------------------------------

@pytest.mark.parametrize("name, problem", [
    ("binary.png", "a PNG image, not a transcript"),
    ("binary-no-nul.dat", "binary file ("),
    ("nul.txt", "binary file (contains NUL bytes)"),
    ("utf16-no-bom.txt", "UTF-16 without a byte-order mark"),
    ("invalid-utf8.txt", "not valid UTF-8 (byte 0xc3) and not cp1252 text"),
])
def test_binary_and_undecodable_inputs_are_refused(capsys, tmp_path, name, problem):
    err = fails(capsys, tmp_path, BAD / name)
    assert problem in err


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():  # OpenDocument's mimetype is stored, not deflated
            archive.writestr(name, text, zipfile.ZIP_STORED if name == "mimetype" else None)
    return buffer.getvalue()


TEXT = "Hello there, how are you?"
# A PDF whose bytes are all ASCII text (as simple PDFs are) was read as a plain transcript.
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n4 0 obj << /Length 44 >>"
       b"\nstream\nBT /F1 12 Tf 20 100 Td (Hello there, how are you?) Tj ET\nendstream\n"
       b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.mark.parametrize("name, data, what", [
    ("talk.pdf", PDF, "a PDF document"),
    ("talk.txt", PDF, "a PDF document"),  # the bytes say what it is, not the name
    ("talk.docx", _zip({"word/document.xml": TEXT}), "a Word document (.docx)"),
    ("talk.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.text",
                        "content.xml": TEXT}),
     "an OpenDocument text (.odt)"),
    ("talk.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "a Word (.doc)"),
    ("talks.zip", _zip({"a.txt": TEXT, "b.srt": TEXT}), "a zip archive"),
    ("talk.txt.gz", gzip.compress(b"Hello there.\n"), "a gzip archive"),
    ("slide.png", (BAD / "binary.png").read_bytes(), "a PNG image"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
     "a JPEG image"),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "a GIF image"),
    ("talk.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", "an MP3 audio file"),
    ("talk.wav", b"RIFF$\x00\x00\x00WAVEfmt ", "a WAV audio file"),
    ("talk.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "an MP4 audio or video file"),
])
def test_documents_archives_images_and_media_are_named_and_refused(capsys, tmp_path,
                                                                   tmp_path_factory, name,
                                                                   data, what):
    source = tmp_path_factory.mktemp("in") / name
    source.write_bytes(data)
    err = fails(capsys, tmp_path, source)
    assert f"{source}: {what}" in err and ", not a transcript: " in err


def test_text_that_merely_starts_like_a_signature_is_still_a_transcript(capsys, tmp_path):
    source = tmp_path / "in.txt"  # "ID3" and then no version byte: text, not an MP3
    source.write_text("ID3 tags and RIFF headers, he said.\nGIF is pronounced jif.\n")
    _, document = works(capsys, tmp_path, source)
    assert document["turns"]


def test_invalid_utf8_names_the_line(capsys, tmp_path):
    err = fails(capsys, tmp_path, BAD / "invalid-utf8.txt")
    assert f"{BAD / 'invalid-utf8.txt'}:2:" in err


@pytest.mark.parametrize("name, line", [
    ("broken-timestamps.srt", 6),
    ("broken-first-timestamp.srt", 2),
    ("timestamp-over-59.srt", 2),
    ("timestamp-backwards.srt", 2),
])
def test_srt_with_broken_timestamps_is_read_around_with_one_warning(capsys, tmp_path, name,
                                                                    line):
    source = BAD / name
    out = tmp_path / "out.json"
    code, err = clean_cli(capsys, source, out)
    assert code == 0, err
    assert err == (f"{source}: warning: 1 cue with a broken timing read without times "
                   f"(line {line})\n")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert restore_bytes(document) == source.read_bytes()
    text = " ".join(turn["text"] for turn in document["turns"])
    assert "I asked ChatGPT." in text  # the cue under the broken timing is read and fixed


def test_input_over_max_bytes_is_refused_before_reading(capsys, tmp_path):
    source = tmp_path.parent / f"{tmp_path.name}-big.txt"
    source.write_text("chat GPT\n" * 200, encoding="utf-8")
    err = fails(capsys, tmp_path, source, "--max-bytes", "1k")
    assert "input is 1,800 bytes, over the --max-bytes limit of 1,024 bytes" in err
    code, err = clean_cli(capsys, source, tmp_path / "ok.md", "--max-bytes", "0")
    assert (code, err) == (0, "")


def test_max_bytes_also_bounds_stdin(capsys, tmp_path, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"chat GPT\n" * 200)))
    code = main(["clean", "-", "--max-bytes", "100"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "-: input is larger than the --max-bytes limit of 100 bytes" in err


# --- rule packs and casts that are refused ------------------------------------------------

def pack_fails(capsys, tmp_path, pack: Path, problem: str, where: str = "") -> str:
    err = fails(capsys, tmp_path, BAD / "crlf.txt", "--rules", pack, path=pack)
    assert problem in err, err
    assert f"{pack}:{where}" in err, err
    return err


def test_yaml_alias_bomb_is_refused_without_expanding(capsys, tmp_path):
    tracemalloc.start()
    try:
        pack_fails(capsys, tmp_path, BAD / "alias-bomb.yaml", "'note' must be a string", "9:")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # 9^5 expanded strings alone would be far more


def test_more_aliases_than_the_limit_are_refused(capsys, tmp_path):
    pack_fails(capsys, tmp_path, BAD / "alias-flood.yaml", "too many YAML aliases (over 200)",
               "7:")


@pytest.mark.parametrize("name, tag, where", [
    ("unknown-tags.yaml", "!!python/object/apply:os.system", "6:12"),
    ("unknown-tag-replace.yaml", "!!python/name:os.system", "6:14"),
    ("custom-tag.yaml", "!upper", "6:14"),
])
def test_unknown_yaml_tags_are_refused_and_construct_nothing(capsys, tmp_path, monkeypatch,
                                                           name, tag, where):
    monkeypatch.chdir(tmp_path)
    calls = []
    import os
    import subprocess

    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: calls.append(a))
    work = tmp_path / "work"
    work.mkdir()
    pack_fails(capsys, work, BAD / name, f"YAML tag {tag!r} is not allowed", where)
    assert calls == [] and not (tmp_path / "pwned.txt").exists()


def test_catastrophic_regex_times_out_into_an_error_naming_the_rule(capsys, tmp_path):
    import time

    import regex

    # First, that the pattern really is catastrophic on this input: every two more o's
    # cost about four times as long, so the 40 o's in the fixture would take days.
    pattern = regex.compile(r"(o|o)+!", regex.IGNORECASE | regex.VERSION0)
    costs = []
    for count in (14, 18):
        started = time.perf_counter()
        pattern.search("N" + "o" * count + ".")
        costs.append(time.perf_counter() - started)
    assert costs[1] > 4 * costs[0]
    err = fails(capsys, tmp_path, BAD / "catastrophic.txt", "--rules",
                BAD / "catastrophic-regex.yaml", path=BAD / "catastrophic-regex.yaml")
    assert "rule 'shout': regex timed out after 1.0s" in err
    assert f"{BAD / 'catastrophic-regex.yaml'}:5:" in err


def test_a_replace_template_naming_a_missing_group_is_refused_at_load(capsys, tmp_path):
    pack_fails(capsys, tmp_path, BAD / "bad-template.yaml",
               "rule 'swap': bad 'replace' template", "3:")


def test_duplicate_rule_ids_in_one_pack(capsys, tmp_path):
    out = tmp_path / "out.md"
    code = main(["clean", str(BAD / "crlf.txt"), "-o", str(out), "--no-default-rules",
                 "--rules", str(BAD / "duplicate-ids.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists() and err.count("\n") == 1
    pack = BAD / "duplicate-ids.yaml"
    assert f"{pack}:7: duplicate rule id 'chatgpt' (also at {pack}:3)" in err


def test_a_rule_alias_that_is_another_packs_rule_id(capsys, tmp_path):
    pack_fails(capsys, tmp_path, BAD / "duplicate-alias-id.yaml",
               f"duplicate rule id 'kevin-roose' (also at {RULES}:", "4:")


def test_duplicate_yaml_keys_are_refused(capsys, tmp_path):
    pack_fails(capsys, tmp_path, BAD / "duplicate-keys.yaml", "found duplicate key \"replace\"",
               "7:5:")


@pytest.mark.parametrize("name, problem, line", [
    ("cast-shared-alias.yaml", "cast: 'Kev' names both 'Kevin Roose' and 'Kevin Smith'", 7),
    ("cast-alias-is-a-name.yaml",
     "cast: 'Casey Newton' names both 'Casey Newton' and 'Kevin Roose'", 6),
])
def test_a_cast_giving_two_people_the_same_name(capsys, tmp_path, name, problem, line):
    pack_fails(capsys, tmp_path, BAD / name, problem, f"{line}:")
    # The library function behind packs and cast files says the same.
    path = str(BAD / name)
    document = load_yaml((BAD / name).read_text(encoding="utf-8"), path)
    with pytest.raises(CleanerError) as error:
        parse_cast_items(document["cast"], path)
    assert error.value.message == problem and error.value.line == line


@pytest.mark.parametrize("name, problem, where", [
    ("cast-file-shared-alias.yaml", "cast: 'Kev' names both 'Kevin Roose' and 'Kevin Smith'",
     "4:"),
    ("cast-file-tagged.yaml", "YAML tag '!!python/object/apply:os.system' is not allowed",
     "1:11:"),
])
def test_a_bad_cast_file_given_with_cast(capsys, tmp_path, monkeypatch, name, problem, where):
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    cast = BAD / name
    err = fails(capsys, work, BAD / "crlf.txt", "--cast", cast, path=cast)
    assert f"{cast}:{where} {problem}" in err
    assert not (tmp_path / "pwned.txt").exists()


def test_a_valid_cast_loads():
    document = load_yaml("- {name: Kevin Roose, role: host, aliases: [Kevin]}\n"
                         "- {name: Casey Newton, role: host, aliases: [Casey]}\n", "cast.yaml")
    assert parse_cast_items(document, "cast.yaml") == (
        CastMember("Kevin Roose", "host", ("Kevin",)),
        CastMember("Casey Newton", "host", ("Casey",)),
    )


# --- held-out bad inputs: times, output paths, one-line JSON ------------------------------

def _whisper(start: str) -> str:
    return ('{"segments": [{"start": 0.0, "end": 1.0, "text": " I asked chat GPT."},\n'
            f' {{"start": {start}, "end": 2.0, "text": " Then Kevin Roos did."}}]}}\n')


@pytest.mark.parametrize("start", ["NaN", "Infinity", "-Infinity", "1e308", "-1"])
@pytest.mark.parametrize("fmt", ["srt", "vtt", "html", "json"])
def test_whisper_json_with_a_time_that_is_not_a_time(capsys, tmp_path, start, fmt):
    """Python's JSON parser takes NaN and 1e308; they are refused, naming the segment."""
    source = tmp_path.parent / f"{tmp_path.name}-times.json"
    source.write_text(_whisper(start), encoding="utf-8")
    err = fails(capsys, tmp_path, source, "--format", fmt)
    assert f"{source}:2: segment 1: 'start' time" in err, err


def test_every_json_writer_is_strict_json(capsys, tmp_path):
    """Outputs parse with a parser that, like JavaScript's, rejects NaN and Infinity."""
    source = tmp_path / "ok.json"
    source.write_text(_whisper("1.5"), encoding="utf-8")

    def strict(text: str):
        return json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON {name}"))

    out = tmp_path / "out.json"
    assert clean_cli(capsys, source, out)[0] == 0
    assert strict(out.read_text(encoding="utf-8"))["turns"]
    podcast = tmp_path / "out.podcast.json"
    assert clean_cli(capsys, source, podcast, "--format", "podcast-json")[0] == 0
    assert strict(podcast.read_text(encoding="utf-8"))["segments"][0]["startTime"] == 0.0
    assert main(["check", str(source), "--format", "json", "--no-default-rules",
                 "--rules", str(RULES)]) == 1
    assert strict(capsys.readouterr().out)["summary"]["findings"] == 2


def test_json_writers_refuse_nan_instead_of_writing_it():
    from cleaner.render.json_doc import dumps

    with pytest.raises(ValueError):
        dumps({"turns": [{"start": float("nan")}]})


def test_report_and_transcript_naming_one_file_is_a_usage_error(capsys, tmp_path):
    source = tmp_path.parent / f"{tmp_path.name}-seed.txt"
    source.write_text("I asked chat GPT.\n", encoding="utf-8")
    same = tmp_path / "out.md"  # the transcript output ``fails`` gives
    err = fails(capsys, tmp_path, source, "--report", same, path=same)
    assert "the report and the transcript would be the same file" in err
    # The same file behind a symlink (its target not written yet) is refused as well.
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "out.md")
    code, err = clean_cli(capsys, source, tmp_path / "out.md", "--report", link)
    assert code == 2 and "same file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md"]


def test_one_line_whisper_json_of_many_segments_is_cleaned_whole(capsys, tmp_path):
    """All segments on one line (json.dump's default) once made the writers quadratic; the
    output keeps every segment's words and restores the input."""
    segments = [{"start": i * 2.0, "end": i * 2.0 + 1.5, "text": f" Part {i} of chat GPT."}
                for i in range(3000)]
    source = tmp_path / "one-line.json"
    source.write_text(json.dumps({"segments": segments}), encoding="utf-8")
    for name in ("out.json", "out.srt", "out.md"):
        assert clean_cli(capsys, source, tmp_path / name)[0] == 0
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert restore_bytes(document) == source.read_bytes()
    assert len(document["edits"]) >= 3000
    srt = (tmp_path / "out.srt").read_text(encoding="utf-8")
    assert "Part 2999 of ChatGPT." in srt and "chat GPT" not in srt
