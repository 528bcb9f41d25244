"""The command line: ``babelwire analyze ARTICLE...`` and friends.

Every input that cannot be read or analysed gets one line on standard error naming it and the
problem; the others are processed; the exit status is 1 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from typing import Iterator, Sequence, TextIO

from babelwire import __version__
from babelwire.config import Config

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="babelwire", description="Reads raw multilingual news articles and turns them into clean, structured records.")
    parser.add_argument("--version", action="version", version=f"babelwire {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", aliases=["analyse"], help="analyse articles: files, folders, glob patterns, or - for standard input")
    analyze.add_argument("inputs", nargs="+", metavar="ARTICLE", help="file, folder (read recursively), glob pattern, or - for standard input")
    analyze.add_argument("--json", action="store_true", help="the whole analysis as JSON (same as --format json)")
    analyze.add_argument("--format", choices=("report", "json", "jsonl"), default=None, help="report (readable, default), json (one object, or an array for several), jsonl (one line each)")
    analyze.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    analyze.add_argument("--reader", choices=("plain", "jsonl", "html"), help="force a reader instead of detecting one")
    analyze.add_argument("--max-bytes", type=int, metavar="N", help="reject inputs larger than N bytes (default 10 MiB)")
    analyze.add_argument("--languages", metavar="CODES", help="comma-separated ISO 639-1 codes the accurate language pass considers")
    analyze.add_argument("--title", help="headline, when it is known (single input)")
    analyze.add_argument("--url", help="URL, when it is known (single input)")
    analyze.add_argument("--source", help="source or outlet, when it is known (single input)")
    analyze.add_argument("--published", metavar="DATE", help="publication date (ISO 8601), when it is known (single input)")
    analyze.add_argument("--no-progress", action="store_true", help="no progress bar")

    commands.add_parser("schema", help="print the JSON Schema of the analysis output")
    return parser


def _config(args: argparse.Namespace) -> Config:
    config = Config()
    if args.reader or args.max_bytes:
        config = config.with_read(**{key: value for key, value in (("reader", args.reader), ("max_bytes", args.max_bytes)) if value})
    if args.languages:
        codes = tuple(code.strip().lower() for code in args.languages.split(",") if code.strip())
        config = replace(config, langid=replace(config.langid, languages=codes))
    return config


def _error(message: str) -> None:
    print(f"babelwire: {message}", file=sys.stderr)


def _known_metadata(args: argparse.Namespace) -> dict[str, str]:
    return {key: getattr(args, key) for key in ("title", "url", "source", "published") if getattr(args, key)}


def run_analyze(args: argparse.Namespace, stdout: TextIO) -> int:
    from tqdm import tqdm

    from babelwire.output import document_to_dict
    from babelwire.pipeline import Failure, LocalExecutor, analysis_pipeline
    from babelwire.read import ReadError, read_inputs
    from babelwire.report import render_report

    output_format = "json" if args.json else (args.format or "report")
    known = _known_metadata(args)
    if known and (len(args.inputs) > 1 or os.path.isdir(args.inputs[0])):
        _error("--title, --url, --source and --published describe one article: give a single input with them")
        return EXIT_USAGE
    try:
        config = _config(args)
        executor = LocalExecutor(analysis_pipeline(config))
    except ValueError as error:
        _error(f"configuration: {error}")
        return EXIT_USAGE

    failures: list[str] = []

    def documents() -> Iterator:
        for item in read_inputs(args.inputs, config.read):
            if isinstance(item, ReadError):
                failures.append(str(item))
                _error(str(item))
                continue
            for key, value in known.items():
                setattr(item.metadata, key, value)
            yield item

    target: TextIO
    try:
        target = open(args.output, "w", encoding="utf-8") if args.output else stdout
    except OSError as error:
        _error(f"{args.output}: cannot be written: {error.strerror or error}")
        return EXIT_USAGE
    analysed = 0
    progress = tqdm(unit=" articles", disable=True if args.no_progress else None, file=sys.stderr, dynamic_ncols=True)
    collected = []
    try:
        for result in executor.run(documents(), on_each=lambda: progress.update(1)):
            if isinstance(result, Failure):
                message = f"{result.name}: {result.problem}"
                failures.append(message)
                _error(message)
                continue
            analysed += 1
            if output_format == "jsonl":
                target.write(json.dumps(document_to_dict(result), ensure_ascii=False) + "\n")
            elif output_format == "json":
                collected.append(document_to_dict(result))
            else:
                target.write(render_report(result) + "\n\n")
        if output_format == "json":
            payload = collected[0] if len(collected) == 1 and len(args.inputs) == 1 and not os.path.isdir(args.inputs[0]) else collected
            target.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    finally:
        progress.close()
        if target is not stdout:
            target.close()
    if failures or analysed != 1:
        print(f"babelwire: {analysed} analysed, {len(failures)} failed", file=sys.stderr)
    return EXIT_SOME_FAILED if failures else EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    stdout = stdout or sys.stdout
    try:
        if args.command in ("analyze", "analyse"):
            return run_analyze(args, stdout)
        if args.command == "schema":
            from babelwire.output import analysis_schema

            stdout.write(json.dumps(analysis_schema(), indent=2) + "\n")
            return EXIT_OK
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
