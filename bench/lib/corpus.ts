// Realistic-looking chat text for the search benchmark: a vocabulary whose word frequencies
// follow a Zipf law (a few words in most messages, a long tail seen a handful of times),
// message lengths from short replies to long paragraphs, and a share of links and mentions.
// Seeded, so two runs with the same seed make the same corpus.

/** mulberry32: a tiny, fast, seedable PRNG; good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The head of the distribution: real words, roughly in order of how often they appear in
// workplace chat (function words first, then the words teams actually talk about).
const HEAD = `
the to i a and is it you that in for of on this we be have can just do not with are so
but was if at what will me my it's i'm there get be about all from they one an or would
like think out know up now yes no ok okay thanks thank please sure time today good new
need should could see go make going also any more when here how been some then let work
did don't yeah right check look back still done has our your want only because did after
deploy build release test tests issue bug fix fixed merge branch review pr code server
client api database query error logs change changes update config meeting call tomorrow
week team customer data service prod staging production ticket sprint plan design doc docs
question help problem working works broken failing failed passed green red ci pipeline
job run running ran start started stop stopped restart cache memory cpu disk network
latency timeout request response endpoint feature flag rollout rollback version upgrade
migration schema index table column user users account login password token session auth
permission access channel message thread reply post email notification alert incident
oncall page pager monitor dashboard metrics graph spike drop traffic load scale cluster
node pod container image docker kubernetes deploys deployed deploying building released
testing merged reviewing fixing updated changed looks great nice cool awesome perfect agreed
sounds idea maybe probably actually really pretty quick quickly later earlier soon already
yesterday morning afternoon tonight monday tuesday wednesday thursday friday weekend
lunch coffee standup retro demo slides notes agenda calendar invite sync chat ping
everyone folks guys all anyone someone somebody nobody thing things stuff something
file files folder repo repository commit commits push pushed pull pulled tag tagged
frontend backend mobile web ios android browser chrome firefox safari app apps screen
page button form modal layout css style theme dark light mode color font icon logo
product roadmap quarter goal goals okr priority priorities estimate estimates deadline
launch beta alpha preview feedback survey interview research analytics report reports
invoice billing payment payments pricing plan plans subscription trial contract legal
security vulnerability patch audit compliance privacy gdpr encryption key keys secret
backup restore replica primary failover outage downtime uptime sla status incident
postmortem action items owner owners blocker blocked unblock waiting pending approved
approve approval sign signed ship shipped shipping hotfix regression flaky retry retries
script scripts tool tooling automation cron schedule scheduled queue worker workers
event events stream streaming kafka redis postgres mysql mongo elastic search searching
`.trim().split(/\s+/);

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z',
  'br', 'cl', 'cr', 'dr', 'fl', 'gr', 'pl', 'pr', 'sl', 'st', 'tr', 'sh', 'ch', 'th', 'qu', 'sk', 'sp', 'str'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'oo', 'ou', 'io', 'y'];
const CODAS = ['', '', 'n', 'r', 's', 't', 'l', 'm', 'x', 'nd', 'rt', 'st', 'ck', 'ng', 'sh', 'ph'];

/**
 * The vocabulary: HEAD, then `tail` made-up words (project names, jargon, typos, names)
 * built from syllables, distinct from each other and from HEAD.
 */
export function vocabulary(tail: number, seed = 7): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const seen = new Set(HEAD);
  const words = [...new Set(HEAD)];
  while (words.length < HEAD.length + tail) {
    const syllables = 2 + Math.floor(r() * 2.2);
    let w = '';
    for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : '');
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Samples word ranks with P(rank k) ∝ 1/(k+1)^s: the shape of word frequencies in real text. */
export class Zipf {
  private cdf: Float64Array;
  constructor(readonly n: number, s = 1.0) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) this.cdf[k] = sum += 1 / Math.pow(k + 1, s);
    for (let k = 0; k < n; k++) this.cdf[k]! /= sum;
  }

  sample(u: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The probability of one rank, to choose common and rare query words. */
  p(rank: number): number {
    return this.cdf[rank]! - (rank > 0 ? this.cdf[rank - 1]! : 0);
  }
}

export interface TextGenerator {
  /** A message: mostly 3–25 words, sometimes a long paragraph; some links and mentions. */
  message(usernames: readonly string[]): string;
}

export function textGenerator(words: readonly string[], seed: number): TextGenerator {
  const r = rng(seed);
  const zipf = new Zipf(words.length, 1.0);
  const word = () => words[zipf.sample(r())]!;
  const length = () => {
    // Log-normal-ish: median ~9 words, a long tail up to ~150.
    const g = (r() + r() + r() + r() - 2) * 1.7; // approx N(0, 1)
    return Math.max(1, Math.min(150, Math.round(Math.exp(2.2 + 0.75 * g))));
  };
  return {
    message(usernames) {
      const n = length();
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(word());
      if (r() < 0.06) out.splice(Math.floor(r() * out.length), 0, `https://${word()}.example.com/${word()}/${Math.floor(r() * 1e6)}`);
      if (r() < 0.08 && usernames.length) out.unshift(`@${usernames[Math.floor(r() * usernames.length)]}`);
      let text = out.join(' ');
      text = text[0]!.toUpperCase() + text.slice(1);
      return r() < 0.3 ? text + (r() < 0.5 ? '?' : '.') : text;
    },
  };
}
