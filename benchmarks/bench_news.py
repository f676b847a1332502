"""Benchmark of the news extractor: entity/claim precision, recall, F1 on our evaluation set, recall of the
bold-faced designated names (with countries) of the Treasury press releases, and words per second.

Usage:
    PYTHONPATH=. python benchmarks/bench_news.py [--releases DIR] [--repeat 5] [--split dev|holdout|all]

The press releases are read from DIR (see docs/news.md); without it only our own set is scored.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc

from ingest.keys import fold_name
from ingest.news import NewsDocument, build_pipeline, doc_to_records, pipeline_notes, read_file

DATA = Path(__file__).parent / "data"
LIST_IDS = {"entity list": "entity_list", "sdn list": "sdn"}
CLAIM_TYPES = {"supply": "SUPPLIES", "owner": "OWNED_BY", "located": "LOCATED_IN", "listed": "LISTED_ON"}
ENTITY_TYPES = ("ORG", "PERSON", "COUNTRY", "GOOD", "LIST")


def gold_entity(text: str, label: str, country: str | None) -> tuple[str, str]:
    if label == "COUNTRY":
        return label, str(country)
    if label == "LIST":
        return label, LIST_IDS[text.lower()]
    if label == "GOOD":
        return label, text.lower()
    return label, fold_name(text)


def predicted_entities(doc: Doc) -> set[tuple[str, str]]:
    out = set()
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON"):
            out.add((ent.label_, fold_name(ent._.canonical or ent.text)))
        elif ent.label_ == "GPE":
            out.add(("COUNTRY", ent.kb_id_))
        elif ent.label_ == "GOOD":
            out.add(("GOOD", ent.text.lower()))
        elif ent.label_ == "LIST":
            out.add(("LIST", ent.kb_id_))
    return out


def gold_claim(kind: str, subject: str, obj: str) -> tuple[str, str, str]:
    if kind == "LISTED_ON":
        return kind, fold_name(subject), LIST_IDS[obj.lower()]
    if kind == "LOCATED_IN":
        return kind, fold_name(subject), obj
    return kind, fold_name(subject), fold_name(obj)


def predicted_claims(doc: Doc) -> dict[tuple[str, str, str], set[str]]:
    out: dict[tuple[str, str, str], set[str]] = {}
    for claim in doc._.claims:
        kind = CLAIM_TYPES[claim.kind]
        if claim.kind == "listed":
            obj = claim.list_id or "sdn"
        elif claim.kind == "located":
            obj = claim.props["country"]
        else:
            obj = fold_name(claim.object._.canonical or claim.object.text)
        key = (kind, fold_name(claim.subject._.canonical or claim.subject.text), obj)
        out.setdefault(key, set()).update(g.text.lower() for g in claim.goods)
    return out


class Score:
    """True positives, false positives and false negatives per category."""

    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.fp: dict[str, int] = defaultdict(int)
        self.fn: dict[str, int] = defaultdict(int)

    def add(self, gold: set[Any], predicted: set[Any]) -> None:
        for item in gold & predicted:
            self.tp[item[0]] += 1
        for item in predicted - gold:
            self.fp[item[0]] += 1
        for item in gold - predicted:
            self.fn[item[0]] += 1

    def rows(self, categories: Iterable[str]) -> list[tuple[str, float, float, float, int]]:
        rows = []
        cats = list(categories)
        for cat in [*cats, "ALL"]:
            tp = sum(self.tp[c] for c in cats) if cat == "ALL" else self.tp[cat]
            fp = sum(self.fp[c] for c in cats) if cat == "ALL" else self.fp[cat]
            fn = sum(self.fn[c] for c in cats) if cat == "ALL" else self.fn[cat]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            rows.append((cat, p, r, f, tp + fn))
        return rows


def print_rows(title: str, rows: list[tuple[str, float, float, float, int]]) -> None:
    print(f"\n{title}\n  {'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}")
    for cat, p, r, f, n in rows:
        print(f"  {cat:<12}{p:7.3f}{r:7.3f}{f:7.3f}{n:7d}")


def evaluate_set(nlp: Language, split: str, verbose: bool) -> None:
    paragraphs = yaml.safe_load((DATA / "news_eval.yaml").read_text("utf-8"))["paragraphs"]
    chosen = [p for p in paragraphs if split == "all" or p["split"] == split]
    entities, claims = Score(), Score()
    country_hits = country_total = goods_hits = goods_total = 0
    for para, doc in zip(chosen, nlp.pipe(p["text"] for p in chosen), strict=True):
        gold_e = {gold_entity(*e) for e in para["entities"]}
        pred_e = predicted_entities(doc)
        entities.add(gold_e, pred_e)
        by_name = {fold_name(e._.canonical or e.text): e._.country for e in doc.ents if e.label_ in ("ORG", "PERSON")}
        for text, label, country in para["entities"]:
            if label in ("ORG", "PERSON") and country and fold_name(text) in by_name:
                country_total += 1
                country_hits += by_name[fold_name(text)] == country
        gold_c = {gold_claim(*c[:3]): {g.lower() for g in c[3]} for c in para["claims"]}
        pred_c = predicted_claims(doc)
        claims.add(set(gold_c), set(pred_c))
        for key, goods in gold_c.items():
            if key in pred_c and goods:
                goods_total += len(goods)
                goods_hits += len(goods & pred_c[key])
        if verbose:
            for item in sorted(gold_e - pred_e):
                print(f"  {para['id']} missed entity {item}")
            for item in sorted(pred_e - gold_e):
                print(f"  {para['id']} extra  entity {item}")
            for claim in sorted(set(gold_c) - set(pred_c)):
                print(f"  {para['id']} missed claim  {claim}")
            for claim in sorted(set(pred_c) - set(gold_c)):
                print(f"  {para['id']} extra  claim  {claim}")
    print(f"\n== our evaluation set, split={split}: {len(chosen)} paragraphs")
    print_rows("entities", entities.rows(ENTITY_TYPES))
    print_rows("claims", claims.rows(CLAIM_TYPES.values()))
    print(f"  country of matched ORG/PERSON correct: {country_hits}/{country_total}"
          f" = {country_hits / max(1, country_total):.3f}")
    print(f"  goods of matched claims found: {goods_hits}/{goods_total} = {goods_hits / max(1, goods_total):.3f}")


def evaluate_releases(nlp: Language, folder: Path, verbose: bool) -> list[NewsDocument]:
    gold = yaml.safe_load((DATA / "press_releases_gold.yaml").read_text("utf-8"))["files"]
    documents: list[NewsDocument] = []
    total = names_found = with_country = typed = 0
    print(f"\n== Treasury press releases in {folder}")
    for name, entry in gold.items():
        items = [d for d in read_file(folder / name) if isinstance(d, NewsDocument)]
        if not items:
            print(f"  {name}: not readable, skipped")
            continue
        document = items[0]
        documents.append(document)
        doc = nlp(document.text)
        found: dict[str, list[tuple[str, str | None]]] = {}
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PERSON"):
                found.setdefault(fold_name(ent._.canonical or ent.text), []).append((ent.label_, ent._.country))
        file_total = file_hits = 0
        for text, label, country in entry["names"]:
            total += 1
            file_total += 1
            hits = found.get(fold_name(text), [])
            if not hits:
                if verbose:
                    print(f"    missed name {text!r}")
                continue
            names_found += 1
            typed += any(lab == label for lab, _ in hits)
            allowed = set(country.split("|")) if country else None
            if allowed is None or any(c in allowed for _, c in hits):
                with_country += 1
                file_hits += 1
            elif verbose:
                print(f"    wrong country {text!r}: gold {country}, got {sorted({str(c) for _, c in hits})}")
        print(f"  {name}: {file_hits}/{file_total} names with their countries")
    print(f"  recall of bold names: {names_found}/{total} = {names_found / max(1, total):.3f}; "
          f"with countries: {with_country}/{total} = {with_country / max(1, total):.3f}; "
          f"type correct: {typed}/{names_found}")
    return documents


def throughput(nlp: Language, documents: list[NewsDocument], repeat: int) -> None:
    words = sum(d.words for d in documents)
    pipe_times, full_times, cpu_pipe, cpu_full = [], [], [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        docs = list(nlp.pipe(d.text for d in documents))
        pipe_times.append(time.perf_counter() - start)
        cpu_pipe.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        for doc, document in zip(docs, documents, strict=True):
            doc_to_records(doc, document)
        full_times.append(pipe_times[-1] + time.perf_counter() - start)
        cpu_full.append(cpu_pipe[-1] + time.process_time() - cpu)
    print(f"\n== throughput over {len(documents)} documents, {words} words, {repeat} runs "
          f"(load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f})")
    print(f"  pipeline only:        median {words / statistics.median(pipe_times):,.0f} words/s "
          f"(best {words / min(pipe_times):,.0f})")
    print(f"  pipeline + records:   median {words / statistics.median(full_times):,.0f} words/s "
          f"(best {words / min(full_times):,.0f})")
    print(f"  per CPU second (process time, less sensitive to other load): pipeline "
          f"{words / statistics.median(cpu_pipe):,.0f} words/s, pipeline + records "
          f"{words / statistics.median(cpu_full):,.0f} words/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=Path, help="folder with the Treasury press releases (*.md)")
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default=None,
                        help="score one split only [default: dev, holdout and all]")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--use-model", action="store_true", help="use the statistical model if installed")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)
    nlp = build_pipeline(use_model=args.use_model)
    print("pipeline:", nlp.pipe_names, "|", "; ".join(pipeline_notes(nlp)) or "rules only")
    for split in ([args.split] if args.split else ["dev", "holdout", "all"]):
        evaluate_set(nlp, split, args.verbose)
    paragraphs = yaml.safe_load((DATA / "news_eval.yaml").read_text("utf-8"))["paragraphs"]
    documents = [NewsDocument(f"bench:{p['id']}", p["text"]) for p in paragraphs]
    if args.releases:
        documents = evaluate_releases(nlp, args.releases, args.verbose) + documents
    throughput(nlp, documents, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
