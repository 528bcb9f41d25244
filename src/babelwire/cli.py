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
    models = commands.add_parser("models", help="which language models are installed, which are missing, and how to install them")
    models.add_argument("--json", action="store_true")

    def with_db(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
        command.add_argument("--db", metavar="URL_OR_PATH", default=os.environ.get("BABELWIRE_DB"), help="database: SQLite file path or SQLAlchemy URL (default ./babelwire.db, or $BABELWIRE_DB)")
        return command

    ingest = with_db(commands.add_parser("ingest", help="analyse and store articles in the corpus database"))
    ingest.add_argument("inputs", nargs="+", metavar="PATH", help="file, folder, glob pattern, or - for standard input")
    ingest.add_argument("--workers", type=int, default=1, metavar="N", help="analyse in N processes (models loaded once per process)")
    ingest.add_argument("--batch-size", type=int, default=50, metavar="N", help="articles per transaction")
    ingest.add_argument("--reader", choices=("plain", "jsonl", "html"), help="force a reader instead of detecting one")
    ingest.add_argument("--max-bytes", type=int, metavar="N", help="reject inputs larger than N bytes (default 10 MiB)")
    ingest.add_argument("--retry-rejects", action="store_true", help="also try again every input recorded as rejected")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument("--cluster", metavar="SPEC", help="analyse on a Dask cluster instead: local:N (N worker processes here) or tcp://HOST:PORT of a scheduler")

    with_db(commands.add_parser("reanalyse", aliases=["reanalyze"], help="refresh every stored analysis (after an upgrade) from the stored texts"))
    with_db(commands.add_parser("rejects", help="list inputs that could not be stored, with why"))

    def with_filters(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
        command.add_argument("query", nargs="?", default=None, help="full-text query: words (all must appear), \"exact phrases\", OR between alternatives, -word to exclude; case and diacritics ignored")
        command.add_argument("--language")
        command.add_argument("--source")
        command.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (ISO date)")
        command.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (ISO date)")
        command.add_argument("--entity", help="an entity in any language or script (Putin finds Poutine and Путин)")
        command.add_argument("--story", metavar="ID", help="only the articles of this story")
        command.add_argument("--has-debris", action="store_true", default=None)
        command.add_argument("--untranslated", dest="has_foreign", action="store_true", default=None, help="only articles with passages in another language")
        command.add_argument("--translated", dest="has_translation", action="store_true", default=None, help="only articles linked to a translation of them")
        command.add_argument("--copied", dest="has_copy", action="store_true", default=None, help="only articles with a duplicate or near-duplicate")
        command.add_argument("--sort", choices=("relevance", "date"), default="relevance")
        return command

    search = with_filters(with_db(commands.add_parser("search", help="search the corpus (full text, with filters)")))
    search.add_argument("--page", type=int, default=1)
    search.add_argument("--per-page", type=int, default=20)
    search.add_argument("--json", action="store_true")

    show = with_db(commands.add_parser("show", help="one stored article with its layers"))
    show.add_argument("article_id", type=int)
    show.add_argument("--json", action="store_true")

    stories = with_db(commands.add_parser("stories", help="stories: articles about the same event, across languages"))
    stories.add_argument("--sort", choices=("latest", "largest"), default="latest")
    stories.add_argument("--language", help="only stories with articles in this language")
    stories.add_argument("--page", type=int, default=1)
    stories.add_argument("--per-page", type=int, default=20)
    stories.add_argument("--json", action="store_true")

    story = with_db(commands.add_parser("story", help="one story: its timeline and the copies and translations among its articles"))
    story.add_argument("story_id", metavar="ID")
    story.add_argument("--json", action="store_true")

    with_db(commands.add_parser("relink", help="find copies, translations and stories again over the whole stored corpus"))

    export = with_filters(with_db(commands.add_parser("export", help="write stored articles with every layer (filters as in search)")))
    export.add_argument("--format", dest="export_format", choices=("jsonl", "parquet"), default="jsonl")
    export.add_argument("-o", "--output", metavar="FILE", required=True)

    entities = with_db(commands.add_parser("entities", help="the most mentioned entities, with their aliases"))
    entities.add_argument("--limit", type=int, default=30)
    entities.add_argument("--json", action="store_true")

    serve = with_db(commands.add_parser("serve", help="the web application and HTTP API for the corpus (loopback by default)"))
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--max-article-bytes", type=int, metavar="N", help="largest article a client may send (default 2 MiB)")

    batch = commands.add_parser("batch", help="analyse a large offline corpus (JSONL, WARC, folders) on a Dask cluster into Parquet, with copies, translations and stories")
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines (.jsonl, .jsonl.gz), WARC (.warc, .warc.gz), files, folders, glob patterns")
    batch.add_argument("--out", required=True, metavar="DIR", help="output folder (Parquet); run the same command again to finish an interrupted batch")
    batch.add_argument("--cluster", default="local:1", metavar="SPEC", help="local:N (N worker processes here) or tcp://HOST:PORT of a Dask scheduler (default local:1)")
    batch.add_argument("--part-size", type=int, default=1000, metavar="N", help="inputs per output part, the unit a rerun resumes by (default 1000)")
    batch.add_argument("--batch-size", type=int, default=8, metavar="N", help="inputs per task sent to a worker (default 8)")
    batch.add_argument("--max-bytes", type=int, metavar="N", help="reject inputs (files, records, pages) larger than N bytes (default 10 MiB)")
    batch.add_argument("--no-links", action="store_true", help="analyse only: no duplicates, translation groups or stories")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")
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


STORE_COMMANDS = ("ingest", "reanalyse", "reanalyze", "rejects", "search", "show", "entities", "stories", "story", "relink", "export")


def run_store_command(args: argparse.Namespace, stdout: TextIO) -> int:
    from babelwire.store.database import SearchFilters, Store, StoreError, database_url

    config = Config()
    try:
        store = Store(database_url(args.db))
        if args.command == "ingest":
            return _ingest(args, store, config)
        if args.command in ("reanalyse", "reanalyze"):
            from babelwire.store.ingest import reanalyse

            count = reanalyse(store, config)
            print(f"babelwire: {count} stored articles reanalysed", file=sys.stderr)
            if config.link.enabled:
                from babelwire.store.ingest import relink

                relink(store, config)
                print("babelwire: copies, translations and stories found again", file=sys.stderr)
            return EXIT_OK
        if args.command == "relink":
            from babelwire.store.ingest import relink

            count = relink(store, config)
            counts = store.counts()
            print(f"babelwire: {count} articles linked: {counts['links']} links, {counts['stories']} stories", file=sys.stderr)
            return EXIT_OK
        if args.command == "stories":
            page = store.stories(page=args.page, per_page=args.per_page, sort=args.sort, language=args.language)
            if args.json:
                stdout.write(json.dumps({"total": page.total, "page": page.page, "per_page": page.per_page, "items": page.items}, ensure_ascii=False, indent=2) + "\n")
            else:
                for item in page.items:
                    span = f"{item['first'] or '?'}…{item['last'] or '?'}"
                    stdout.write(f"{item['id']}  {item['size']:>4} articles  {span:<21}  {','.join(item['languages'])}\n")
                    stdout.write(f"    {item['headline'][:100]}\n")
                    if item["label_entities"]:
                        stdout.write(f"    {', '.join(item['label_entities'])}\n")
                stdout.write(f"{page.total} stories\n")
            return EXIT_OK
        if args.command == "story":
            return _print_one(store.story(args.story_id), f"no story with id {args.story_id!r}", args.json, _story_text, stdout)
        if args.command == "export":
            from pathlib import Path

            from babelwire.store.export import export

            count = export(store, _filters(args, SearchFilters), Path(args.output), args.export_format)
            print(f"babelwire: {count} articles written to {args.output}", file=sys.stderr)
            return EXIT_OK
        if args.command == "rejects":
            rows = store.rejects()
            for row in rows:
                stdout.write(f"{row['rejected_at']}  {row['path']}: {row['reason']}" + (f" (tried {row['attempts']} times)" if row["attempts"] > 1 else "") + "\n")
            print(f"babelwire: {len(rows)} rejected inputs", file=sys.stderr)
            return EXIT_OK
        if args.command == "search":
            page = store.search(_filters(args, SearchFilters))
            if args.json:
                stdout.write(json.dumps({"total": page.total, "page": page.page, "per_page": page.per_page, "items": page.items}, ensure_ascii=False, indent=2) + "\n")
            else:
                for item in page.items:
                    stdout.write(f"{item['id']:>6}  {item['published'] or '—':<10}  {item['language']}  {(item['title'] or '')[:80]}\n")
                    stdout.write(f"        {' '.join((item['snippet'] or '').split())[:150]}\n")
                last = min(page.total, page.page * page.per_page)
                stdout.write(f"{page.total} articles ({(page.page - 1) * page.per_page + 1 if page.total else 0}–{last} shown)\n")
            return EXIT_OK
        if args.command == "show":
            from babelwire.report import render_record

            return _print_one(store.article(args.article_id), f"no article with id {args.article_id}", args.json, render_record, stdout)
        if args.command == "entities":
            rows = store.top_entities(args.limit)
            if args.json:
                stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            else:
                for row in rows:
                    others = [alias for alias in row["aliases"] if alias != row["name"]]
                    stdout.write(f"{row['mentions']:>5}  {row['type']:<4} {row['name']}" + (f"  (also: {', '.join(others[:8])})" if others else "") + f"  [{row['id']}]\n")
            return EXIT_OK
    except StoreError as error:
        _error(str(error))
        return EXIT_SOME_FAILED
    return EXIT_USAGE


def _print_one(record: dict | None, missing: str, as_json: bool, render, stdout: TextIO) -> int:
    if record is None:
        _error(missing)
        return EXIT_SOME_FAILED
    stdout.write((json.dumps(record, ensure_ascii=False, indent=2) if as_json else render(record)) + "\n")
    return EXIT_OK


def _story_text(story: dict) -> str:
    lines = [f"{story['id']}: {story['headline']}",
             f"  {story['size']} articles, {story['first'] or '?'} to {story['last'] or '?'}, languages {', '.join(story['languages'])}"]
    if story["label_entities"]:
        lines.append(f"  about: {', '.join(story['label_entities'])}")
    for entry in story["timeline"]:
        lines.append(f"  {entry['date'] or '—':<10}  #{entry['article_id']:<6} {entry['language']}  {(entry['title'] or '')[:80]}")
    for link in story["links"]:
        lines.append(f"  #{link['b']} is a {link['kind']} of #{link['a']} (score {link['score']})")
    return "\n".join(lines)


def _filters(args: argparse.Namespace, filters_class):
    return filters_class(query=args.query, language=args.language, source=args.source, date_from=args.date_from,
                         date_to=args.date_to, entity=args.entity, story=args.story, has_debris=args.has_debris,
                         has_foreign=args.has_foreign, has_translation=args.has_translation, has_copy=args.has_copy,
                         sort=args.sort, page=getattr(args, "page", 1), per_page=getattr(args, "per_page", 20))


def _ingest(args: argparse.Namespace, store, config: Config) -> int:
    from tqdm import tqdm

    from babelwire.store.ingest import ingest

    if args.reader or args.max_bytes:
        config = config.with_read(**{key: value for key, value in (("reader", args.reader), ("max_bytes", args.max_bytes)) if value})
    inputs = list(args.inputs)
    if args.retry_rejects:
        inputs += [path for path in store.reject_paths() if path not in inputs and ":" not in path.rsplit("/", 1)[-1]]
    progress = tqdm(unit=" inputs", disable=True if args.no_progress else None, file=sys.stderr, dynamic_ncols=True)
    last = [0]

    def on_progress(summary) -> None:
        done = summary.stored + summary.already_stored + summary.rejected
        progress.update(done - last[0])
        last[0] = done
        progress.set_postfix(stored=summary.stored, rejected=summary.rejected)

    try:
        summary = ingest(inputs, config, store, workers=max(1, args.workers), batch_size=max(1, args.batch_size), on_progress=on_progress,
                         cluster=args.cluster)
    except Exception as error:
        from babelwire.cluster.executor import ClusterError

        if not isinstance(error, ClusterError):
            raise
        _error(str(error))  # a cluster spec that is malformed or a scheduler that does not answer
        return EXIT_SOME_FAILED
    finally:
        progress.close()
    for path, reason in summary.rejects:
        _error(f"{path}: {reason}")
    print(f"babelwire: {summary.line()}", file=sys.stderr)
    return EXIT_SOME_FAILED if summary.rejected else EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from babelwire.cluster import ClusterError
    from babelwire.cluster.batch import BatchError, run_batch

    config = Config().with_read(max_bytes=args.max_bytes) if args.max_bytes else Config()
    progress = tqdm(unit=" inputs", disable=True if args.no_progress else None, file=sys.stderr, dynamic_ncols=True)
    last = [0]

    def on_progress(summary) -> None:
        done = summary.articles + summary.rejected
        progress.update(done - last[0])
        last[0] = done
        progress.set_postfix(articles=summary.articles, rejected=summary.rejected)

    try:
        summary = run_batch(args.inputs, args.out, config, args.cluster, part_size=max(1, args.part_size),
                            batch_size=max(1, args.batch_size), link=not args.no_links, on_progress=on_progress)
    except (ClusterError, BatchError) as error:
        _error(str(error))
        return EXIT_SOME_FAILED
    finally:
        progress.close()
    for path, reason in summary.rejects[:20]:
        _error(f"{path}: {reason}")
    if len(summary.rejects) > 20:
        _error(f"… and {len(summary.rejects) - 20} more: see {os.path.join(args.out, 'rejects')}")
    for line in summary.lines():
        print(f"babelwire: {line}", file=sys.stderr)
    return EXIT_SOME_FAILED if summary.rejects else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from babelwire.serve.app import ServeSettings, run
    from babelwire.store.database import StoreError, database_url

    settings = ServeSettings(max_article_bytes=args.max_article_bytes) if args.max_article_bytes else ServeSettings()
    try:
        run(database_url(args.db), host=args.host, port=args.port, settings=settings)
    except StoreError as error:
        _error(str(error))
        return EXIT_SOME_FAILED
    except OSError as error:  # the port is taken, or the address is not this machine's
        _error(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return EXIT_SOME_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    stdout = stdout or sys.stdout
    try:
        if args.command in ("analyze", "analyse"):
            return run_analyze(args, stdout)
        if args.command in STORE_COMMANDS:
            return run_store_command(args, stdout)
        if args.command == "models":
            from dataclasses import asdict

            from babelwire.analyse.spacy_models import format_status, model_status

            statuses = model_status(dict(Config().entities.models))
            if args.json:
                stdout.write(json.dumps([asdict(status) for status in statuses], indent=2) + "\n")
            else:
                stdout.write(format_status(statuses) + "\n")
            return EXIT_OK
        if args.command == "serve":
            return _serve(args)
        if args.command == "batch":
            return _batch(args)
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
