"""The command line: outputs, many inputs, standard input, and bad input that never stops a batch."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import jsonschema

from babelwire.cli import main
from babelwire.model import SCHEMA_VERSION
from babelwire.output import analysis_schema

ARTICLE = (
    "Incendie près de Marseille : des centaines d’habitants évacués\n\n"
    "Incendie pres de Marseille des centaines dhabitants\n\n"
    "Un incendie s’est déclaré mardi dans les collines au nord de Marseille, a indiqué la préfecture.\n\n"
    "REGARDER : les flammes vues depuis l’autoroute pic.twitter.com/Zz12Yy34\n\n"
    "– Info Exemple (@InfoExemple) 4 mars 2025\n\n"
    "Plus de 300 pompiers sont mobilisés, selon les autorités locales.\n\n\n\n"
    "fr-05"
)


def run(argv, capsys):
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_report_shows_language_date_slug_and_debris(tmp_path, capsys):
    path = tmp_path / "fire.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out, err = run(["analyze", str(path)], capsys)
    assert code == 0, err
    assert "language   fr" in out
    assert "written    2025-03-04 (inferred" in out
    assert "agrees with the headline" in out and "tag        fr-05" in out
    assert "embed" in out and "embed-attribution" in out


def test_json_output_validates_against_the_schema(tmp_path, capsys):
    path = tmp_path / "fire.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(["analyze", str(path), "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    jsonschema.validate(payload, analysis_schema())
    assert payload["metadata"]["tag"] == "fr-05" and payload["language"] == "fr"


def test_folder_with_broken_files_processes_the_rest_and_exits_non_zero(tmp_path, capsys):
    folder = tmp_path / "batch"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "nested" / "good2.txt").write_text("A short English article about the weather on Friday.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (folder / "bad.jsonl").write_text('{"id": "ok", "text": "Ein kurzer deutscher Text."}\n{broken\n', encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, out, err = run(["analyze", str(folder), "--format", "jsonl", "-o", str(output), "--no-progress"], capsys)
    assert code == 1
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["metadata"]["path"] for r in records) == sorted([str(folder / "good.txt"), str(folder / "nested" / "good2.txt"), f"{folder / 'bad.jsonl'}:1"])
    error_lines = [line for line in err.splitlines() if line.startswith("babelwire: ") and "analysed" not in line]
    assert len(error_lines) == 3
    assert any("empty.txt: empty input" in line for line in error_lines)
    assert any("binary.txt: binary data" in line for line in error_lines)
    assert any("bad.jsonl:2: invalid JSON" in line for line in error_lines)
    assert "3 analysed, 3 failed" in err
    assert "Traceback" not in err


def test_missing_path_and_oversized_file_are_one_line_errors(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_text("mot " * 1000, encoding="utf-8")
    code, out, err = run(["analyze", str(tmp_path / "missing.txt"), str(big), "--max-bytes", "100"], capsys)
    assert code == 1 and out == ""
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in err
    assert "larger than the limit of 100 bytes" in err
    assert "Traceback" not in err


def test_standard_input_is_read_with_dash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    code, out, err = run(["analyze", "-", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["metadata"]["path"] == "<stdin>"


def test_known_metadata_flags_need_a_single_input(tmp_path, capsys):
    code, _, err = run(["analyze", str(tmp_path), str(tmp_path), "--title", "x"], capsys)
    assert code == 2 and "single input" in err


def test_given_metadata_flags_reach_the_analysis(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Un article sans date.\n\nLe texte continue ici avec assez de mots.", encoding="utf-8")
    code, out, _ = run(["analyze", str(path), "--json", "--published", "2025-01-02", "--source", "Exemple"], capsys)
    payload = json.loads(out)
    assert payload["published"] == {"value": "2025-01-02", "source": "given", "confidence": 1.0, "evidence": payload["published"]["evidence"]}
    assert payload["metadata"]["source"] == "Exemple"


def test_schema_command_prints_the_versioned_schema(capsys):
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["x-schema-version"] == SCHEMA_VERSION


def test_installed_console_script_runs(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "babelwire.cli", "analyze", str(path), "--format", "jsonl"], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["language"] == "fr"
