#!/usr/bin/env python3
"""Writes the latency benchmark's query mix v2 (queries-v2.tsv, issue 17)
from the shared news corpus: 100 queries per class, drawn by document
frequency with a fixed seed, so that the same corpus always gives the same
file. Python 3 standard library only; three passes over the corpus, about
three minutes.

    python3 benchmarks/latency/make_mix.py [--corpus PATH] [--out PATH]

Document frequencies count articles (title and body) on syllables folded as
every engine of the benchmark matches them (lowercase, no tone or vowel
marks, đ as d); a word or phrase counts where its syllables stand together,
as a phrase query finds them (anything but letters and digits between them,
within the title or within the body). The header of the file it writes says
how each class was drawn.
"""
import argparse
import calendar
import collections
import gzip
import json
import random
import re
import unicodedata
from pathlib import Path

SEED = 17  # the number
PER_CLASS = 100
REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / 'shared' / 'corpus' / 'vnnews.jsonl.gz'
DEFAULT_OUT = Path(__file__).resolve().parent / 'queries-v2.tsv'
FUNCTION_WORDS_SOURCE = REPO / 'src' / 'query' / 'function_words.cc'

ONE_SYLLABLE_POOL = 150
COMMON_SYLLABLE_DF = 10000
WORD_MIN_DF = 1500
# Of the articles holding both syllables, the share where they stand
# together: two frequent syllables met side by side by chance share far less.
WORD_MIN_COHESION = 0.2
PHRASE_MIN_TITLES = 3
PHRASE_DF = (300, 5000)
PHRASE_LENGTHS = (3, 4)
# More than this share of a word's or phrase's occurrences have one
# neighbour, or cut a two-syllable word, at one side: a fragment ("ban nha"
# of "Tây Ban Nha", "viên đại học" of "sinh viên đại học").
MAX_NEIGHBOUR_SHARE = 0.5
SOURCE_MIN_ARTICLES = 5
DEEP_PAGE_OFFSET = 1000

TOKEN = re.compile(r'[^\W\d_]+|\d+')
# The shape of a Vietnamese syllable, folded: onset, vowels, final.
SYLLABLE = re.compile(
    r'(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]+(ch|ng|nh|[cmnpt])?')

CLASSES = [
    ('one_syllable', 'one frequent syllable'),
    ('two_syllable', 'a two-syllable word of common syllables'),
    ('phrase', 'a 3-4 syllable phrase from titles, typed unquoted'),
    ('no_diacritics', 'the two-syllable words typed without diacritics'),
    ('source_filter', 'a two-syllable word and one publisher that publishes it'),
    ('date_range', 'a word and a date range'),
    ('all_facets', 'a word, counting source, year and month'),
    ('sort_date', 'a word, newest first'),
    ('deep_page', 'a word, hits 1001-1010'),
    ('phrase_quoted', 'the phrases, quoted'),
    ('two_quoted', 'the two-syllable words, quoted'),
    ('two_quoted_no_diacritics', 'the two-syllable words, quoted and typed without diacritics'),
    ('year_filter', 'a two-syllable word and a one-year date range'),
]
COLD_START = ('Việt Nam', 'facets')  # v1's, so that cold starts compare

_folded = {}


def unaccented(text):
    """As typed on a keyboard without Vietnamese input: no marks, đ as d."""
    bare = ''.join(c for c in unicodedata.normalize('NFD', text)
                   if not unicodedata.combining(c))
    return bare.replace('đ', 'd').replace('Đ', 'D')


def fold(token):
    """The key every engine here matches a syllable by."""
    key = _folded.get(token)
    if key is None:
        key = _folded[token] = unaccented(token.lower())
    return key


def is_syllable(key):
    return SYLLABLE.fullmatch(key) is not None


def quoted(text):
    return f'"{text}"'


def read_function_words():
    """tim's function words and question phrases (src/query/function_words.cc)."""
    source = FUNCTION_WORDS_SOURCE.read_text(encoding='utf-8')
    stop_block = source.split('kStopwords = {', 1)[1].split('};', 1)[0]
    pair_block = source.split('kExact = {', 1)[1].split('};', 1)[0]
    words = set(re.findall(r'"([^"]+)"', stop_block))
    pairs = set(re.findall(r'\{"([^"]+)",\s*"([^"]+)"\}', pair_block))
    if len(words) < 40 or len(pairs) < 10:
        raise SystemExit(f'cannot read the function words from {FUNCTION_WORDS_SOURCE}')
    return words, pairs


class Article:
    __slots__ = ('number', 'source', 'day', 'title', 'body', 'title_joined')

    def __init__(self, number, record):
        self.number = number
        self.source = record.get('source') or ''
        date = record.get('date') or ''
        self.day = date[:10] if len(date) >= 10 else None
        title = unicodedata.normalize('NFC', record.get('title') or '')
        matches = list(TOKEN.finditer(title))
        self.title = [m.group() for m in matches]
        # A phrase taken from a title is typed as it stands there: its
        # syllables one space apart.
        self.title_joined = [i > 0 and title[matches[i - 1].end():m.start()] == ' '
                             for i, m in enumerate(matches)]
        self.body = TOKEN.findall(unicodedata.normalize('NFC', record.get('body') or ''))

    def runs(self):
        """A phrase does not run from the title into the body."""
        return (self.title, self.body)

    def title_phrases(self):
        keys = [fold(t) for t in self.title]
        for n in PHRASE_LENGTHS:
            for start in range(len(keys) - n + 1):
                if all(self.title_joined[start + 1:start + n]) and all(
                        t.isalpha() for t in self.title[start:start + n]):
                    yield tuple(keys[start:start + n])


def read_corpus(path):
    with gzip.open(path, 'rt', encoding='utf-8') as lines:
        for number, line in enumerate(lines):
            yield Article(number, json.loads(line))


def ngrams(keys, n):
    return zip(*(keys[i:] for i in range(n)))


class Item:
    """A candidate word or phrase: where it stands, how it is spelled."""

    def __init__(self):
        self.occurrences = 0
        self.left = collections.Counter()
        self.right = collections.Counter()
        self.spellings = collections.Counter()
        self.articles = []

    def see(self, run, keys, start, n):
        self.occurrences += 1
        self.left[keys[start - 1] if start else ''] += 1
        self.right[keys[start + n] if start + n < len(keys) else ''] += 1
        self.spellings[' '.join(run[start:start + n])] += 1

    def spelling(self):
        """As most often written, but with a lowercase first letter where
        that is common too: "tuy nhiên" (capitalized at sentence starts),
        "Việt Nam"."""
        common = self.spellings.most_common(1)[0][0]
        lowered = common[0].lower() + common[1:]
        return lowered if self.spellings[lowered] >= 0.2 * self.spellings[common] else common

    def fragment(self, key, words):
        """Part of something longer, by its neighbours or by the two-syllable
        words (folded pairs) its edges cut."""
        limit = MAX_NEIGHBOUR_SHARE * self.occurrences
        left_cut = sum(n for k, n in self.left.items() if (k, key[0]) in words)
        right_cut = sum(n for k, n in self.right.items() if (key[-1], k) in words)
        beside = [n for side in (self.left, self.right) for k, n in side.items() if k]
        return not self.occurrences or max(beside + [left_cut, right_cut]) > limit


class Corpus:
    """What three passes over the corpus learn."""

    def __init__(self, path):
        self.path = path
        self.sources, self.days = [], []
        self.syllable_df = collections.Counter()
        self.spellings = collections.Counter()  # of single syllables, lowercase
        self.title_phrases = collections.Counter()  # titles holding each
        self.pair_df = collections.Counter()  # common syllables standing together
        self.bitmaps = {}  # common syllable -> bit n set when article n holds it
        self.phrase_df = collections.Counter()
        self.items = {}  # folded tuple -> Item

    @property
    def size(self):
        return len(self.days)

    def first_pass(self):
        """Syllables, their spellings, title phrases, sources and dates."""
        for article in read_corpus(self.path):
            self.sources.append(article.source)
            self.days.append(article.day)
            tokens = article.title + article.body
            self.syllable_df.update({fold(t) for t in tokens})
            self.spellings.update(t.lower() for t in tokens if not t.isdigit())
            self.title_phrases.update(set(article.title_phrases()))

    def second_pass(self, common, phrases):
        """Where the common syllables are and stand together; how many
        articles hold each of `phrases`."""
        bitmaps = {key: bytearray((self.size + 7) // 8) for key in common}
        first_syllables = {phrase[0] for phrase in phrases}
        for article in read_corpus(self.path):
            byte, bit = article.number >> 3, 1 << (article.number & 7)
            pairs, found = set(), set()
            for run in article.runs():
                keys = [fold(t) for t in run]
                pairs.update(p for p in zip(keys, keys[1:]) if p[0] in common and p[1] in common)
                for n in PHRASE_LENGTHS:
                    found.update(g for g in ngrams(keys, n)
                                 if g[0] in first_syllables and g in phrases)
                for key in common.intersection(keys):
                    bitmaps[key][byte] |= bit
            self.pair_df.update(pairs)
            self.phrase_df.update(found)
        self.bitmaps = {key: int.from_bytes(bits, 'little') for key, bits in bitmaps.items()}

    def third_pass(self, candidates):
        """Neighbours, spellings and articles of the candidate words and phrases."""
        self.items = {key: Item() for key in candidates}
        lengths = sorted({len(key) for key in candidates})
        for article in read_corpus(self.path):
            seen = set()
            for run in article.runs():
                keys = [fold(t) for t in run]
                for n in lengths:
                    for start, gram in enumerate(ngrams(keys, n)):
                        item = self.items.get(gram)
                        if item is not None:
                            item.see(run, keys, start, n)
                            seen.add(gram)
            for gram in seen:
                self.items[gram].articles.append(article.number)

    def cohesion(self, pair):
        both = (self.bitmaps[pair[0]] & self.bitmaps[pair[1]]).bit_count()
        return self.pair_df[pair] / both if both else 0

    def holding(self, syllable, numbers):
        bitmap = self.bitmaps[syllable]
        return [n for n in numbers if bitmap >> n & 1]


class Selector:
    """The pools the classes are drawn from."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.function_words, self.question_pairs = read_function_words()
        self.folded_function_words = {fold(w) for w in self.function_words}
        self.folded_question_pairs = {(fold(a), fold(b)) for a, b in self.question_pairs}
        self.spelling_of = {}
        for spelling, _ in corpus.spellings.most_common():
            self.spelling_of.setdefault(fold(spelling), spelling)

    def function_word(self, syllable):
        """tim's rule (IsFunctionWord): one as written, or one written
        without marks that folds like one ("cung" of "cung cấp" as "cũng")."""
        return syllable in self.function_words or (
            syllable == fold(syllable) and syllable in self.folded_function_words)

    def question_phrase(self, first, second):
        """tim's rule (IsQuestionPhrase)."""
        plain = first == fold(first) or second == fold(second)
        return (first, second) in self.question_pairs or (
            plain and (fold(first), fold(second)) in self.folded_question_pairs)

    def content(self, spelling):
        """No function word and no question phrase: tim makes them optional
        outside quotes, the peers require them, so they would not be the
        same work for every engine."""
        lower = spelling.lower().split()
        return (not any(self.function_word(s) for s in lower)
                and not any(self.question_phrase(a, b) for a, b in zip(lower, lower[1:])))

    def one_syllables(self):
        """The most frequent content syllables, in their commonest spelling."""
        ranked = sorted(self.corpus.syllable_df.items(), key=lambda kv: (-kv[1], kv[0]))
        pool = [key for key, _ in ranked
                if is_syllable(key) and self.content(self.spelling_of.get(key, ''))]
        return pool[:ONE_SYLLABLE_POOL]

    def common_syllables(self):
        return {key for key, df in self.corpus.syllable_df.items()
                if df >= COMMON_SYLLABLE_DF and is_syllable(key)}

    def title_phrases(self):
        return {phrase for phrase, titles in self.corpus.title_phrases.items()
                if titles >= PHRASE_MIN_TITLES and all(is_syllable(k) for k in phrase)}

    def candidate_pairs(self):
        return {pair for pair, df in self.corpus.pair_df.items()
                if df >= WORD_MIN_DF and self.corpus.cohesion(pair) >= WORD_MIN_COHESION}

    def candidate_phrases(self):
        low, high = PHRASE_DF
        return {p for p, df in self.corpus.phrase_df.items() if low <= df <= high}

    def usable(self, key, pairs):
        item = self.corpus.items[key]
        return not item.fragment(key, pairs) and self.content(item.spelling())

    def pools(self, pairs, phrases):
        """Usable words, and usable phrases by length, sorted (for the seed)."""
        words = sorted(p for p in pairs if self.usable(p, pairs))
        by_length = {n: sorted(p for p in phrases if len(p) == n and self.usable(p, pairs))
                     for n in PHRASE_LENGTHS}
        return words, by_length


def last_day(year, month):
    return calendar.monthrange(year, month)[1]


def month_range(year, month, months):
    end = year * 12 + month - 1 + months - 1
    end_year, end_month = end // 12, end % 12 + 1
    return (f'{year:04d}-{month:02d}-01',
            f'{end_year:04d}-{end_month:02d}-{last_day(end_year, end_month):02d}')


def date_range_options(rng, day, last_year):
    """A month, three months, 2-5 years, or open on one side, around `day`."""
    year, month = int(day[:4]), int(day[5:7])
    kind = rng.choice(['month', 'quarter', 'years', 'since', 'until'])
    if kind == 'since':
        return f'from={year:04d}-{month:02d}-01'
    if kind == 'until':
        return f'to={year:04d}-{month:02d}-{last_day(year, month):02d}'
    if kind == 'years':
        years = rng.randint(2, 5)
        last = min(year + rng.randint(0, years - 1), last_year)
        start, end = f'{last - years + 1:04d}-01-01', f'{last:04d}-12-31'
    else:
        start, end = month_range(year, month, 1 if kind == 'month' else 3)
    return f'from={start};to={end}'


class Mix:
    """The classes of the mix, each drawn with its own random stream."""

    def __init__(self, corpus, selector, ones, words, phrases):
        self.corpus = corpus
        self.ones, self.words, self.phrases = ones, words, phrases
        self.spelling = {key: selector.spelling_of[key] for key in ones}
        self.spelling.update({key: corpus.items[key].spelling() for key in words + phrases})
        self.dated = [n for n, day in enumerate(corpus.days) if day]
        self.last_year = max(int(corpus.days[n][:4]) for n in self.dated)
        self.lines = []

    @staticmethod
    def rng(name):
        return random.Random(f'{SEED}:{name}')

    def add(self, query_class, keys, options=lambda key: '', typed=lambda text: text):
        for key in keys:
            self.lines.append((query_class, typed(self.spelling[key]), options(key)))

    def dated_articles(self, key):
        if isinstance(key, str):
            return self.corpus.holding(key, self.dated)
        return [n for n in self.corpus.items[key].articles if self.corpus.days[n]]

    def random_day(self, rng, key):
        return self.corpus.days[rng.choice(self.dated_articles(key))]

    def publisher(self, rng, key):
        """The big publishers more often than the small ones, but not in
        proportion: VnExpress alone publishes 83 % of the corpus."""
        articles = self.corpus.items[key].articles
        by_source = collections.Counter(self.corpus.sources[n] for n in articles)
        sources = sorted(s for s, n in by_source.items() if s and n >= SOURCE_MIN_ARTICLES)
        return rng.choices(sources, weights=[by_source[s] ** 0.5 for s in sources])[0]

    def some_words(self, name):
        """Half one-syllable, half two-syllable words, in a random order."""
        rng = self.rng(name)
        keys = rng.sample(self.ones, PER_CLASS // 2) + rng.sample(self.words, PER_CLASS // 2)
        rng.shuffle(keys)
        return keys

    def build(self):
        self.add('one_syllable', self.ones)
        self.add('two_syllable', self.words)
        self.add('phrase', self.phrases)
        self.add('no_diacritics', self.words, typed=unaccented)
        rng = self.rng('source_filter')
        self.add('source_filter', self.words, options=lambda k: f'source={self.publisher(rng, k)}')
        rng = self.rng('date_range')
        self.add('date_range', self.some_words('date_range'),
                 options=lambda k: date_range_options(rng, self.random_day(rng, k), self.last_year))
        self.add('all_facets', self.some_words('all_facets'), options=lambda k: 'facets')
        self.add('sort_date', self.some_words('sort_date'), options=lambda k: 'sort=newest')
        self.add('deep_page', self.some_words('deep_page'),
                 options=lambda k: f'offset={DEEP_PAGE_OFFSET}')
        self.add('phrase_quoted', self.phrases, typed=quoted)
        self.add('two_quoted', self.words, typed=quoted)
        self.add('two_quoted_no_diacritics', self.words, typed=lambda t: quoted(unaccented(t)))
        rng = self.rng('year_filter')

        def one_year(key):
            year = self.random_day(rng, key)[:4]
            return f'from={year}-01-01;to={year}-12-31'
        self.add('year_filter', self.words, options=one_year)
        return self.lines


def thousands(n):
    return f'{n / 1000:.1f}k' if n >= 1000 else str(n)


def percent(share):
    return f'{100 * share:.0f} %'


def df_span(values):
    return f'{thousands(min(values))}-{thousands(max(values))}'


HEADER = """\
# Query mix v2 for tim_bench_latency (issue 17). Generated, do not edit:
#   python3 benchmarks/latency/make_mix.py
# writes it again from the shared corpus (seed {seed}, standard library only,
# a few minutes). Versioned: never edit a released mix; make queries-v3.tsv
# instead, so that results stay comparable.
#
# Columns (tab-separated): class, query, options. Options are ';'-separated:
#   facets            count source, year and month over all matches
#   source=NAME       keep one publisher (exact name as in the corpus)
#   from=YYYY-MM-DD   date range bounds, inclusive (either may be absent)
#   to=YYYY-MM-DD
#   sort=newest       newest first, undated last
#   offset=N          first hit to return (10 hits are returned)
# Every word of a query is required (AND) in every engine; "..." is a
# phrase. Lines "@class" describe a class; the "cold_start" class is the
# first query a fresh process answers.
#
# Drawn from the shared corpus (vnnews, {articles:,} articles), {per_class} queries a
# class (random.Random("{seed}:CLASS")), by document frequency (DF: the
# articles holding it, syllables folded as the engines match them; a word
# or phrase where its syllables stand together, as a phrase query finds them):
# - one syllable: {per_class} of the {one_pool} most frequent syllables, DF {one_df};
# - two-syllable words: both syllables in {common:,} articles or more, together
#   in {word_df:,} or more, and together in {cohesion} or more of the articles
#   holding both (two frequent syllables met side by side by chance are far
#   below that); {word_pool} such words, {per_class} drawn, together in {words_df};
#   they are the words of two_syllable, no_diacritics, two_quoted,
#   two_quoted_no_diacritics, source_filter and year_filter;
# - phrases: {lengths} syllables standing one space apart in {titles} titles or
#   more, in {phrase_low:,}-{phrase_high:,} articles ({phrase_pools} syllables);
#   {phrase_each} of each length drawn, DF {phrases_df}; they are the phrases of phrase and
#   phrase_quoted;
# - no word or phrase holds one of tim's function words or question phrases
#   as tim reads them (src/query/function_words.cc; written without marks,
#   "cung" of "cung cấp" is "cũng"): tim makes them optional outside quotes,
#   the peers require them. Nor is one part of a longer one (one neighbour,
#   or a two-syllable word cut at an edge, in over {neighbour} of its
#   occurrences);
# - spelled as most often written (lowercase first if common too); without
#   diacritics: tone and vowel marks dropped (NFD), đ as d;
# - source_filter: each word with one of the publishers that publish it in
#   {source_min} articles or more, drawn in proportion to the square root of
#   that number (VnExpress alone published 83 % of the corpus);
# - year_filter: each word with the year of one of its dated articles;
# - date_range, all_facets, sort_date, deep_page: {half} one-syllable and {half}
#   two-syllable words drawn for each class; a date range is a month, three
#   months, 2-5 years or open on one side, around one of the word's dated
#   articles;
# - cold_start: v1's, so that cold starts compare.
"""


def header(corpus, pools, mix):
    one_pool, word_pool, phrase_pools = pools
    return HEADER.format(
        seed=SEED, articles=corpus.size, per_class=PER_CLASS, one_pool=len(one_pool),
        one_df=df_span([corpus.syllable_df[k] for k in mix.ones]),
        common=COMMON_SYLLABLE_DF, word_df=WORD_MIN_DF, cohesion=percent(WORD_MIN_COHESION),
        word_pool=len(word_pool), words_df=df_span([corpus.pair_df[k] for k in mix.words]),
        lengths=' and '.join(map(str, PHRASE_LENGTHS)), titles=PHRASE_MIN_TITLES,
        phrase_low=PHRASE_DF[0], phrase_high=PHRASE_DF[1],
        phrase_pools=', '.join(f'{len(p)} of {n}' for n, p in phrase_pools.items()),
        phrase_each=PER_CLASS // len(PHRASE_LENGTHS),
        phrases_df=df_span([corpus.phrase_df[k] for k in mix.phrases]),
        neighbour=percent(MAX_NEIGHBOUR_SHARE), source_min=SOURCE_MIN_ARTICLES, half=PER_CLASS // 2)


def write_mix(path, text_header, lines):
    with open(path, 'w', encoding='utf-8', newline='\n') as out:
        out.write(text_header)
        for name, description in CLASSES:
            out.write(f'@class\t{name}\t{description}\n')
        for line in lines:
            out.write('\t'.join(line) + '\n')
        out.write('cold_start\t' + '\t'.join(COLD_START) + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--corpus', default=str(DEFAULT_CORPUS))
    parser.add_argument('--out', default=str(DEFAULT_OUT))
    args = parser.parse_args()
    corpus = Corpus(args.corpus)
    corpus.first_pass()
    selector = Selector(corpus)
    corpus.second_pass(selector.common_syllables(), selector.title_phrases())
    pairs, phrases = selector.candidate_pairs(), selector.candidate_phrases()
    corpus.third_pass(sorted(pairs) + sorted(phrases))
    one_pool = selector.one_syllables()
    word_pool, phrase_pools = selector.pools(pairs, phrases)
    ones = Mix.rng('one_syllable').sample(one_pool, PER_CLASS)
    words = Mix.rng('two_syllable').sample(word_pool, PER_CLASS)
    rng = Mix.rng('phrase')
    chosen = [rng.sample(pool, PER_CLASS // len(phrase_pools)) for pool in phrase_pools.values()]
    phrases = [p for group in zip(*chosen) for p in group]  # lengths alternate
    mix = Mix(corpus, selector, ones, words, phrases)
    lines = mix.build()
    write_mix(args.out, header(corpus, (one_pool, word_pool, phrase_pools), mix), lines)
    print(f'wrote {args.out}: {len(lines) + 1} queries')


if __name__ == '__main__':
    main()
