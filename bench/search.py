"""Search at scale: the median time of the list page's search query, on PostgreSQL or SQLite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/search.py --count 100000 --repeat 15
    DATABASE_URL=sqlite:////tmp/bench10k.sqlite3 \\
        .venv/bin/python bench/search.py --count 10000 --repeat 15

For each query: the first page of 25 results (what the list shows) and the total
count, both through filter_organizations(), i.e. the search index (PostgreSQL's stored
vector, SQLite's FTS5 trigram table), synonyms, spelling correction and ranking. The
data version is fixed for the run, as between two changes of the data, so the
vocabulary a correction reads is built once (its first build, which counts the words,
is printed on its own, and so is what another process does with the counts it finds in
the shared cache).
Prints the median per query and over all of them.
"""

import argparse
import statistics
import time

from _setup import compare_ms, setup_django, vacuum_analyze

QUERIES = [
    "food coop",
    "Takoma",
    "credit union",
    "Harbor Bakery",
    "Sunrise Commons Grocery",
    "Solidarty Netwrk",  # misspelled: corrected to "solidarity network"
    "community land trust baltimore",
    "mutual aid",
    "loan fund richmond",
    "repair",
    "cooperatve",  # misspelled and broad: corrected to "cooperative"
    "spanish",  # a language: every listing that speaks it
    "español",
    "housing",  # a type and a sector
    "bread",  # a synonym of bakery
    "cafe",  # accents: "Repair Cafe", and any café
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    published = setup_django(args.count, sqlite=True)
    vacuum_analyze()

    from django.db import connection
    from django.http import QueryDict

    from directory.browse import vocabulary
    from directory.browse.selectors import filter_organizations
    from directory.core.cache import bump

    bump()
    start = time.perf_counter()
    vocabulary.vocabulary_for(connection.alias)
    print(f"vocabulary built in {(time.perf_counter() - start) * 1000:.0f} ms (words counted)")
    counts = vocabulary.word_counts(connection.alias)
    start = time.perf_counter()
    vocabulary.Vocabulary(counts)
    print(
        f"another process's copy from the shared cache's {len(counts)} words: "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )

    def search(text):
        params = QueryDict(mutable=True)
        params["q"] = text

        def run():
            results = filter_organizations(params)
            page = list(results.values_list("pk", "name")[:25])
            return results.count(), page

        return run

    print(f"{published} published listings on {connection.vendor}; median of {args.repeat} runs")
    medians = compare_ms({text: search(text) for text in QUERIES}, repeat=args.repeat)
    print(f"{'query':<34} {'matches':>8} {'first hit':<42} {'ms':>7}")
    for text in QUERIES:
        count, page = search(text)()
        first = page[0][1] if page else "-"
        print(f"{text:<34} {count:>8} {first[:42]:<42} {medians[text]:>7.1f}")
    print(f"{'median over all queries':<86} {statistics.median(medians.values()):>7.1f}")


if __name__ == "__main__":
    main()
