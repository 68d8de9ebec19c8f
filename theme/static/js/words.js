/* Reading a query as a person means it: the finder (directory.js) loads this module the first
 * time someone types words, so browsing by filters alone never downloads it.
 *
 *  - small words ("my", "for", "help") say nothing about which group fits and are ignored;
 *  - a word no group page has is corrected to the nearest word the taxonomy knows, or left out;
 *  - words that name a filter value ("panic attacks", "carers", "uk"; search/terms.bin, from
 *    data/taxonomy.yaml) find that value's groups as its filter would, and are offered as
 *    filters;
 *  - "not", "no", "without" and the like before a value of a facet that says how a group works
 *    ("not 12 step", "no video") leave that value's groups out; an age ("im 15") shows the
 *    groups whose age limits take it, those made for that age first;
 *  - groups matching every word come first; when too few do, groups matching most words follow,
 *    those for the needs named first.
 */

// Words that say nothing about which group fits: ignored when a query is a sentence (so are
// words of when, "last year", "tonight", and of feeling: "i feel alone" is about being
// alone). The last line holds words every listing here shares.
const STOP_WORDS = new Set(
  (
    "a about after all also am an and any anyone are as at be been being but by can could " +
    "did do does doing for from get gets getting got had has have having he her hers herself " +
    "him himself his how i id if im in into is it its itself ive just like me might must my " +
    "myself of on or our ours she should so some someone something than that thats the their " +
    "them themselves then there these they this those to too us very was we were what whats " +
    "when where which while who whom why will with would you youre your yours yourself much " +
    "cant dont doesnt didnt wont isnt arent wasnt not no nor " +
    "today tonight yesterday tomorrow recently lately ago last week weeks month months year years " +
    "feel feels felt " +
    "group groups support online help find looking look need needs want wants please"
  ).split(" ")
);
// Words before a value's name that ask for groups without it: "not 12 step", "no video",
// "an alternative to a fellowship" (compared as normaliseTerm writes them). Only values of
// facets that say how a group works: "not drinking anymore" or "no kids" describe the reader,
// so needs and audiences are never left out.
const NEGATIONS = [
  "not", "no", "non", "without", "except", "excluding", "other than", "instead of",
  "rather than", "alternative to", "alternatives to", "apart from", "anything but",
].map((phrase) => phrase.split(" "));
// Every word of those, which say nothing once a value is left out.
const NEGATION_WORDS = new Set(NEGATIONS.flat());
// Small words that may stand between those words and the value: "other than a fellowship".
const ARTICLES = new Set(["a", "an", "the", "any"]);
// Words around a number that say it is the reader's age: "im 15", "i am 15", "aged 15",
// "15 year old", "15yo".
const AGE_BEFORE = ["im", "am", "aged", "age"];
const AGE_AFTER = [["year", "old"], ["years", "old"], ["yr", "old"], ["yrs", "old"], ["yo"]];
// After "i am 30", words that make the number a length of time instead: "i am 30 days sober".
const NOT_AN_AGE = new Set(
  "day days week weeks wks month months year years yr yrs hour hours min mins minutes times".split(" ")
);
// What being made for the reader's age (an upper age limit that takes them) adds to a group's
// score: among answers about as good, a 15-year-old finds the groups for teenagers first.
const AGE_FIT = 1;
// Groups matching every word; with fewer, groups matching some of the words follow them.
const ENOUGH = 5;
// What a value named inside a longer name adds to a group's score for that word (see findGroups).
const INNER = 0.5;
// What a group loses for a word naming a value when it has a value that one includes, which
// the words do not name: it answers the words less exactly ("grief": a group for the loss
// of a baby; "uk": one open anywhere). More than INNER, so "mum" inside "my mum died" (a
// family member) does not lift groups for a baby's death above those for any loss; less
// than a page's own match at its best, so "my son died" still finds first a group whose
// words are about a child's death, whatever else it is for. (A group having the named value
// too loses it as well: the filters' bitsets cannot tell the two apart.)
const INCLUDED = 0.75;
// What a group loses for a word naming a need when it is also for a need of another family
// (search/beyond): a cancer charity's group for grief, a group for new mothers for anxiety.
// Among the need's groups, those about it alone come first, as far as their own words match
// about as well.
const BEYOND = 0.5;
// How well a group matches a word that is in the name of one of its values ("shopping":
// "shopping addiction", or "gay" for a group for LGBTQ+ people), where its own page does not
// have it: as a word on its page would at half weight, below the group's own words. The
// index holds a group's own words, not its values' names: thousands of pages each repeating
// them made indexing half as long again and each search fetch their long lists of pages.
// The finder reads the names from search/terms.bin instead.
const IN_NAME = 0.5;
// The most terms alike to a word that are looked for besides it (two searches each).
const MAX_ALIKE = 4;
// What being in the reader's language (the one the words are written in, else the browser's)
// adds to a group's score: among answers about as good, groups the reader can read come first
// ("AA" finds AA Great Britain before AA Portugal; "dwangstoornis", a Dutch group for OCD).
const READABLE = 1;

// As kindred.catalog.taxonomy.normalise_term folds a name: case, apostrophes, punctuation,
// and "cannot" or "can not" as "can't".
export function normaliseTerm(text) {
  return text.toLowerCase().replace(/\u00df/g, "ss").replace(/['\u2019\u02bc]/g, "")
    .replace(/[^\p{L}\p{N}_]+/gu, " ").trim().replace(/(?<!\S)can ?not(?!\S)/g, "cant");
}

// Optimal string alignment distance, giving up once it is past `limit`. Changing one letter
// for another costs what `change` says (1 unless given: see slipCost).
export function editDistance(a, b, limit, change = () => 1) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = [];
  for (let i = 0; i <= a.length; i++) {
    rows[i] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) { rows[0][j] = j; continue; }
      const cost = a[i - 1] === b[j - 1] ? 0 : change(a[i - 1], b[j - 1]);
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      best = Math.min(best, d);
    }
    if (i > 0 && best > limit) return limit + 1;
  }
  return rows[a.length][b.length];
}

// What changing one letter for another costs as a slip: 1 for the same letter with or without
// an accent ("smarta" is "smärta"), a key beside it on a QWERTY keyboard, a vowel for a vowel,
// or a letter that can sound alike ("c" and "k"); 2 for any other, as wide a gap as two slips.
// So a long word may take one distant change, never two: "stealing" is two changes from
// "speaking", "t" for "p" far apart on the keyboard.
const KEY_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
// Each letter's key: [row, place in the row]; looked up for every pair of letters compared.
const KEY_AT = Object.fromEntries(KEY_ROWS.flatMap((keys, row) => [...keys].map((key, i) => [key, [row, i]])));
const VOWELS = "aeiouy";
const SOUND_ALIKE = new Set(["ck", "cs", "sz", "gj", "fv"]);

export function slipCost(accented, other) {
  const [a, b] = [unaccented(accented), unaccented(other)];
  if (a === b || (VOWELS.includes(a) && VOWELS.includes(b))) return 1;
  if (SOUND_ALIKE.has(a + b) || SOUND_ALIKE.has(b + a)) return 1;
  return keysBeside(a, b) ? 1 : 2;
}

function unaccented(letter) {
  return letter.normalize("NFD").replace(/\p{M}/gu, "");
}

function keysBeside(a, b) {
  const [p, q] = [KEY_AT[a], KEY_AT[b]];
  if (!p || !q) return false;
  // Each row sits half a key to the right of the one above: a key touches the one above it
  // and the one above and to the right.
  if (p[0] === q[0]) return Math.abs(p[1] - q[1]) === 1;
  const [upper, lower] = p[0] < q[0] ? [p, q] : [q, p];
  return lower[0] - upper[0] === 1 && (upper[1] === lower[1] || upper[1] === lower[1] + 1);
}

// search/terms.bin (facet key -> value slug -> [names, search terms, alike sets, included
// slugs, names read only in capitals, query words], the empty lists at the end left out) as
// lookups: term -> {key, slug}; every word of every term; the words of names (not of
// misspellings), which a slip is corrected to; term -> the other terms alike to it;
// "key/slug" -> the values ({key, slug}) that value includes; a search term -> the name of
// its value it is a slip away from; a name read only in capitals -> {key, slug}; and a query
// word -> the language values ({key, slug}) it shows a query may be written in. `refining`: the keys
// of facets whose values, named inside a longer name, rank that name's groups (the taxonomy's
// `refines` role); `needs`: those of the facets that say what a group is about (`similar`
// and not refining).
export function termsFrom(grouped, refining = [], needs = []) {
  // Looked up by what people type: no keys inherited ("constructor" is a word, not a function).
  const terms = {
    byTerm: Object.create(null), words: new Set(), names: new Set(), longest: 1,
    alike: Object.create(null), refining: new Set(refining), needs: new Set(needs),
    includes: Object.create(null), spelled: Object.create(null), capitals: Object.create(null),
    languagesOf: Object.create(null), inNames: Object.create(null),
  };
  for (const [key, values] of Object.entries(grouped)) {
    for (const [slug, [names, searchTerms, alike = [], included = [], capitals = [], queryWords = []]] of Object.entries(values)) {
      for (const word of queryWords) (terms.languagesOf[word] ||= []).push({ key, slug });
      terms.includes[key + "/" + slug] = included.map((other) => ({ key, slug: other }));
      for (const term of capitals) {
        terms.capitals[term] = { key, slug };
        terms.words.add(term);
      }
      // A name read only in capitals is no alike term: "bed" would look for binge eating.
      for (const same of alike.map((set) => set.filter((term) => !capitals.includes(term)))) {
        for (const term of same) terms.alike[term] = same.filter((other) => other !== term);
      }
      const nameWords = new Set(names.flatMap((name) => name.split(" ")));
      for (const word of nameWords) {
        if (!STOP_WORDS.has(word)) (terms.inNames[word] ||= []).push({ key, slug });
      }
      [names, searchTerms].forEach((list, kind) => {
        for (const term of list) {
          const words = term.split(" ");
          // Every word of it is in the value's names, as a page holding them would have it.
          terms.byTerm[term] = { key, slug, namesHaveIt: words.every((word) => nameWords.has(word)) };
          terms.longest = Math.max(terms.longest, words.length);
          for (const word of words) {
            terms.words.add(word);
            if (kind === 0) terms.names.add(word);
          }
        }
      });
      for (const term of searchTerms) {
        const name = misspelled(term, names);
        if (name) terms.spelled[term] = name;
        if (name) terms.byTerm[term].namesHaveIt = true; // read as the name it misspells
      }
    }
  }
  return terms;
}

// The name of its value a search term is one slip away from (two for a long term; the same
// first letter, so that "distress" is no slip of another name, stress), the nearest, or null:
// "anxeity" is a slip of anxiety. Where no page has the term, the name is searched.
function misspelled(term, names) {
  if (term.length < 4 || names.includes(term)) return null;
  const limit = term.length >= 7 ? 2 : 1;
  let best = null;
  let bestDistance = limit + 1;
  for (const name of names) {
    const distance = name[0] === term[0] ? editDistance(term, name, limit) : limit + 1;
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

// The value of `facet` (search/facets.json's) that `raw` names as a link or form writes it:
// its slug in any case and punctuation, or any of its names ("?condition=Grief"); or null.
// The directory and the share kit read links with this one rule.
export function valueWritten(facet, raw, terms) {
  const term = normaliseTerm(raw);
  const bySlug = facet.values.find((value) => normaliseTerm(value.slug) === term);
  if (bySlug) return bySlug;
  const named = terms.byTerm[term];
  return (named && named.key === facet.key && facet.values.find((value) => value.slug === named.slug)) || null;
}

// A reader of queries. `search(text)` answers with Pagefind's groups ([{position, score,
// result}], best first); `membersOf({key, slug})` gives the positions of the groups a filter
// on that value shows, once `fetchFacets(values)` has resolved for values of its facet (with
// part "beyond", those of them also for a need of another family: none when not fetched);
// `language`, the value ({key, slug}) of the language the reader reads; `fetchAges()`, each
// group's age limits ({min, max}, 0 for none). read(q) resolves to {ranked: positions, best
// first; hits: position -> Pagefind result (absent for a group found by meaning alone); kind: "all" | "some" | "none";
// every: how many groups match every word; said: the query normalised; used, matched,
// unknown: words; corrected: [{word, use}]; named: the values the words name, [{key, slug,
// at, phrase, term, inner: values named inside it, inCapitals: named by a name read only in
// capitals, namesHaveIt: every word of the term is in the value's names, also: values it
// includes no word names,
// beyond: for a need, {key, slug, part: "beyond"}, else null}];
// unwanted: the values asked to be left out ("not 12 step"), and excluded:
// their groups' positions, with those whose age limits leave out the age the words give
// (age: years, or null), none of them in ranked (null when the words only leave groups out:
// every other group); covered: true when those values account for every meaningful word;
// terms}.
export function reader(terms, search, membersOf, language = null, fetchFacets = () => Promise.resolve(), fetchAges = null) {
  const readable = language ? new Set(membersOf(language)) : null;
  return function read(q) {
    const said = normaliseTerm(q).split(" ").filter(Boolean); // every word, repeats too
    const all = wordsOf(q);
    const capitals = capitalsIn(q, terms);
    // Written in another language, the query says which one its reader reads. Its words of
    // that language that name nothing ("grupo", "para") are small words, as "group" and "for"
    // are.
    const written = languageOf(all, terms);
    const small = (word) => STOP_WORDS.has(word) || (written && !terms.byTerm[word] && isWordOf(word, written, terms));
    let meaningful = all.filter((word) => !small(word) || capitals.has(word));
    if (!meaningful.length) meaningful = all; // only small words: take them as they are
    return checkWords(meaningful, search, terms).then((checked) => {
      const read = all.map((word) => {
        const c = checked.find((x) => x.word === word);
        return c && c.use ? c.use : word;
      });
      const found = namedValues(read, terms, capitals);
      // A value named after "not" ("not 12 step") leaves its groups out; neither it nor the
      // words asking for that are looked for.
      const saidRead = said.map((word) => read[all.indexOf(word)]); // with its corrections
      const unwanted = found.filter((n) => negated(saidRead, n, terms));
      const named = found.filter((n) => !unwanted.includes(n));
      const age = fetchAges ? ageIn(all, (i) => namedAt(found, i)) : null;
      const consumed = new Set(unwanted.flatMap((n) => n.at));
      if (unwanted.length) all.forEach((word, i) => NEGATION_WORDS.has(word) && consumed.add(i));
      if (age) age.at.forEach((i) => consumed.add(i));
      const own = checked.filter((c) => !consumed.has(all.indexOf(c.word)));
      const used = own.filter((c) => c.use);
      const answer = {
        said: normaliseTerm(q), // the whole query, as the taxonomy's terms are written
        used: used.map((c) => c.use),
        corrected: own.filter((c) => c.corrected),
        unknown: own.filter((c) => !c.use).map((c) => c.word),
        named,
        unwanted,
        age: age ? age.years : null,
        terms,
        // Filters cannot leave a value out or give an age: then the words must stay.
        covered: !unwanted.length && !age && meaningful.every((word) => namedAt(named, all.indexOf(word))),
      };
      // What each value named includes and the words do not name ("grief": baby loss), and,
      // for a need, its groups that are also for another kind of need.
      for (const n of named) {
        n.also = (terms.includes[n.key + "/" + n.slug] || []).filter((v) => !found.some((f) => sameValue(f, v)));
        n.beyond = terms.needs.has(n.key) ? { key: n.key, slug: n.slug, part: "beyond" } : null;
      }
      const values = used.map((c) => namedAt(named, all.indexOf(c.word)));
      // A word inside a name of several words ("want to die") is searched as that name.
      const texts = used.map((c, i) => (values[i] && values[i].at.length > 1 ? values[i].phrase : c.use));
      // The groups left out (and those made for the reader's age), once the facets of every
      // value named, and the ages, are fetched.
      // A word naming no value may be a word of some values' names: their groups match it.
      const inNames = texts.map((text, i) => (values[i] ? [] : terms.inNames[text] || []));
      const wanted = values.filter(Boolean).flatMap((value) => [value, ...value.inner, ...value.also])
        .concat(values.filter((value) => value && value.beyond).map((value) => value.beyond), inNames.flat());
      const ages = age ? fetchAges() : Promise.resolve(null);
      const limits = Promise.all([fetchFacets(wanted.concat(unwanted)), ages]).then(
        ([, known]) => byAge(new Set(unwanted.flatMap((value) => membersOf(value))), known, age)
      );
      if (!used.length && (unwanted.length || age)) return limits.then((found) => everyGroupBut(answer, found));
      // The language only ranks: if its groups cannot be fetched, the words are answered all
      // the same, for the browser's language.
      const reads = written
        ? fetchFacets([written]).then(() => new Set(membersOf(written)), () => readable)
        : Promise.resolve(readable);
      return findGroups(answer, texts, values, inNames, search, membersOf, reads, limits);
    });
  };
}

// The language value ({key, slug}) whose query words the words hold more of than any other's
// ("grupo de apoyo": Spanish, though Portuguese has "grupo" too), or null. It takes two of its
// words, or one that names a value ("dwangstoornis"): one word of a language is often a word
// of English too ("hay fever", "ma's drinking").
function languageOf(words, terms) {
  const counts = new Map();
  for (const word of words) {
    for (const value of terms.languagesOf[word] || []) {
      const id = value.key + "/" + value.slug;
      const known = counts.get(id) || { value, n: 0, naming: false };
      counts.set(id, { value, n: known.n + 1, naming: known.naming || Boolean(terms.byTerm[word]) });
    }
  }
  const [first, second] = [...counts.values()].sort((a, b) => b.n - a.n);
  const clear = first && (!second || first.n > second.n) && (first.n >= 2 || first.naming);
  return clear ? first.value : null;
}

function isWordOf(word, language, terms) {
  return (terms.languagesOf[word] || []).some((value) => sameValue(value, language));
}

// The words typed in capitals that the taxonomy reads as a value only so ("ME", "BED"); none
// when a small word is in capitals too, as in a shout or a stress ("please HELP ME").
function capitalsIn(text, terms) {
  const typed = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const upper = typed.filter((word) => word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase())
    .map(normaliseTerm);
  if (upper.some((word) => STOP_WORDS.has(word) && !terms.capitals[word])) return new Set();
  return new Set(upper.filter((word) => terms.capitals[word]));
}

function wordsOf(text) {
  const words = normaliseTerm(text).split(" ").filter(Boolean);
  return words.filter((word, i) => words.indexOf(word) === i);
}

// Each meaningful word, checked: kept when some group page has it (or a taxonomy word starts
// with it, as when still typing), corrected when it is a slip, left out when it is neither.
// Pagefind itself would answer an unknown word with pages matching any shorter word it
// starts with ("an"), which is worse than saying so.
function checkWords(words, search, terms) {
  return Promise.all(words.map((word) => {
    if (terms.words.has(word) || /^\d+$/.test(word)) return { word, use: word };
    return search('"' + word + '"').then((found) => {
      if (found.length || startsAWord(word, terms)) return { word, use: word };
      const meant = closestWord(word, terms);
      return { word, use: meant, corrected: !!meant };
    });
  }));
}

function startsAWord(word, terms) {
  if (word.length < 3) return false;
  for (const candidate of terms.words) if (candidate.startsWith(word)) return true;
  return false;
}

// The taxonomy word a slip of the keyboard most likely meant, if one is close enough: a word
// of a value's names first, else one of the known slips (whose value it then names).
// Another form of a word the taxonomy knows comes first ("boozing": "booze"). Short words
// are left alone: among four-letter words one slip away lie too many other meanings ("wine"
// is not "wife"), and so are the small words a correction would say nothing with.
function closestWord(word, terms) {
  const form = knownForm(word, terms);
  if (form) return form;
  if (word.length < 5) return null;
  const limit = word.length >= 7 ? 2 : 1;
  return closestIn(word, terms.names, limit) || closestIn(word, terms.words, limit);
}

// The word without an ending ("-ing", "-ed", "-s"…), as the taxonomy has it: "boozing" is
// "booze", "hitting" is "hit", "bullied" is "bully".
function knownForm(word, terms) {
  const ending = /(ing|ed|es|er|ers|s)$/.exec(word);
  if (!ending || word.length - ending[1].length < 3) return null;
  const stem = word.slice(0, -ending[1].length);
  const forms = [stem, stem + "e", stem.replace(/(.)\1$/, "$1"), stem.replace(/i$/, "y")];
  return forms.find((form) => form.length >= 3 && terms.words.has(form) && !STOP_WORDS.has(form)) || null;
}

function closestIn(word, words, limit) {
  let best = null;
  let bestDistance = limit + 1;
  for (const candidate of words) {
    if (candidate.length < 4 || STOP_WORDS.has(candidate)) continue;
    const d = editDistance(word, candidate, limit, slipCost);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}

// The filter values the words name, longest names first, each word used once; a plural is
// also read as its singular. A name read only in capitals names its value when in `capitals`.
function namedValues(words, terms, capitals = new Set()) {
  const found = [];
  const taken = new Set();
  for (let length = Math.min(terms.longest, words.length); length >= 1; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      const at = [];
      for (let k = start; k < start + length; k++) at.push(k);
      if (at.some((i) => taken.has(i))) continue;
      const phrase = words.slice(start, start + length).join(" ");
      const inCapitals = capitals.has(phrase);
      const named = inCapitals ? { ...terms.capitals[phrase], term: phrase } : valueNamed(phrase, terms);
      if (named && !found.some((f) => sameValue(f, named))) {
        const inner = innerValues(words.slice(start, start + length), named, terms);
        const namesHaveIt = Boolean(named.namesHaveIt);
        found.push({ key: named.key, slug: named.slug, at, phrase, term: named.term, inner, inCapitals, namesHaveIt });
        at.forEach((i) => taken.add(i));
      }
    }
  }
  return found;
}

// The value a phrase names, and the term that names it (a plural read as its singular).
function valueNamed(phrase, terms) {
  const term = terms.byTerm[phrase] ? phrase : /[^s]s$/.test(phrase) ? phrase.slice(0, -1) : null;
  return term && terms.byTerm[term] ? { ...terms.byTerm[term], term } : null;
}

function sameValue(a, b) {
  return a.key === b.key && a.slug === b.slug;
}

// The values of refining facets that words inside a name of several words name: "son" in
// "son died" (a parent's loss). They do not narrow the name's groups; they rank those they
// include first.
function innerValues(words, named, terms) {
  const inner = [];
  for (let length = words.length - 1; length >= 1; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      const value = valueNamed(words.slice(start, start + length).join(" "), terms);
      if (!value || value.key === named.key || !terms.refining.has(value.key)) continue;
      if (!inner.some((v) => sameValue(v, value))) inner.push(value);
    }
  }
  return inner;
}

function namedAt(named, index) {
  return named.find((n) => n.at.includes(index)) || null;
}

// Each word matches the groups whose pages have it and, when it names a filter value, the
// groups that filter shows (so UK finds groups open anywhere, as the filter does). Each word
// counts the same: a group scores up to 1 for how well its page matches the word (Pagefind's
// relevance, against the best page for that word) and 1 more when it is one of the value's
// groups, since the taxonomy says what a group is for and a page may use a word in passing;
// half of 1 more when it also has a value named inside the word's name (INNER), and less
// when it also has a value the named one includes that no word names (INCLUDED), or, for a
// need, when it is also for a need of another family that no word names (BEYOND).
// Groups matching every word come first, by score; when there are fewer than ENOUGH, groups
// matching most words follow, those for the needs named first, then those that values named
// find.
function findGroups(answer, texts, values, inNames, search, membersOf, reads, limits) {
  const words = answer.used;
  // A word naming a value of a refining facet ("brother": family) ranks the groups that the
  // words naming a need find, and does not narrow them: in "my brother killed himself" it is
  // the loss that counts. Without a need among the words ("lgbtq uk"), every word narrows.
  const refining = values.map((value) => Boolean(value && answer.terms.refining.has(value.key)));
  const aNeed = values.some((value) => value && answer.terms.needs.has(value.key));
  const narrowing = aNeed ? refining.map((r) => !r) : refining.map(() => true);
  // A name of several words ("throw up") counts once, as a word does.
  const counted = values.map((value, i) => !value || values.indexOf(value) === i);
  const needed = narrowing.filter((n, i) => n && counted[i]).length;
  const searches = texts.map((text, i) => {
    const value = values[i];
    if (!counted[i]) return Promise.resolve([]);
    // A name read only in capitals is an everyday word on the pages ("me"): its value's groups
    // are its answer.
    if (value && value.inCapitals) return Promise.resolve([]);
    const hits = searchAlike(text, Boolean(value), answer.terms, search, value ? value.term : text);
    // A slip no page has ("anxeity") is searched as the name it is nearest to.
    const name = value && answer.terms.spelled[value.term];
    if (!name) return hits;
    return hits.then((found) => (found.length ? found : searchAlike(name, true, answer.terms, search)));
  });
  return Promise.all([Promise.all(searches), limits, reads]).then(([perWord, { left, fits }, readable]) => {
    const byPosition = new Map();
    perWord.forEach((hits, i) => {
      if (!counted[i]) return;
      const top = hits.length ? hits[0].score : 1;
      const members = new Set(values[i] ? membersOf(values[i]) : []);
      const inner = new Set(values[i] ? values[i].inner.flatMap((value) => membersOf(value)) : []);
      const also = new Set(values[i] ? values[i].also.flatMap((value) => membersOf(value)) : []);
      const beyond = new Set(values[i] && values[i].beyond ? membersOf(values[i].beyond) : []);
      // A group for another need the words name ("anxiety pregnant") is what was asked for.
      for (const other of values) {
        if (beyond.size && other && other.beyond && !sameValue(other, values[i])) {
          for (const position of membersOf(other)) beyond.delete(position);
        }
      }
      const scored = hits.map((hit) => {
        const member = members.delete(hit.position);
        return { position: hit.position, score: hit.score / top + (member ? 1 : 0), result: hit.result, member };
      });
      // A value's groups have its names' words as they would on their pages.
      const asOnPage = values[i] && values[i].namesHaveIt ? IN_NAME : 0;
      for (const position of members) scored.push({ position, score: 1 + asOnPage, result: null, member: true });
      const seen = new Set(scored.map((h) => h.position));
      for (const position of inNames[i].flatMap((value) => membersOf(value))) {
        if (!seen.has(position)) scored.push({ position, score: IN_NAME, result: null, member: false });
        seen.add(position);
      }
      for (const hit of scored) if (inner.has(hit.position)) hit.score += INNER;
      for (const hit of scored) if (also.has(hit.position)) hit.score -= INCLUDED;
      for (const hit of scored) if (beyond.has(hit.position)) hit.score -= BEYOND;
      for (const hit of scored) {
        const found = byPosition.get(hit.position) || { position: hit.position, words: 0, values: 0, needs: 0, score: 0, result: null };
        if (narrowing[i]) found.words += 1;
        if (narrowing[i] && hit.member) found.values += 1;
        if (hit.member && answer.terms.needs.has(values[i].key)) found.needs += 1;
        found.score += hit.score;
        found.result = found.result || hit.result;
        byPosition.set(hit.position, found);
      }
    });
    const merged = [...byPosition.values()].filter((m) => m.words > 0 && !left.has(m.position));
    if (readable) for (const m of merged) if (readable.has(m.position)) m.score += READABLE;
    for (const m of merged) if (fits.has(m.position)) m.score += AGE_FIT;
    merged.sort((a, b) => b.words - a.words || b.score - a.score || a.position - b.position);
    const every = merged.filter((m) => m.words === needed);
    answer.matched = words.filter((word, i) => perWord[i].length || values[i] || inNames[i].length);
    answer.every = every.length;
    if (every.length >= ENOUGH || every.length === merged.length) {
      return withHits(answer, every.length ? "all" : "none", every, left);
    }
    // Of groups matching as many of the words, those for a need named come first: in "hilfe
    // bei trauer" a group for grief in English answers more than one in German for drinking.
    // Then those a named value finds: in "worried my husband might kill himself" a group for
    // suicidal thoughts answers more than a page that has "worried".
    merged.sort((a, b) => b.words - a.words || b.needs - a.needs || b.values - a.values || b.score - a.score || a.position - b.position);
    return withHits(answer, "some", merged, left);
  });
}

// Pagefind's groups for a text and for the terms alike to it ("weed": also "cannabis" and
// "marijuana"), as one list: each group once, with the best of its scores, best first. The
// scores are Pagefind's own, not each term's against its best page: a term every page has
// only as another name ("Marijuana Anonymous") must not rank them all as high as a page whose
// own words have one of the terms. A text that names a value is a whole term, looked for as
// such; any other may be a word still being typed, which Pagefind completes.
function searchAlike(text, whole, terms, search, term = text) {
  const alike = (terms.alike[term] || []).slice(0, MAX_ALIKE).map((other) => searchExactly(other, search));
  return Promise.all([whole ? searchExactly(text, search) : search(text), ...alike]).then((lists) => {
    const best = new Map();
    for (const hits of lists) {
      for (const hit of hits) {
        const known = best.get(hit.position);
        if (!known || hit.score > known.score) best.set(hit.position, hit);
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.position - b.position);
  });
}

// The groups whose pages have the term itself, ranked as Pagefind ranks the term: a search in
// quotes finds only the term but scores every page the same, and one without quotes also
// answers with pages for other words it starts ("al anon": "alzconnected"), or, for a term no
// page has, with every page.
function searchExactly(term, search) {
  return Promise.all([search('"' + term + '"'), search(term)]).then(([exact, ranked]) => {
    const has = new Set(exact.map((hit) => hit.position));
    return ranked.filter((hit) => has.has(hit.position));
  });
}

function withHits(answer, kind, hits, excluded = new Set()) {
  answer.kind = kind;
  answer.ranked = hits.map((hit) => hit.position);
  answer.hits = {};
  for (const hit of hits) answer.hits[hit.position] = hit.result;
  answer.excluded = [...excluded];
  return answer;
}

// Only values asked to be left out ("not 12 step") or an age ("im 15"): every group but those
// left out, those made for that age first, then in name order (ranked null: every other group
// in name order).
function everyGroupBut(answer, { left, fits, count }) {
  Object.assign(answer, { kind: "all", ranked: null, hits: {}, matched: [], every: 0 });
  answer.excluded = [...left];
  if (fits.size) {
    const rest = [];
    for (let p = 0; p < count; p++) if (!left.has(p) && !fits.has(p)) rest.push(p);
    answer.ranked = [...fits].sort((a, b) => a - b).concat(rest);
  }
  return answer;
}

// The groups to leave out: `left`, and those whose age limits (`ages`: {min, max}, 0 for none)
// do not take someone of `age` ({years}); `fits`: those with an upper limit that takes them.
function byAge(left, ages, age) {
  const fits = new Set();
  if (!ages || !age) return { left, fits, count: 0 };
  const years = age.years;
  for (let p = 0; p < ages.min.length; p++) {
    const low = ages.min[p];
    const high = ages.max[p];
    if ((low && low > years) || (high && high < years)) left.add(p);
    else if (high && !left.has(p)) fits.add(p);
  }
  return { left, fits, count: ages.min.length };
}

// An age the words give ("im 15", "15 year old"): {years, at: the places of its words}, or
// null. A number inside a value's name ("12 step": `inName(i)`) is not an age.
function ageIn(words, inName) {
  for (let i = 0; i < words.length; i++) {
    const number = /^(\d{1,2})(yo)?$/.exec(words[i]);
    if (!number || Number(number[1]) < 5 || inName(i)) continue;
    const years = Number(number[1]);
    if (number[2]) return { years, at: [i] };
    const after = AGE_AFTER.find((phrase) => phrase.every((word, k) => words[i + 1 + k] === word));
    if (after) return { years, at: [i, ...after.map((word, k) => i + 1 + k)] };
    if (i > 0 && AGE_BEFORE.includes(words[i - 1]) && !NOT_AN_AGE.has(words[i + 1])) {
      return { years, at: [i - 1, i] };
    }
  }
  return null;
}

// Whether the words (`said`: every word of the query, repeats too, so "no alcohol no video"
// reads both) ask to leave out the value `n` names: a negation right before its name, or
// before a small word that is ("other than a fellowship"). Needs and audiences never are.
function negated(said, n, terms) {
  if (terms.needs.has(n.key) || terms.refining.has(n.key)) return false;
  const name = n.phrase.split(" ");
  for (let start = 0; start + name.length <= said.length; start++) {
    if (!name.every((word, k) => said[start + k] === word)) continue;
    let end = start;
    while (end > 0 && ARTICLES.has(said[end - 1])) end--;
    if (NEGATIONS.some((words) => words.every((word, k) => said[end - words.length + k] === word))) return true;
  }
  return false;
}
